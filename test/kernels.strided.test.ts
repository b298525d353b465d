/**
 * The strided copy (transpose, slice, flip, broadcast) against a naive index-by-index loop,
 * including the row-group path that copies transposes eight source-contiguous rows at a time.
 */
import { describe, expect, it } from "vitest";
import { stridesOf } from "../src/core/shape.js";
import { stridedCopy } from "../src/kernels/strided.js";

/** Reads src at offset + Σ idx·strides for every index of `shape` in row-major order. */
function naiveCopy(src: Float64Array, offset: number, strides: number[], shape: number[]): number[] {
  const out: number[] = [];
  const size = shape.reduce((a, b) => a * b, 1);
  const idx = shape.map(() => 0);
  for (let n = 0; n < size; n++) {
    out.push(src[offset + idx.reduce((s, v, d) => s + v * strides[d], 0)]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Index of the first difference (-1 if none): cheap to report for million-element arrays. */
function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Math.min(got.length, want.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return i;
  return -1;
}

/** Small deterministic generator (xorshift32). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

function checkPermutation(shape: number[], perm: number[]) {
  const size = shape.reduce((a, b) => a * b, 1);
  const src = Float64Array.from({ length: size }, (_, i) => i + 0.5);
  const st = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => st[p]);
  const out = new Float64Array(size);
  stridedCopy(src, 0, strides, outShape, out);
  expect(firstMismatch(out, naiveCopy(src, 0, strides, outShape)), `shape [${shape}] perm [${perm}]`).toBe(
    -1,
  );
}

describe("stridedCopy", () => {
  it("2-D transposes around the row-group size (8) and the size threshold", () => {
    for (const r of [1, 2, 7, 8, 9, 15, 16, 17, 33, 130])
      for (const c of [1, 2, 3, 7, 8, 9, 31, 64, 200]) checkPermutation([r, c], [1, 0]);
  });

  it("random permutations of rank 2–5", () => {
    const next = rng(42);
    for (let t = 0; t < 300; t++) {
      const rank = 2 + next(4);
      const shape = Array.from({ length: rank }, () => 1 + next(rank <= 3 ? 24 : 9));
      const perm = shape.map((_, i) => i);
      for (let i = rank - 1; i > 0; i--) {
        const j = next(i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      checkPermutation(shape, perm);
    }
  });

  it("large transposes, including strides that are multiples of 4 KiB", () => {
    checkPermutation([4096, 512], [1, 0]);
    checkPermutation([515, 1029], [1, 0]);
    checkPermutation([3, 100, 37, 9], [0, 2, 3, 1]);
    checkPermutation([50, 64, 100], [2, 0, 1]);
  });

  it("slices with steps, flips and broadcasts (offsets, negative and zero strides)", () => {
    const src = Float64Array.from({ length: 40 * 30 }, (_, i) => i);
    const cases: [number, number[], number[]][] = [
      [31, [60, 1], [19, 29]], // x[1:, 1:] of [40, 30] with step 2 along rows
      [30 * 39 + 29, [-30, -1], [40, 30]], // flip both axes
      [29, [30, -1], [40, 30]], // flip the last axis
      [0, [1, 30], [30, 40]], // transpose
      [0, [2, 60], [15, 20]], // transpose of a strided slice
      [5, [0, 1], [16, 20]], // broadcast a row
      [0, [30, 0], [40, 9]], // broadcast a column
      [0, [1, 0], [900, 3]], // source-contiguous rows, broadcast last dim
    ];
    for (const [offset, strides, shape] of cases) {
      const out = new Float64Array(shape[0] * shape[1]);
      stridedCopy(src, offset, strides, shape, out);
      expect(
        firstMismatch(out, naiveCopy(src, offset, strides, shape)),
        `offset ${offset} strides [${strides}] shape [${shape}]`,
      ).toBe(-1);
    }
  });

  it("scalars, empty shapes and int32 data", () => {
    const out = new Float64Array(1);
    stridedCopy(Float64Array.from([7, 8]), 1, [], [], out);
    expect(out[0]).toBe(8);
    stridedCopy(Float64Array.from([1]), 0, [3, 1], [0, 3], new Float64Array(0));
    const src = Int32Array.from({ length: 24 * 10 }, (_, i) => i - 100);
    const o = new Int32Array(240);
    stridedCopy(src, 0, [1, 10], [10, 24], o);
    expect(Array.from(o)).toEqual(naiveCopy(Float64Array.from(src), 0, [1, 10], [10, 24]));
  });
});
