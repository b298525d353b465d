/**
 * Integrated Hessians (Janizek, Sturmfels & Lee 2021, "Explaining Explanations: Axiomatic Feature
 * Interactions for Deep Networks", JMLR 22): Integrated Gradients applied to itself. For a
 * baseline x', Δ = x − x' and z(t) = x' + tΔ,
 *   Γ_ij = Δ_i Δ_j ∫₀¹∫₀¹ αβ · ∂²y/∂x_i∂x_j (z(αβ)) dα dβ                         (i ≠ j)
 *   Γ_ii = Δ_i ∫₀¹∫₀¹ ∂y/∂x_i (z(αβ)) dα dβ + Δ_i² ∫₀¹∫₀¹ αβ · ∂²y/∂x_i² (z(αβ)) dα dβ
 * with exact per-sample Hessians and gradients. Completeness (their Theorem 1): the integrand of
 * Σ_j Γ_ij in α is Δ_i ∂/∂α[α ∂y/∂x_i(z(αβ))], so Σ_j Γ_ij = IG_i and Σ_ij Γ_ij = y(x) − y(x').
 * Both are checked, like IG's δ: Σ_ij Γ_ij − (y(x) − y(x')) against the exact end values, and
 * Σ_j Γ_ij − IG_i against Integrated Gradients of the same rows and baseline.
 *
 * The double integral is a tensor-product Gauss–Legendre rule in (α, β) (quadrature.ts), doubled
 * per sample until both checks hold to the tolerance. The integrand depends on αβ only, so the
 * rule's points (a, b) and (b, a) coincide and are evaluated once. A smooth target converges
 * spectrally; an error that does not shrink when the points double means the Hessian misses part
 * of the second derivative — piecewise-linear activations (ReLU) have a zero Hessian almost
 * everywhere and point masses at their kinks, which Janizek et al. handle by replacing ReLU with
 * softplus — and is reported as such rather than integrated to the budget.
 */
import { ValueError } from "../../../core/errors.js";
import {
  standaloneRows,
  explained,
  type AttributionRowsOptions,
  type Explained,
} from "../attributionCommon.js";
import { createContext, type Context } from "../../engine/context.js";
import type { InputData } from "../../engine/data.js";
import { featureMoments, type FeatureMoments } from "../../engine/features.js";
import {
  integratedGradientsCore,
  resolveBaseline,
  type BaselineOption,
  type IntegratedGradientsOptions,
} from "../integratedGradients.js";
import { jcube, jmat, jnum, jquad, jvec } from "../../result/json.js";
import { pointsFromRows, withFeatures } from "../../engine/prepare.js";
import { pathQuadrature } from "../../stats/quadrature.js";
import { subSeed } from "../../stats/sampling.js";
import type { IntegratedHessiansSection } from "../../sections/interactions/schema.js";
import type { IntegratedGradientsSection } from "../../result/schema.js";
import type { Target } from "../../engine/target.js";

/**
 * Options of Integrated Hessians.
 *
 * @example
 * integratedHessians(model, data, { rows: [0, 3], points: 12, maxPoints: 48, baseline: "zeros" });
 */
export interface IntegratedHessiansOptions {
  /** The baseline x' (as Integrated Gradients'); default "mean". */
  baseline?: BaselineOption;
  /** Gauss–Legendre points per axis of the first attempt. Default 8. */
  points?: number;
  /** Cap on the points per axis (the rule is doubled up to it). Default 64. */
  maxPoints?: number;
  /** Absolute completeness tolerance; default Integrated Gradients' (relative to max |y(x) − y(x')|). */
  tolerance?: number;
  /** Options of the Integrated Gradients the per-feature sums are checked against (its baseline is `baseline`). */
  integratedGradients?: Omit<IntegratedGradientsOptions, "baseline">;
}

/**
 * Fills in defaults and checks the options (cheap; `analyze` calls it before the pass).
 *
 * @example
 * resolveIntegratedHessiansOptions({ points: 4 }); // { points: 4, maxPoints: 64, tolerance: undefined }
 */
export function resolveIntegratedHessiansOptions(opts: IntegratedHessiansOptions) {
  const points = opts.points ?? 8;
  const maxPoints = opts.maxPoints ?? 64;
  if (!Number.isInteger(points) || points < 1 || !Number.isInteger(maxPoints) || maxPoints < points)
    throw new ValueError(
      `integratedHessians: points (${points}) and maxPoints (${maxPoints}) must be integers with 1 ≤ points ≤ maxPoints`,
    );
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0))
    throw new ValueError(`integratedHessians: tolerance must be ≥ 0, got ${opts.tolerance}`);
  return { points, maxPoints, tolerance: opts.tolerance };
}

/** How a sample ended. */
type Status = "converged" | "budget" | "stalled" | "nonfinite" | "skipped" | "ig";

/** Γ [K × D × D] of one sample with an m-point rule per axis, or null if a derivative was not finite. */
function gammaOf(
  ctx: Context,
  like: ReturnType<typeof pointsFromRows>,
  s: number,
  base: Float64Array,
  dx: Float64Array,
  m: number,
): Float64Array | null {
  const { k, d } = ctx.prep;
  const { nodes, weights } = pathQuadrature("gauss-legendre", m);
  // (a, b) with a ≤ b: t = u_a·u_b, weight w_a·w_b, doubled off the diagonal of the rule.
  const ts: number[] = [];
  const ws: number[] = [];
  for (let a = 0; a < m; a++)
    for (let b = a; b < m; b++) {
      ts.push(nodes[a] * nodes[b]);
      ws.push(weights[a] * weights[b] * (a === b ? 1 : 2));
    }
  const gamma = new Float64Array(k * d * d);
  const batch = Math.max(1, Math.floor(ctx.engine.batchSize));
  for (let start = 0; start < ts.length; start += batch) {
    const end = Math.min(ts.length, start + batch);
    const z = new Float64Array((end - start) * d);
    for (let p = start; p < end; p++)
      for (let j = 0; j < d; j++) z[(p - start) * d + j] = base[j] + ts[p] * dx[j];
    const pts = withFeatures(like, z, new Array<number>(end - start).fill(s), d);
    const hess = ctx.engine.hessian(pts);
    const jac = ctx.engine.jacobian(pts);
    for (let p = start; p < end; p++) {
      const q = p - start;
      const w = ws[p];
      const wt = w * ts[p];
      for (let kk = 0; kk < k; kk++) {
        const h = (q * k + kk) * d * d;
        const g = (q * k + kk) * d;
        const o = kk * d * d;
        for (let i = 0; i < d; i++) {
          const gi = jac[g + i];
          if (!Number.isFinite(gi)) return null;
          gamma[o + i * d + i] += w * gi * dx[i];
          for (let j = 0; j < d; j++) {
            // The AD Hessian's two triangles averaged, so Γ is symmetric to the bit.
            const hij = 0.5 * (hess[h + i * d + j] + hess[h + j * d + i]);
            if (!Number.isFinite(hij)) return null;
            gamma[o + i * d + j] += wt * hij * dx[i] * dx[j];
          }
        }
      }
    }
  }
  return gamma;
}

/**
 * Integrated Hessians of the given rows (see the module comment). `precomputedIg`, when given, is
 * the Integrated Gradients of exactly these rows with this baseline and `integratedGradients`
 * options (analyze passes the attribution section's); the caller vouches for the match, and
 * without it they are computed here.
 *
 * @example
 * const section = integratedHessiansCore(ctx, [0, 5], featureMoments(ctx.prep), { baseline: "zeros" });
 */
export function integratedHessiansCore(
  ctx: Context,
  rows: number[],
  moments: FeatureMoments,
  options: IntegratedHessiansOptions = {},
  precomputedIg?: IntegratedGradientsSection,
): IntegratedHessiansSection {
  const { prep } = ctx;
  const { d, k } = prep;
  const o = resolveIntegratedHessiansOptions(options);
  const baseline = resolveBaseline(prep, moments, options.baseline);
  const ig =
    precomputedIg ??
    integratedGradientsCore(ctx, rows, moments, {
      ...options.integratedGradients,
      baseline: options.baseline,
    });
  const tolerance = o.tolerance ?? ig.tolerance ?? 0;
  const S = rows.length;
  const xs = pointsFromRows(prep, rows);
  const gammas = new Float64Array(S * k * d * d).fill(NaN);
  const sums = new Float64Array(S * k * d).fill(NaN);
  const igDelta = new Float64Array(S * k * d).fill(NaN);
  const delta = new Float64Array(S * k).fill(NaN);
  const status: Status[] = [];
  const pointsUsed: number[] = [];
  const trusted: boolean[][] = [];
  let evaluations = 0;
  let maxDelta = 0;
  let maxIgDelta = 0;
  for (let s = 0; s < S; s++) {
    const fx = ig.output[s];
    const fb = ig.baselineOutput[s];
    const igRow = ig.attributions[s];
    const dx = new Float64Array(d);
    for (let j = 0; j < d; j++) dx[j] = xs.z[s * d + j] - baseline.vec[j];
    if (fx.some((v) => v === null)) {
      status.push("skipped");
      pointsUsed[s] = 0;
      trusted.push(new Array<boolean>(k).fill(false));
      ctx.progress("attribution", s + 1, S);
      continue;
    }
    let m = o.points;
    let prevErr = Infinity;
    let st: Status = "budget";
    for (;;) {
      const g = gammaOf(ctx, xs, s, baseline.vec, dx, m);
      evaluations += (m * (m + 1)) / 2;
      pointsUsed[s] = m;
      if (g === null) {
        st = "nonfinite";
        break;
      }
      // Both completeness checks of this attempt; the worst over outputs and features.
      let err = 0;
      for (let kk = 0; kk < k; kk++) {
        let total = 0;
        for (let i = 0; i < d; i++) {
          let row = 0;
          for (let j = 0; j < d; j++) row += g[kk * d * d + i * d + j];
          sums[(s * k + kk) * d + i] = row;
          const igi = igRow[kk][i];
          const di = row - (igi ?? NaN);
          igDelta[(s * k + kk) * d + i] = di;
          if (igi !== null) err = Math.max(err, Math.abs(di));
          total += row;
        }
        const dl = total - ((fx[kk] as number) - (fb[kk] as number));
        delta[s * k + kk] = dl;
        err = Math.max(err, Math.abs(dl));
      }
      gammas.set(g, s * k * d * d);
      if (!Number.isFinite(err)) {
        st = "nonfinite";
        break;
      }
      if (err <= tolerance) {
        st = "converged";
        break;
      }
      // A smooth integrand gains orders of magnitude per doubling; an error that did not even
      // halve is not quadrature error (see the module comment).
      if (err > prevErr / 2) {
        st = "stalled";
        break;
      }
      if (2 * m > o.maxPoints) break;
      prevErr = err;
      m *= 2;
    }
    if (st === "nonfinite") gammas.fill(NaN, s * k * d * d, (s + 1) * k * d * d);
    const igTrusted = ig.trustworthy[s];
    if (st === "converged" && igTrusted.some((t) => !t)) st = "ig";
    status.push(st);
    const row: boolean[] = [];
    for (let kk = 0; kk < k; kk++) {
      let ok = st === "converged" && Math.abs(delta[s * k + kk]) <= tolerance;
      for (let i = 0; i < d; i++) ok &&= Math.abs(igDelta[(s * k + kk) * d + i]) <= tolerance;
      row.push(ok);
      if (Number.isFinite(delta[s * k + kk])) maxDelta = Math.max(maxDelta, Math.abs(delta[s * k + kk]));
      for (let i = 0; i < d; i++) {
        const v = igDelta[(s * k + kk) * d + i];
        if (Number.isFinite(v)) maxIgDelta = Math.max(maxIgDelta, Math.abs(v));
      }
    }
    trusted.push(row);
    // Reported under "attribution", like the IG it extends (its own IG has reported 0…S before).
    ctx.progress("attribution", s + 1, S);
  }
  const converged = trusted.every((r) => r.every(Boolean));
  return {
    rows,
    baseline: { kind: baseline.kind, features: jvec(baseline.vec) },
    method: "gauss-legendre",
    points: o.points,
    maxPoints: o.maxPoints,
    pointsUsed,
    hessianEvaluations: evaluations,
    tolerance: jnum(tolerance),
    converged,
    trustworthy: trusted,
    reason: converged ? null : explain(rows, status, o, tolerance, maxDelta, maxIgDelta),
    interactions: jquad(gammas, S, k, d, d),
    meanAbs: meanAbsGamma(gammas, S, k, d),
    featureSums: jcube(sums, S, k, d),
    // Copies: with a precomputed IG these arrays belong to another section's result.
    integratedGradients: ig.attributions.map((r) => r.map((v) => v.slice())),
    igDelta: jcube(igDelta, S, k, d),
    completenessDelta: jmat(delta, S, k),
    maxAbsCompletenessDelta: jnum(maxDelta),
    maxAbsIgDelta: jnum(maxIgDelta),
    output: ig.output.map((v) => v.slice()),
    baselineOutput: ig.baselineOutput.map((v) => v.slice()),
  };
}

/** Mean |Γ_ij| over the samples whose Γ is finite, [k][i][j]. */
function meanAbsGamma(g: Float64Array, S: number, k: number, d: number) {
  const sum = new Float64Array(k * d * d);
  const count = new Float64Array(k * d * d);
  for (let s = 0; s < S; s++)
    for (let c = 0; c < k * d * d; c++) {
      const v = g[s * k * d * d + c];
      if (Number.isFinite(v)) {
        sum[c] += Math.abs(v);
        count[c]++;
      }
    }
  for (let c = 0; c < sum.length; c++) sum[c] = count[c] > 0 ? sum[c] / count[c] : NaN;
  return jcube(sum, k, d, d);
}

const rowList = (rows: number[]) =>
  `${rows.length === 1 ? "row" : "rows"} ${rows.slice(0, 8).join(", ")}${rows.length > 8 ? `, … (${rows.length} rows)` : ""}`;
const short = (x: number) => (Number.isFinite(x) && x !== 0 ? x.toExponential(2) : String(x));

/** Why some samples are not trustworthy, and what to change. */
function explain(
  rows: number[],
  status: Status[],
  o: ReturnType<typeof resolveIntegratedHessiansOptions>,
  tolerance: number,
  maxDelta: number,
  maxIgDelta: number,
): string {
  const pick = (want: Status) => rows.filter((_, s) => status[s] === want);
  const parts: string[] = [];
  const skipped = pick("skipped");
  if (skipped.length > 0)
    parts.push(`${rowList(skipped)}: y(x) is not finite, so there is nothing to attribute`);
  const nonfinite = pick("nonfinite");
  if (nonfinite.length > 0)
    parts.push(
      `${rowList(nonfinite)}: a gradient or Hessian is not finite on the path x' + t(x − x'), so Γ is NaN; ` +
        "choose a baseline whose path avoids the target's singular points",
    );
  const stalled = pick("stalled");
  if (stalled.length > 0)
    parts.push(
      `${rowList(stalled)}: the completeness error did not shrink when the Gauss–Legendre points doubled, so it ` +
        "is not quadrature error: the exact Hessian misses part of the second derivative (a piecewise-linear " +
        "activation such as ReLU has a zero Hessian almost everywhere and point masses at its kinks; Janizek et " +
        "al. 2021 replace ReLU with softplus for Integrated Hessians), or y jumps on the path",
    );
  const budget = pick("budget");
  if (budget.length > 0)
    parts.push(
      `${rowList(budget)} did not meet the tolerance within maxPoints = ${o.maxPoints} per axis; raise maxPoints`,
    );
  const igBad = pick("ig");
  if (igBad.length > 0)
    parts.push(
      `${rowList(igBad)}: Integrated Gradients of the row did not converge (see attribution.integratedGradients.reason), ` +
        "so Σ_j Γ_ij = IG_i cannot be checked",
    );
  return (
    `Integrated Hessians not converged (tolerance ${short(tolerance)}; max |Σ_ij Γ_ij − (y(x) − y(x'))| ` +
    `${short(maxDelta)}, max |Σ_j Γ_ij − IG_i| ${short(maxIgDelta)}): ${parts.join("; ")}.`
  );
}

/**
 * Integrated Hessians Γ[s][k][i][j] of the rows: pairwise interactions off the diagonal, each
 * feature's main effect on it, with both completeness checks (Σ_j Γ_ij = IG_i, Σ_ij Γ_ij = y(x) − y(x')).
 *
 * @example
 * // y = x0·x1 from a zero baseline: every entry of Γ is x0·x1/4 (half interaction, half main effects).
 * const ih = integratedHessians(({ x }) => x.slice([[0, null], [0, 1]]).mul(x.slice([[0, null], [1, 2]])).reshape([-1]),
 *   { x: [[2, 3]] }, { baseline: "zeros" });
 * ih.interactions[0][0]; // [[1.5, 1.5], [1.5, 1.5]]
 * ih.maxAbsCompletenessDelta; // ≤ ih.tolerance
 */
export function integratedHessians(
  target: Target,
  data: InputData,
  opts: IntegratedHessiansOptions & AttributionRowsOptions = {},
): Explained<IntegratedHessiansSection> {
  const ctx = createContext(target, data, opts);
  const rows = standaloneRows(ctx, opts, subSeed(opts.seed ?? 0, "rows"));
  return explained(ctx, rows, integratedHessiansCore(ctx, rows, featureMoments(ctx.prep), opts));
}
