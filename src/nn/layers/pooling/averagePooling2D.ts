// Keras: keras/src/layers/pooling/average_pooling2d.py (a BasePooling of rank 2).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of AveragePooling2D (Keras's arguments, camelCase).
 *
 * @example new layers.AveragePooling2D({ poolSize: 3, strides: 1, padding: "same" })
 */
export type AveragePooling2DArgs = PoolingArgs;

/**
 * Mean over windows of `poolSize` of `[batch, rows, cols, channels]` (or channels first).
 * With "same" padding each window is divided by its number of real (non-padding) elements, as in TF/Keras.
 *
 * @example
 * const pool = new layers.AveragePooling2D({ poolSize: 2, strides: 2 });
 * pool.call(zeros([1, 28, 28, 8])).shape; // [1, 14, 14, 8]
 */
export class AveragePooling2D extends BasePooling {
  static override className = "AveragePooling2D";

  constructor(args: AveragePooling2DArgs = {}) {
    super(2, "average", args);
  }
}
