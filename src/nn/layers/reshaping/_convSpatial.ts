// Keras: keras/src/layers/reshaping/zero_padding{1,2,3}d.py, cropping{1,2,3}d.py and
// up_sampling{1,2,3}d.py (nearest): the spatial reshaping layers that sit between convolutions.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { crop, upsample, zeroPad } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { layoutAxes, opsFormat, requireInputRank, standardizeTuple } from "../base/_convUtils.js";
import {
  fmtShape,
  standardizeDataFormat,
  where,
  type DataFormatLike,
  type KerasDataFormat,
} from "../base/_util.js";

/**
 * Amounts per spatial dim, Keras style: one int for every side; for 1-D a pair `[begin, end]`;
 * for 2-D/3-D one int per dim (both sides) or a `[begin, end]` pair per dim.
 *
 * @example new layers.ZeroPadding2D({ padding: [[1, 2], [0, 3]] })
 */
export type SpatialAmounts = number | readonly number[] | readonly (number | readonly number[])[];

/** Keras's normalisation of `padding`/`cropping` to a `[begin, end]` pair per spatial dim. */
export function standardizeAmounts(
  at: string,
  name: string,
  value: SpatialAmounts,
  rank: number,
): number[][] {
  const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const isPair = (v: unknown): v is readonly number[] =>
    Array.isArray(v) && v.length === 2 && v.every(isCount);
  const perDim: readonly unknown[] | null =
    typeof value === "number"
      ? new Array<number>(rank).fill(value)
      : rank === 1
        ? [value]
        : Array.isArray(value) && value.length === rank
          ? value
          : null;
  const pairs = perDim?.map((v) => (isCount(v) ? [v, v] : isPair(v) ? [v[0], v[1]] : null)) ?? [null];
  if (pairs.some((p) => p === null)) {
    const forms =
      rank === 1 ? "an int or [begin, end]" : `an int, ${rank} ints, or ${rank} pairs [begin, end]`;
    throw new ValueError(
      `${at}: ${name} must be ${forms} of non-negative integers, got ${JSON.stringify(value)}`,
    );
  }
  return pairs as number[][];
}

/** Options shared by ZeroPadding2D/3D, Cropping2D/3D and UpSampling2D/3D. */
interface SpatialArgs extends LayerArgs {
  dataFormat?: DataFormatLike | null;
}

/**
 * A layer that resizes each spatial dim on its own (padding, cropping, upsampling): the rank, the
 * data format and the output shape, whose spatial dims `resize` maps.
 *
 * @example
 * // see BaseZeroPadding, BaseCropping, BaseUpSampling
 */
abstract class SpatialResize extends Layer {
  readonly rank: number;
  readonly dataFormat: KerasDataFormat;

  protected constructor(rank: number, args: SpatialArgs) {
    super(args);
    this.rank = rank;
    this.dataFormat = standardizeDataFormat(where(this), args.dataFormat);
  }

  /** The output size of spatial dim `k` (0-based among the spatial dims) of size `d`. */
  protected abstract resize(d: number, k: number): number;

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, this.rank, this.dataFormat);
    const { spatial } = layoutAxes(this.rank, this.dataFormat);
    return s.map((d, i) => {
      const k = spatial.indexOf(i);
      return k < 0 || d === null ? d : this.resize(d, k);
    });
  }
}

/**
 * Options of the ZeroPadding layers.
 *
 * @example new layers.ZeroPadding2D({ padding: [[1, 2], [0, 3]], dataFormat: "channels_first" })
 */
export interface ZeroPaddingArgs extends SpatialArgs {
  padding?: SpatialAmounts;
}

/**
 * Zero rows/columns added at both ends of each spatial dim.
 *
 * @example
 * // see ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
 */
export abstract class BaseZeroPadding extends SpatialResize {
  /** `[begin, end]` per spatial dim. */
  readonly padding: number[][];

  protected constructor(rank: number, args: ZeroPaddingArgs, fallback: SpatialAmounts) {
    super(rank, args);
    this.padding = standardizeAmounts(where(this), "padding", args.padding ?? fallback, rank);
  }

  call(x: Tensor): Tensor {
    requireInputRank(this, x.shape, this.rank, this.dataFormat);
    return zeroPad(x, this.padding as [number, number][], { dataFormat: opsFormat(this.dataFormat) });
  }

  protected resize(d: number, k: number): number {
    return d + this.padding[k][0] + this.padding[k][1];
  }

  override getConfig(): Record<string, unknown> {
    const padding = this.rank === 1 ? this.padding[0].slice() : this.padding.map((p) => p.slice());
    return { ...super.getConfig(), padding, dataFormat: this.dataFormat };
  }
}

/**
 * Options of the Cropping layers.
 *
 * @example new layers.Cropping2D({ cropping: [[1, 1], [2, 0]] })
 */
export interface CroppingArgs extends SpatialArgs {
  cropping?: SpatialAmounts;
}

/**
 * Rows/columns removed at both ends of each spatial dim; something must remain.
 *
 * @example
 * // see Cropping1D, Cropping2D, Cropping3D
 */
export abstract class BaseCropping extends SpatialResize {
  /** `[begin, end]` per spatial dim. */
  readonly cropping: number[][];

  protected constructor(rank: number, args: CroppingArgs, fallback: SpatialAmounts) {
    super(rank, args);
    this.cropping = standardizeAmounts(where(this), "cropping", args.cropping ?? fallback, rank);
  }

  call(x: Tensor): Tensor {
    this.computeOutputShape(x.shape.slice()); // Keras's check: every cropped dim stays non-empty
    return crop(x, this.cropping as [number, number][], { dataFormat: opsFormat(this.dataFormat) });
  }

  protected resize(d: number, k: number): number {
    return d - this.cropping[k][0] - this.cropping[k][1];
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const out = super.computeOutputShape(inputShape) as SymbolicShape;
    const { spatial } = layoutAxes(this.rank, this.dataFormat);
    if (spatial.some((a) => out[a] !== null && out[a]! <= 0))
      throw new ShapeError(
        `${where(this)}: cropping ${JSON.stringify(this.cropping)} must leave every spatial dim non-empty; ` +
          `input shape ${fmtShape(inputShape as SymbolicShape)} would become ${fmtShape(out)}`,
      );
    return out;
  }

  override getConfig(): Record<string, unknown> {
    const cropping = this.rank === 1 ? this.cropping[0].slice() : this.cropping.map((p) => p.slice());
    return { ...super.getConfig(), cropping, dataFormat: this.dataFormat };
  }
}

/**
 * Options of UpSampling2D/3D.
 *
 * @example new layers.UpSampling3D({ size: [1, 2, 2] })
 */
export interface UpSamplingArgs extends SpatialArgs {
  /** Repeats per spatial dim: one int for all, or one per dim (default 2). */
  size?: number | readonly number[];
}

/**
 * Nearest-neighbour upsampling: each element repeated `size` times along each spatial dim.
 *
 * @example
 * // see UpSampling2D, UpSampling3D
 */
export abstract class BaseUpSampling extends SpatialResize {
  readonly size: number[];

  protected constructor(rank: number, args: UpSamplingArgs) {
    super(rank, args);
    this.size = standardizeTuple(where(this), "size", args.size ?? 2, rank);
  }

  call(x: Tensor): Tensor {
    requireInputRank(this, x.shape, this.rank, this.dataFormat);
    return upsample(x, this.size, { dataFormat: opsFormat(this.dataFormat) });
  }

  protected resize(d: number, k: number): number {
    return d * this.size[k];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size.slice(), dataFormat: this.dataFormat };
  }
}
