import { ValueError } from "../../core/errors.js";

/**
 * Elasticities ε_kj = ∂y_k/∂x_j · x_j / y_k: the % change of output k per 1% change of feature j.
 * ε is undefined where y_k = 0 and meaningless where x_j = 0 (a percentage of nothing), and it is
 * dominated by rounding close to either. Such values are excluded — not clipped — and counted.
 * A sample's ε_kj is excluded when
 *   |y_k| ≤ outputTolerance · Σ_i |∂y_k/∂x_i · x_i|   (equivalently Σ_i |ε_ki| ≥ 1/outputTolerance:
 *                                                    y_k is negligible next to its own first-order
 *                                                    variation, so every ε_k· is blown up), or
 *   |x_j| ≤ inputTolerance · RMS(x_j) over the data.
 * The output criterion is per sample and scale-free, so it needs no pass over the data first.
 */

/** The exclusion thresholds: relative for outputs, absolute per feature for inputs. */
export interface ElasticityTolerances {
  outputRelative: number;
  input: Float64Array;
}

/**
 * Relative thresholds (see above); both default to 1e-6.
 *
 * @example
 * analyze(model, data, { elasticities: { outputTolerance: 1e-3, inputTolerance: 1e-4 } });
 */
export interface ElasticityOptions {
  outputTolerance?: number;
  inputTolerance?: number;
}

export const DEFAULT_ELASTICITY_TOLERANCE = 1e-6;

/** Thresholds from the options and the RMS of each feature over the data. */
export function elasticityTolerances(
  opts: ElasticityOptions,
  featureRms: Float64Array,
): ElasticityTolerances {
  const ty = opts.outputTolerance ?? DEFAULT_ELASTICITY_TOLERANCE;
  const tx = opts.inputTolerance ?? DEFAULT_ELASTICITY_TOLERANCE;
  if (!(ty >= 0) || !(tx >= 0))
    throw new ValueError(
      `elasticities: tolerances must be ≥ 0, got outputTolerance ${ty}, inputTolerance ${tx}`,
    );
  return { outputRelative: ty, input: featureRms.map((r) => tx * r) };
}

/**
 * Elasticities of one row into `out` [K × D]; `excluded[c]` is set to 1 where ε is excluded
 * (and `out[c]` to NaN), else 0.
 */
export function elasticitiesOfRow(
  jac: Float64Array,
  jacOff: number,
  y: Float64Array,
  yOff: number,
  x: Float64Array,
  xOff: number,
  k: number,
  d: number,
  tol: ElasticityTolerances,
  out: Float64Array,
  excluded: Uint8Array,
): void {
  for (let kk = 0; kk < k; kk++) {
    const yk = y[yOff + kk];
    let scale = 0;
    for (let j = 0; j < d; j++) scale += Math.abs(jac[jacOff + kk * d + j] * x[xOff + j]);
    const yOk = Math.abs(yk) > tol.outputRelative * scale;
    for (let j = 0; j < d; j++) {
      const c = kk * d + j;
      const xj = x[xOff + j];
      if (yOk && Math.abs(xj) > tol.input[j]) {
        out[c] = (jac[jacOff + c] * xj) / yk;
        excluded[c] = 0;
      } else {
        out[c] = NaN;
        excluded[c] = 1;
      }
    }
  }
}
