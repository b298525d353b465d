/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017):
 *   IG_kj(x) = (x_j − x'_j) · ∫₀¹ ∂y_k/∂x_j (x' + α(x − x')) dα
 * for a baseline x', with the integral by adaptive quadrature (pathIntegral.ts). Completeness
 * (their Proposition 1) says Σ_j IG_kj = y_k(x) − y_k(x'), so the completeness delta
 * Σ_j IG_kj − (y_k(x) − y_k(x')) measures the quadrature error, and it is what the adaptive mode
 * drives below the tolerance. Constant (non-differentiated) inputs stay at the sample's values
 * along the path and in the baseline.
 *
 * Nothing untrustworthy passes as a number: a baseline whose output is not finite is refused
 * (completeness is then undefined); a sample whose output or path gradient is not finite, or that
 * misses the tolerance within `maxSteps`, is flagged in `trustworthy` with a `reason` that says
 * what to change. The default baseline is the data mean (see `IntegratedGradientsOptions.baseline`).
 */
import { ValueError } from "../../core/errors.js";
import {
  attributionTable,
  explained,
  standaloneRows,
  type AttributionRowsOptions,
  type Explained,
} from "./attributionCommon.js";
import { createContext, type Context } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { featureMoments, type FeatureMoments } from "../engine/features.js";
import { jmat, jnum, jvec } from "../result/json.js";
import { integratePaths, type PathStatus } from "./pathIntegral.js";
import { pointsFromRows, withFeatures, type Points, type Prepared } from "../engine/prepare.js";
import { QUADRATURE_METHODS, type QuadratureMethod } from "../stats/quadrature.js";
import { subSeed } from "../stats/sampling.js";
import type { IntegratedGradientsSection } from "../result/schema.js";
import type { Target } from "../engine/target.js";

/**
 * An input's baseline: zeros, the data mean, one value for all its features, or one per feature.
 *
 * @example
 * const b: InputBaseline = [0, 0, 1];
 */
export type InputBaseline = "zeros" | "mean" | number | readonly number[];

/**
 * One baseline for every input, or one per differentiated input.
 *
 * @example
 * const b: BaselineOption = { price: "mean", features: 0 };
 */
export type BaselineOption = "zeros" | "mean" | Record<string, InputBaseline>;

/**
 * Options of Integrated Gradients.
 *
 * @example
 * integratedGradients(model, data, { rows: 5, method: "trapezoid", steps: 64, adaptive: false });
 */
export interface IntegratedGradientsOptions {
  /**
   * Default "mean": the data mean lies inside the data, where the target is defined (zeros is
   * often not: log(S/K), a price or a volatility of 0), and its path to a row is short, so fewer
   * ReLU kinks are crossed. Zeros is the classic choice for images and bias-free ReLU networks.
   */
  baseline?: BaselineOption;
  /** Default "gauss-legendre". */
  method?: QuadratureMethod;
  /** Steps (points for Gauss–Legendre) of the first attempt on [0, 1]; default 8 for Gauss–Legendre, 32 otherwise. */
  steps?: number;
  /** Bisect the path where its completeness error is until it holds to `tolerance` (pathIntegral.ts). Default true. */
  adaptive?: boolean;
  /**
   * Absolute completeness tolerance in output units; default max(1e-6 · max |y(x) − y(x')|,
   * 64·ε·max(|y(x)| + |y(x')|)) over the samples: relative to the change attributed, floored at
   * float64 rounding of the outputs (ε = 2⁻⁵², `Number.EPSILON`), below which no path can be checked.
   */
  tolerance?: number;
  /** Cap on the steps of a sample's composite rule (pieces × steps). Default 4096. */
  maxSteps?: number;
}

/**
 * The default step budget of Integrated Gradients (`maxSteps`): adaptive bisection stops a row
 * once its completeness error is within tolerance, so the budget only costs on hard rows.
 *
 * @example integratedGradients(f, data, { maxSteps: 2 * DEFAULT_IG_MAX_STEPS });
 */
export const DEFAULT_IG_MAX_STEPS = 4096;

/** A baseline as a feature vector, and how it was specified. */
export interface ResolvedBaseline {
  kind: "zeros" | "mean" | "values";
  vec: Float64Array;
}

/** The baseline as a feature vector (every feature finite), and how it was specified. */
export function resolveBaseline(
  prep: Prepared,
  moments: FeatureMoments,
  option: BaselineOption = "mean",
): ResolvedBaseline {
  const resolved = baselineVector(prep, moments, option);
  const bad = prep.inputs.features.flatMap((f, j) =>
    Number.isFinite(resolved.vec[j]) ? [] : [`${f.name} = ${resolved.vec[j]}`],
  );
  if (bad.length > 0)
    throw new ValueError(
      `integratedGradients: the baseline (${baselineLabel(resolved.kind)}) has non-finite features: ` +
        `${bad.slice(0, 6).join(", ")}${bad.length > 6 ? `, … (${bad.length})` : ""}` +
        (resolved.kind === "mean" ? " (the data has NaN or ±Infinity cells in these columns)" : "") +
        "; give a finite baseline",
    );
  return resolved;
}

function baselineVector(prep: Prepared, moments: FeatureMoments, option: BaselineOption): ResolvedBaseline {
  const vec = new Float64Array(prep.d);
  if (option === "zeros") return { kind: "zeros", vec };
  if (option === "mean") return { kind: "mean", vec: moments.mean.slice() };
  if (typeof option !== "object" || option === null)
    throw new ValueError(`integratedGradients: baseline must be "zeros", "mean" or an object per input`);
  const inputs = prep.inputs.items.filter((i) => i.differentiated);
  for (const key of Object.keys(option))
    if (!inputs.some((i) => i.name === key))
      throw new ValueError(
        `integratedGradients: baseline names '${key}', which is not a differentiated input`,
      );
  for (const item of inputs) {
    const spec = option[item.name];
    const off = item.offset!;
    if (spec === undefined)
      throw new ValueError(
        `integratedGradients: baseline has no entry for input '${item.name}' (give "zeros", "mean", a number or ${item.size} numbers)`,
      );
    for (let q = 0; q < item.size; q++) {
      if (spec === "zeros") vec[off + q] = 0;
      else if (spec === "mean") vec[off + q] = moments.mean[off + q];
      else if (typeof spec === "number") vec[off + q] = spec;
      else if (Array.isArray(spec) && spec.length === item.size) vec[off + q] = spec[q];
      else
        throw new ValueError(
          `integratedGradients: baseline.${item.name} must be "zeros", "mean", a number or ${item.size} numbers`,
        );
    }
  }
  return { kind: "values", vec };
}

/** Fills in defaults and checks the options (cheap; `analyze` calls it before the long pass). */
export function resolveIntegratedGradientsOptions(opts: IntegratedGradientsOptions) {
  const method = opts.method ?? "gauss-legendre";
  if (!QUADRATURE_METHODS.includes(method))
    throw new ValueError(
      `integratedGradients: unknown method '${String(method)}' (expected ${QUADRATURE_METHODS.join(", ")})`,
    );
  const steps = opts.steps ?? (method === "gauss-legendre" ? 8 : 32);
  const maxSteps = opts.maxSteps ?? DEFAULT_IG_MAX_STEPS;
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(maxSteps) || maxSteps < steps)
    throw new ValueError(
      `integratedGradients: steps (${steps}) and maxSteps (${maxSteps}) must be integers with 1 ≤ steps ≤ maxSteps`,
    );
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0))
    throw new ValueError(`integratedGradients: tolerance must be ≥ 0, got ${opts.tolerance}`);
  return { method, steps, maxSteps, adaptive: opts.adaptive ?? true, tolerance: opts.tolerance };
}

/** The baseline repeated for each explained sample, with the sample's constant inputs. */
function baselinePoints(xs: Points, vec: Float64Array, d: number): Points {
  const S = xs.count;
  const bz = new Float64Array(S * d);
  for (let s = 0; s < S; s++) bz.set(vec, s * d);
  return withFeatures(
    xs,
    bz,
    Array.from({ length: S }, (_, s) => s),
    d,
  );
}

/** "zeros", "mean", or "given" for the messages. */
const baselineLabel = (kind: ResolvedBaseline["kind"]) => (kind === "values" ? "given" : kind);

/**
 * Refuses a baseline whose output is not finite for some explained row: IG attributes
 * y(x) − y(x'), which is then undefined (the path integral diverges, as for log at 0, or is NaN),
 * and a quadrature that never touches the endpoint would return finite numbers regardless.
 */
function assertFiniteBaselineOutputs(
  ctx: Context,
  rows: number[],
  baseline: ResolvedBaseline,
  fb: Float64Array,
): void {
  const { k } = ctx.prep;
  const bad: number[] = [];
  for (let s = 0; s < rows.length; s++)
    for (let kk = 0; kk < k; kk++)
      if (!Number.isFinite(fb[s * k + kk])) {
        bad.push(s * k + kk);
        break;
      }
  if (bad.length === 0) return;
  const first = bad[0];
  const s = Math.floor(first / k);
  let kk = 0;
  while (Number.isFinite(fb[s * k + kk])) kk++;
  const name = ctx.prep.outputs.components[kk]?.name ?? String(kk);
  const label = baselineLabel(baseline.kind);
  const fix =
    baseline.kind === "mean"
      ? "give a baseline where the target is finite, e.g. baseline: { <input>: <values> } (CLI --baseline INPUT=VALUE)"
      : 'use baseline: "mean" (CLI --baseline mean), the data mean, or give a baseline where the target is finite';
  throw new ValueError(
    `integratedGradients: the baseline (${label}) gives a non-finite output: output '${name}' is ` +
      `${fb[s * k + kk]} at the baseline of row ${rows[s]}` +
      (bad.length > 1 ? ` (and of ${bad.length - 1} more explained row(s))` : "") +
      `. Integrated Gradients attributes y(x) − y(baseline), which is not defined then (the path integral ` +
      `diverges or is NaN). Fix: ${fix}.`,
  );
}

/**
 * Checks before a long analysis that Integrated Gradients can run on these rows: the baseline
 * resolves, is finite, and the target's output at it is finite for every explained row.
 *
 * @example
 * checkIntegratedGradientsBaseline(ctx, [0, 5], featureMoments(ctx.prep), "zeros"); // throws if y(0) is NaN
 */
export function checkIntegratedGradientsBaseline(
  ctx: Context,
  rows: number[],
  moments: FeatureMoments,
  option?: BaselineOption,
): void {
  const baseline = resolveBaseline(ctx.prep, moments, option);
  if (rows.length === 0) return;
  const xs = pointsFromRows(ctx.prep, rows);
  assertFiniteBaselineOutputs(
    ctx,
    rows,
    baseline,
    ctx.engine.values(baselinePoints(xs, baseline.vec, ctx.prep.d)),
  );
}

/** Rows as "row 3" or "rows 3, 7, 9" (at most 8 listed). */
function rowList(rows: number[]): string {
  const shown = rows.slice(0, 8).join(", ") + (rows.length > 8 ? `, … (${rows.length} rows)` : "");
  return `${rows.length === 1 ? "row" : "rows"} ${shown}`;
}

/** Why some samples are untrustworthy, and what to change; null when every sample converged. */
function explainFailures(
  rows: number[],
  status: PathStatus[],
  nonFiniteAlpha: (number | null)[],
  jumpAlpha: (number | null)[],
  trusted: boolean[][],
  o: ReturnType<typeof resolveIntegratedGradientsOptions>,
  baseline: ResolvedBaseline,
  tolerance: number,
  maxDelta: number,
): string | null {
  const parts: string[] = [];
  const pick = (want: PathStatus) => rows.filter((_, s) => status[s] === want);
  const skipped = pick("skipped");
  if (skipped.length > 0)
    parts.push(
      `${rowList(skipped)}: y(x) is not finite (NaN or ±Infinity in the row or the target), so there is nothing to attribute`,
    );
  const nonfinite = rows.flatMap((r, s) =>
    status[s] === "nonfinite" ? [`${r} (α = ${shortAlpha(nonFiniteAlpha[s])})`] : [],
  );
  if (nonfinite.length > 0)
    parts.push(
      `${nonfinite.length === 1 ? "row" : "rows"} ${nonfinite.join(", ")}: the gradient is not finite on the ` +
        `path x' + α(x − x'), so the attributions are NaN; choose a baseline whose path avoids the ` +
        `target's singular points`,
    );
  const jumps = rows.flatMap((r, s) =>
    status[s] === "discontinuous" ? [`${r} (jumps at α ≈ ${shortAlpha(jumpAlpha[s])})`] : [],
  );
  if (jumps.length > 0)
    parts.push(
      `y itself is discontinuous on the path x' + α(x − x') for ${jumps.length === 1 ? "row" : "rows"} ${jumps.join(", ")} ` +
        `(a step, rounding or argmax in the target), so completeness (Σ attributions = y(x) − y(x')) ` +
        `cannot meet the tolerance ${shortNum(tolerance)}: no number of steps can fix a jump in the output; ` +
        `IG assumes a continuous path`,
    );
  // Budget failures, and converged samples whose signed delta still misses (rounding): any
  // sample not trusted for some output that is neither skipped nor non-finite.
  const budget = rows.filter(
    (_, s) => (status[s] === "budget" || status[s] === "converged") && trusted[s].some((t) => !t),
  );
  if (budget.length > 0) {
    const more = !o.adaptive
      ? "set adaptive: true or raise steps (CLI --ig-steps)"
      : `raise maxSteps (now ${o.maxSteps}; CLI --ig-max-steps)` +
        (o.method === "gauss-legendre" ? "" : ' or use method: "gauss-legendre"');
    const fix =
      baseline.kind === "mean"
        ? more
        : `use baseline: "mean" (CLI --baseline mean, a shorter path inside the data) or ${more}`;
    parts.push(
      `${rowList(budget)} did not meet the completeness tolerance ${shortNum(tolerance)} within the budget ` +
        `(max |δ| ${shortNum(maxDelta)}); ${fix}`,
    );
  }
  return parts.length > 0 ? `Integrated Gradients not converged: ${parts.join("; ")}.` : null;
}

const shortNum = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)
      ? x.toExponential(2)
      : Number(x.toPrecision(3)).toString();
const shortAlpha = (a: number | null) => (a === null ? "?" : Number(a.toPrecision(4)).toString());

/** Integrated Gradients of the given rows. */
export function integratedGradientsCore(
  ctx: Context,
  rows: number[],
  moments: FeatureMoments,
  options: IntegratedGradientsOptions = {},
): IntegratedGradientsSection {
  const { prep, engine } = ctx;
  const { d, k } = prep;
  const o = resolveIntegratedGradientsOptions(options);
  const baseline = resolveBaseline(prep, moments, options.baseline);
  const S = rows.length;
  const xs = pointsFromRows(prep, rows);
  const base = baselinePoints(xs, baseline.vec, d);
  const fx = engine.values(xs);
  const fb = engine.values(base);
  assertFiniteBaselineOutputs(ctx, rows, baseline, fb);
  // A row whose own output is not finite has nothing to attribute; it is flagged, not integrated.
  const include = Array.from({ length: S }, (_, s) => allFinite(fx.subarray(s * k, (s + 1) * k)));
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < fx.length; i++)
    if (include[Math.floor(i / k)]) {
      maxDiff = Math.max(maxDiff, Math.abs(fx[i] - fb[i]));
      scale = Math.max(scale, Math.abs(fx[i]) + Math.abs(fb[i]));
    }
  // Relative to the change being attributed, but never below float64 rounding of the outputs
  // themselves: y(x) − y(x') cannot be known better than a few ulps of |y(x)| + |y(x')|, so a
  // large offset with tiny sensitivities would otherwise ask for the impossible (and be told to
  // raise maxSteps). 1e-300 keeps it positive when every output is 0.
  const tolerance = o.tolerance ?? Math.max(1e-6 * maxDiff, 64 * Number.EPSILON * scale, 1e-300);

  const dx = new Float64Array(S * d);
  for (let i = 0; i < S * d; i++) dx[i] = xs.z[i] - base.z[i];
  const pathPoints = (samples: number[], alphas: number[]) => {
    const z = new Float64Array(samples.length * d);
    samples.forEach((s, p) => {
      for (let j = 0; j < d; j++) z[p * d + j] = base.z[s * d + j] + alphas[p] * dx[s * d + j];
    });
    return withFeatures(xs, z, samples, d);
  };
  const path = integratePaths(
    {
      S,
      k,
      d,
      dx,
      y0: fb,
      y1: fx,
      include,
      jacobians: (samples, alphas) =>
        chunked(samples, alphas, engine.batchSize, k * d, (a, b) => engine.jacobian(pathPoints(a, b))),
      values: (samples, alphas) =>
        chunked(samples, alphas, engine.batchSize, k, (a, b) => engine.values(pathPoints(a, b))),
      progress: (done) => ctx.progress("attribution", done, S),
    },
    { method: o.method, steps: o.steps, adaptive: o.adaptive, maxSteps: o.maxSteps, tolerance },
  );

  const attr = new Float64Array(S * k * d);
  const delta = new Float64Array(S * k);
  const trusted: boolean[][] = [];
  let maxDelta = 0;
  for (let s = 0; s < S; s++) {
    const row: boolean[] = [];
    for (let kk = 0; kk < k; kk++) {
      let total = 0;
      let finite = true;
      for (let j = 0; j < d; j++) {
        const a = dx[s * d + j] * path.integrals[(s * k + kk) * d + j];
        attr[(s * k + kk) * d + j] = a;
        total += a;
        if (!Number.isFinite(a)) finite = false;
      }
      const dl = total - (fx[s * k + kk] - fb[s * k + kk]);
      delta[s * k + kk] = dl;
      if (Number.isFinite(dl)) maxDelta = Math.max(maxDelta, Math.abs(dl));
      row.push(
        finite &&
          path.status[s] !== "nonfinite" &&
          Math.abs(dl) <= tolerance &&
          path.errorBound[s * k + kk] <= tolerance,
      );
    }
    trusted.push(row);
  }
  const converged = trusted.every((row) => row.every(Boolean));
  return {
    baseline: { kind: baseline.kind, features: jvec(baseline.vec) },
    method: o.method,
    steps: o.steps,
    adaptive: o.adaptive,
    maxSteps: o.maxSteps,
    tolerance: jnum(tolerance),
    converged,
    trustworthy: trusted,
    reason: converged
      ? null
      : explainFailures(
          rows,
          path.status,
          path.nonFiniteAlpha,
          path.jumpAlpha,
          trusted,
          o,
          baseline,
          tolerance,
          maxDelta,
        ),
    stepsUsed: path.stepsUsed,
    gradientEvaluations: path.evaluations,
    ...attributionTable(attr, S, k, d),
    completenessDelta: jmat(delta, S, k),
    maxAbsCompletenessDelta: jnum(maxDelta),
    output: jmat(fx, S, k),
    baselineOutput: jmat(fb, S, k),
  };
}

/** Evaluates path points a batch at a time, so at most one batch of points is alive. */
function chunked(
  samples: number[],
  alphas: number[],
  batch: number,
  width: number,
  f: (samples: number[], alphas: number[]) => Float64Array,
): Float64Array {
  const out = new Float64Array(samples.length * width);
  for (let i = 0; i < samples.length; i += batch)
    out.set(f(samples.slice(i, i + batch), alphas.slice(i, i + batch)), i * width);
  return out;
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Integrated Gradients attributions, [s][k][j], with per-sample completeness deltas.
 *
 * @example
 * const ig = integratedGradients(({ x }) => x.tanh().sum({ axis: 1 }), { x: [[0.5, -1]] }, {
 *   method: "gauss-legendre",
 *   adaptive: true,
 * });
 * ig.attributions[0][0]; // ≈ [tanh(0.5), tanh(-1)]
 * ig.maxAbsCompletenessDelta; // ≤ ig.tolerance
 */
export function integratedGradients(
  target: Target,
  data: InputData,
  opts: IntegratedGradientsOptions & AttributionRowsOptions = {},
): Explained<IntegratedGradientsSection> {
  const ctx = createContext(target, data, opts);
  const rows = standaloneRows(ctx, opts, subSeed(opts.seed ?? 0, "rows"));
  return explained(ctx, rows, integratedGradientsCore(ctx, rows, featureMoments(ctx.prep), opts));
}
