// Keras: keras/src/layers/convolutional/depthwise_conv1d.py (a BaseDepthwiseConv of rank 1).
import { BaseDepthwiseConv, type DepthwiseConvArgs } from "./_convDepthwiseBase.js";

/**
 * Options of DepthwiseConv1D (Keras's arguments, camelCase).
 *
 * @example new layers.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 })
 */
export type DepthwiseConv1DArgs = DepthwiseConvArgs;

/**
 * 1-D depthwise convolution of `[batch, steps, channels]` (or channels first): every channel is
 * convolved with its own `depthMultiplier` filters; kernel `[k, channels, depthMultiplier]`.
 *
 * @example
 * const dw = new layers.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 });
 * dw.call(zeros([1, 10, 4])).shape; // [1, 8, 8]
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override className = "DepthwiseConv1D";

  constructor(args: DepthwiseConv1DArgs) {
    super(1, args);
  }
}
