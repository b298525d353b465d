/**
 * Plain row-major arrays (`Float64Array` + shape) and index arithmetic for the naive loop
 * references of the window ops (test/ops.conv.test.ts, test/ops.pool.test.ts). Written from
 * scratch with multi-indices, so the references share no code with src/ops or src/kernels.
 */
import { expect } from "vitest";
import { array, type Tensor } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";

/** A row-major array. */
export interface Arr {
  shape: number[];
  data: Float64Array;
}

/** Number of elements of `shape`. */
export const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Row-major element strides of `shape`. */
export const stridesOf = (s: readonly number[]): number[] => s.map((_, i) => size(s.slice(i + 1)));

/** Flat offset of the multi-index `idx` in `a`. */
export const at = (a: Arr, idx: readonly number[]): number =>
  idx.reduce((o, v, d) => o + v * stridesOf(a.shape)[d], 0);

/** Every multi-index of `shape`, row-major. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = size(shape);
  for (let f = 0; f < n; f++) yield shape.map((s, d) => Math.floor(f / stridesOf(shape)[d]) % s);
}

/** The array as a float64 tensor. */
export const toT = (a: Arr): Tensor => array(a.data, { shape: a.shape });

/** Moves axis `from` to position `to` (a naive copy); `moveAxis(a, D + 1, 1)` is channels-first. */
export function moveAxis(a: Arr, from: number, to: number): Arr {
  const perm = a.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  const shape = perm.map((p) => a.shape[p]);
  const out = { shape, data: new Float64Array(a.data.length) };
  for (const idx of indices(shape)) {
    const src = new Array<number>(idx.length);
    perm.forEach((p, i) => (src[p] = idx[i]));
    out.data[at(out, idx)] = a.data[at(a, src)];
  }
  return out;
}

/** A check that a tensor has the reference's shape and values, to `tol` relative and absolute. */
export const expectCloseTo =
  (tol: number) =>
  (got: Tensor, want: Arr): void => {
    expect(got.shape).toEqual(want.shape);
    assertAllclose(got, toT(want), { rtol: tol, atol: tol });
  };
