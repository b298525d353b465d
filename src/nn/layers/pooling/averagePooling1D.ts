// Keras: keras/src/layers/pooling/average_pooling1d.py (a BasePooling of rank 1).
import { BasePooling, type PoolingArgs } from "./_convPooling.js";

/**
 * Options of AveragePooling1D (Keras's arguments, camelCase).
 *
 * @example new layers.AveragePooling1D({ poolSize: 2 })
 */
export type AveragePooling1DArgs = PoolingArgs;

/**
 * Mean over windows of `poolSize` of `[batch, steps, channels]` (or channels first).
 * With "same" padding each window is divided by its number of real (non-padding) elements, as in TF/Keras.
 *
 * @example
 * new layers.AveragePooling1D({ poolSize: 2 }).call(zeros([4, 10, 3])).shape; // [4, 5, 3]
 */
export class AveragePooling1D extends BasePooling {
  static override className = "AveragePooling1D";

  constructor(args: AveragePooling1DArgs = {}) {
    super(1, "average", args);
  }
}
