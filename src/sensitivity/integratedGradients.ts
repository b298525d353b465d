/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017):
 *   IG_kj(x) = (x_j − x'_j) · ∫₀¹ ∂y_k/∂x_j (x' + α(x − x')) dα
 * for a baseline x', with the integral by quadrature. Completeness (their Proposition 1) says
 * Σ_j IG_kj = y_k(x) − y_k(x'), so the completeness delta Σ_j IG_kj − (y_k(x) − y_k(x')) measures
 * the quadrature error; the adaptive mode doubles the steps (or Gauss–Legendre points) of each
 * sample until max_k |delta| ≤ tolerance or `maxSteps` is reached. Constant (non-differentiated)
 * inputs stay at the sample's values along the path and in the baseline.
 */
import { ValueError } from "../core/errors.js";
import {
  attributionTable,
  explained,
  standaloneRows,
  type AttributionRowsOptions,
  type Explained,
} from "./attributionCommon.js";
import { createContext, type Context } from "./context.js";
import type { NamedData } from "./data.js";
import { featureMoments, type FeatureMoments } from "./features.js";
import { jmat, jnum, jvec } from "./json.js";
import { pointsFromRows, withFeatures, type Points, type Prepared } from "./prepare.js";
import { pathQuadrature, QUADRATURE_METHODS, type QuadratureMethod } from "./quadrature.js";
import { subSeed } from "./sampling.js";
import type { IntegratedGradientsSection } from "./schema.js";
import type { Target } from "./target.js";

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
  /** Default "zeros". */
  baseline?: BaselineOption;
  /** Default "gauss-legendre". */
  method?: QuadratureMethod;
  /** Steps of the first attempt; default 8 for Gauss–Legendre, 32 otherwise. */
  steps?: number;
  /** Raise steps until completeness holds to `tolerance`. Default true. */
  adaptive?: boolean;
  /** Absolute completeness tolerance in output units; default 1e-6 · max |y(x) − y(x')| over the samples. */
  tolerance?: number;
  /** Cap on steps per sample. Default 1024. */
  maxSteps?: number;
}

/** The baseline as a feature vector, and how it was specified. */
export function resolveBaseline(
  prep: Prepared,
  moments: FeatureMoments,
  option: BaselineOption = "zeros",
): { kind: "zeros" | "mean" | "values"; vec: Float64Array } {
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
  const maxSteps = opts.maxSteps ?? 1024;
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(maxSteps) || maxSteps < steps)
    throw new ValueError(
      `integratedGradients: steps (${steps}) and maxSteps (${maxSteps}) must be integers with 1 ≤ steps ≤ maxSteps`,
    );
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0))
    throw new ValueError(`integratedGradients: tolerance must be ≥ 0, got ${opts.tolerance}`);
  return { method, steps, maxSteps, adaptive: opts.adaptive ?? true, tolerance: opts.tolerance };
}

/**
 * Σ_m w_m ∂y/∂x (x' + α_m (x − x')) for samples `which` of `xs`, [which × K × D]: path points are
 * built a group of samples at a time so at most about one batch of points is alive.
 */
function pathGradients(
  ctx: Context,
  xs: Points,
  base: Points,
  which: number[],
  nodes: number[],
  weights: number[],
) {
  const { prep, engine } = ctx;
  const { d, k } = prep;
  const m = nodes.length;
  const out = new Float64Array(which.length * k * d);
  const group = Math.max(1, Math.floor(engine.batchSize / m));
  for (let g0 = 0; g0 < which.length; g0 += group) {
    const members = which.slice(g0, g0 + group);
    const z = new Float64Array(members.length * m * d);
    const source: number[] = [];
    members.forEach((s, gi) => {
      for (let q = 0; q < m; q++) {
        const row = (gi * m + q) * d;
        for (let j = 0; j < d; j++) {
          const b = base.z[s * d + j];
          z[row + j] = b + nodes[q] * (xs.z[s * d + j] - b);
        }
        source.push(s);
      }
    });
    const jac = engine.jacobian(withFeatures(xs, z, source, d));
    members.forEach((_, gi) => {
      const dst = (g0 + gi) * k * d;
      for (let q = 0; q < m; q++) {
        const src = (gi * m + q) * k * d;
        for (let c = 0; c < k * d; c++) out[dst + c] += weights[q] * jac[src + c];
      }
    });
  }
  return out;
}

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
  const bz = new Float64Array(S * d);
  for (let s = 0; s < S; s++) bz.set(baseline.vec, s * d);
  const base = withFeatures(
    xs,
    bz,
    Array.from({ length: S }, (_, s) => s),
    d,
  );
  const fx = engine.values(xs);
  const fb = engine.values(base);
  let maxDiff = 0;
  for (let i = 0; i < fx.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fx[i] - fb[i]));
  const tolerance = o.tolerance ?? 1e-6 * Math.max(maxDiff, 1e-300);

  const attr = new Float64Array(S * k * d);
  const delta = new Float64Array(S * k);
  const stepsUsed = new Array<number>(S).fill(0);
  let evaluations = 0;
  let active = Array.from({ length: S }, (_, s) => s);
  for (let steps = o.steps; active.length > 0; steps *= 2) {
    const rule = pathQuadrature(o.method, steps);
    const integrals = pathGradients(ctx, xs, base, active, rule.nodes, rule.weights);
    evaluations += active.length * rule.nodes.length;
    const last = !o.adaptive || steps * 2 > o.maxSteps;
    const next: number[] = [];
    active.forEach((s, ai) => {
      let worst = 0;
      for (let kk = 0; kk < k; kk++) {
        let total = 0;
        for (let j = 0; j < d; j++) {
          const a = (xs.z[s * d + j] - base.z[s * d + j]) * integrals[(ai * k + kk) * d + j];
          attr[(s * k + kk) * d + j] = a;
          total += a;
        }
        delta[s * k + kk] = total - (fx[s * k + kk] - fb[s * k + kk]);
        worst = Math.max(worst, Math.abs(delta[s * k + kk]));
      }
      stepsUsed[s] = steps;
      if (!(worst <= tolerance) && !last) next.push(s);
    });
    active = next;
    ctx.progress("attribution", S - active.length, S);
  }
  let maxDelta = 0;
  for (const x of delta) maxDelta = Math.max(maxDelta, Math.abs(x));
  return {
    baseline: { kind: baseline.kind, features: jvec(baseline.vec) },
    method: o.method,
    steps: o.steps,
    adaptive: o.adaptive,
    maxSteps: o.maxSteps,
    tolerance: jnum(tolerance),
    converged: Array.from(delta).every((x) => Math.abs(x) <= tolerance),
    stepsUsed,
    gradientEvaluations: evaluations,
    ...attributionTable(attr, S, k, d),
    completenessDelta: jmat(delta, S, k),
    maxAbsCompletenessDelta: jnum(maxDelta),
    output: jmat(fx, S, k),
    baselineOutput: jmat(fb, S, k),
  };
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
  data: NamedData,
  opts: IntegratedGradientsOptions & AttributionRowsOptions = {},
): Explained<IntegratedGradientsSection> {
  const ctx = createContext(target, data, opts);
  const rows = standaloneRows(ctx, opts, subSeed(opts.seed ?? 0, "rows"));
  return explained(ctx, rows, integratedGradientsCore(ctx, rows, featureMoments(ctx.prep), opts));
}
