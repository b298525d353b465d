// Keras: keras/src/layers/regularization/gaussian_dropout.py (Keras 2: keras/layers/noise.py, same options).
import type { LayerArgs } from "../layer.js";
import { checkRate, PassThrough } from "./_passThrough.js";

export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability; training multiplies by N(1, rate/(1−rate)) noise. */
  rate: number;
  seed?: number | null;
}

/**
 * GaussianDropout: multiplicative N(1, rate/(1−rate)) noise in training only; the identity at
 * inference.
 *
 * @example
 * new layers.GaussianDropout({ rate: 0.5 }).call(array([[1, 2]])); // [[1, 2]]
 */
export class GaussianDropout extends PassThrough {
  static override className = "GaussianDropout";
  readonly rate: number;
  readonly seed: number | null;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    this.rate = checkRate(this.className, args.rate);
    this.seed = args.seed ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
