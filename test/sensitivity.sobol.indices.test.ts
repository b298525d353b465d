import { describe, expect, it } from "vitest";
import { array, random, ShapeError, ValueError, type Tensor } from "../src/index.js";
import { sobolIndices, sobolMarginalsFromData, type SobolIndicesResult } from "../src/sensitivity/index.js";

const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);

const A = 7;
const B = 0.1;
const PI = Math.PI;
/** Ishigami: sin x1 + a sin² x2 + b x3⁴ sin x1. */
const ishigami = (x: Tensor) =>
  col(x, 0)
    .sin()
    .add(col(x, 1).sin().square().mul(A))
    .add(col(x, 2).pow(4).mul(B).mul(col(x, 0).sin()));
const U = { type: "uniform", low: -PI, high: PI } as const;

/** Analytic Ishigami indices (Ishigami & Homma 1990; Sobol' & Levitan 1999). */
function ishigamiAnalytic() {
  const V = (A * A) / 8 + (B * PI ** 4) / 5 + (B * B * PI ** 8) / 18 + 0.5;
  const V1 = 0.5 * (1 + (B * PI ** 4) / 5) ** 2;
  const V2 = (A * A) / 8;
  const V13 = B * B * PI ** 8 * (1 / 18 - 1 / 50);
  return { first: [V1 / V, V2 / V, 0], total: [(V1 + V13) / V, V2 / V, V13 / V], variance: V };
}

/** Sobol' G-function on [0,1]^d: ∏ (|4x_j − 2| + a_j)/(1 + a_j). */
const G_A = [0, 1, 4.5, 9, 99, 99];
const gFunction = (x: Tensor) =>
  G_A.map((a, j) =>
    col(x, j)
      .mul(4)
      .sub(2)
      .abs()
      .add(a)
      .div(1 + a),
  ).reduce((p, t) => p.mul(t));

function gAnalytic() {
  const v = G_A.map((a) => 1 / (3 * (1 + a) ** 2));
  const prod = v.reduce((p, vj) => p * (1 + vj), 1);
  const V = prod - 1;
  return { first: v.map((vj) => vj / V), total: v.map((vj) => (vj * prod) / (1 + vj) / V) };
}

function expectNear(r: SobolIndicesResult, truth: { first: number[]; total: number[] }, tol: number) {
  r.indices.forEach((row, i) => {
    expect(Math.abs(row.first! - truth.first[i]), `S_${row.feature}`).toBeLessThan(tol);
    expect(Math.abs(row.total! - truth.total[i]), `S_T,${row.feature}`).toBeLessThan(tol);
    const [flo, fhi] = row.firstCi!;
    const [tlo, thi] = row.totalCi!;
    expect(flo, `S_${row.feature} interval`).toBeLessThanOrEqual(truth.first[i]);
    expect(fhi, `S_${row.feature} interval`).toBeGreaterThanOrEqual(truth.first[i]);
    expect(tlo, `S_T,${row.feature} interval`).toBeLessThanOrEqual(truth.total[i]);
    expect(thi, `S_T,${row.feature} interval`).toBeGreaterThanOrEqual(truth.total[i]);
  });
}

describe("sobolIndices", () => {
  it("recovers the Ishigami indices within 0.02 and within their intervals at the default budget", () => {
    const truth = ishigamiAnalytic();
    const r = sobolIndices(ishigami, { x1: U, x2: U, x3: U }, { seed: 1 });
    expect(r.samples).toBe(8192);
    expect(r.evaluations).toBe(8192 * 5);
    expect(r.indices.map((row) => row.feature)).toEqual(["x1", "x2", "x3"]);
    expect(r.indices.every((row) => row.output === "output")).toBe(true);
    expectNear(r, truth, 0.02);
    expect(r.outputs[0].variance!).toBeCloseTo(truth.variance, 1);
    expect(r.outputs[0].mean!).toBeCloseTo(3.5, 1);
    expect(r.bootstrap).toEqual({ replicates: 200, level: 0.95, seed: 1, method: "poisson" });
    expect(r.marginals[0]).toEqual({
      feature: "x1",
      type: "uniform",
      low: -PI,
      high: PI,
      mean: null,
      std: null,
      count: null,
    });
    // The result is plain JSON.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("recovers the G-function (a = 0, 1, 4.5, 9, 99, 99) first-order and total indices", () => {
    const truth = gAnalytic();
    const u01 = { type: "uniform", low: 0, high: 1 } as const;
    const r = sobolIndices(
      gFunction,
      G_A.map(() => u01),
      { seed: 3 },
    );
    expect(r.evaluations).toBe(8192 * 8);
    expect(r.indices.map((row) => row.feature)).toEqual(["x0", "x1", "x2", "x3", "x4", "x5"]);
    expectNear(r, truth, 0.02);
    // The ordering a user reads off: x0 ≫ x1 ≫ x2 > x3 > x4 ≈ x5 ≈ 0.
    const totals = r.indices.map((row) => row.total!);
    expect(totals[0]).toBeGreaterThan(totals[1]);
    expect(totals[1]).toBeGreaterThan(totals[2]);
    expect(totals[2]).toBeGreaterThan(totals[3]);
    expect(totals[4]).toBeLessThan(0.001);
  });

  it("is deterministic by seed, streams f in batches, and counts N·(d + 2) evaluations", () => {
    const sizes: number[] = [];
    const f = (x: Tensor) => {
      sizes.push(x.shape[0]);
      return ishigami(x);
    };
    const opts = { samples: 1000, seed: 9, batchSize: 100, bootstrap: 50 };
    const r1 = sobolIndices(f, [U, U, U], opts);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(5000);
    expect(r1.evaluations).toBe(5000);
    const r2 = sobolIndices(ishigami, [U, U, U], { ...opts, batchSize: 4096 });
    // Same design and bootstrap weights however the rows are batched (sums differ only by rounding).
    r1.indices.forEach((row, i) => {
      expect(row.first).toBeCloseTo(r2.indices[i].first!, 12);
      expect(row.total).toBeCloseTo(r2.indices[i].total!, 12);
      expect(row.firstCi![0]).toBeCloseTo(r2.indices[i].firstCi![0], 12);
    });
    const r3 = sobolIndices(ishigami, [U, U, U], { ...opts, seed: 10 });
    expect(r3.indices[0].first).not.toBe(r1.indices[0].first);
  });

  it("handles several outputs and normal and empirical marginals (linear model: S_i = S_T,i = w_i²σ_i²/Σ)", () => {
    // y0 = a + 2b, y1 = 3c: independent inputs, no interactions.
    const W = array([
      [1, 0],
      [2, 0],
      [0, 3],
    ]);
    const data = random.normal([20000], { seed: 4 }).data() as Float64Array;
    const r = sobolIndices(
      (x: Tensor) => x.matmul(W),
      {
        a: { type: "normal", mean: 1, std: 2 },
        b: { type: "uniform", low: 0, high: 3 },
        c: { type: "empirical", values: data },
      },
      { samples: 4096, seed: 2, outputNames: ["y0", "y1"] },
    );
    const varA = 4;
    const varB = 9 / 12;
    const varC = 1; // the empirical column is standard normal data
    const v0 = varA + 4 * varB;
    const expected = [varA / v0, (4 * varB) / v0, 0, 0, 0, 1];
    expect(r.indices.map((row) => `${row.output}.${row.feature}`)).toEqual([
      "y0.a",
      "y0.b",
      "y0.c",
      "y1.a",
      "y1.b",
      "y1.c",
    ]);
    r.indices.forEach((row, i) => {
      expect(row.first!).toBeCloseTo(expected[i], 2);
      expect(row.total!).toBeCloseTo(expected[i], 2);
    });
    expect(r.outputs[1].variance!).toBeCloseTo(9 * varC, 0);
    expect(r.marginals[2]).toMatchObject({ type: "empirical", count: 20000 });
  });

  it("takes marginals from data columns: empirical by default, or fitted uniform/normal, or declared", () => {
    const a = Float64Array.from([3, 1, 2, 5, 4]);
    const b = Float64Array.from([0, 2, 4, 6, 8]);
    expect(sobolMarginalsFromData({ a, b })).toEqual({
      a: { type: "empirical", values: a },
      b: { type: "empirical", values: b },
    });
    expect(sobolMarginalsFromData({ a, b }, "uniform")).toEqual({
      a: { type: "uniform", low: 1, high: 5 },
      b: { type: "uniform", low: 0, high: 8 },
    });
    expect(sobolMarginalsFromData({ a, b }, { a: "normal", b: { type: "normal", std: 1 } })).toEqual({
      a: { type: "normal", mean: 3, std: Math.sqrt(2) },
      b: { type: "normal", mean: 4, std: 1 },
    });
    expect(() => sobolMarginalsFromData({ a }, { c: "normal" })).toThrow(/'c', which is not a data column/);
    expect(() => sobolMarginalsFromData({ a: [1, Infinity] }, "uniform")).toThrow(/value 1 of column 'a'/);
    // The empirical quantile function of 0, 2, …, 8 is uniform on [0, 8]: Var = 64/12.
    const r = sobolIndices((x: Tensor) => col(x, 0), sobolMarginalsFromData({ b }), {
      samples: 1024,
      bootstrap: 0,
    });
    expect(r.outputs[0].variance!).toBeCloseTo(64 / 12, 3);
    expect(r.indices[0].first!).toBeCloseTo(1, 3);
    expect(r.indices[0].total!).toBeCloseTo(1, 3);
  });

  it("makes an output's indices null (not silently finite) when f returns NaN, and counts it", () => {
    const f = (x: Tensor) => col(x, 0).log(); // log of negative inputs is NaN
    const r = sobolIndices(f, [{ type: "uniform", low: -1, high: 1 }, U], { samples: 256, bootstrap: 20 });
    expect(r.outputs[0].nonFinite).toBeGreaterThan(0);
    expect(r.indices.every((row) => row.first === null && row.total === null)).toBe(true);
    expect(r.indices.every((row) => row.firstCi === null && row.totalCi === null)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("gives null indices for a constant output (Var(y) = 0: the indices are undefined)", () => {
    const r = sobolIndices((x: Tensor) => col(x, 0).mul(0).add(2), [U, U], { samples: 64, bootstrap: 10 });
    expect(r.outputs[0]).toMatchObject({ variance: 0, mean: 2, nonFinite: 0 });
    expect(r.indices.every((row) => row.first === null && row.total === null && row.firstCi === null)).toBe(
      true,
    );
  });

  it("turns intervals off with bootstrap: 0", () => {
    const r = sobolIndices(ishigami, [U, U, U], { samples: 512, bootstrap: 0 });
    expect(r.bootstrap).toBeNull();
    expect(r.indices.every((row) => row.firstCi === null && row.totalCi === null)).toBe(true);
  });

  it("refuses bad marginals, options and outputs with typed errors that say why", () => {
    expect(() => sobolIndices(ishigami, [U, { type: "uniform", low: 1, high: 0 }, U])).toThrow(
      /feature 'x1' is uniform on \[1, 0\]/,
    );
    expect(() => sobolIndices(ishigami, { x: { type: "normal", std: 1 } })).toThrow(/without a mean/);
    expect(() => sobolIndices(ishigami, { x: { type: "empirical", values: [1, NaN] } })).toThrow(
      /value 1 is NaN/,
    );
    expect(() => sobolIndices(ishigami, [U], { samples: 1 })).toThrow(ValueError);
    expect(() => sobolIndices(ishigami, null as never)).toThrow(/marginals must be an array or an object/);
    expect(() => sobolIndices(ishigami, [])).toThrow(/at least one feature/);
    expect(() => sobolIndices(ishigami, [U], { confidence: 1 })).toThrow(/confidence/);
    expect(() =>
      sobolIndices(
        ishigami,
        Array.from({ length: 65 }, () => U),
      ),
    ).toThrow(/at most 64 features/);
    expect(() => sobolIndices((x: Tensor) => x.reshape([-1]), [U, U], { samples: 8 })).toThrow(ShapeError);
    expect(() => sobolIndices((x: Tensor) => x.sum(), [U, U], { samples: 8 })).toThrow(/expected \[32\]/);
    expect(() => sobolIndices(ishigami, [U, U, U], { samples: 8, outputNames: ["a", "b"] })).toThrow(
      /outputNames has 2 names/,
    );
  });
});
