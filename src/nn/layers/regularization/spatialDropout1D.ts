// Keras: keras/src/layers/regularization/spatial_dropout.py (same options in Keras 2).
import { SpatialDropoutBase } from "./_spatialDropout.js";

/**
 * SpatialDropout1D: drops whole feature maps in training; the identity at inference. Inputs
 * have rank 3: [batch, steps, channels].
 *
 * @example
 * new layers.SpatialDropout1D({ rate: 0.2 }).call(random.normal([2, 5, 3])); // unchanged
 */
export class SpatialDropout1D extends SpatialDropoutBase {
  static override className = "SpatialDropout1D";
  protected readonly inputRank = 3;
}
