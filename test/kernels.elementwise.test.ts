/** Binary kernels with broadcasting against a naive loop over output indices. */
import { describe, expect, it } from "vitest";
import { NDArray } from "../src/core/ndarray.js";
import { broadcastStrides, sizeOf } from "../src/core/shape.js";
import { binary } from "../src/kernels/elementwise.js";

const make = (shape: number[], seed: number) =>
  new NDArray(
    "float64",
    shape,
    Float64Array.from({ length: sizeOf(shape) }, (_, i) => Math.sin(seed * 1000 + i)),
  );

function naive(a: NDArray, b: NDArray, outShape: number[]): number[] {
  const sa = broadcastStrides(a.shape, outShape);
  const sb = broadcastStrides(b.shape, outShape);
  const idx = outShape.map(() => 0);
  const out: number[] = [];
  for (let n = 0; n < sizeOf(outShape); n++) {
    const ia = idx.reduce((s, v, d) => s + v * sa[d], 0);
    const ib = idx.reduce((s, v, d) => s + v * sb[d], 0);
    out.push(a.data[ia] - b.data[ib]);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

describe("binary broadcasting", () => {
  it("rows, columns, scalars and 3-D broadcasts give the naive loop's values", () => {
    const cases: [number[], number[], number[]][] = [
      [[7, 5], [5], [7, 5]], // bias rows (2-D after collapsing)
      [
        [7, 1],
        [7, 5],
        [7, 5],
      ], // a column
      [
        [1, 5],
        [7, 1],
        [7, 5],
      ], // outer broadcast
      [[300, 8], [8], [300, 8]],
      [
        [4, 3, 5],
        [4, 1, 5],
        [4, 3, 5],
      ], // 3-D, odometer path
      [
        [2, 1, 3, 1],
        [1, 4, 1, 6],
        [2, 4, 3, 6],
      ],
      [[], [3, 2], [3, 2]],
      [[3, 2], [], [3, 2]],
      [[6], [6], [6]],
      [[0, 3], [3], [0, 3]],
    ];
    cases.forEach(([sa, sb, so], i) => {
      const a = make(sa, i);
      const b = make(sb, i + 50);
      const got = binary("sub", a, b, so, "float64");
      expect(got.shape).toEqual(so);
      expect(Array.from(got.data), `[${sa}] - [${sb}]`).toEqual(naive(a, b, so));
    });
  });
});
