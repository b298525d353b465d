// Keras: keras/src/layers/convolutional/conv1d_transpose.py (a BaseConvTranspose of rank 1).
import { BaseConvTranspose, type ConvTransposeArgs } from "./_convTransposeBase.js";

/**
 * Options of Conv1DTranspose (Keras's arguments, camelCase).
 *
 * @example new layers.Conv1DTranspose({ filters: 4, kernelSize: 3, strides: 2 })
 */
export type Conv1DTransposeArgs = ConvTransposeArgs;

/**
 * 1-D transposed convolution ("deconvolution") of `[batch, steps, channels]` (or channels
 * first): the adjoint of the Conv1D, with the same kernel, strides, padding and dilation, that
 * maps the output shape back to the input shape (plus bias and activation). Kernel
 * `[k, filters, channels]`.
 *
 * @example
 * const up = new layers.Conv1DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: "same" });
 * up.call(zeros([1, 10, 8])).shape; // [1, 20, 4]
 */
export class Conv1DTranspose extends BaseConvTranspose {
  static override className = "Conv1DTranspose";

  constructor(args: Conv1DTransposeArgs) {
    super(1, args);
  }
}
