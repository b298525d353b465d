// Keras: keras/src/layers/regularization/spatial_dropout.py (same options in Keras 2).
import { SpatialDropoutWithFormat } from "./_spatialDropout.js";

/**
 * SpatialDropout3D: drops whole feature maps in training; the identity at inference. Inputs
 * have rank 5: [batch, d1, d2, d3, channels] (or channels first).
 *
 * @example
 * new layers.SpatialDropout3D({ rate: 0.2 }).call(random.normal([1, 2, 2, 2, 3]));
 */
export class SpatialDropout3D extends SpatialDropoutWithFormat {
  static override className = "SpatialDropout3D";
  protected readonly inputRank = 5;
}
