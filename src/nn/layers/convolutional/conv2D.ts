// Keras: keras/src/layers/convolutional/conv2d.py (a BaseConv of rank 2).
import { BaseConv, type ConvArgs } from "./_convBase.js";

/**
 * Options of Conv2D (Keras's arguments, camelCase).
 *
 * @example new layers.Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: "same" })
 */
export type Conv2DArgs = ConvArgs;

/**
 * 2-D convolution over `[batch, rows, cols, channels]` (or channels first): kernel
 * `[kh, kw, channels/groups, filters]`, then bias and activation. "same" padding follows TF
 * (output ⌈size/stride⌉, the odd pad at the end).
 *
 * @example
 * const conv = new layers.Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: "same" });
 * conv.call(zeros([1, 28, 28, 1])).shape; // [1, 14, 14, 16]
 */
export class Conv2D extends BaseConv {
  static override className = "Conv2D";

  constructor(args: Conv2DArgs) {
    super(2, args);
  }
}
