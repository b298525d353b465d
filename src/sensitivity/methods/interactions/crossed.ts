/**
 * Crossed-derivative interaction measures (Roustant, Fruth, Iooss & Kuhnt 2014, "Crossed-derivative
 * based sensitivity measures for interaction screening", Math. Comput. Simul. 105): for output y_k
 * and features i ≠ j,
 *   ν_ij = E[(∂²y_k/∂x_i∂x_j)²],
 * from exact per-sample Hessians. For independent inputs with Poincaré constants C_i, C_j (those of
 * the DGSM section: (b − a)²/π² for U(a, b), σ² for N(μ, σ²)) it bounds the total interaction
 * (superset) index of the pair, the variance share of every ANOVA term that contains both:
 *   D_ij^super / Var(y) ≤ C_i · C_j · ν_ij / Var(y),
 * and ν_ij = 0 exactly when y has no i–j interaction (y is a sum of a function without x_i and
 * one without x_j). Everything is accumulated in one streaming pass over the data's Hessians;
 * intervals come from a Poisson bootstrap of ν and Var(y) jointly, distribution parameters held
 * fixed, as for DGSM.
 */
import { ValueError } from "../../../core/errors.js";
import { percentileInterval } from "../../stats/bootstrap.js";
import { createContext, type CommonOptions } from "../../engine/context.js";
import type { InputData } from "../../engine/data.js";
import { dgsmDistributions, type DgsmDistributionOption } from "../dgsm.js";
import { featureMoments } from "../../engine/features.js";
import { jnum } from "../../result/json.js";
import { MeanSquares } from "../../stats/meanSquares.js";
import { derivativePass, type BatchConsumer, type DerivativeBatch } from "../../engine/pass.js";
import { subSeed } from "../../stats/sampling.js";
import type { DgsmDistribution } from "../../sections/dgsm/schema.js";
import type { InputsSection, JsonNumber, OutputsSection } from "../../result/schemaBase.js";
import type { Target } from "../../engine/target.js";

/**
 * Options of `crossedDerivatives` (the distribution option is DGSM's, so both sections use the same
 * Poincaré constants).
 *
 * @example
 * crossedDerivatives(model, data, { dgsmDistribution: "normal", bootstrap: 500, confidenceLevel: 0.9, seed: 3 });
 */
export interface CrossedDerivativeOptions {
  /** Input distributions behind the Poincaré constants. Default "uniform" over the data's range. */
  dgsmDistribution?: DgsmDistributionOption;
  /** Bootstrap replicates; 0 turns intervals off. Default 200. */
  bootstrap?: number;
  /** Confidence level of the percentile intervals. Default 0.95. */
  confidenceLevel?: number;
  seed?: number;
}

/**
 * One (output, feature pair): ν, the bound on the pair's total interaction index, and their
 * percentile intervals.
 *
 * @example
 * const top: InteractionPair = crossedDerivatives(model, data).pairs[0];
 * `${top.features.join(" × ")}: ν = ${top.nu}, S_ij^super ≤ ${top.bound}`;
 */
export interface InteractionPair {
  output: string;
  outputIndex: number;
  /** The two features by name, in feature order. */
  features: [string, string];
  featureIndices: [number, number];
  /** ν_ij = E[(∂²y/∂x_i∂x_j)²] over the rows. */
  nu: JsonNumber;
  /** C_i·C_j·ν_ij / Var(y): an upper bound on the pair's total interaction (superset) index. */
  bound: JsonNumber;
  /** Percentile interval of ν (null when bootstrap is off or ν is not finite). */
  ci: [JsonNumber, JsonNumber] | null;
  /** Percentile interval of the bound. */
  boundCi: [JsonNumber, JsonNumber] | null;
}

/**
 * Crossed-derivative measures of every feature pair and output, ranked by ν descending.
 *
 * @example
 * const r: InteractionsResult = crossedDerivatives(model, data);
 * r.pairs.filter((p) => p.bound! > 0.05); // pairs that may carry more than 5% of Var(y)
 */
export interface InteractionsResult {
  /** Sorted by ν descending (non-finite last; ties in output, then feature order). */
  pairs: InteractionPair[];
  distributions: DgsmDistribution[];
  outputVariance: { output: string; outputIndex: number; variance: JsonNumber }[];
  bootstrap: { replicates: number; level: number; seed: number; method: "poisson" } | null;
  /** Rows the expectations are over. */
  rows: number;
}

/**
 * Accumulates Σ(∂²y/∂x_i∂x_j)² over feature pairs i < j (the Hessian's two triangles averaged, so
 * rounding asymmetry of the AD Hessian cannot make ν depend on the order), the mean and variance
 * of y, and Poisson-bootstrap replicate sums of both, batch by batch. Needs the pass's Hessians
 * (`derivativePass(ctx, true, …)`).
 *
 * @example
 * const acc = new CrossedDerivativeAccumulator(prep.k, prep.d, 200, seed);
 * derivativePass(ctx, true, [acc]);
 * acc.nu(); // [K × pairs]
 */
export class CrossedDerivativeAccumulator implements BatchConsumer {
  readonly pairs: [number, number][] = [];
  private readonly stats: MeanSquares;
  /** Scratch: this row's squared crossed derivatives [K × pairs]. */
  private readonly sq: Float64Array;

  constructor(
    readonly k: number,
    readonly d: number,
    readonly replicates: number,
    seed: number,
  ) {
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) this.pairs.push([i, j]);
    const cols = k * this.pairs.length;
    this.stats = new MeanSquares(k, cols, replicates, subSeed(seed, "interactions-bootstrap"));
    this.sq = new Float64Array(cols);
  }

  add(b: DerivativeBatch): void {
    const hess = b.hess;
    if (hess === null)
      throw new ValueError(
        "crossed derivatives need per-sample Hessians: run the pass with secondOrder = true",
      );
    const { k, d, pairs, sq, stats } = this;
    const np = pairs.length;
    for (let r = 0; r < b.count; r++) {
      for (let kk = 0; kk < k; kk++) {
        const h = (r * k + kk) * d * d;
        for (let p = 0; p < np; p++) {
          const [i, j] = pairs[p];
          const x = 0.5 * (hess[h + i * d + j] + hess[h + j * d + i]);
          sq[kk * np + p] = x * x;
        }
      }
      stats.addRow(sq, b.values, r * k);
    }
  }

  /** Rows seen. */
  get count(): number {
    return this.stats.count;
  }

  /** ν per (output, pair), [K × pairs]. */
  nu(): Float64Array {
    return this.stats.means();
  }

  /** Population variance of each output. */
  outputVariance(): Float64Array {
    return this.stats.outputVariance();
  }

  /** Bootstrap replicates of ν [B × K·pairs] and of Var(y) [B × K]. */
  replicateStats(): { nu: Float64Array; variance: Float64Array } {
    const { means, variance } = this.stats.replicateStats();
    return { nu: means, variance };
  }
}

/**
 * Assembles the ranked pairs from an accumulator, the layout and the DGSM distributions.
 *
 * @example
 * const result = interactionsResult(acc, prep, dgsmDistributions(prep.inputs, featureMoments(prep)), { replicates: 200, level: 0.95, seed: 0 });
 */
export function interactionsResult(
  acc: CrossedDerivativeAccumulator,
  layout: { inputs: InputsSection; outputs: OutputsSection },
  distributions: DgsmDistribution[],
  bootstrap: { replicates: number; level: number; seed: number },
): InteractionsResult {
  const { k, pairs } = acc;
  const np = pairs.length;
  const nu = acc.nu();
  const variance = acc.outputVariance();
  const c = distributions.map((x) => x.poincareConstant ?? NaN);
  const reps = bootstrap.replicates > 0 ? acc.replicateStats() : null;
  const interval = (point: number, f: (rep: number) => number): [JsonNumber, JsonNumber] | null => {
    if (!reps || !Number.isFinite(point)) return null;
    const iv = percentileInterval(
      Array.from({ length: bootstrap.replicates }, (_, rep) => f(rep)),
      bootstrap.level,
    );
    return iv ? [jnum(iv[0]), jnum(iv[1])] : null;
  };
  const features = layout.inputs.features;
  const out: InteractionPair[] = [];
  for (let kk = 0; kk < k; kk++)
    pairs.forEach(([i, j], p) => {
      const col = kk * np + p;
      const cc = c[i] * c[j];
      const bound = (cc * nu[col]) / variance[kk];
      out.push({
        output: layout.outputs.components[kk].name,
        outputIndex: kk,
        features: [features[i].name, features[j].name],
        featureIndices: [i, j],
        nu: jnum(nu[col]),
        bound: jnum(bound),
        ci: interval(nu[col], (rep) => reps!.nu[rep * k * np + col]),
        boundCi: interval(bound, (rep) => (cc * reps!.nu[rep * k * np + col]) / reps!.variance[rep * k + kk]),
      });
    });
  // Stable sort: ν descending, non-finite (null) last; equal ν keep output-then-pair order.
  out.sort((a, b) => (b.nu ?? -Infinity) - (a.nu ?? -Infinity) || 0);
  return {
    pairs: out,
    distributions,
    outputVariance: layout.outputs.components.map((oc, kk) => ({
      output: oc.name,
      outputIndex: kk,
      variance: jnum(variance[kk]),
    })),
    bootstrap: bootstrap.replicates > 0 ? { ...bootstrap, method: "poisson" } : null,
    rows: acc.count,
  };
}

/**
 * Crossed-derivative interaction measures of every feature pair over the data: ν_ij =
 * E[(∂²y/∂x_i∂x_j)²] from exact per-sample Hessians, the bound C_i·C_j·ν_ij/Var(y) on the pair's
 * total interaction (superset) Sobol' index for independent inputs, bootstrap intervals, pairs
 * ranked by ν. Costs one Hessian per row (forward-over-reverse), K·D² numbers per row alive per
 * batch.
 *
 * @example
 * // y = x0·x1 + sin(x2): only (x0, x1) interacts, with ∂²y/∂x0∂x1 = 1.
 * const f = ({ x }: Record<string, Tensor>) =>
 *   x.slice([[0, null], [0, 1]]).mul(x.slice([[0, null], [1, 2]])).add(x.slice([[0, null], [2, 3]]).sin()).reshape([-1]);
 * const r = crossedDerivatives(f, { x: random.uniform([2000, 3], { seed: 0 }) });
 * r.pairs[0].features; // ["x[0]", "x[1]"], nu = 1
 */
export function crossedDerivatives(
  target: Target,
  data: InputData,
  opts: CrossedDerivativeOptions & CommonOptions = {},
): InteractionsResult {
  const ctx = createContext(target, data, opts, "crossedDerivatives");
  const { prep } = ctx;
  const seed = opts.seed ?? 0;
  const replicates = opts.bootstrap ?? 200;
  const level = opts.confidenceLevel ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new ValueError(
      `crossedDerivatives: bootstrap must be a non-negative integer (replicates), got ${replicates}`,
    );
  if (!(level > 0 && level < 1))
    throw new ValueError(`crossedDerivatives: confidenceLevel must be in (0, 1), got ${level}`);
  const distributions = dgsmDistributions(prep.inputs, featureMoments(prep), opts.dgsmDistribution);
  const acc = new CrossedDerivativeAccumulator(prep.k, prep.d, replicates, seed);
  derivativePass(ctx, true, [acc]);
  return interactionsResult(acc, prep, distributions, { replicates, level, seed });
}
