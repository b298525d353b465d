// Keras: keras/src/layers/core/identity.py (Keras 3 only; tf.keras 2.x has no Identity layer).
import type { LayerArgs } from "../../layer.js";
import { PassThrough } from "../base/_passThrough.js";

/**
 * Identity: returns its input unchanged (and passes its mask on).
 *
 * @example
 * new layers.Identity().call(array([[1, 2]])); // [[1, 2]]
 */
export class Identity extends PassThrough {
  static override className = "Identity";

  constructor(args: LayerArgs = {}) {
    super(args);
  }
}
