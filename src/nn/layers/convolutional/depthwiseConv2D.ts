// Keras: keras/src/layers/convolutional/depthwise_conv2d.py (a BaseDepthwiseConv of rank 2).
import { BaseDepthwiseConv, type DepthwiseConvArgs } from "./_convDepthwiseBase.js";

/**
 * Options of DepthwiseConv2D (Keras's arguments, camelCase).
 *
 * @example new layers.DepthwiseConv2D({ kernelSize: 3, strides: 2, padding: "same" })
 */
export type DepthwiseConv2DArgs = DepthwiseConvArgs;

/**
 * 2-D depthwise convolution of `[batch, rows, cols, channels]` (or channels first): every channel
 * is convolved with its own `depthMultiplier` filters; kernel `[kh, kw, channels, depthMultiplier]`.
 *
 * @example
 * const dw = new layers.DepthwiseConv2D({ kernelSize: 3, padding: "same" });
 * dw.call(zeros([1, 8, 8, 3])).shape; // [1, 8, 8, 3]
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override className = "DepthwiseConv2D";

  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
  }
}
