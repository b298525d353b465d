// Keras: keras/src/layers/regularization/dropout.py (Keras 2: keras/layers/core.py, same options).
import { type LayerArgs } from "../layer.js";
import { checkRate, PassThrough } from "./_passThrough.js";

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop in training, in [0, 1]. */
  rate: number;
  /** Shape of the binary dropout mask (null entries follow the input). */
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

/**
 * Dropout: the identity at inference (Keras drops and rescales only when `training` is true;
 * gradlens is an inference engine, so the input always passes through unchanged).
 *
 * @example
 * const d = new layers.Dropout({ rate: 0.5 });
 * d.call(array([[1, 2]])); // [[1, 2]]
 */
export class Dropout extends PassThrough {
  static override className = "Dropout";
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;

  constructor(args: DropoutArgs) {
    super(args);
    this.rate = checkRate(this.className, args.rate);
    this.noiseShape = args.noiseShape?.slice() ?? null;
    this.seed = args.seed ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
