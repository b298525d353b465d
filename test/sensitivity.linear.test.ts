import { describe, expect, it } from "vitest";
import { random } from "../src/index.js";
import {
  analyze,
  dgsm,
  integratedGradients,
  inputXGradient,
  perSampleDerivatives,
  taylorWhatIf,
  type QuadratureMethod,
} from "../src/sensitivity/index.js";
import { linearModel } from "./helpers/sensitivityModels.js";

const w = [2, -3, 0.5, 1.5];
const b = 0.25;
const f = linearModel(w, b);
const N = 200;
const x = random.uniform([N, 4], { seed: 21, low: -2, high: 3 });
const X = x.toArray() as number[][];
const yOf = (row: number[]) => row.reduce((s, v, j) => s + v * w[j], b);

describe("linear model y = w·x + b", () => {
  it("has per-sample gradients w and summary statistics of a constant", () => {
    const r = analyze(f, { x }, { attributionSamples: 0, verifySamples: 0, bootstrap: 0 });
    expect(r.inputs.features.map((q) => q.name)).toEqual(["x[0]", "x[1]", "x[2]", "x[3]"]);
    expect(r.outputs.components.map((c) => c.name)).toEqual(["output"]);
    r.summary.gradients.forEach((cell, j) => {
      expect(cell.stats.mean).toBeCloseTo(w[j], 14);
      expect(cell.stats.min).toBe(w[j]);
      expect(cell.stats.max).toBe(w[j]);
      expect(cell.stats.std).toBeLessThan(1e-14);
      expect(cell.stats.quantiles).toEqual([w[j], w[j], w[j], w[j], w[j]]);
      expect(cell.stats.positiveShare).toBe(w[j] > 0 ? 1 : 0);
      expect(cell.stats.count).toBe(N);
    });
    expect(r.summary.ranking[0].byMeanAbs.map((q) => q.featureIndex)).toEqual([1, 0, 3, 2]);
  });

  it.each<QuadratureMethod>(["riemann-left", "riemann-mid", "trapezoid", "gauss-legendre"])(
    "Integrated Gradients from a zero baseline equal Input×Gradient (%s)",
    (method) => {
      const ig = integratedGradients(
        f,
        { x },
        { method, steps: 5, adaptive: false, rows: [0, 7, 99], baseline: "zeros" },
      );
      const ixg = inputXGradient(f, { x }, { rows: [0, 7, 99] });
      ig.rows.forEach((row, s) => {
        X[row].forEach((xv, j) => {
          expect(ig.attributions[s][0][j]).toBeCloseTo(w[j] * xv, 12);
          expect(ixg.attributions[s][0][j]).toBeCloseTo(w[j] * xv, 13);
        });
        expect(Math.abs(ig.completenessDelta[s][0]!)).toBeLessThan(1e-12);
        expect(ig.output[s][0]).toBeCloseTo(yOf(X[row]), 13);
        expect(ig.baselineOutput[s][0]).toBeCloseTo(b, 14);
      });
      expect(ig.stepsUsed).toEqual([5, 5, 5]);
    },
  );

  it("has DGSM ν_j = w_j² and the uniform bound (b−a)²/π²·ν/Var(y)", () => {
    const r = dgsm(f, { x }, { bootstrap: 50, seed: 3 });
    const ys = X.map(yOf);
    const mean = ys.reduce((a, v) => a + v, 0) / N;
    const variance = ys.reduce((a, v) => a + (v - mean) ** 2, 0) / N;
    expect(r.outputVariance[0].variance).toBeCloseTo(variance, 10);
    r.entries.forEach((e, j) => {
      expect(e.nu).toBeCloseTo(w[j] ** 2, 13);
      expect(e.share).toBeCloseTo(w[j] ** 2 / w.reduce((s, v) => s + v * v, 0), 13);
      const col = X.map((row) => row[j]);
      const range = Math.max(...col) - Math.min(...col);
      expect(e.sobolTotalUpperBound).toBeCloseTo((range ** 2 / Math.PI ** 2) * (w[j] ** 2 / variance), 10);
      // ν is the same in every replicate, so its interval collapses onto it.
      expect(e.nuInterval![0]).toBeCloseTo(w[j] ** 2, 12);
      expect(e.nuInterval![1]).toBeCloseTo(w[j] ** 2, 12);
    });
  });

  it("has elasticities w_j·x_j/y, excluding samples where y or x_j is (near) zero", () => {
    // Row 0 has y = 0 exactly; row 1 has x_2 = 0 exactly.
    // 2·0.5 − 3·0.5 + 0.5·0.5 + 1.5·x3 + 0.25 = 0 at x3 = 0.
    const rows = [[0.5, 0.5, 0.5, 0], [1, 1, 0, 1], ...X.slice(2)];
    expect(yOf(rows[0])).toBe(0);
    const r = analyze(
      f,
      { x: rows },
      { keepPerSample: 5, attributionSamples: 0, verifySamples: 0, dgsm: false },
    );
    const el = r.perSample!.elasticities!;
    expect(el[0][0]).toEqual([null, null, null, null]);
    expect(el[1][0][2]).toBeNull();
    for (let i = 1; i < 5; i++)
      rows[i].forEach((xv, j) => {
        if (i === 1 && j === 2) return;
        expect(el[i][0][j]).toBeCloseTo((w[j] * xv) / yOf(rows[i]), 10);
      });
    const entries = r.summary.elasticities!.entries;
    expect(entries[2].stats.excluded).toBe(2);
    expect(entries[0].stats.excluded).toBe(1);
    expect(entries[0].stats.count).toBe(N - 1);
    expect(r.summary.elasticities!.outputTolerance).toBe(1e-6);
  });

  it("excludes elasticities where y is negligible next to Σ|∂y/∂x_j·x_j|, per the relative tolerance", () => {
    // y = 1e-9 while Σ_j |w_j x_j| = 6.5: the elasticities would sum to ~6.5e9 in absolute value.
    const row = [1, 1, 1, 0];
    row[3] = (1e-9 - (2 - 3 + 0.5 + b)) / 1.5;
    const opts = { keepPerSample: 1, attributionSamples: 0, verifySamples: 0, dgsm: false } as const;
    const strict = analyze(f, { x: [row, ...X] }, opts);
    expect(strict.perSample!.elasticities![0][0]).toEqual([null, null, null, null]);
    const loose = analyze(f, { x: [row, ...X] }, { ...opts, elasticities: { outputTolerance: 1e-12 } });
    expect(loose.summary.elasticities!.outputTolerance).toBe(1e-12);
    loose.perSample!.elasticities![0][0].forEach((e, j) =>
      expect(e! / ((w[j] * row[j]) / yOf(row))).toBeCloseTo(1, 5),
    );
  });

  it("is predicted exactly by a first-order Taylor expansion", () => {
    const r = taylorWhatIf(
      f,
      { x },
      [
        { name: "x0 +10%", shock: { x: { index: 0, relative: 0.1 } } },
        { name: "all −0.7", shock: { x: { absolute: -0.7 } } },
      ],
      { keepPerSample: 3 },
    );
    expect(r.rows).toBe(N);
    for (const sc of r.scenarios) {
      const o = sc.outputs[0];
      expect(o.firstOrderError.maxAbs!).toBeLessThan(1e-12);
      expect(o.secondOrderError.maxAbs!).toBeLessThan(1e-12);
    }
    const meanX0 = X.reduce((s, row) => s + row[0], 0) / N;
    expect(r.scenarios[0].outputs[0].meanExactChange).toBeCloseTo(0.1 * w[0] * meanX0, 12);
    expect(r.scenarios[1].outputs[0].meanFirstOrderChange).toBeCloseTo(
      -0.7 * w.reduce((s, v) => s + v, 0),
      12,
    );
    const ps = r.scenarios[1].perSample!;
    expect(ps.exact[2][0]).toBeCloseTo(yOf(X[2].map((v) => v - 0.7)), 12);
    expect(ps.firstOrder[2][0]).toBeCloseTo(ps.exact[2][0]!, 12);
  });

  it("returns the gradients of every row from perSampleDerivatives", () => {
    const r = perSampleDerivatives(f, { x: X.slice(0, 3) });
    expect(r.perSample.gradients).toEqual([[w], [w], [w]]);
    expect(r.perSample.values.map((v) => v[0])).toEqual(
      X.slice(0, 3).map((row) => expect.closeTo(yOf(row), 13)),
    );
    expect(r.perSample.hessians).toBeNull();
  });
});
