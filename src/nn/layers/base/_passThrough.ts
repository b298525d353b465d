/**
 * Base of the layers that are the identity at inference: Dropout and its spatial variants, the
 * noise layers and Identity. Keras applies them only when `training` is true; gradlens is an
 * inference engine, so `training` is accepted and the input is returned unchanged either way
 * (random training-time noise has no derivative to speak of, and would mix nothing useful into a
 * sensitivity analysis).
 */
import { ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import { at, singleTensor } from "./_util.js";

/**
 * A layer that returns its input unchanged and passes its mask on; subclasses only add options.
 *
 * @example
 * class MyNoise extends PassThrough { static override className = "MyNoise"; }
 * new MyNoise({}).call(array([[1, 2]])); // [[1, 2]]
 */
export abstract class PassThrough extends Layer {
  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }

  call(x: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    return singleTensor(this, x);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }
}

/**
 * Options of the layers that drop or perturb their inputs at a rate in training.
 *
 * @example new layers.GaussianDropout({ rate: 0.2, seed: 7 })
 */
export interface RateArgs extends LayerArgs {
  /** Drop probability in training, in [0, 1] (Keras raises for anything else). */
  rate: number;
  /** Seed of the training-time noise. */
  seed?: number | null;
}

/**
 * A pass-through layer with a training-time `rate` and `seed`, kept in the config: the dropout
 * layers and their spatial variants, and GaussianDropout.
 *
 * @example
 * class MyDropout extends RatePassThrough { static override className = "MyDropout"; }
 * new MyDropout({ rate: 0.5 }).call(array([[1, 2]])); // [[1, 2]]
 */
export abstract class RatePassThrough extends PassThrough {
  readonly rate: number;
  readonly seed: number | null;

  constructor(args: RateArgs) {
    super(args);
    if (typeof args.rate !== "number" || !(args.rate >= 0 && args.rate <= 1))
      throw new ValueError(at(this, `rate must be a number in [0, 1], got ${args.rate}`));
    this.rate = args.rate;
    this.seed = args.seed ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/**
 * Options of Dropout and AlphaDropout: a rate, a seed and the shape of the dropout mask.
 *
 * @example new layers.Dropout({ rate: 0.5, noiseShape: [null, 1, 8] })
 */
export interface NoiseShapeArgs extends RateArgs {
  /** Shape of the binary dropout mask (null entries follow the input). */
  noiseShape?: (number | null)[] | null;
}

/**
 * Dropout and AlphaDropout: a rate, a seed and a noise shape (Keras 3 writes them in that order).
 *
 * @example
 * // see Dropout, AlphaDropout
 */
export abstract class NoiseShapeDropout extends RatePassThrough {
  readonly noiseShape: (number | null)[] | null;

  constructor(args: NoiseShapeArgs) {
    super(args);
    this.noiseShape = args.noiseShape?.slice() ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), noiseShape: this.noiseShape };
  }
}
