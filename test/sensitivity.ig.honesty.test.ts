/**
 * Integrated Gradients never reports numbers it cannot stand behind: a baseline whose output is
 * not finite is refused before any integration, a sample whose output or path gradient is not
 * finite is flagged (not integrated for 1,024 steps), a sample that misses the completeness
 * tolerance within its budget is flagged with a reason that says what to change, and the
 * default baseline converges on tanh and ReLU models alike.
 */
import { describe, expect, it } from "vitest";
import { array, erf, exp, floor, log, random, sign, sqrt, ValueError, type Tensor } from "../src/index.js";
import { analyze, expectedGradients, integratedGradients, smoothGrad } from "../src/sensitivity/index.js";
import { mlp } from "./helpers/sensitivityModels.js";

type Inputs = Record<string, Tensor>;

/** Black–Scholes call price per row; log(S/K) makes y(0) NaN. */
function blackScholes({ S, K, T, sigma, r }: Inputs): Tensor {
  const sqrtT = sqrt(T);
  const d1 = log(S.div(K))
    .add(r.add(sigma.mul(sigma).mul(0.5)).mul(T))
    .div(sigma.mul(sqrtT));
  const d2 = d1.sub(sigma.mul(sqrtT));
  const N = (z: Tensor) => erf(z.mul(Math.SQRT1_2)).add(1).mul(0.5);
  return S.mul(N(d1)).sub(K.mul(exp(r.neg().mul(T))).mul(N(d2)));
}

function optionBook(n: number) {
  return {
    S: random.uniform([n], { seed: 1, low: 80, high: 120 }),
    K: random.uniform([n], { seed: 2, low: 90, high: 110 }),
    T: random.uniform([n], { seed: 3, low: 0.25, high: 2 }),
    sigma: random.uniform([n], { seed: 4, low: 0.1, high: 0.4 }),
    r: random.uniform([n], { seed: 5, low: 0.01, high: 0.05 }),
  };
}

/** A ReLU MLP with biases, [N, D] → [N]: piecewise linear, so the path gradient jumps at each kink. */
function reluMlp(d: number, hidden: number, seed = 3) {
  const W1 = random.normal([d, hidden], { seed, std: 1 });
  const b1 = random.normal([hidden], { seed: seed + 1, std: 0.5 });
  const W2 = random.normal([hidden, hidden], { seed: seed + 2, std: 1 / Math.sqrt(hidden) });
  const b2 = random.normal([hidden], { seed: seed + 3, std: 0.5 });
  const w3 = random.normal([hidden, 1], { seed: seed + 4, std: 0.3 });
  return ({ x }: Inputs) => x.matmul(W1).add(b1).relu().matmul(W2).add(b2).relu().matmul(w3).reshape([-1]);
}

describe("a baseline whose output is not finite is refused", () => {
  const x = random.uniform([20, 3], { seed: 1, low: 0.5, high: 2 });
  const logSum = ({ x: v }: Inputs) => log(v).sum({ axis: 1 });

  it("log(x) from the zeros baseline: y(x') = −∞ and the integral diverges — an error, not 5.44 per feature", () => {
    const call = () => integratedGradients(logSum, { x }, { rows: [0, 1], baseline: "zeros" });
    expect(call).toThrow(ValueError);
    expect(call).toThrow(/baseline \(zeros\)/);
    expect(call).toThrow(/-Infinity/);
    expect(call).toThrow(/baseline: "mean"/);
    // analyze refuses it before the long derivative pass.
    const stages: string[] = [];
    expect(() =>
      analyze(
        logSum,
        { x },
        {
          integratedGradients: { baseline: "zeros" },
          attributionSamples: [0],
          onProgress: (p) => stages.push(p.stage),
        },
      ),
    ).toThrow(/baseline \(zeros\)/);
    expect(stages).not.toContain("derivatives");
  });

  it("Black–Scholes from zeros is NaN at the baseline: the error names the output and the fix; the mean converges", () => {
    const book = optionBook(50);
    const call = () => integratedGradients(blackScholes, book, { rows: [0, 7], baseline: "zeros" });
    expect(call).toThrow(/output 'output' is NaN/);
    expect(call).toThrow(/baseline: "mean"/);
    const ig = integratedGradients(blackScholes, book, { rows: [0, 7], baseline: "mean" });
    expect(ig.converged).toBe(true);
    expect(ig.trustworthy).toEqual([[true], [true]]);
    expect(ig.reason).toBeNull();
    ig.completenessDelta.forEach((d) => expect(Math.abs(d[0]!)).toBeLessThanOrEqual(ig.tolerance!));
    ig.attributions.forEach((a, s) => {
      const total = a[0].reduce((acc: number, v) => acc + v!, 0);
      expect(total).toBeCloseTo(ig.output[s][0]! - ig.baselineOutput[s][0]!, 8);
    });
  });

  it("a given baseline with a non-finite value is refused naming the feature", () => {
    expect(() => integratedGradients(logSum, { x }, { rows: [0], baseline: { x: [1, NaN, 1] } })).toThrow(
      /baseline.*x\[1\].*NaN/,
    );
  });
});

describe("samples that cannot be integrated are flagged, not integrated to the cap", () => {
  it("a gradient that is not finite on the path stops the sample at once and nulls its attributions", () => {
    // y = sqrt(x²) = |x| from x' = −1 to x = 1: the trapezoid rule's node α = ½ is x = 0, where
    // d sqrt(u)/du = ∞ times du/dx = 0 gives NaN.
    const absViaSqrt = ({ x: v }: Inputs) => sqrt(v.mul(v)).reshape([-1]);
    const ig = integratedGradients(
      absViaSqrt,
      { x: array([[1], [3]]) },
      { rows: [0], baseline: { x: -1 }, method: "trapezoid", steps: 32 },
    );
    expect(ig.converged).toBe(false);
    expect(ig.trustworthy).toEqual([[false]]);
    expect(ig.attributions[0][0]).toEqual([null]);
    expect(ig.stepsUsed).toEqual([32]);
    expect(ig.gradientEvaluations).toBe(33);
    expect(ig.reason).toMatch(/row 0.*gradient is not finite/);
  });

  it("a jump of y itself on the path (gradient 0 everywhere) ends as not converged, without endless bisection", () => {
    // y = sign(x) from −1 to 1: y changes by 2, the gradient integrates to 0.
    const step = ({ x: v }: Inputs) => sign(v).reshape([-1]);
    const ig = integratedGradients(step, { x: array([[1], [2]]) }, { rows: [0], baseline: { x: -1 } });
    expect(ig.converged).toBe(false);
    expect(ig.attributions[0][0]).toEqual([0]);
    expect(ig.completenessDelta[0][0]).toBe(-2);
    expect(ig.gradientEvaluations).toBeLessThan(400);
    expect(ig.reason).toMatch(/completeness/);
    expect(ig.reason).toMatch(/jumps at α ≈ 0\.5\b/);
  });

  it("a row whose own output is not finite is flagged and skipped", () => {
    const data = {
      x: array([
        [1, 2],
        [-1, 2],
        [2, 3],
      ]),
    };
    const logSum = ({ x: v }: Inputs) => log(v).sum({ axis: 1 });
    const ig = integratedGradients(logSum, data, { rows: [0, 1, 2], baseline: { x: [1.5, 2.5] } });
    expect(ig.converged).toBe(false);
    expect(ig.trustworthy).toEqual([[true], [false], [true]]);
    expect(ig.attributions[1][0]).toEqual([null, null]);
    expect(ig.stepsUsed[1]).toBe(0);
    expect(ig.reason).toMatch(/row 1.*y\(x\) is not finite/);
    // The other rows are exact: log is separable, IG_j = log x_j − log x'_j.
    expect(ig.attributions[0][0][0]).toBeCloseTo(Math.log(1 / 1.5), 10);
    expect(ig.attributions[2][0][1]).toBeCloseTo(Math.log(3 / 2.5), 10);
    // The tolerance comes from the finite rows, not NaN.
    expect(ig.tolerance).not.toBeNull();
  });

  it("a sample out of budget is flagged, and the reason suggests the mean baseline or more steps", () => {
    const f = mlp(5, 16);
    const x = random.normal([100, 5], { seed: 4, std: 1.5 });
    const ig = integratedGradients(
      f,
      { x },
      { rows: [3, 50], baseline: "zeros", method: "riemann-left", steps: 4, maxSteps: 16 },
    );
    expect(ig.converged).toBe(false);
    expect(ig.trustworthy.flat()).toEqual([false, false]);
    expect(ig.reason).toMatch(/did not meet the completeness tolerance/);
    expect(ig.reason).toMatch(/baseline: "mean"/);
    expect(ig.reason).toMatch(/maxSteps/);
    // Attributions stay in the result (flagged), so they can be inspected.
    expect(ig.attributions[0][0].every((v) => v !== null)).toBe(true);
  });
});

describe("a jump in the output itself", () => {
  it("is reported as a discontinuity at an α, not as an exhausted budget", () => {
    const ig = integratedGradients(
      ({ x }) => floor(x.sum({ axis: 1, keepdims: true })),
      { x: random.normal([50, 4], { seed: 3 }) },
      { rows: 5 },
    );
    expect(ig.converged).toBe(false);
    // Bisection stops at the jump long before the budget (4,096 steps) is spent.
    expect(Math.max(...ig.stepsUsed)).toBeLessThan(ig.maxSteps);
    expect(ig.reason).toMatch(/jumps at α ≈ 0\.\d+/);
    expect(ig.reason).toMatch(
      /no number of steps can fix a jump in the output; IG assumes a continuous path/,
    );
    expect(ig.reason).not.toMatch(/raise maxSteps/);
    expect(ig.reason).not.toMatch(/within the budget/);
    // The default baseline is the mean already: no advice to switch to it.
    expect(ig.reason).not.toMatch(/baseline: "mean"/);
  });
});

describe("the default tolerance", () => {
  it("is floored at float64 rounding of the output, so a large offset with tiny sensitivities converges", () => {
    const x = random.normal([50, 4], { seed: 3 });
    const ig = integratedGradients(
      ({ x: v }) => v.sum({ axis: 1, keepdims: true }).mul(1e-12).add(1e6),
      { x },
      { rows: 5 },
    );
    // 1e-6 · max |y(x) − y(x')| alone would be ~1e-18, below the rounding of y ≈ 1e6 (ε·1e6 ≈ 2e-10).
    const floor = 64 * Number.EPSILON * 2e6;
    expect(ig.tolerance).toBeGreaterThanOrEqual(floor * 0.99);
    expect(ig.tolerance).toBeLessThan(floor * 1.01);
    expect(ig.converged).toBe(true);
    expect(ig.reason).toBeNull();
  });

  it("stays 1e-6 · max |y(x) − y(x')| when that is above rounding", () => {
    const f = mlp(5, 16);
    const x = random.normal([100, 5], { seed: 4, std: 1.5 });
    const ig = integratedGradients(f, { x }, { rows: [0, 1, 2] });
    let maxDiff = 0;
    ig.output.forEach((row, s) =>
      row.forEach((y, kk) => (maxDiff = Math.max(maxDiff, Math.abs(y! - ig.baselineOutput[s][kk]!)))),
    );
    expect(ig.tolerance).toBe(1e-6 * maxDiff);
  });
});

describe("the default baseline", () => {
  it("is the data mean", () => {
    const f = mlp(5, 16);
    const x = random.normal([100, 5], { seed: 4, std: 1.5 });
    expect(integratedGradients(f, { x }, { rows: [0] }).baseline.kind).toBe("mean");
  });

  it("converges on a ReLU MLP with biases, where it used to stop at 1,024 steps with |δ| ≈ 1e-3", () => {
    const f = reluMlp(5, 32);
    const x = random.normal([200, 5], { seed: 6, std: 1.5 });
    const rows = [0, 1, 2, 3, 4, 5, 6, 7];
    const ig = integratedGradients(f, { x }, { rows });
    expect(ig.baseline.kind).toBe("mean");
    expect(ig.converged).toBe(true);
    expect(ig.maxAbsCompletenessDelta!).toBeLessThanOrEqual(ig.tolerance!);
    // The zeros baseline converges too now (the kinks are bisected, not averaged over).
    const zeros = integratedGradients(f, { x }, { rows, baseline: "zeros" });
    expect(zeros.converged).toBe(true);
  });
});

describe("expected gradients and SmoothGrad count what is not finite", () => {
  const logSum = ({ x: v }: Inputs) => log(v).sum({ axis: 1 });

  it("expected gradients: a background row where the target is NaN makes the estimate NaN, counted and flagged", () => {
    const data = {
      x: array([
        [1, 2],
        [2, 1],
        [1.5, 1.5],
        [-1, 1],
      ]),
    };
    const eg = expectedGradients(logSum, data, { rows: [0], samples: 40, seed: 1 });
    expect(eg.nonFiniteDraws[0]).toBeGreaterThan(0);
    expect(eg.finite).toEqual([[false]]);
    expect(eg.attributions[0][0].some((v) => v === null)).toBe(true);
    const clean = expectedGradients(logSum, data, { rows: [0], samples: 40, seed: 1, background: [0, 1, 2] });
    expect(clean.nonFiniteDraws).toEqual([0]);
    expect(clean.finite).toEqual([[true]]);
  });

  it("SmoothGrad: noisy copies outside the target's domain are counted, and the average is not a number", () => {
    const sqrtSum = ({ x: v }: Inputs) => sqrt(v).sum({ axis: 1 });
    const data = { x: array([[0.05], [3], [5]]) };
    const sg = smoothGrad(sqrtSum, data, { rows: [0, 2], noiseLevel: 0.5, samples: 50, seed: 2 });
    expect(sg.nonFiniteSamples[0]).toBeGreaterThan(0);
    expect(sg.gradients[0][0][0]).toBeNull();
    expect(sg.nonFiniteSamples[1]).toBe(0);
    expect(sg.gradients[1][0][0]).toBeCloseTo(0.5 / Math.sqrt(5), 1);
  });
});
