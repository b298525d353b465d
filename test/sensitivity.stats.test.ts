import { describe, expect, it } from "vitest";
import { Rng } from "../src/index.js";
import { percentileInterval, poisson1 } from "../src/sensitivity/stats/bootstrap.js";
import { resolveRows, sampleRows, subSeed } from "../src/sensitivity/stats/sampling.js";
import { ColumnStats, quantilesOf, sortedQuantile } from "../src/sensitivity/stats/stats.js";
import { planQuantiles, Summarizer } from "../src/sensitivity/stats/summarizer.js";

describe("quantiles", () => {
  const levels = [0, 0.05, 0.25, 0.333, 0.5, 0.75, 0.95, 1];
  it("selection gives exactly the type-7 quantiles of the sorted values, ties and all", () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 3, 10, 101, 5000])
      for (const kind of ["normal", "ties", "constant", "ascending", "descending"]) {
        const a = Float64Array.from({ length: n }, (_, i) =>
          kind === "normal"
            ? rng.nextNormal()
            : kind === "ties"
              ? Math.floor(rng.nextFloat() * 3)
              : kind === "constant"
                ? 7
                : kind === "ascending"
                  ? i
                  : -i,
        );
        const sorted = a.slice().sort();
        expect(quantilesOf(a, levels)).toEqual(levels.map((q) => sortedQuantile(sorted, q)));
      }
  });

  it("interpolates like NumPy and skips non-finite values", () => {
    // numpy.quantile([1, 2, 3, 4], [0.5, 0.25, 0.95]) = [2.5, 1.75, 3.8499999999999996]
    expect(quantilesOf([1, 2, 3, 4], [0.5, 0.25, 0.95])).toEqual([2.5, 1.75, 3.8499999999999996]);
    expect(quantilesOf([NaN, 4, Infinity, 1, -Infinity, 2, 3], [0.5])).toEqual([2.5]);
    expect(quantilesOf([NaN], [0.5])).toEqual([NaN]);
  });
});

describe("ColumnStats", () => {
  it("matches two-pass formulas, with non-finite values counted apart", () => {
    const xs = [3, -1, 4, 1, -5, 9, NaN, 2, 6, Infinity];
    const st = new ColumnStats(1);
    xs.forEach((x) => st.push(0, x));
    st.exclude(0);
    const f = xs.filter(Number.isFinite);
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    const d = st.describe(0, []);
    expect(d.count).toBe(8);
    expect(d.nonFinite).toBe(2);
    expect(d.excluded).toBe(1);
    expect(d.mean).toBeCloseTo(mean, 14);
    expect(d.std).toBeCloseTo(Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length), 14);
    expect(d.rms! ** 2).toBeCloseTo(d.mean! ** 2 + d.std! ** 2, 12);
    expect(d.meanAbs).toBeCloseTo(f.reduce((a, b) => a + Math.abs(b), 0) / f.length, 14);
    expect([d.min, d.max, d.positiveShare, d.negativeShare]).toEqual([-5, 9, 6 / 8, 2 / 8]);
  });

  it("keeps full accuracy over a million rows (compensated sums, Welford variance)", () => {
    // Σx² = 1e16 + 1e6: naive summation adds 1 to 1e16 a million times and loses every one.
    const st = new ColumnStats(1);
    st.push(0, 1e8);
    for (let i = 0; i < 1_000_000; i++) st.push(0, 1);
    expect(Math.abs(st.meanSquare(0) * 1_000_001 - (1e16 + 1e6))).toBeLessThan(16);
    // A large mean with a small spread: var = 0.01 exactly in real arithmetic.
    const v = new ColumnStats(1);
    for (let i = 0; i < 1_000_000; i++) v.push(0, 1e8 + (i % 2 === 0 ? 0.1 : -0.1));
    expect(Math.sqrt(v.variance(0))).toBeCloseTo(0.1, 7);
  });
});

describe("row sampling and quantile plans", () => {
  it("draws distinct sorted rows reproducibly", () => {
    const a = sampleRows(1000, 50, new Rng(1));
    expect(a).toEqual(sampleRows(1000, 50, new Rng(1)));
    expect(new Set(a).size).toBe(50);
    expect(a.every((r, i) => r >= 0 && r < 1000 && (i === 0 || r > a[i - 1]))).toBe(true);
    expect(sampleRows(5, 9, new Rng(1))).toEqual([0, 1, 2, 3, 4]);
    expect(subSeed(0, "a")).not.toBe(subSeed(0, "b"));
    expect(() => resolveRows([3, 12], 10, 5, 0, "verifySamples")).toThrow(
      /verifySamples: row 12 is not a row index/,
    );
  });

  it("samples rows for quantiles only beyond the budget, and then keeps moments exact", () => {
    expect(planQuantiles(100, 3, 300, 0).method).toBe("exact");
    const plan = planQuantiles(1000, 2, 400, 5);
    expect(plan.method).toBe("sample");
    expect(plan.count).toBe(200);
    const s = new Summarizer(2, plan);
    for (let r = 0; r < 1000; r++) s.pushRow(r, [r, -r], 0);
    const d = s.describe(0);
    expect(d.mean).toBe(499.5);
    expect(d.count).toBe(1000);
    // The median of 200 uniformly drawn rows of 0…999 is near 500 (DKW: ±0.12 in level at 99.9%).
    expect(Math.abs(d.quantiles[2]! - 499.5)).toBeLessThan(120);
  });
});

describe("Poisson bootstrap pieces", () => {
  it("draws Poisson(1) weights: mean 1, variance 1, P(0) = 1/e", () => {
    const rng = new Rng(11);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const w = poisson1(rng);
      sum += w;
      sq += w * w;
      if (w === 0) zeros++;
    }
    // Standard errors: mean 0.0022, variance ≈ 0.0054, P(0) ≈ 0.0011; 5 SE bands.
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.011);
    expect(Math.abs(sq / n - (sum / n) ** 2 - 1)).toBeLessThan(0.027);
    expect(Math.abs(zeros / n - Math.exp(-1))).toBeLessThan(0.0055);
  });

  it("gives percentile intervals, or null when a replicate is not finite", () => {
    const reps = Array.from({ length: 101 }, (_, i) => i);
    const [lo, hi] = percentileInterval(reps, 0.9)!;
    expect(lo).toBeCloseTo(5, 12);
    expect(hi).toBeCloseTo(95, 12);
    expect(percentileInterval([1, NaN, 2], 0.9)).toBeNull();
  });
});
