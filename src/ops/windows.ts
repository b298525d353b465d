/**
 * Shared helpers of the sliding-window ops (convolution, pooling, spatial padding): option
 * normalisation, Keras/TF padding arithmetic and the channels-first ↔ channels-last moves. The
 * window ops themselves all compute in channels-last layout, `[N, S_1..S_D, C]`, which is what
 * the `patches` primitive works on.
 */
import { ShapeError, ValueError } from "../core/errors.js";
import type { WindowGeometry } from "../kernels/patches.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";

/**
 * Where the channel axis sits: `"channelsLast"` is `[N, S.., C]` (Keras's default),
 * `"channelsFirst"` is `[N, C, S..]` (NCHW).
 *
 * @example conv2d(x, k, { dataFormat: "channelsFirst" })
 */
export type DataFormat = "channelsLast" | "channelsFirst";

/**
 * Window padding: Keras's `"valid"` (none) and `"same"` (output size ⌈S/stride⌉, the odd extra
 * pad at the end, as TF does), or explicit `[lo, hi]` per spatial dim (JAX's form).
 *
 * @example maxPool2d(x, { poolSize: 2, padding: "same" })
 */
export type Padding = "valid" | "same" | readonly (readonly [number, number])[];

export const fmt = (s: readonly number[]) => `[${s.join(",")}]`;
export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/**
 * An option given as one number for every spatial dim or one per dim (Keras accepts both),
 * checked to be integers ≥ `min`.
 */
export function perDim(
  op: string,
  name: string,
  value: number | readonly number[] | undefined,
  D: number,
  fallback: number,
  min = 1,
): number[] {
  const v = value === undefined ? fallback : value;
  const out = typeof v === "number" ? new Array<number>(D).fill(v) : v.slice();
  if (out.length !== D)
    throw new ValueError(`${op}: ${name} needs ${D} entries (one per spatial dim), got ${fmt(out)}`);
  if (out.some((n) => !Number.isInteger(n) || n < min))
    throw new ValueError(`${op}: ${name} must be integers ≥ ${min}, got ${fmt(out)}`);
  return out;
}

/**
 * TF's "SAME" padding of one spatial dim: the output has ⌈size/stride⌉ positions and the total
 * pad is split with the odd one at the end, `total = max((⌈S/s⌉−1)·s + (k−1)·d + 1 − S, 0)`.
 * (tensorflow/core/framework/kernel_shape_util.cc, GetWindowedOutputSizeVerbose)
 */
export function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const effective = (k - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + effective - size, 0);
  const lo = Math.floor(total / 2);
  return [lo, total - lo];
}

/** The [lo, hi] pads of each spatial dim for a Keras padding mode (or explicit pads). */
export function resolvePadding(
  op: string,
  padding: Padding,
  spatial: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
): { padLo: number[]; padHi: number[] } {
  const D = spatial.length;
  if (padding === "valid")
    return { padLo: new Array<number>(D).fill(0), padHi: new Array<number>(D).fill(0) };
  if (padding === "same") {
    const pads = spatial.map((s, d) => samePads(s, kernel[d], strides[d], dilation[d]));
    return { padLo: pads.map((p) => p[0]), padHi: pads.map((p) => p[1]) };
  }
  const pairs: readonly (readonly number[])[] = Array.isArray(padding) ? padding : [];
  if (
    !Array.isArray(padding) ||
    pairs.length !== D ||
    pairs.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))
  )
    throw new ValueError(
      `${op}: padding must be "valid", "same" or ${D} pairs of non-negative integers [lo, hi], ` +
        `got ${JSON.stringify(padding)}`,
    );
  return { padLo: pairs.map((p) => p[0]), padHi: pairs.map((p) => p[1]) };
}

/** A window geometry without input dilation (every op but the transposed convolution). */
export function geometry(
  kernel: number[],
  strides: number[],
  pads: { padLo: number[]; padHi: number[] },
  rhsDilation: number[],
): WindowGeometry {
  return { kernel, strides, ...pads, rhsDilation, lhsDilation: kernel.map(() => 1) };
}

/** Throws unless `dataFormat` is one of the two layouts (callers from JS may pass anything). */
export function checkFormat(op: string, dataFormat: DataFormat): void {
  if (dataFormat !== "channelsLast" && dataFormat !== "channelsFirst")
    throw new ValueError(
      `${op}: dataFormat must be "channelsLast" or "channelsFirst", got ${JSON.stringify(dataFormat)}`,
    );
}

/** `[N, C, S..]` → `[N, S.., C]` for channels-first input; channels-last input is returned as is. */
export function toChannelsLast(op: string, x: Tensor, dataFormat: DataFormat): Tensor {
  checkFormat(op, dataFormat);
  if (dataFormat === "channelsLast") return x;
  return L.transpose(x, [0, ...range(x.ndim - 2, 2), 1]);
}

/** The inverse of `toChannelsLast`. */
export function fromChannelsLast(x: Tensor, dataFormat: DataFormat): Tensor {
  if (dataFormat === "channelsLast") return x;
  return L.transpose(x, [0, x.ndim - 1, ...range(x.ndim - 2, 1)]);
}

/** Throws unless `x` is a batch of D-dimensional images, `[N, S_1..S_D, C]` (or `[N, C, S..]`). */
export function requireRank(op: string, x: Tensor, D: number, dataFormat: DataFormat): void {
  if (x.ndim !== D + 2) {
    const dims = D === 1 ? ["L"] : D === 2 ? ["H", "W"] : range(D, 1).map((i) => `S${i}`);
    const layout = dataFormat === "channelsFirst" ? ["N", "C", ...dims] : ["N", ...dims, "C"];
    throw new ShapeError(
      `${op}: expected an input of rank ${D + 2} ([${layout.join(", ")}]), got shape ${fmt(x.shape)}`,
    );
  }
}
