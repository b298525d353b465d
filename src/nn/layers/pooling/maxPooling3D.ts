// Keras: keras/src/layers/pooling/max_pooling3d.py (a BasePooling of rank 3).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of MaxPooling3D (Keras's arguments, camelCase).
 *
 * @example new layers.MaxPooling3D({ poolSize: 2, dataFormat: "channels_first" })
 */
export type MaxPooling3DArgs = PoolingArgs;

/**
 * Maximum over windows of `poolSize` of `[batch, dim1, dim2, dim3, channels]` (or channels first).
 * Padding never wins a window; the derivative goes to the window's maximum (exact ties share it).
 *
 * @example
 * const pool = new layers.MaxPooling3D({ poolSize: [2, 2, 2], padding: "same" });
 * pool.call(zeros([1, 5, 5, 5, 2])).shape; // [1, 3, 3, 3, 2]
 */
export class MaxPooling3D extends BasePooling {
  static override className = "MaxPooling3D";

  constructor(args: MaxPooling3DArgs = {}) {
    super(3, "max", args);
  }
}
