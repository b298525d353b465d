// Keras: keras/src/layers/pooling/global_max_pooling3d.py (a BaseGlobalPooling of rank 3).
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";

/**
 * Options of GlobalMaxPooling3D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalMaxPooling3D({ keepdims: false })
 */
export type GlobalMaxPooling3DArgs = GlobalPoolingArgs;

/**
 * Maximum over every spatial dim of `[batch, dim1, dim2, dim3, channels]` (or channels first): output
 * `[batch, channels]`, or with `keepdims` the input's rank with size-1 spatial dims.
 *
 * @example
 * new layers.GlobalMaxPooling3D().call(zeros([1, 4, 4, 4, 5])).shape; // [1, 5]
 */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  static override className = "GlobalMaxPooling3D";

  constructor(args: GlobalMaxPooling3DArgs = {}) {
    super(3, "max", args);
  }
}
