// Keras: keras/src/layers/pooling/max_pooling1d.py (a BasePooling of rank 1).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of MaxPooling1D (Keras's arguments, camelCase).
 *
 * @example new layers.MaxPooling1D({ poolSize: 3, strides: 1, padding: "same" })
 */
export type MaxPooling1DArgs = PoolingArgs;

/**
 * Maximum over windows of `poolSize` of `[batch, steps, channels]` (or channels first).
 * Padding never wins a window; the derivative goes to the window's maximum (exact ties share it).
 *
 * @example
 * new layers.MaxPooling1D({ poolSize: 2 }).call(zeros([4, 10, 3])).shape; // [4, 5, 3]
 */
export class MaxPooling1D extends BasePooling {
  static override className = "MaxPooling1D";

  constructor(args: MaxPooling1DArgs = {}) {
    super(1, "max", args);
  }
}
