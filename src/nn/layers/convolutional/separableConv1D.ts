// Keras: keras/src/layers/convolutional/separable_conv1d.py (a BaseSeparableConv of rank 1).
import { BaseSeparableConv, type SeparableConvArgs } from "./_convSeparableBase.js";

/**
 * Options of SeparableConv1D (Keras's arguments, camelCase).
 *
 * @example new layers.SeparableConv1D({ filters: 8, kernelSize: 5, depthMultiplier: 2 })
 */
export type SeparableConv1DArgs = SeparableConvArgs;

/**
 * 1-D separable convolution of `[batch, steps, channels]` (or channels first): a depthwise
 * convolution per channel, then a pointwise (size-1) convolution mixing channels into `filters`.
 *
 * @example
 * const sep = new layers.SeparableConv1D({ filters: 8, kernelSize: 5, depthMultiplier: 2, padding: "same" });
 * sep.call(zeros([2, 30, 3])).shape; // [2, 30, 8]
 */
export class SeparableConv1D extends BaseSeparableConv {
  static override className = "SeparableConv1D";

  constructor(args: SeparableConv1DArgs) {
    super(1, args);
  }
}
