// Keras: keras/src/layers/regularization/gaussian_dropout.py (Keras 2: keras/layers/noise.py, same options).
import { RatePassThrough, type RateArgs } from "../base/_passThrough.js";

/**
 * Options of GaussianDropout: the drop probability (training multiplies by N(1, rate/(1−rate))
 * noise) and the seed.
 *
 * @example new layers.GaussianDropout({ rate: 0.5 })
 */
export type GaussianDropoutArgs = RateArgs;

/**
 * GaussianDropout: multiplicative N(1, rate/(1−rate)) noise in training only; the identity at
 * inference.
 *
 * @example
 * new layers.GaussianDropout({ rate: 0.5 }).call(array([[1, 2]])); // [[1, 2]]
 */
export class GaussianDropout extends RatePassThrough {
  static override className = "GaussianDropout";
}
