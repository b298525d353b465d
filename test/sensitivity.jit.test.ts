/**
 * The engine's batches run as jit-compiled programs (src/sensitivity/engine/staged.ts): the same bits
 * as the eager path (`jit: false`), a handful of compilations however many batches, and an
 * eager fallback for targets that cannot be staged.
 */
import { describe, expect, it } from "vitest";
import { jitCompilations } from "../src/api/jit.js";
import { array, random, tanh, type Tensor } from "../src/index.js";
import { analyze, derivatives, predict, type AnalyzeOptions } from "../src/sensitivity/index.js";
import { stagedBatch } from "../src/sensitivity/engine/staged.js";
import { centralDifference, mlpPricingModel, quadraticModel } from "./helpers/sensitivityModels.js";

/** Same structure and the same bits (Object.is on every number: −0 ≠ 0, NaN = NaN). */
function expectSameBits(a: unknown, b: unknown, path = "result"): void {
  if (typeof a === "number") {
    expect(Object.is(a, b) ? "same" : `${String(a)} vs ${String(b)}`, path).toBe("same");
    return;
  }
  if (ArrayBuffer.isView(a))
    return expectSameBits(Array.from(a as Float64Array), Array.from(b as Float64Array), path);
  if (a !== null && typeof a === "object" && "shape" in a && "data" in a && typeof a.data === "function") {
    const [x, y] = [a as Tensor, b as Tensor];
    expect(y.shape, path).toEqual(x.shape);
    return expectSameBits(Array.from(x.data()), Array.from(y.data()), path);
  }
  if (Array.isArray(a)) {
    expect((b as unknown[]).length, path).toBe(a.length);
    a.forEach((v, i) => expectSameBits(v, (b as unknown[])[i], `${path}[${i}]`));
    return;
  }
  if (a !== null && typeof a === "object") {
    expect(Object.keys(b as object), path).toEqual(Object.keys(a));
    for (const k of Object.keys(a))
      expectSameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toEqual(a);
}

const model = mlpPricingModel(8, 11);

/** Pricing data with NaN, ±Infinity, −0 and huge values in some rows. */
function pricingData(n: number, seed = 21) {
  const price = random.uniform([n], { seed, low: 20, high: 80 }).data() as Float64Array;
  const features = random.normal([n, 8], { seed: seed + 1 }).data() as Float64Array;
  for (const [r, j, v] of [
    [3, 2, NaN],
    [17, 0, Infinity],
    [40, 5, -Infinity],
    [41, 1, -0],
    [90, 7, 1e200],
  ] as const)
    if (r < n) features[r * 8 + j] = v;
  if (n > 60) price[60] = NaN;
  return { price: array(price), features: array(features, { shape: [n, 8] }) };
}

const withoutMeta = <T extends { meta: unknown }>({ meta: _m, ...rest }: T) => rest;

describe("engine batches under jit", () => {
  const options: AnalyzeOptions = {
    finance: { price: "price" },
    keepPerSample: true,
    attributionSamples: 0,
    verifySamples: 0,
    bootstrap: 20,
    batchSize: 32,
  };

  it("analyze: the same bits with jit on and off over a multi-batch run with a ragged tail and non-finite rows", () => {
    const data = pricingData(32 * 4 + 5);
    const on = analyze(model, data, options);
    const off = analyze(model, data, { ...options, jit: false });
    expectSameBits(withoutMeta(on), withoutMeta(off));
    expect(on.meta.nonFinite).toEqual(off.meta.nonFinite);
    expect(on.meta.nonFinite.inputRows).toBe(4); // rows 3, 17, 40 and 60 (price)
  });

  it("analyze with every section (attribution, verification, what-if, effects) on finite data: the same bits", () => {
    const n = 90;
    const finite = {
      price: random.uniform([n], { seed: 4, low: 20, high: 80 }),
      features: random.normal([n, 8], { seed: 5 }),
    };
    const full: AnalyzeOptions = {
      finance: { price: "price" },
      keepPerSample: 10,
      attributionSamples: 3,
      verifySamples: 3,
      bootstrap: 20,
      smoothGrad: { samples: 4 },
      expectedGradients: { samples: 8 },
      whatif: [{ name: "price +1%", shock: { price: { relative: 0.01 } } }],
      effects: { features: ["features[0]"], grid: 5, iceRows: 4 },
      batchSize: 16,
    } as AnalyzeOptions;
    const on = analyze(model, finite, full);
    expectSameBits(withoutMeta(on), withoutMeta(analyze(model, finite, { ...full, jit: false })));
  });

  it("compiles a handful of programs, not one per batch: the same count for 4 batches and for 20", () => {
    const count = (n: number, opts: AnalyzeOptions) => {
      const data = pricingData(n, 5);
      const before = jitCompilations();
      analyze(model, data, opts);
      return jitCompilations() - before;
    };
    const few = count(32 * 4 + 5, options);
    const many = count(32 * 20 + 5, options);
    expect(few).toBe(many);
    // Row check (batched call and vmapped call on 8 rows), then value+Jacobian and Hessian
    // programs at the batch size and at the tail's size.
    expect(many).toBeLessThanOrEqual(6);
    expect(count(32 * 20 + 5, { ...options, jit: false })).toBe(0);
  });

  it("derivatives: Jacobians and Hessians with jit equal jit: false bit for bit, and finite differences", () => {
    const data = pricingData(70);
    const on = derivatives(model, data, { order: 2, batchSize: 16 });
    const off = derivatives(model, data, { order: 2, batchSize: 16, jit: false });
    expectSameBits(on, off);
    // Batch-size independence under jit: every batch size gives the same bits.
    expectSameBits(derivatives(model, data, { order: 2, batchSize: 7 }), on);
    // ∂y/∂features of a finite row against central differences of the model itself.
    const row = 5;
    const x = Array.from(data.features.data().subarray(row * 8, row * 8 + 8));
    const p = data.price.data()[row];
    const y = (v: number[]) => (model({ price: array([p]), features: array([v]) }).data() as Float64Array)[0];
    const jac = on.jacobian.output.features.data();
    for (let j = 0; j < 8; j++) expect(jac[row * 8 + j]).toBeCloseTo(centralDifference(y, x, j), 6);
    expect(on.nonFinite).toEqual(off.nonFinite);
    expect(on.nonFinite.inputRows).toBe(4);
  });

  it("forward mode (more outputs than features) and an integer constant input keep their bits", () => {
    const A = [
      [
        [2, 0.5],
        [0.5, 1],
      ],
      [
        [1, -1],
        [-1, 3],
      ],
      [
        [0, 2],
        [2, 0],
      ],
    ];
    const quad = quadraticModel(A, [
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const target = ({ x, k }: Record<string, Tensor>) =>
      quad({ x }).mul(k.astype("float64").reshape([-1, 1]));
    const x = random.normal([45, 2], { seed: 3 });
    const k = array(
      Int32Array.from({ length: 45 }, (_, i) => (i % 3) + 1),
      { dtype: "int32" },
    );
    const opts: AnalyzeOptions = {
      keepPerSample: true,
      attributionSamples: 0,
      verifySamples: 0,
      bootstrap: 20,
      batchSize: 8,
    };
    const on = analyze(target, { x, k }, opts);
    expect(on.meta.derivativeMode).toBe("forward");
    expectSameBits(withoutMeta(on), withoutMeta(analyze(target, { x, k }, { ...opts, jit: false })));
  });

  it("predict: the same bits and non-finite counts with jit on and off", () => {
    const data = pricingData(100);
    const on = predict(model, data, { batchSize: 16 });
    const off = predict(model, data, { batchSize: 16, jit: false });
    expectSameBits(on, off);
    expect(on.nonFinite.outputValues).toBeGreaterThan(0);
  });

  it("refuses a jit option that is not a boolean", () => {
    expect(() => predict(model, pricingData(4), { jit: "yes" as never })).toThrow(
      /jit must be true or false/,
    );
  });
});

describe("targets that cannot be staged", () => {
  it("a batch function that reads its input's values runs eagerly, with the right numbers", () => {
    // Data-dependent JS control flow: which branch runs depends on the values, so no single
    // program can stand for it.
    const f = (x: Tensor) => (x.data()[0] > 0 ? x.mul(2) : x.mul(-3));
    const run = stagedBatch(f, true);
    const before = jitCompilations();
    expect(Array.from(run.call(array([1, 2])).data())).toEqual([2, 4]);
    expect(Array.from(run.call(array([-1, 2])).data())).toEqual([3, -6]);
    expect(run.compiled).toBe(false);
    expect(jitCompilations()).toBe(before);
  });

  it("predict with such a wrapper falls back to eager and gives the eager numbers", () => {
    const w = array([[0.5], [-1]]);
    // Row-wise, but its JS branches on a value: staging it throws a TracerError.
    const target = ({ x }: Record<string, Tensor>) => {
      const scale = (x.data() as Float64Array).every((v) => Number.isFinite(v)) ? 1 : 1;
      return tanh(x.matmul(w)).mul(scale);
    };
    const x = array([[0.3, -0.2]]);
    const before = jitCompilations();
    const on = predict(target, { x }, { batchSize: 1 });
    expect(jitCompilations()).toBe(before);
    const off = predict(target, { x }, { batchSize: 1, jit: false });
    expectSameBits(on, off);
    expect(on.values.output.data()[0]).toBeCloseTo(Math.tanh(0.3 * 0.5 + 0.2), 15);
  });
});
