// Keras: keras/src/layers/convolutional/conv2d_transpose.py (a BaseConvTranspose of rank 2).
import { BaseConvTranspose, type ConvTransposeArgs } from "./_convTransposeBase.js";

/**
 * Options of Conv2DTranspose (Keras's arguments, camelCase).
 *
 * @example new layers.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: "same" })
 */
export type Conv2DTransposeArgs = ConvTransposeArgs;

/**
 * 2-D transposed convolution ("deconvolution") of `[batch, rows, cols, channels]` (or channels
 * first): the adjoint of the Conv2D, with the same kernel, strides, padding and dilation, that
 * maps the output shape back to the input shape (plus bias and activation). Kernel
 * `[kh, kw, filters, channels]`.
 *
 * @example
 * const up = new layers.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: "same" });
 * up.call(zeros([1, 8, 8, 16])).shape; // [1, 16, 16, 3]
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override className = "Conv2DTranspose";

  constructor(args: Conv2DTransposeArgs) {
    super(2, args);
  }
}
