// Keras: keras/src/layers/regularization/alpha_dropout.py (Keras 2: keras/layers/noise.py, same options).
import type { LayerArgs } from "../layer.js";
import { checkRate, PassThrough } from "./_passThrough.js";

export interface AlphaDropoutArgs extends LayerArgs {
  /** Drop probability in training. */
  rate: number;
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

/**
 * AlphaDropout: SELU-preserving dropout in training only; the identity at inference.
 *
 * @example
 * new layers.AlphaDropout({ rate: 0.1 }).call(array([[1, 2]])); // [[1, 2]]
 */
export class AlphaDropout extends PassThrough {
  static override className = "AlphaDropout";
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;

  constructor(args: AlphaDropoutArgs) {
    super(args);
    this.rate = checkRate(this.className, args.rate);
    this.noiseShape = args.noiseShape?.slice() ?? null;
    this.seed = args.seed ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
