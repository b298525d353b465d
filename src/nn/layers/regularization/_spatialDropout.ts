/**
 * Shared base of SpatialDropout1D/2D/3D (Keras: keras/src/layers/regularization/spatial_dropout.py).
 * In training Keras drops whole feature maps; at inference each is the identity. The input rank is
 * checked as Keras's InputSpec does.
 */
import type { ShapeTree } from "../../layer.js";
import { RatePassThrough, type RateArgs } from "../base/_passThrough.js";
import {
  standardizeDataFormat,
  where,
  requireRank,
  singleShape,
  type DataFormatLike,
  type KerasDataFormat,
} from "../base/_util.js";

/**
 * Options of SpatialDropout1D: the fraction of the feature maps to drop in training, and a seed.
 *
 * @example new layers.SpatialDropout1D({ rate: 0.3 })
 */
export type SpatialDropoutArgs = RateArgs;

/**
 * SpatialDropout1D/2D/3D without their data format: rate, seed and the input-rank check.
 *
 * @example
 * new layers.SpatialDropout1D({ rate: 0.5 }).build([null, 4, 3]); // rank 3: fine
 */
export abstract class SpatialDropoutBase extends RatePassThrough {
  /** Rank of the inputs this variant takes (batch included). */
  protected abstract readonly inputRank: number;

  override build(inputShape: ShapeTree): void {
    requireRank(this, singleShape(this, inputShape), this.inputRank);
    this.built = true;
  }
}

/**
 * Options of SpatialDropout2D/3D: those of SpatialDropout1D and a data format.
 *
 * @example new layers.SpatialDropout3D({ rate: 0.3, dataFormat: "channels_first" })
 */
export interface SpatialDropoutFormatArgs extends SpatialDropoutArgs {
  /** Where the channels are (Keras default channels_last). */
  dataFormat?: DataFormatLike | null;
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
    this.dataFormat = standardizeDataFormat(where(this), args.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
