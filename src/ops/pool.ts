/**
 * Pooling and the spatial reshaping layers around it (Keras MaxPooling/AveragePooling,
 * Global*Pooling, UpSampling, ZeroPadding, Cropping), written with primitives (`patches`,
 * `reduce_max`/`reduce_sum`, `pad`, `slice`, `broadcast`) so they need no derivative rules.
 */
import { NDArray } from "../core/ndarray.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { windowOutputShape } from "../kernels/patches.js";
import * as L from "../prims/lax.js";
import { Concrete, type Tensor } from "../prims/tensor.js";
import { asTensor, type TensorLike } from "./convert.js";
import { repeat } from "./manipulation.js";
import { toFloat } from "./promote.js";
import { max, mean } from "./reduction.js";
import {
  checkFormat,
  fmt,
  fromChannelsLast,
  geometry,
  perDim,
  range,
  requireRank,
  resolvePadding,
  toChannelsLast,
  type DataFormat,
  type Padding,
} from "./windows.js";

/**
 * Options of the pooling ops (Keras's MaxPooling/AveragePooling arguments).
 *
 * @example maxPool2d(x, { poolSize: 3, strides: 2, padding: "same" })
 */
export interface PoolOptions {
  /** Window size per spatial dim (default 2, as Keras). */
  poolSize?: number | readonly number[];
  /** Default: the pool size (non-overlapping windows). */
  strides?: number | readonly number[];
  /** "valid" (default), "same", or explicit [lo, hi] pads (each smaller than the window). */
  padding?: Padding;
  dataFormat?: DataFormat;
}

interface Prepared {
  xl: Tensor;
  dataFormat: DataFormat;
  D: number;
  pool: number[];
  strides: number[];
  padLo: number[];
  padHi: number[];
  out: number[];
}

/** A pooling window's geometry: `pool` with `strides` and `pads`, never dilated. */
const poolWindow = (pool: number[], strides: number[], pads: { padLo: number[]; padHi: number[] }) =>
  geometry(
    pool,
    strides,
    pads,
    pool.map(() => 1),
  );

function prepare(op: string, rank: number | null, xIn: TensorLike, opts: PoolOptions): Prepared {
  const x = toFloat(xIn);
  const dataFormat = opts.dataFormat ?? "channelsLast";
  const D = rank ?? x.ndim - 2;
  if (D < 1 || D > 3)
    throw new ShapeError(`${op}: expected a 3-D, 4-D or 5-D input ([N, S.., C]), got shape ${fmt(x.shape)}`);
  requireRank(op, x, D, dataFormat);
  const xl = toChannelsLast(op, x, dataFormat);
  const pool = perDim(op, "poolSize", opts.poolSize, D, 2);
  const strides = perDim(op, "strides", opts.strides ?? pool, D, 1);
  const spatial = xl.shape.slice(1, D + 1);
  const ones = pool.map(() => 1); // pooling windows are never dilated
  const { padLo, padHi } = resolvePadding(op, opts.padding ?? "valid", spatial, pool, strides, ones);
  // A window made only of padding would have no maximum and an average of 0/0.
  if (padLo.some((p, d) => p >= pool[d]) || padHi.some((p, d) => p >= pool[d]))
    throw new ValueError(
      `${op}: padding ${fmt(padLo)}/${fmt(padHi)} must be smaller than poolSize ${fmt(pool)}`,
    );
  const out = windowOutputShape(spatial, poolWindow(pool, strides, { padLo, padHi }));
  if (out.some((o) => o < 1))
    throw new ShapeError(`${op}: poolSize ${fmt(pool)} does not fit the spatial dims ${fmt(spatial)}`);
  return { xl, dataFormat, D, pool, strides, padLo, padHi, out };
}

const zerosD = (D: number) => new Array<number>(D).fill(0);

function maxPoolImpl(op: string, rank: number | null, x: TensorLike, opts: PoolOptions): Tensor {
  const p = prepare(op, rank, x, opts);
  const { D, pool } = p;
  // Pad with −∞ first, so padding never wins a window, then take unpadded patches.
  const padded = L.pad(p.xl, [0, ...p.padLo, 0], [0, ...p.padHi, 0], zerosD(D + 2), -Infinity);
  const g = poolWindow(pool, p.strides, { padLo: zerosD(D), padHi: zerosD(D) });
  const windows = L.patches(padded, g); // [N, O.., K.., C]
  return fromChannelsLast(L.reduce("reduce_max", windows, range(D, D + 1)), p.dataFormat);
}

/**
 * Number of real (non-padding) elements of each window, `[1, O.., 1]`: a product over dims of
 * per-dim counts, because a window is a box.
 */
function validCounts(p: Prepared, dtype: Tensor["dtype"]): Tensor {
  const perDimCounts = p.out.map((o, d) =>
    range(o).map((i) => {
      const start = i * p.strides[d] - p.padLo[d];
      const size = p.xl.shape[d + 1];
      return Math.min(start + p.pool[d], size) - Math.max(start, 0);
    }),
  );
  const counts = NDArray.zeros(dtype, [1, ...p.out, 1]);
  const idx = zerosD(p.D);
  for (let flat = 0; flat < counts.size; flat++) {
    counts.data[flat] = idx.reduce((prod, i, d) => prod * perDimCounts[d][i], 1);
    for (let d = p.D - 1; d >= 0 && ++idx[d] === p.out[d]; d--) idx[d] = 0;
  }
  return new Concrete(counts);
}

function avgPoolImpl(op: string, rank: number | null, x: TensorLike, opts: PoolOptions): Tensor {
  const p = prepare(op, rank, x, opts);
  const g = poolWindow(p.pool, p.strides, { padLo: p.padLo, padHi: p.padHi });
  const sums = L.reduceSum(L.patches(p.xl, g), range(p.D, p.D + 1)); // padding contributes zeros
  // TF and Keras divide by the number of real elements, so "same" padding does not dilute edges.
  const padded = [...p.padLo, ...p.padHi].some((v) => v > 0);
  const divisor = padded
    ? validCounts(p, sums.dtype)
    : L.scalar(
        p.pool.reduce((a, b) => a * b, 1),
        sums.dtype,
      );
  return fromChannelsLast(L.div(sums, divisor), p.dataFormat);
}

/**
 * Max pooling over windows of `poolSize`, 1-D/2-D/3-D from the input's rank (Keras
 * MaxPooling1D/2D/3D). Padding never wins (it is −∞). The derivative goes to the window's
 * maximum; exact ties share it equally (JAX's convention; TF gives it all to the first).
 *
 * @example maxPool(x, { poolSize: 2 }) // [N, 8, 8, C] → [N, 4, 4, C]
 */
export const maxPool = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  maxPoolImpl("maxPool", null, x, opts);
/** 1-D max pooling of `[N, L, C]`. @example maxPool1d(x, { poolSize: 3, strides: 1 }) */
export const maxPool1d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  maxPoolImpl("maxPool1d", 1, x, opts);
/** 2-D max pooling of `[N, H, W, C]`. @example maxPool2d(x, { poolSize: [2, 2] }) */
export const maxPool2d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  maxPoolImpl("maxPool2d", 2, x, opts);
/** 3-D max pooling of `[N, D, H, W, C]`. @example maxPool3d(x, { poolSize: 2 }) */
export const maxPool3d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  maxPoolImpl("maxPool3d", 3, x, opts);

/**
 * Average pooling, 1-D/2-D/3-D from the input's rank (Keras AveragePooling1D/2D/3D). With
 * padding, each window is divided by its number of real elements (TF/Keras), not by the pool size.
 *
 * @example avgPool(x, { poolSize: 3, strides: 1, padding: "same" })
 */
export const avgPool = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  avgPoolImpl("avgPool", null, x, opts);
/** 1-D average pooling of `[N, L, C]`. @example avgPool1d(x, { poolSize: 2 }) */
export const avgPool1d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  avgPoolImpl("avgPool1d", 1, x, opts);
/** 2-D average pooling of `[N, H, W, C]`. @example avgPool2d(x, { poolSize: 2, padding: "same" }) */
export const avgPool2d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  avgPoolImpl("avgPool2d", 2, x, opts);
/** 3-D average pooling of `[N, D, H, W, C]`. @example avgPool3d(x, { poolSize: 2 }) */
export const avgPool3d = (x: TensorLike, opts: PoolOptions = {}): Tensor =>
  avgPoolImpl("avgPool3d", 3, x, opts);

/**
 * Options of the global pooling ops.
 *
 * @example globalAvgPool(x, { keepdims: true })
 */
export interface GlobalPoolOptions {
  dataFormat?: DataFormat;
  /** Keep the spatial dims as size 1 (Keras's `keepdims`); default false → `[N, C]`. */
  keepdims?: boolean;
}

function spatialAxes(op: string, x: Tensor, dataFormat: DataFormat): number[] {
  if (x.ndim < 3)
    throw new ShapeError(
      `${op}: expected an input with at least one spatial dim ([N, S.., C]), got ${fmt(x.shape)}`,
    );
  checkFormat(op, dataFormat);
  return range(x.ndim - 2, dataFormat === "channelsFirst" ? 2 : 1);
}

/** Maximum over all spatial dims (Keras GlobalMaxPooling1D/2D/3D). @example globalMaxPool(x) // [N, H, W, C] → [N, C] */
export function globalMaxPool(x: TensorLike, opts: GlobalPoolOptions = {}): Tensor {
  const t = toFloat(x);
  return max(t, {
    axis: spatialAxes("globalMaxPool", t, opts.dataFormat ?? "channelsLast"),
    keepdims: opts.keepdims,
  });
}

/** Mean over all spatial dims (Keras GlobalAveragePooling1D/2D/3D). @example globalAvgPool(x) // [N, H, W, C] → [N, C] */
export function globalAvgPool(x: TensorLike, opts: GlobalPoolOptions = {}): Tensor {
  const t = toFloat(x);
  return mean(t, {
    axis: spatialAxes("globalAvgPool", t, opts.dataFormat ?? "channelsLast"),
    keepdims: opts.keepdims,
  });
}

/**
 * Nearest-neighbour upsampling (Keras UpSampling1D/2D/3D): every element is repeated `size` times
 * along each spatial dim (default 2).
 *
 * @example upsample(x, 2) // [N, 4, 4, C] → [N, 8, 8, C]
 */
export function upsample(
  x: TensorLike,
  size: number | readonly number[] = 2,
  opts: { dataFormat?: DataFormat } = {},
): Tensor {
  let t = asTensor(x);
  const axes = spatialAxes("upsample", t, opts.dataFormat ?? "channelsLast");
  const reps = perDim("upsample", "size", size, axes.length, 2);
  axes.forEach((a, i) => {
    if (reps[i] !== 1) t = repeat(t, reps[i], a);
  });
  return t;
}

/**
 * Per-spatial-dim amounts for `zeroPad`/`crop`, Keras style: one number for all sides, one
 * number per dim (symmetric), or `[lo, hi]` per dim. For a 1-D input a plain pair `[lo, hi]`
 * is read as the two sides of that dim, as ZeroPadding1D/Cropping1D do.
 *
 * @example zeroPad(x, [[1, 2], 0]) // H padded by 1 above and 2 below, W untouched
 */
export type SpatialAmounts = number | readonly (number | readonly [number, number])[];

function sides(op: string, amounts: SpatialAmounts, D: number): [number, number][] {
  let spec: readonly (number | readonly [number, number])[] =
    typeof amounts === "number" ? new Array<number>(D).fill(amounts) : amounts;
  if (D === 1 && spec.length === 2 && spec.every((v) => typeof v === "number"))
    spec = [[spec[0] as number, spec[1] as number]];
  if (spec.length !== D)
    throw new ValueError(`${op}: need ${D} entries (one per spatial dim), got ${JSON.stringify(amounts)}`);
  const out = spec.map((v): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]));
  if (out.some((p) => p.some((v) => !Number.isInteger(v) || v < 0)))
    throw new ValueError(`${op}: amounts must be non-negative integers, got ${JSON.stringify(amounts)}`);
  return out;
}

/**
 * Zero padding of the spatial dims (Keras ZeroPadding1D/2D/3D).
 *
 * @example zeroPad(x, 1) // [N, 4, 4, C] → [N, 6, 6, C]
 */
export function zeroPad(
  x: TensorLike,
  padding: SpatialAmounts = 1,
  opts: { dataFormat?: DataFormat } = {},
): Tensor {
  const t = asTensor(x);
  const axes = spatialAxes("zeroPad", t, opts.dataFormat ?? "channelsLast");
  const s = sides("zeroPad", padding, axes.length);
  const lo = t.shape.map((_, d) => (axes.includes(d) ? s[axes.indexOf(d)][0] : 0));
  const hi = t.shape.map((_, d) => (axes.includes(d) ? s[axes.indexOf(d)][1] : 0));
  return L.pad(t, lo, hi, zerosD(t.ndim));
}

/**
 * Removes rows/columns at the edges of the spatial dims (Keras Cropping1D/2D/3D).
 *
 * @example crop(x, [[1, 0], [2, 2]]) // [N, 8, 8, C] → [N, 7, 4, C]
 */
export function crop(
  x: TensorLike,
  cropping: SpatialAmounts,
  opts: { dataFormat?: DataFormat } = {},
): Tensor {
  const t = asTensor(x);
  const axes = spatialAxes("crop", t, opts.dataFormat ?? "channelsLast");
  const s = sides("crop", cropping, axes.length);
  axes.forEach((a, i) => {
    if (s[i][0] + s[i][1] > t.shape[a])
      throw new ShapeError(`crop: cropping ${fmt(s[i])} is more than axis ${a} of ${fmt(t.shape)} holds`);
  });
  const start = t.shape.map((_, d) => (axes.includes(d) ? s[axes.indexOf(d)][0] : 0));
  const stop = t.shape.map((n, d) => (axes.includes(d) ? n - s[axes.indexOf(d)][1] : n));
  return L.slice(
    t,
    start,
    stop,
    t.shape.map(() => 1),
  );
}
