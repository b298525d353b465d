import { describe, expect, it } from "vitest";
import { random, ValueError } from "../src/index.js";
import {
  analyze,
  expectedGradients,
  integratedGradients,
  perSampleDerivatives,
  smoothGrad,
} from "../src/sensitivity/index.js";
import { linearModel, mlp } from "./helpers/sensitivityModels.js";

const D = 5;
const f = mlp(D, 16);
const x = random.normal([300, D], { seed: 4, std: 1.5 });
const rows = [3, 50, 101, 200, 299];

describe("Integrated Gradients on a nonlinear MLP", () => {
  it("meets the completeness tolerance adaptively, and Gauss–Legendre needs far fewer evaluations", () => {
    const tol = 1e-4; // outputs differ from the baseline's by 0.5 … 7
    const common = {
      rows,
      adaptive: true,
      maxSteps: 1024,
      steps: 4,
      tolerance: tol,
      baseline: "zeros",
    } as const;
    const gl = integratedGradients(f, { x }, { ...common, method: "gauss-legendre" });
    const trap = integratedGradients(f, { x }, { ...common, method: "trapezoid" });
    const left = integratedGradients(f, { x }, { ...common, method: "riemann-left" });
    for (const r of [gl, trap]) {
      expect(r.converged).toBe(true);
      r.completenessDelta.forEach((d) => expect(Math.abs(d[0]!)).toBeLessThanOrEqual(tol));
      expect(r.maxAbsCompletenessDelta!).toBeLessThanOrEqual(tol);
    }
    expect(Math.max(...gl.stepsUsed)).toBeLessThanOrEqual(64);
    expect(trap.gradientEvaluations).toBeGreaterThanOrEqual(8 * gl.gradientEvaluations);
    // First-order Riemann sums cannot reach the tolerance within 1024 steps: flagged, with a reason.
    expect(left.converged).toBe(false);
    expect(left.trustworthy.flat().some((t) => !t)).toBe(true);
    expect(left.reason).toMatch(/completeness tolerance/);
    expect(left.stepsUsed.every((s) => s <= 1024)).toBe(true);
    // The converged attributions agree.
    gl.attributions.forEach((a, s) =>
      a[0].forEach((v, j) => expect(v!).toBeCloseTo(trap.attributions[s][0][j]!, 3)),
    );
    // Every point of each sample's final composite rule was evaluated, plus the discarded attempts.
    expect(gl.gradientEvaluations).toBeGreaterThanOrEqual(gl.stepsUsed.reduce((acc, m) => acc + m, 0));
    expect(gl.tolerance).toBe(tol);
  });

  it("fails to converge without adaptivity and reports it", () => {
    const r = integratedGradients(f, { x }, { rows, method: "riemann-left", steps: 4, adaptive: false });
    expect(r.stepsUsed).toEqual([4, 4, 4, 4, 4]);
    expect(r.converged).toBe(false);
    expect(r.maxAbsCompletenessDelta!).toBeGreaterThan(r.tolerance!);
  });

  it("uses mean and per-input baselines", () => {
    const lin = linearModel([1, 2, 3, 4, 5], 0);
    const X = x.toArray() as number[][];
    const mean = [0, 1, 2, 3, 4].map((j) => X.reduce((s, row) => s + row[j], 0) / X.length);
    const r = integratedGradients(
      lin,
      { x },
      { rows: [7], baseline: "mean", method: "riemann-mid", steps: 3 },
    );
    r.attributions[0][0].forEach((a, j) => expect(a).toBeCloseTo((j + 1) * (X[7][j] - mean[j]), 12));
    expect(r.baseline.kind).toBe("mean");
    const v = integratedGradients(lin, { x }, { rows: [7], baseline: { x: [1, 1, 1, 1, 1] } });
    v.attributions[0][0].forEach((a, j) => expect(a).toBeCloseTo((j + 1) * (X[7][j] - 1), 12));
    expect(() => integratedGradients(lin, { x }, { baseline: { x: [1, 2] } })).toThrow(/baseline.x must be/);
    expect(() => integratedGradients(lin, { x }, { baseline: { y: 1 } })).toThrow(ValueError);
  });
});

describe("SmoothGrad and expected gradients", () => {
  it("SmoothGrad with zero noise is the gradient, and is reproducible from its seed", () => {
    const grads = perSampleDerivatives(f, { x }).perSample.gradients;
    const sg0 = smoothGrad(f, { x }, { rows, noiseLevel: 0, samples: 3 });
    sg0.gradients.forEach((g, s) => g[0].forEach((v, j) => expect(v).toBeCloseTo(grads[rows[s]][0][j]!, 13)));
    const a = smoothGrad(f, { x }, { rows, noiseLevel: 0.3, samples: 20, seed: 9 });
    const b = smoothGrad(f, { x }, { rows, noiseLevel: 0.3, samples: 20, seed: 9, batchSize: 7 });
    const c = smoothGrad(f, { x }, { rows, noiseLevel: 0.3, samples: 20, seed: 10 });
    expect(a.gradients).toEqual(b.gradients);
    expect(a.gradients).not.toEqual(c.gradients);
    expect(a.noiseStd.every((s) => Math.abs(s! - 0.3 * 1.5) < 0.1)).toBe(true);
  });

  it("SmoothGrad of x ↦ relu(x) averages the step: Φ(x/σ)", () => {
    const relu = ({ x: v }: Record<string, import("../src/index.js").Tensor>) => v.relu().reshape([-1]);
    const data = random.normal([2000, 1], { seed: 2 });
    const std = Math.sqrt((data.data() as Float64Array).reduce((s, v) => s + v * v, 0) / 2000);
    const r = smoothGrad(relu, { x: data }, { rows: [0, 1, 2], noiseLevel: 0.5, samples: 4000, seed: 1 });
    const X = data.toArray() as number[][];
    const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    r.gradients.forEach((g, s) => expect(g[0][0]!).toBeCloseTo(phi(X[r.rows[s]][0] / (0.5 * std)), 1));
  });

  it("expected gradients of a linear model are w_j·(x_j − mean drawn baseline) with zero completeness gap", () => {
    const w = [1, -2, 0.5, 0, 3];
    const lin = linearModel(w, 0.1);
    const r = expectedGradients(lin, { x }, { rows: [0, 5], samples: 64, seed: 2 });
    r.completenessDelta.forEach((d) => expect(Math.abs(d[0]!)).toBeLessThan(1e-12));
    expect(r.attributions[0][0][3]).toBe(0);
    // With many draws the baseline mean approaches the data mean.
    const big = expectedGradients(lin, { x }, { rows: [0], samples: 20000, seed: 2 });
    const X = x.toArray() as number[][];
    const mean = w.map((_, j) => X.reduce((s, row) => s + row[j], 0) / X.length);
    big.attributions[0][0].forEach((a, j) => expect(a!).toBeCloseTo(w[j] * (X[0][j] - mean[j]), 1));
  });

  it("analyze explains the requested rows with every method", () => {
    const r = analyze(
      f,
      { x },
      { attributionSamples: [1, 2], verifySamples: 0, dgsm: false, smoothGrad: { samples: 5 } },
    );
    const at = r.attribution!;
    expect(at.rows).toEqual([1, 2]);
    expect(at.inputXGradient.attributions).toHaveLength(2);
    expect(at.integratedGradients!.converged).toBe(true);
    expect(at.smoothGrad!.samples).toBe(5);
    expect(at.expectedGradients!.samples).toBe(200);
    const none = analyze(f, { x }, { attributionSamples: 0, verifySamples: 0, dgsm: false });
    expect(none.attribution).toBeNull();
  });
});

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for a 1-decimal check. */
function erf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return z >= 0 ? y : -y;
}
