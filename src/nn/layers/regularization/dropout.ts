// Keras: keras/src/layers/regularization/dropout.py (Keras 2: keras/layers/core.py, same options).
import { NoiseShapeDropout, type NoiseShapeArgs } from "../base/_passThrough.js";

/**
 * Options of Dropout (Keras's arguments, camelCase).
 *
 * @example new layers.Dropout({ rate: 0.5, seed: 1 })
 */
export type DropoutArgs = NoiseShapeArgs;

/**
 * Dropout: the identity at inference (Keras drops and rescales only when `training` is true;
 * gradlens is an inference engine, so the input always passes through unchanged).
 *
 * @example
 * const d = new layers.Dropout({ rate: 0.5 });
 * d.call(array([[1, 2]])); // [[1, 2]]
 */
export class Dropout extends NoiseShapeDropout {
  static override className = "Dropout";
}
