/**
 * Bounded state of the streaming analysis: quantile samples drawn as the rows stream by (no list
 * of rows, never more than the budget, exactly `count` rows), and what-if scenarios over every row
 * computed inside the derivative pass (reusing its outputs, Jacobians and Hessians) with the same
 * numbers as a separate pass over the same rows. bench/memory.ts measures the peak RSS itself.
 */
import { describe, expect, it } from "vitest";
import { random } from "../src/index.js";
import { analyze, type AnalyzeOptions, type Scenario } from "../src/sensitivity/index.js";
import { planQuantiles, Summarizer } from "../src/sensitivity/stats/summarizer.js";
import { nonlinearPricingModel } from "./helpers/sensitivityModels.js";

describe("quantile state is bounded whatever the number of rows", () => {
  it("plans from the budget alone", () => {
    expect(planQuantiles(3_000_000, 4, 1_000_000, 7)).toEqual({
      method: "sample",
      n: 3_000_000,
      count: 250_000,
      seed: 7,
    });
    expect(planQuantiles(1000, 4, 1_000_000, 7).method).toBe("exact");
  });

  it("keeps exactly `count` rows, drawn uniformly as they stream by", () => {
    const n = 200_000;
    const s = new Summarizer(1, planQuantiles(n, 1, 20_000, 3));
    const one = new Float64Array(1);
    for (let r = 0; r < n; r++) {
      one[0] = r;
      s.pushRow(r, one, 0);
    }
    const kept = s.keptColumn(0);
    expect(kept.length).toBe(20_000);
    expect(kept.every((v) => Number.isFinite(v))).toBe(true); // every slot filled
    expect(new Set(kept).size).toBe(20_000); // distinct rows, increasing
    expect(kept.every((v, i) => i === 0 || v > kept[i - 1])).toBe(true);
    // Uniform: quartiles of the kept row numbers near n/4, n/2, 3n/4 (DKW: ±1.2% of n at 99.9%).
    const q = s.describe(0).quantiles;
    for (const [i, level] of [
      [1, 0.25],
      [2, 0.5],
      [3, 0.75],
    ])
      expect(Math.abs(q[i]! / n - level)).toBeLessThan(0.012);
    expect(s.describe(0).count).toBe(n);
  });

  it("refuses rows out of order (the sample would depend on it)", () => {
    const s = new Summarizer(1, planQuantiles(10, 1, 5, 0));
    s.pushRow(0, [1], 0);
    expect(() => s.pushRow(2, [1], 0)).toThrow(/rows must arrive in order \(expected 1, got 2\)/);
  });
});

describe("what-if over every row rides along the derivative pass", () => {
  const f = nonlinearPricingModel(3, 5, 2);
  const N = 90;
  const data = {
    price: random.uniform([N], { seed: 1, low: 20, high: 80 }),
    features: random.normal([N, 3], { seed: 2 }),
  };
  const whatif: Scenario[] = [
    { name: "price +2%", shock: { price: { relative: 0.02 } } },
    { name: "f1 +0.3", shock: { features: { index: 1, absolute: 0.3 } } },
  ];
  const base: AnalyzeOptions = {
    whatif,
    keepPerSample: 5,
    attributionSamples: 0,
    verifySamples: 0,
    dgsm: false,
    batchSize: 16,
  };
  const everyRow = Array.from({ length: N }, (_, i) => i);

  it.each([
    ["with Hessians (finance)", { finance: { price: "price" } }],
    ["without Hessians", { secondOrder: false }],
  ] as const)("gives the numbers of a separate pass %s", (_name, extra) => {
    const inPass = analyze(f, data, { ...base, ...extra }).whatif!;
    const separate = analyze(f, data, { ...base, ...extra, whatifSamples: everyRow }).whatif!;
    expect(inPass.rows).toBe(N);
    expect(inPass.scenarios.map((s) => s.perSample!.rows)).toEqual(
      separate.scenarios.map((s) => s.perSample!.rows),
    );
    const flat = (x: unknown): number[] =>
      typeof x === "number" ? [x] : x !== null && typeof x === "object" ? Object.values(x).flatMap(flat) : [];
    const a = flat(inPass);
    const b = flat(separate);
    expect(a.length).toBe(b.length);
    // ½ΔᵀHΔ from the Hessian or from a JVP of a JVP: equal up to rounding.
    a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]))));
    if (!("finance" in extra)) expect(inPass).toEqual(separate);
  });
});
