// Keras: keras/src/layers/convolutional/conv3d.py (a BaseConv of rank 3).
import { BaseConv, type ConvArgs } from "./_convBase.js";

/**
 * Options of Conv3D (Keras's arguments, camelCase).
 *
 * @example new layers.Conv3D({ filters: 4, kernelSize: [3, 3, 3], dataFormat: "channels_first" })
 */
export type Conv3DArgs = ConvArgs;

/**
 * 3-D convolution over `[batch, dim1, dim2, dim3, channels]` (or channels first): kernel
 * `[k1, k2, k3, channels/groups, filters]`, then bias and activation.
 *
 * @example
 * const conv = new layers.Conv3D({ filters: 4, kernelSize: [3, 3, 2], padding: "same" });
 * conv.call(zeros([2, 8, 8, 4, 1])).shape; // [2, 8, 8, 4, 4]
 */
export class Conv3D extends BaseConv {
  static override className = "Conv3D";

  constructor(args: Conv3DArgs) {
    super(3, args);
  }
}
