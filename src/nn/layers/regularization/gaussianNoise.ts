// Keras: keras/src/layers/regularization/gaussian_noise.py (Keras 2: keras/layers/noise.py, same options).
import { ValueError } from "../../../core/errors.js";
import type { LayerArgs } from "../../layer.js";
import { PassThrough } from "../base/_passThrough.js";
import { at } from "../base/_util.js";

/**
 * Options of GaussianNoise (Keras's arguments, camelCase).
 *
 * @example new layers.GaussianNoise({ stddev: 0.1, seed: 3 })
 */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive noise applied in training. */
  stddev: number;
  /** Seed of the training-time noise. */
  seed?: number | null;
}

/**
 * GaussianNoise: adds N(0, stddev²) noise in training only; the identity at inference.
 *
 * @example
 * new layers.GaussianNoise({ stddev: 0.1 }).call(array([[1, 2]])); // [[1, 2]]
 */
export class GaussianNoise extends PassThrough {
  static override className = "GaussianNoise";
  readonly stddev: number;
  readonly seed: number | null;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    if (typeof args.stddev !== "number" || !(args.stddev >= 0))
      throw new ValueError(at(this, `stddev must be a number ≥ 0, got ${args.stddev}`));
    this.stddev = args.stddev;
    this.seed = args.seed ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
