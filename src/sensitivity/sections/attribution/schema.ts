/**
 * JSON types of the attribution section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { JsonNumber } from "../../result/schemaBase.js";

/**
 * Input × gradient attributions of the explained samples.
 *
 * @example
 * const ixg: InputXGradientSection = result.attribution!.inputXGradient;
 * ixg.meanAbs[0]; // mean |x_j · ∂y_0/∂x_j| per feature j
 */
export interface InputXGradientSection {
  /** x_j · ∂y_k/∂x_j, [s][k][j]. */
  attributions: JsonNumber[][][];
  /** Mean |attribution| over the explained samples, [k][j]. */
  meanAbs: JsonNumber[][];
}

/**
 * Integrated gradients of the explained samples: the baseline, the path quadrature and its
 * completeness check.
 *
 * @example
 * const ig: IntegratedGradientsSection = result.attribution!.integratedGradients!;
 * ig.converged; ig.maxAbsCompletenessDelta; // attributions sum to f(x) − f(baseline) within tolerance?
 */
export interface IntegratedGradientsSection {
  baseline: { kind: "zeros" | "mean" | "values"; features: JsonNumber[] };
  method: "riemann-left" | "riemann-mid" | "trapezoid" | "gauss-legendre";
  /** Steps (or Gauss–Legendre points) of the first attempt. */
  steps: number;
  adaptive: boolean;
  maxSteps: number;
  /** Absolute completeness tolerance the adaptive mode aimed for (output units). */
  tolerance: JsonNumber;
  /** Every explained sample is trustworthy for every output (also reported when not adaptive). */
  converged: boolean;
  /**
   * [s][k]: the attributions of sample s for output k are finite and their completeness delta is
   * within the tolerance. Untrustworthy attributions stay in `attributions` (null where not
   * finite) for inspection, but must not be read as results.
   */
  trustworthy: boolean[][];
  /** Why some samples are untrustworthy and what to change (baseline, maxSteps); null when converged. */
  reason: string | null;
  /** Steps of each explained sample's final composite rule (pieces × steps), [s]; 0 when not integrated. */
  stepsUsed: number[];
  /** Gradient evaluations spent in total (all attempts). */
  gradientEvaluations: number;
  attributions: JsonNumber[][][];
  /** Σ_j IG_kj − (f_k(x) − f_k(baseline)), [s][k]. */
  completenessDelta: JsonNumber[][];
  maxAbsCompletenessDelta: JsonNumber;
  output: JsonNumber[][];
  baselineOutput: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

/**
 * SmoothGrad: gradients averaged over Gaussian noise around each explained sample.
 *
 * @example
 * const sg: SmoothGradSection = result.attribution!.smoothGrad!;
 * sg.gradients[0][0]; // E[∂y_0/∂x_j] near the first explained sample, per feature j
 */
export interface SmoothGradSection {
  noiseLevel: number;
  /** σ_j = noiseLevel · std(x_j), [j]. */
  noiseStd: JsonNumber[];
  samples: number;
  seed: number;
  /** E[∂y_k/∂x_j (x + noise)], [s][k][j]; null when a noisy copy's gradient was not finite. */
  gradients: JsonNumber[][][];
  meanAbs: JsonNumber[][];
  /** Noisy copies of each sample whose gradient was not finite (they make its average NaN), [s]. */
  nonFiniteSamples: number[];
}

/**
 * Expected gradients: attributions against baselines drawn from the data rows (Monte Carlo).
 *
 * @example
 * const eg: ExpectedGradientsSection = result.attribution!.expectedGradients!;
 * eg.attributions[0][0]; // φ_0j of the first explained sample, per feature j
 */
export interface ExpectedGradientsSection {
  samples: number;
  seed: number;
  /** Number of rows the background was drawn from. */
  backgroundRows: number;
  /** Draws per sample whose baseline output or path gradient was not finite (they make its estimate NaN), [s]. */
  nonFiniteDraws: number[];
  /** [s][k]: every draw was finite, so the estimate is a number (a Monte Carlo one: see completenessDelta). */
  finite: boolean[][];
  attributions: JsonNumber[][][];
  /** Σ_j φ_kj − (f_k(x) − mean of f_k over the drawn background rows), [s][k] (Monte Carlo). */
  completenessDelta: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

/**
 * Attributions of the explained rows (`attributionSamples`), one section per method; a method
 * turned off is null.
 *
 * @example
 * const attribution: AttributionSection = result.attribution!; // null with attributionSamples: 0
 * attribution.rows; attribution.integratedGradients?.attributions;
 */
export interface AttributionSection {
  /** Data row index of each explained sample. */
  rows: number[];
  inputXGradient: InputXGradientSection;
  integratedGradients: IntegratedGradientsSection | null;
  smoothGrad: SmoothGradSection | null;
  expectedGradients: ExpectedGradientsSection | null;
}
