/**
 * Pooling and spatial helpers against naive loop references over Float64Arrays (written here from
 * the Keras/TF definitions: "same" padding, padding excluded from maxima and from averages).
 */
import { describe, expect, it } from "vitest";
import {
  array,
  avgPool,
  avgPool1d,
  avgPool2d,
  crop,
  globalAvgPool,
  globalMaxPool,
  grad,
  maxPool,
  maxPool2d,
  maxPool3d,
  ShapeError,
  upsample,
  ValueError,
  vmap,
  zeroPad,
  type Tensor,
} from "../src/index.js";
import { Rng } from "../src/core/rng.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { at, expectCloseTo, indices, moveAxis, size, toT, type Arr } from "./helpers/rowMajor.js";

/** Distinct values (a shuffled grid), so no window has a tie and max pooling is differentiable. */
function distinctArr(shape: number[], rng: Rng): Arr {
  const n = size(shape);
  const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.37);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  return { shape, data: Float64Array.from(vals) };
}
/** Naive pooling, channels-last. `kind` max ignores padding; avg divides by the real elements. */
function refPool(x: Arr, kind: "max" | "avg", pool: number[], s: number[], padding: "valid" | "same"): Arr {
  const D = pool.length;
  const S = x.shape.slice(1, D + 1);
  const out = S.map((n, d) =>
    padding === "same" ? Math.ceil(n / s[d]) : Math.floor((n - pool[d]) / s[d]) + 1,
  );
  const lo = S.map((n, d) =>
    padding === "same" ? Math.floor(Math.max((out[d] - 1) * s[d] + pool[d] - n, 0) / 2) : 0,
  );
  const C = x.shape[D + 1];
  const shape = [x.shape[0], ...out, C];
  const res = { shape, data: new Float64Array(size(shape)) };
  for (const idx of indices(shape)) {
    const [n, ...o] = idx;
    const c = o.pop()!;
    let best = -Infinity;
    let sum = 0;
    let count = 0;
    for (const kk of indices(pool)) {
      const pos = kk.map((k, d) => o[d] * s[d] + k - lo[d]);
      if (pos.some((p, d) => p < 0 || p >= S[d])) continue;
      const v = x.data[at(x, [n, ...pos, c])];
      best = Math.max(best, v);
      sum += v;
      count++;
    }
    res.data[at(res, idx)] = kind === "max" ? best : sum / count;
  }
  return res;
}

const expectClose = expectCloseTo(1e-13);
/** Channels-last → channels-first. */
const toChannelsFirst = (a: Arr): Arr => moveAxis(a, a.shape.length - 1, 1);

const SPATIAL: Record<number, number[]> = { 1: [9], 2: [7, 6], 3: [5, 4, 5] };

describe("maxPool / avgPool vs a naive loop reference", () => {
  const rng = new Rng(5);
  for (const kind of ["max", "avg"] as const)
    for (const D of [1, 2, 3])
      for (const poolSize of [2, 3])
        for (const strideSpec of ["default", 1, 2, "mixed"] as const)
          for (const padding of ["valid", "same"] as const)
            for (const dataFormat of ["channelsLast", "channelsFirst"] as const) {
              const S = SPATIAL[D];
              const pool = S.map((_, d) => (d === 1 ? 2 : poolSize));
              const s =
                strideSpec === "default"
                  ? pool
                  : strideSpec === "mixed"
                    ? S.map((_, d) => 1 + (d % 2))
                    : S.map(() => strideSpec);
              it(`${kind} ${D}-D pool ${pool} strides ${strideSpec} ${padding} ${dataFormat}`, () => {
                const x = distinctArr([2, ...S, 3], rng);
                const want = refPool(x, kind, pool, s, padding);
                const opts = {
                  poolSize: pool,
                  strides: strideSpec === "default" ? undefined : s,
                  padding,
                  dataFormat,
                };
                const op = kind === "max" ? maxPool : avgPool;
                if (dataFormat === "channelsLast") expectClose(op(toT(x), opts), want);
                else expectClose(op(toT(toChannelsFirst(x)), opts), toChannelsFirst(want));
              });
            }

  it("same-padded average pooling divides edge windows by their real element count", () => {
    // 1-D, [1, 2, 3, 4], pool 3 stride 1 same: windows [_,1,2] [1,2,3] [2,3,4] [3,4,_].
    const y = avgPool1d(array([[[1], [2], [3], [4]]]), { poolSize: 3, strides: 1, padding: "same" });
    expect(Array.from(y.data())).toEqual([1.5, 2, 3, 3.5]);
  });

  it("padding never wins a max, even when every value is negative", () => {
    const y = maxPool2d(
      array([
        [
          [[-5], [-6]],
          [[-7], [-8]],
        ],
      ]),
      { poolSize: 2, strides: 1, padding: "same" },
    );
    expect(Array.from(y.data())).toEqual([-5, -6, -7, -8]);
  });

  it("integer input pools in float64", () => {
    const y = avgPool2d(
      array(
        [
          [
            [[1], [2]],
            [[3], [4]],
          ],
        ],
        { dtype: "int32" },
      ),
    );
    expect(y.dtype).toBe("float64");
    expect(y.item()).toBe(2.5);
  });
});

describe("pool derivatives", () => {
  const rng = new Rng(6);
  it("max pool (away from ties) passes checkGrads to second order", () => {
    const x = toT(distinctArr([1, 5, 4, 2], rng));
    checkGrads(
      (a: Tensor) => maxPool2d(a, { poolSize: [3, 2], strides: [2, 1], padding: "same" }).square(),
      [x],
      {
        order: 2,
      },
    );
    checkGrads(
      (a: Tensor) => maxPool3d(a, { poolSize: 2, padding: "same", dataFormat: "channelsFirst" }).sin(),
      [toT(distinctArr([1, 2, 3, 3, 3], rng))],
    );
  });

  it("the max-pool gradient is the indicator of each window's maximum", () => {
    const x = toT(distinctArr([1, 4, 4, 1], rng));
    const g = grad((a: Tensor) => maxPool2d(a).sum())(x).data();
    const xs = x.data();
    for (const [i, j] of indices([2, 2])) {
      const cells = [0, 1].flatMap((a) => [0, 1].map((b) => (2 * i + a) * 4 + 2 * j + b));
      const best = cells.reduce((p, q) => (xs[q] > xs[p] ? q : p));
      for (const q of cells) expect(g[q]).toBe(q === best ? 1 : 0);
    }
  });

  it("avg pool and the spatial helpers pass checkGrads to second order", () => {
    const x = toT(distinctArr([2, 5, 3], rng));
    checkGrads((a: Tensor) => avgPool(a, { poolSize: 3, strides: 2, padding: "same" }).square(), [x], {
      order: 2,
    });
    checkGrads((a: Tensor) => globalMaxPool(a).square().add(globalAvgPool(a).square()), [x], { order: 2 });
    checkGrads((a: Tensor) => crop(upsample(zeroPad(a, [[1, 2]]), 3), [[2, 1]]).square(), [x], { order: 2 });
  });

  it("vmap(maxPool) equals a loop", () => {
    const xs = toT(distinctArr([3, 1, 6, 5, 2], rng));
    const f = (a: Tensor) => maxPool2d(a, { poolSize: 3, strides: 2, padding: "same" });
    const ys = vmap(f)(xs);
    for (let i = 0; i < 3; i++) assertAllclose(ys.slice([i]), f(xs.slice([i])), { rtol: 0, atol: 0 });
  });
});

describe("global pooling and spatial helpers", () => {
  const rng = new Rng(7);
  const x = distinctArr([2, 3, 4, 5], rng); // [N, H, W, C]

  it("global pools reduce every spatial dim, with keepdims and both data formats", () => {
    const t = toT(x);
    for (const [op, f] of [
      [globalMaxPool, (v: number[]) => Math.max(...v)],
      [globalAvgPool, (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length],
    ] as const) {
      const want = { shape: [2, 5], data: new Float64Array(10) };
      for (const [n, c] of indices([2, 5]))
        want.data[n * 5 + c] = f([...indices([3, 4])].map(([h, w]) => x.data[at(x, [n, h, w, c])]));
      expectClose(op(t), want);
      expectClose(op(t, { keepdims: true }), { shape: [2, 1, 1, 5], data: want.data });
      expectClose(op(toT(toChannelsFirst(x)), { dataFormat: "channelsFirst" }), want);
    }
  });

  it("upsample repeats each element per spatial axis (nearest neighbour)", () => {
    const y = upsample(toT(x), [2, 3]);
    expect(y.shape).toEqual([2, 6, 12, 5]);
    const yd = y.data();
    for (const [n, h, w, c] of indices(y.shape))
      expect(yd[at({ shape: y.shape, data: new Float64Array() }, [n, h, w, c])]).toBe(
        x.data[at(x, [n, Math.floor(h / 2), Math.floor(w / 3), c])],
      );
    const cf = upsample(toT(toChannelsFirst(x)), 2, { dataFormat: "channelsFirst" });
    expect(cf.shape).toEqual([2, 5, 6, 8]);
  });

  it("zeroPad and crop follow Keras's argument forms and undo each other", () => {
    const t = toT(x);
    expect(zeroPad(t, 1).shape).toEqual([2, 5, 6, 5]);
    expect(zeroPad(t, [1, 2]).shape).toEqual([2, 5, 8, 5]); // symmetric per dim
    const padded = zeroPad(t, [
      [1, 0],
      [2, 3],
    ]);
    expect(padded.shape).toEqual([2, 4, 9, 5]);
    expect(
      padded
        .slice([null, [0, 1]])
        .abs()
        .sum()
        .item(),
    ).toBe(0);
    assertAllclose(
      crop(padded, [
        [1, 0],
        [2, 3],
      ]),
      t,
      { rtol: 0, atol: 0 },
    );
    // 1-D: a plain pair is (left, right), as ZeroPadding1D / Cropping1D read it.
    const x1 = array([[[1], [2], [3]]]);
    expect(Array.from(zeroPad(x1, [1, 2]).data())).toEqual([0, 1, 2, 3, 0, 0]);
    expect(Array.from(crop(x1, [0, 2]).data())).toEqual([1]);
    expect(
      Array.from(crop(toT(toChannelsFirst(x)), [[1, 1], 1], { dataFormat: "channelsFirst" }).shape),
    ).toEqual([2, 5, 1, 2]);
  });
});

describe("pool errors", () => {
  const x = array(new Float64Array(1 * 4 * 4 * 2), { shape: [1, 4, 4, 2] });
  it("names the op and the shapes", () => {
    expect(() => maxPool2d(x.reshape([1, 16, 2]))).toThrow(
      /maxPool2d: expected an input of rank 4 \(\[N, H, W, C\]\), got shape \[1,16,2\]/,
    );
    expect(() => avgPool(x, { poolSize: 5 })).toThrow(ShapeError);
    expect(() => avgPool(x, { poolSize: 5 })).toThrow(
      /avgPool: poolSize \[5,5\] does not fit the spatial dims \[4,4\]/,
    );
    expect(() => maxPool(x, { poolSize: [2, 2, 2] })).toThrow(/poolSize needs 2 entries/);
    expect(() =>
      maxPool(x, {
        padding: [
          [2, 0],
          [0, 0],
        ],
      }),
    ).toThrow(ValueError);
    expect(() => crop(x, [[3, 2], 0])).toThrow(/crop: cropping \[3,2\]/);
    expect(() => globalAvgPool(array([1, 2]))).toThrow(
      /globalAvgPool: expected an input with at least one spatial dim/,
    );
  });
});
