/**
 * Shared base of SpatialDropout1D/2D/3D (Keras: keras/src/layers/regularization/spatial_dropout.py).
 * In training Keras drops whole feature maps; at inference each is the identity. The input rank is
 * checked as Keras's InputSpec does.
 */
import type { ShapeTree } from "../layer.js";
import type { LayerArgs } from "../layer.js";
import { checkRate, PassThrough } from "./_passThrough.js";
import { dataFormatOf, requireRank, singleShape, type DataFormatArg, type KerasDataFormat } from "./_util.js";

export interface SpatialDropoutArgs extends LayerArgs {
  /** Fraction of the feature maps to drop in training, in [0, 1]. */
  rate: number;
  seed?: number | null;
}

/**
 * SpatialDropout1D/2D/3D without their data format: rate, seed and the input-rank check.
 *
 * @example
 * new layers.SpatialDropout1D({ rate: 0.5 }).build([null, 4, 3]); // rank 3: fine
 */
export abstract class SpatialDropoutBase extends PassThrough {
  readonly rate: number;
  readonly seed: number | null;
  /** Rank of the inputs this variant takes (batch included). */
  protected abstract readonly inputRank: number;

  constructor(args: SpatialDropoutArgs) {
    super(args);
    this.rate = checkRate(this.className, args.rate);
    this.seed = args.seed ?? null;
  }

  override build(inputShape: ShapeTree): void {
    requireRank(this, singleShape(this, inputShape), this.inputRank);
    this.built = true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

export interface SpatialDropoutFormatArgs extends SpatialDropoutArgs {
  /** Where the channels are (Keras default channels_last). */
  dataFormat?: DataFormatArg | null;
}

/**
 * The 2-D and 3-D variants also carry a data format (which only matters in training).
 *
 * @example
 * new layers.SpatialDropout2D({ rate: 0.5, dataFormat: "channels_first" }).dataFormat; // "channels_first"
 */
export abstract class SpatialDropoutWithFormat extends SpatialDropoutBase {
  readonly dataFormat: KerasDataFormat;

  constructor(args: SpatialDropoutFormatArgs) {
    super(args);
    this.dataFormat = dataFormatOf(this.className, args.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
