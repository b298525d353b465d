// Keras: keras/src/layers/pooling/global_average_pooling3d.py (a BaseGlobalPooling of rank 3).
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";

/**
 * Options of GlobalAveragePooling3D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalAveragePooling3D({ keepdims: true })
 */
export type GlobalAveragePooling3DArgs = GlobalPoolingArgs;

/**
 * Mean over every spatial dim of `[batch, dim1, dim2, dim3, channels]` (or channels first): output
 * `[batch, channels]`, or with `keepdims` the input's rank with size-1 spatial dims.
 *
 * @example
 * new layers.GlobalAveragePooling3D().call(zeros([1, 4, 4, 4, 5])).shape; // [1, 5]
 */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  static override className = "GlobalAveragePooling3D";

  constructor(args: GlobalAveragePooling3DArgs = {}) {
    super(3, "average", args);
  }
}
