/**
 * Effect plots from exact derivatives: ICE curves, partial dependence, derivative ICE and
 * derivative-based accumulated local effects of chosen features, on the same target and data
 * conventions as `dgsm()` and `derivatives()`.
 *
 * - ICE (Goldstein, Kapelner, Bleich & Pitkin 2015): for each sampled row, the output with
 *   feature j set to each grid value and every other feature kept.
 * - PDP (Friedman 2001): the mean of the ICE curves over the sampled rows.
 * - Derivative ICE: ∂y/∂x_j along each ICE curve, exact from the engine (the paper smooths the
 *   curve and differences it; an exact derivative needs neither).
 * - ALE (Apley & Zhu 2020, eq. 4: f_j(x) = ∫_{z_0}^{x} E[∂f/∂x_j | X_j = z] dz): in each
 *   quantile bin (z_{b−1}, z_b] the conditional mean derivative is a least-squares line through
 *   the exact ∂y/∂x_j of the data rows in the bin, at their own points (./binFit.ts), integrated
 *   over the bin; accumulated over bins and centred. It rides along the derivative pass (no evaluation off the data, no finite
 *   differences across bin edges), and only the data's own points are used, so correlated
 *   features are not extrapolated as in the PDP.
 */
import { ValueError } from "../../../core/errors.js";
import { createContext, type CommonOptions, type Context } from "../../engine/context.js";
import type { InputData } from "../../engine/data.js";
import { featureMoments } from "../../engine/features.js";
import { jnum, jvec } from "../../result/json.js";
import { derivativePass, type BatchConsumer, type DerivativeBatch } from "../../engine/pass.js";
import { pointsFromRows, withFeatures, type Points } from "../../engine/prepare.js";
import { forEachBatch } from "../../engine/rows.js";
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { JsonNumber } from "../../result/schemaBase.js";
import type { Target } from "../../engine/target.js";
import { ColumnStats } from "../../stats/stats.js";
import { featureOrder, scaledMeanAbs } from "../../stats/ranking.js";
import { BinLineFit } from "./binFit.js";
import { accumulate, binOf, quantileGrid } from "./grid.js";

/**
 * Options of `effects`.
 *
 * @example
 * effects(model, data, { features: ["price", "age"], grid: 30, iceRows: 100, seed: 1 });
 */
export interface EffectsOptions extends CommonOptions {
  /** Features to plot, by name as in `inputs.features` (default: the `top` by σ·mean |∂y/∂x|, the summary's ranking). */
  features?: readonly string[];
  /** How many features to pick when `features` is not given. Default 5. */
  top?: number;
  /** Quantile grid points per feature (fewer when the feature has ties). Default 20. */
  grid?: number;
  /** ICE rows: a count drawn at random (seeded) or explicit row indices. Default 50. */
  iceRows?: number | readonly number[];
  seed?: number;
}

/**
 * The effect curves of one (output component, feature) pair. Arrays over the grid have one value
 * per grid point; `ice` and `dice` are [iceRows][grid].
 *
 * @example
 * const e: FeatureEffect = effects(model, data, { features: ["price"] }).features[0];
 * e.grid; e.pdp; e.ale; e.ice[0]; e.dice[0]; // curves to plot against e.grid
 */
export interface FeatureEffect {
  output: string;
  outputIndex: number;
  feature: string;
  featureIndex: number;
  /** Quantile grid of the feature, ascending and distinct. */
  grid: JsonNumber[];
  /** Partial dependence: mean of the ICE curves. */
  pdp: JsonNumber[];
  /** Accumulated local effects at the grid points, centred to a bin-count-weighted mean of 0. */
  ale: JsonNumber[];
  /** Output along each ICE row's curve. */
  ice: JsonNumber[][];
  /** Exact ∂y/∂x_j along each ICE row's curve. */
  dice: JsonNumber[][];
  /** Data rows of the ICE curves (aligned with `ice`). */
  iceRows: number[];
  /** Rows in each ALE bin (grid[b−1], grid[b]]; entry 0 is always 0 (no bin ends at grid[0]). */
  binCounts: number[];
  /** Rows left out of ALE because their value of the feature is not finite. */
  aleSkippedRows: number;
}

/**
 * Result of `effects`.
 *
 * @example
 * const r: EffectsResult = effects(model, data);
 * r.features.map((e) => e.feature); // the plotted features, output by output
 */
export interface EffectsResult {
  /** One entry per (output component, feature), output-major. */
  features: FeatureEffect[];
  /**
   * How the features were chosen: named by the user, or the top by σ_j · mean |∂y_k/∂x_j| summed
   * over outputs k — the summary's `byScaled` ranking (`scaledMeanAbs`, `featureOrder`; for one
   * output the same order). Both per-feature measures are given, [j], null when named.
   */
  selection: {
    method: "named" | "scaled-mean-abs-derivative";
    /** mean |∂y_k/∂x_j| summed over outputs. */
    meanAbsDerivative: JsonNumber[] | null;
    /** The ranking score: σ_j · mean |∂y_k/∂x_j| summed over outputs. */
    scaledMeanAbsDerivative: JsonNumber[] | null;
  };
  /** Points at which the target and its Jacobian were evaluated: the data rows (ranking and ALE) and the ICE points. */
  evaluations: number;
}

const DEFAULT_TOP = 5;
const DEFAULT_GRID = 20;
const DEFAULT_ICE_ROWS = 50;

/**
 * ICE, partial dependence, derivative ICE and derivative-based ALE curves of the chosen features.
 *
 * @example
 * const model = ({ a, b }) => a.sin().add(b.square()); // additive: y = sin(a) + b²
 * const data = { a: random.uniform([2000], { seed: 0, low: -3, high: 3 }), b: random.normal([2000], { seed: 1 }) };
 * const r = effects(model, data, { features: ["a"], grid: 10, iceRows: 20 });
 * r.features[0].ale; // sin(grid) minus its bin-weighted mean: the ALE of an additive model is its component
 */
export function effects(target: Target, data: InputData, opts: EffectsOptions = {}): EffectsResult {
  const ctx = createContext(target, data, opts, "effects");
  const plan = planEffects(ctx, opts, "effects");
  const acc = new EffectsAccumulator(ctx, plan);
  derivativePass(ctx, false, [acc]);
  return runEffects(ctx, plan, acc);
}

/**
 * The options of an effects run resolved against a context, before any evaluation.
 *
 * @example
 * const plan = planEffects(ctx, { features: ["price"], grid: 10 }, "analyze");
 */
export interface EffectsPlan {
  /** Named features (indices), or null: the `top` by σ_j·mean |∂y/∂x_j|, ranked from a derivative pass. */
  chosen: number[] | null;
  top: number;
  /** Standard deviation of each feature (the ranking's σ_j), when `chosen` is null. */
  std: Float64Array | null;
  gridSize: number;
  /** ICE rows. */
  rows: number[];
}

/**
 * Checks and resolves effects options (errors name `who`).
 *
 * @example
 * const plan = planEffects(ctx, { iceRows: 20 }, "analyze"); // plan.chosen === null: rank first
 */
export function planEffects(ctx: Context, opts: EffectsOptions, who: string): EffectsPlan {
  const { prep } = ctx;
  const gridSize = positiveInt(opts.grid ?? DEFAULT_GRID, "grid", who);
  const top = positiveInt(opts.top ?? DEFAULT_TOP, "top", who);
  const chosen =
    opts.features !== undefined
      ? opts.features.map((name) => featureIndex(prep.inputs.features, name, who))
      : null;
  const rows = resolveRows(
    opts.iceRows,
    prep.n,
    DEFAULT_ICE_ROWS,
    subSeed(opts.seed ?? 0, "effects-ice"),
    `${who}: iceRows`,
  );
  // σ_j as the summary section has it (featureMoments caches per data set, so analyze reads it once).
  const std = chosen === null ? featureMoments(prep).std : null;
  return { chosen, top, gridSize, rows, std };
}

/**
 * What the effects need from the derivative pass, in one consumer: the statistics of ∂y_k/∂x_j
 * (the summary's `ColumnStats`, for the default ranking) and, per candidate feature (the named ones, or every
 * feature when the top ones are not known until the pass ends), the line fit of the exact
 * ∂y_k/∂x_j in each ALE bin of the feature's quantile grid (`BinLineFit`). O(K·D) per row, like
 * reading the Jacobian; the grids are computed before the pass from the data columns.
 *
 * @example
 * const acc = new EffectsAccumulator(ctx, planEffects(ctx, {}, "effects"));
 * derivativePass(ctx, false, [acc]);
 * runEffects(ctx, plan, acc);
 */
export class EffectsAccumulator implements BatchConsumer {
  private readonly k: number;
  private readonly d: number;
  /** ∂y_k/∂x_j per column kk·D + j, as the summary accumulates them (same mean |∂y/∂x|). */
  private readonly grads: ColumnStats;
  private n = 0;
  /** Per candidate feature: its index, its bins' line fits, and the rows skipped (x_j not finite). */
  private readonly bins: { j: number; fit: BinLineFit; skipped: number }[];
  constructor(ctx: Context, plan: EffectsPlan) {
    const { k, d } = ctx.prep;
    this.k = k;
    this.d = d;
    this.grads = new ColumnStats(k * d);
    const candidates = plan.chosen ?? Array.from({ length: d }, (_, j) => j);
    // A feature named twice shares its accumulation.
    this.bins = [...new Set(candidates)].map((j) => ({
      j,
      fit: new BinLineFit(quantileGrid(featureColumn(ctx, j), plan.gridSize), k),
      skipped: 0,
    }));
  }
  add(b: DerivativeBatch): void {
    const { k, d, grads } = this;
    const cols = k * d;
    for (let r = 0; r < b.count; r++) for (let c = 0; c < cols; c++) grads.push(c, b.jac[r * cols + c]);
    for (const f of this.bins) {
      if (f.fit.grid.length < 2) continue;
      for (let r = 0; r < b.count; r++) {
        const x = b.z[r * d + f.j];
        const bin = binOf(f.fit.grid, x);
        if (bin < 0) f.skipped++;
        else f.fit.add(bin, x, b.jac, r * k * d + f.j, d);
      }
    }
    this.n += b.count;
  }
  /**
   * Per feature j: mean |∂y_k/∂x_j| and the ranking score σ_j · mean |∂y_k/∂x_j| (the summary's
   * `scaledMeanAbs`), each summed over outputs k; null when a term is not finite.
   */
  ranking(std: ArrayLike<number>): { meanAbs: (number | null)[]; scaled: (number | null)[] } {
    const { k, d, grads } = this;
    const sum = (term: (kk: number, j: number) => number | null) =>
      Array.from({ length: d }, (_, j) => {
        let s = 0;
        for (let kk = 0; kk < k; kk++) {
          const v = term(kk, j);
          if (v === null) return null;
          s += v;
        }
        return jnum(s);
      });
    const meanAbs = (kk: number, j: number) => jnum(grads.meanAbs(kk * d + j));
    return { meanAbs: sum(meanAbs), scaled: sum((kk, j) => scaledMeanAbs(meanAbs(kk, j), std[j])) };
  }
  /** Rows seen. */
  get rows(): number {
    return this.n;
  }
  /** ALE curves [K][grid] of feature j, its grid, bin counts and skipped rows. */
  ale(j: number): { grid: number[]; curves: Float64Array[]; counts: Int32Array; skipped: number } {
    const f = this.bins.find((x) => x.j === j);
    if (!f) throw new Error(`EffectsAccumulator: feature ${j} was not accumulated (a bug)`);
    const { grid, counts } = f.fit;
    const curves = Array.from({ length: this.k }, (_, kk) =>
      grid.length >= 2 ? accumulate(f.fit.localEffectSums(kk), counts) : new Float64Array(grid.length),
    );
    return { grid: grid.slice(), curves, counts, skipped: f.skipped };
  }
}

/**
 * Evaluates a plan after the pass: picks the features (named, or the top by σ_j·mean |∂y/∂x_j|),
 * reads their ALE from the accumulator, and evaluates ICE and derivative ICE over the grid for
 * the ICE rows only (rows × grid points), with the PDP as their mean.
 *
 * @example
 * const r = runEffects(ctx, plan, acc); // acc: the EffectsAccumulator that saw every row
 */
export function runEffects(ctx: Context, plan: EffectsPlan, acc: EffectsAccumulator): EffectsResult {
  const { prep } = ctx;
  const { rows } = plan;
  // The pass's rows: the ranking and ALE use them.
  let evaluations = acc.rows;

  let chosen: number[];
  let selection: EffectsResult["selection"];
  if (plan.chosen !== null) {
    chosen = plan.chosen;
    selection = { method: "named", meanAbsDerivative: null, scaledMeanAbsDerivative: null };
  } else {
    // The summary's ranking (σ·mean |∂y/∂x|, null last), so the plotted features are the ranking's
    // top ones, not those measured in the smallest units.
    const { meanAbs, scaled } = acc.ranking(plan.std!);
    chosen = featureOrder(scaled).slice(0, plan.top);
    selection = {
      method: "scaled-mean-abs-derivative",
      meanAbsDerivative: meanAbs,
      scaledMeanAbsDerivative: scaled,
    };
  }

  const perFeature = chosen.map((j, i) => {
    const ale = acc.ale(j);
    const ice = iceCurves(ctx, rows, j, ale.grid);
    evaluations += rows.length * ale.grid.length;
    ctx.progress("effects", i + 1, chosen.length);
    return { j, grid: ale.grid, ice, ale };
  });

  const { k } = prep;
  const m = rows.length;
  const features: FeatureEffect[] = [];
  for (let kk = 0; kk < k; kk++)
    for (const { j, grid, ice, ale } of perFeature) {
      const g = grid.length;
      const curve = (buf: Float64Array) =>
        rows.map((_, r) => Array.from({ length: g }, (_, t) => jnum(buf[(r * g + t) * k + kk])));
      const pdp = Array.from({ length: g }, (_, t) => {
        let s = 0;
        for (let r = 0; r < m; r++) s += ice.values[(r * g + t) * k + kk];
        return jnum(m > 0 ? s / m : NaN);
      });
      features.push({
        output: prep.outputs.components[kk].name,
        outputIndex: kk,
        feature: prep.inputs.features[j].name,
        featureIndex: j,
        grid: grid.map(jnum),
        pdp,
        ale: jvec(ale.curves[kk]),
        ice: curve(ice.values),
        dice: curve(ice.slopes),
        iceRows: rows.slice(),
        binCounts: Array.from(ale.counts),
        aleSkippedRows: ale.skipped,
      });
    }
  return { features, selection, evaluations };
}

function positiveInt(x: number, name: string, who: string): number {
  if (!Number.isInteger(x) || x < 1)
    throw new ValueError(`${who}: ${name} must be a positive integer, got ${x}`);
  return x;
}

/** Index of a feature by name, or a ValueError listing the names there are. */
export function featureIndex(features: readonly { name: string }[], name: string, who: string): number {
  const j = features.findIndex((f) => f.name === name);
  if (j < 0)
    throw new ValueError(
      `${who}: '${name}' is not a feature (features: ${features.map((f) => f.name).join(", ")})`,
    );
  return j;
}

/**
 * Feature j of every row.
 *
 * @example
 * const prices = featureColumn(ctx, 0); // Float64Array of n values
 */
export function featureColumn(ctx: Context, j: number): Float64Array {
  const { prep } = ctx;
  const ci = prep.diff.find((c) => prep.offsets[c] <= j && j < prep.offsets[c] + prep.columns[c].size)!;
  const { size } = prep.columns[ci];
  const q = j - prep.offsets[ci];
  const out = new Float64Array(prep.n);
  // One number per row (the effects need the whole column for quantiles and ALE bins).
  forEachBatch(prep.rows, (arrays, start, count) => {
    const a = arrays[ci];
    for (let r = 0; r < count; r++) out[start + r] = a[r * size + q];
  });
  return out;
}

/**
 * Outputs and ∂y/∂x_j at `count` points made from base rows with feature j replaced: point p is
 * base row `source[p]` with x_j = `value[p]`. Evaluated in engine batches.
 */
function evaluateAlong(
  ctx: Context,
  base: Points,
  source: Int32Array,
  value: Float64Array,
  j: number,
): { values: Float64Array; slopes: Float64Array } {
  const { k, d } = ctx.prep;
  const count = source.length;
  const z = new Float64Array(count * d);
  for (let p = 0; p < count; p++) {
    z.set(base.z.subarray(source[p] * d, (source[p] + 1) * d), p * d);
    z[p * d + j] = value[p];
  }
  const { values, jac } = ctx.engine.valuesAndJacobian(withFeatures(base, z, source, d));
  const slopes = new Float64Array(count * k);
  for (let p = 0; p < count; p++)
    for (let kk = 0; kk < k; kk++) slopes[p * k + kk] = jac[(p * k + kk) * d + j];
  return { values, slopes };
}

/** ICE values and slopes, [rows × grid × K], evaluated a batch of points at a time. */
function iceCurves(ctx: Context, rows: number[], j: number, grid: number[]) {
  const { k } = ctx.prep;
  const g = grid.length;
  const values = new Float64Array(rows.length * g * k);
  const slopes = new Float64Array(rows.length * g * k);
  const chunk = Math.max(1, Math.floor(ctx.engine.batchSize / Math.max(1, g)));
  for (let s = 0; s < rows.length; s += chunk) {
    const part = rows.slice(s, s + chunk);
    const base = pointsFromRows(ctx.prep, part);
    const source = new Int32Array(part.length * g);
    const value = new Float64Array(part.length * g);
    for (let r = 0; r < part.length; r++)
      for (let t = 0; t < g; t++) {
        source[r * g + t] = r;
        value[r * g + t] = grid[t];
      }
    const out = evaluateAlong(ctx, base, source, value, j);
    values.set(out.values, s * g * k);
    slopes.set(out.slopes, s * g * k);
  }
  return { values, slopes };
}
