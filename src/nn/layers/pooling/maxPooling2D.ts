// Keras: keras/src/layers/pooling/max_pooling2d.py (a BasePooling of rank 2).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of MaxPooling2D (Keras's arguments, camelCase).
 *
 * @example new layers.MaxPooling2D({ poolSize: [2, 2] })
 */
export type MaxPooling2DArgs = PoolingArgs;

/**
 * Maximum over windows of `poolSize` of `[batch, rows, cols, channels]` (or channels first).
 * Padding never wins a window; the derivative goes to the window's maximum (exact ties share it).
 *
 * @example
 * const pool = new layers.MaxPooling2D({ poolSize: 2, strides: 2 });
 * pool.call(zeros([1, 28, 28, 8])).shape; // [1, 14, 14, 8]
 */
export class MaxPooling2D extends BasePooling {
  static override className = "MaxPooling2D";

  constructor(args: MaxPooling2DArgs = {}) {
    super(2, "max", args);
  }
}
