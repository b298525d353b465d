/**
 * Checks the autodiff derivatives against central finite differences in float64 on a few rows:
 *   ∂y_k/∂x_j ≈ (y_k(x + h e_j) − y_k(x − h e_j)) / (2h),  h_j = ∛ε · max(|x_j|, scale_j)
 * with ε the float64 machine epsilon and scale_j the RMS of feature j over the data (1 if zero):
 * the step that balances truncation error O(h²) against rounding error O(ε/h), leaving an error of
 * about ε^(2/3) ≈ 4e-11 relative to the derivative's natural scale (Nocedal & Wright, §8.1). The
 * step is made exactly representable by dividing by (x + h) − (x − h) as computed. An error is
 * measured relative to |∂y_k/∂x_j| + |y_k|/max(|x_j|, scale_j), so a derivative that is zero
 * where the output is large is judged on the output's scale; a pair passes when that relative
 * error is ≤ rtol (default 1e-6, far above FD noise and far below any real derivative bug).
 * With `secondOrder`, Hessians are checked the same way against central differences of the
 * gradients.
 */
import { ValueError } from "../../core/errors.js";
import { createContext, type CommonOptions, type Context } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { featureMoments, type FeatureMoments } from "../engine/features.js";
import { jnum } from "../result/json.js";
import { pointsFromRows, withFeatures } from "../engine/prepare.js";
import { resolveRows, subSeed } from "../stats/sampling.js";
import type { VerificationBlock, VerificationSection } from "../result/schema.js";
import type { Target } from "../engine/target.js";

/**
 * Options of the finite-difference check.
 *
 * @example
 * verifyDerivatives(model, data, { rows: 50, rtol: 1e-8, secondOrder: true });
 */
export interface VerifyOptions {
  /** Pass threshold on the relative error. Default 1e-6. */
  rtol?: number;
  /** Also check Hessians against differences of gradients. Default false. */
  secondOrder?: boolean;
}

export const DEFAULT_VERIFY_RTOL = 1e-6;
const CBRT_EPS = Math.cbrt(Number.EPSILON);

/** Largest errors per feature, accumulated over rows and outputs. */
class ErrorTable {
  readonly abs: Float64Array;
  readonly rel: Float64Array;
  readonly step: Float64Array;
  constructor(d: number) {
    this.abs = new Float64Array(d);
    this.rel = new Float64Array(d);
    this.step = new Float64Array(d);
  }
  record(j: number, approx: number, exact: number, scale: number): void {
    const abs = Math.abs(approx - exact);
    const denom = Math.abs(exact) + scale;
    const rel = denom > 0 ? abs / denom : abs === 0 ? 0 : Infinity;
    // NaN compares false: keep it visible by storing it (a NaN error fails the check).
    if (!(abs <= this.abs[j])) this.abs[j] = abs;
    if (!(rel <= this.rel[j])) this.rel[j] = rel;
  }
}

function block(ctx: Context, t: ErrorTable, rtol: number): VerificationBlock {
  const { inputs } = ctx.prep;
  const ok = (rel: number) => rel <= rtol;
  const perFeature = inputs.features.map((f, j) => ({
    feature: f.name,
    featureIndex: j,
    input: f.input,
    maxStep: jnum(t.step[j]),
    maxAbsError: jnum(t.abs[j]),
    maxRelError: jnum(t.rel[j]),
    passed: ok(t.rel[j]),
  }));
  const perInput = inputs.items
    .filter((i) => i.differentiated)
    .map((item) => {
      const js = perFeature.filter((f) => f.input === item.name).map((f) => f.featureIndex);
      const maxOf = (a: Float64Array) => js.reduce((m, j) => (a[j] > m || Number.isNaN(a[j]) ? a[j] : m), 0);
      return {
        input: item.name,
        maxAbsError: jnum(maxOf(t.abs)),
        maxRelError: jnum(maxOf(t.rel)),
        passed: js.every((j) => ok(t.rel[j])),
      };
    });
  return { passed: perFeature.every((f) => f.passed), perInput, perFeature };
}

/** Finite-difference verification of the given rows. */
export function verifyCore(
  ctx: Context,
  rows: number[],
  moments: FeatureMoments,
  opts: VerifyOptions = {},
): VerificationSection {
  const { prep, engine } = ctx;
  const { d, k } = prep;
  const rtol = opts.rtol ?? DEFAULT_VERIFY_RTOL;
  if (!(rtol > 0)) throw new ValueError(`verifyDerivatives: rtol must be > 0, got ${rtol}`);
  const S = rows.length;
  const xs = pointsFromRows(prep, rows);
  const { values: y, jac } = engine.valuesAndJacobian(xs);
  const hess = opts.secondOrder ? engine.hessian(xs) : null;
  const scale = moments.rms.map((r) => (r > 0 && Number.isFinite(r) ? r : 1));

  // Points x ± h e_j for every (row, feature): 2·S·D of them, in the order (s, j, ±).
  const z = new Float64Array(2 * S * d * d);
  const denom = new Float64Array(S * d);
  const source: number[] = [];
  for (let s = 0; s < S; s++)
    for (let j = 0; j < d; j++) {
      const x = xs.z[s * d + j];
      const h = CBRT_EPS * Math.max(Math.abs(x), scale[j]);
      const xp = x + h;
      const xm = x - h;
      denom[s * d + j] = xp - xm;
      for (const [sign, v] of [
        [0, xp],
        [1, xm],
      ] as const) {
        const p = (s * d + j) * 2 + sign;
        z.set(xs.z.subarray(s * d, (s + 1) * d), p * d);
        z[p * d + j] = v;
        source.push(s);
      }
    }
  const shifted = withFeatures(xs, z, source, d);
  ctx.progress("verification", 0, S);
  const fy = engine.values(shifted);
  const fj = hess ? engine.jacobian(shifted) : null;

  const g = new ErrorTable(d);
  const h2 = hess ? new ErrorTable(d) : null;
  for (let s = 0; s < S; s++)
    for (let j = 0; j < d; j++) {
      const den = denom[s * d + j];
      const xScale = Math.max(Math.abs(xs.z[s * d + j]), scale[j]);
      const p = (s * d + j) * 2;
      g.step[j] = Math.max(g.step[j], den / 2);
      for (let kk = 0; kk < k; kk++) {
        const fd = (fy[p * k + kk] - fy[(p + 1) * k + kk]) / den;
        g.record(j, fd, jac[(s * k + kk) * d + j], Math.abs(y[s * k + kk]) / xScale);
        if (h2 && hess && fj) {
          h2.step[j] = g.step[j];
          for (let i = 0; i < d; i++) {
            const fdh = (fj[(p * k + kk) * d + i] - fj[((p + 1) * k + kk) * d + i]) / den;
            const exact = hess[((s * k + kk) * d + i) * d + j];
            h2.record(j, fdh, exact, Math.abs(jac[(s * k + kk) * d + i]) / xScale);
          }
        }
      }
    }
  ctx.progress("verification", S, S);
  const gradients = block(ctx, g, rtol);
  const hessians = h2 ? block(ctx, h2, rtol) : null;
  return { rows, rtol, passed: gradients.passed && (hessians?.passed ?? true), gradients, hessians };
}

/**
 * Compares autodiff derivatives with central finite differences on some rows (default 10, drawn
 * at random with the seed) and reports the largest errors per input and per feature.
 *
 * @example
 * const v = verifyDerivatives(model, { price, features }, { rows: 20, secondOrder: true });
 * v.passed; // true when every relative error ≤ v.rtol
 * v.gradients.perInput; // [{ input: "price", maxAbsError, maxRelError, passed }, …]
 */
export function verifyDerivatives(
  target: Target,
  data: InputData,
  opts: VerifyOptions & CommonOptions & { rows?: readonly number[] | number; seed?: number } = {},
): VerificationSection {
  const ctx = createContext(target, data, opts);
  const rows = resolveRows(opts.rows, ctx.prep.n, 10, subSeed(opts.seed ?? 0, "verify"), "rows");
  return verifyCore(ctx, rows, featureMoments(ctx.prep), opts);
}
