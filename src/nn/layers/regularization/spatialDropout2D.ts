// Keras: keras/src/layers/regularization/spatial_dropout.py (same options in Keras 2).
import { SpatialDropoutWithFormat } from "./_spatialDropout.js";

/**
 * SpatialDropout2D: drops whole feature maps in training; the identity at inference. Inputs
 * have rank 4: [batch, rows, cols, channels] (or channels first).
 *
 * @example
 * new layers.SpatialDropout2D({ rate: 0.2, dataFormat: "channels_first" }).call(random.normal([2, 3, 4, 4]));
 */
export class SpatialDropout2D extends SpatialDropoutWithFormat {
  static override className = "SpatialDropout2D";
  protected readonly inputRank = 4;
}
