// Keras: keras/src/layers/convolutional/conv3d_transpose.py (a BaseConvTranspose of rank 3).
import { BaseConvTranspose, type ConvTransposeArgs } from "./_convTransposeBase.js";

/**
 * Options of Conv3DTranspose (Keras's arguments, camelCase).
 *
 * @example new layers.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 })
 */
export type Conv3DTransposeArgs = ConvTransposeArgs;

/**
 * 3-D transposed convolution ("deconvolution") of `[batch, dim1, dim2, dim3, channels]` (or channels
 * first): the adjoint of the Conv3D, with the same kernel, strides, padding and dilation, that
 * maps the output shape back to the input shape (plus bias and activation). Kernel
 * `[k1, k2, k3, filters, channels]`.
 *
 * @example
 * const up = new layers.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 });
 * up.call(zeros([1, 4, 4, 4, 8])).shape; // [1, 8, 8, 8, 2]
 */
export class Conv3DTranspose extends BaseConvTranspose {
  static override className = "Conv3DTranspose";

  constructor(args: Conv3DTransposeArgs) {
    super(3, args);
  }
}
