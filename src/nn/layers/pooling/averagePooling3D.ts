// Keras: keras/src/layers/pooling/average_pooling3d.py (a BasePooling of rank 3).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of AveragePooling3D (Keras's arguments, camelCase).
 *
 * @example new layers.AveragePooling3D({ poolSize: [1, 2, 2] })
 */
export type AveragePooling3DArgs = PoolingArgs;

/**
 * Mean over windows of `poolSize` of `[batch, dim1, dim2, dim3, channels]` (or channels first).
 * With "same" padding each window is divided by its number of real (non-padding) elements, as in TF/Keras.
 *
 * @example
 * const pool = new layers.AveragePooling3D({ poolSize: [2, 2, 2], padding: "same" });
 * pool.call(zeros([1, 5, 5, 5, 2])).shape; // [1, 3, 3, 3, 2]
 */
export class AveragePooling3D extends BasePooling {
  static override className = "AveragePooling3D";

  constructor(args: AveragePooling3DArgs = {}) {
    super(3, "average", args);
  }
}
