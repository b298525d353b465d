// Keras: keras/src/layers/convolutional/separable_conv2d.py (a BaseSeparableConv of rank 2).
import { BaseSeparableConv, type SeparableConvArgs } from "./_convSeparableBase.js";

/**
 * Options of SeparableConv2D (Keras's arguments, camelCase).
 *
 * @example new layers.SeparableConv2D({ filters: 8, kernelSize: 3, padding: "same" })
 */
export type SeparableConv2DArgs = SeparableConvArgs;

/**
 * 2-D separable convolution of `[batch, rows, cols, channels]` (or channels first): a depthwise
 * convolution per channel, then a 1×1 convolution mixing channels into `filters`.
 *
 * @example
 * const sep = new layers.SeparableConv2D({ filters: 16, kernelSize: 3, strides: 2, padding: "same" });
 * sep.call(zeros([1, 32, 32, 8])).shape; // [1, 16, 16, 16]
 */
export class SeparableConv2D extends BaseSeparableConv {
  static override className = "SeparableConv2D";

  constructor(args: SeparableConv2DArgs) {
    super(2, args);
  }
}
