// Keras: keras/src/layers/convolutional/conv1d.py (padding "causal": left pad (k−1)·dilation, then valid).
import { BaseConv, type ConvArgs } from "./_convBase.js";

/**
 * Options of Conv1D: those of Conv2D, plus `padding: "causal"`.
 *
 * @example new layers.Conv1D({ filters: 8, kernelSize: 3, padding: "causal", dilationRate: 2 })
 */
export interface Conv1DArgs extends Omit<ConvArgs, "padding"> {
  /** "valid" (default), "same", or "causal" (output[t] depends on input[≤ t] only). */
  padding?: "valid" | "same" | "causal";
}

/**
 * 1-D convolution over `[batch, steps, channels]` (or `[batch, channels, steps]` with
 * `dataFormat: "channels_first"`): kernel `[kernelSize, channels/groups, filters]`, then bias and
 * activation. Like Keras (and TF) it is a cross-correlation.
 *
 * @example
 * const conv = new layers.Conv1D({ filters: 8, kernelSize: 3, padding: "causal", dilationRate: 2 });
 * conv.call(zeros([4, 20, 3])).shape; // [4, 20, 8]
 */
export class Conv1D extends BaseConv {
  static override className = "Conv1D";

  constructor(args: Conv1DArgs) {
    super(1, args);
  }
}
