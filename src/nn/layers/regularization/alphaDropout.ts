// Keras: keras/src/layers/regularization/alpha_dropout.py (Keras 2: keras/layers/noise.py, same options).
import { NoiseShapeDropout, type NoiseShapeArgs } from "../base/_passThrough.js";

/**
 * Options of AlphaDropout (Keras's arguments, camelCase).
 *
 * @example new layers.AlphaDropout({ rate: 0.1, noiseShape: null })
 */
export type AlphaDropoutArgs = NoiseShapeArgs;

/**
 * AlphaDropout: SELU-preserving dropout in training only; the identity at inference.
 *
 * @example
 * new layers.AlphaDropout({ rate: 0.1 }).call(array([[1, 2]])); // [[1, 2]]
 */
export class AlphaDropout extends NoiseShapeDropout {
  static override className = "AlphaDropout";
}
