/**
 * Derivative-based global sensitivity measures (DGSM). For output y_k and feature x_j,
 * ν_kj = E[(∂y_k/∂x_j)²] over the data. For independent inputs they bound the total Sobol' index
 * (Sobol' & Kucherenko 2009; Lamboni, Iooss, Popelin & Gamboa 2013, via Poincaré inequalities):
 *   x_j ~ U(a, b):  S_T,kj ≤ (b − a)²/π² · ν_kj / Var(y_k)
 *   x_j ~ N(μ, σ²): S_T,kj ≤ σ² · ν_kj / Var(y_k)
 * The constant C_j is the Poincaré constant of x_j's distribution. Ranges and σ are estimated from
 * the data (or given), Var(y_k) is the population variance of the data's outputs, and ν the mean
 * over all rows, all accumulated in the one streaming pass. Confidence intervals come from a
 * Poisson bootstrap (see bootstrap.ts) of ν and Var(y) jointly; the distribution parameters are
 * held fixed (treated as known).
 */
import { ValueError } from "../../core/errors.js";
import { percentileInterval } from "../stats/bootstrap.js";
import { createContext, type CommonOptions } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { featureMoments, type FeatureMoments } from "../engine/features.js";
import { jnum } from "../result/json.js";
import { MeanSquares } from "../stats/meanSquares.js";
import { derivativePass, type BatchConsumer, type DerivativeBatch } from "../engine/pass.js";
import { subSeed } from "../stats/sampling.js";
import type { DgsmDistribution, DgsmSection } from "../sections/dgsm/schema.js";
import type { InputsSection, OutputsSection } from "../result/schemaBase.js";
import type { Target } from "../engine/target.js";

/**
 * The assumed distribution of one feature: its kind (parameters from the data), or explicit parameters.
 *
 * @example
 * const spec: DgsmDistributionSpec = { type: "normal", std: 0.5 };
 */
export type DgsmDistributionSpec =
  | "uniform"
  | "normal"
  | { type: "uniform"; low: number; high: number }
  | { type: "normal"; std: number; mean?: number };

/**
 * One kind for every feature, or a spec per feature name or input name (others are "uniform").
 *
 * @example
 * const d: DgsmDistributionOption = { price: { type: "uniform", low: 50, high: 150 }, features: "normal" };
 */
export type DgsmDistributionOption = "uniform" | "normal" | Record<string, DgsmDistributionSpec>;

/**
 * Options of `dgsm` (also accepted by `analyze`).
 *
 * @example
 * dgsm(model, data, { dgsmDistribution: "normal", bootstrap: 1000, confidenceLevel: 0.9, seed: 7 });
 */
export interface DgsmOptions {
  /** Default "uniform". */
  dgsmDistribution?: DgsmDistributionOption;
  /** Bootstrap replicates; 0 turns intervals off. Default 200. */
  bootstrap?: number;
  /** Confidence level of the percentile intervals. Default 0.95. */
  confidenceLevel?: number;
  seed?: number;
}

export const DEFAULT_BOOTSTRAP = 200;

/** Per-feature distributions and Poincaré constants. */
export function dgsmDistributions(
  inputs: InputsSection,
  moments: FeatureMoments,
  option: DgsmDistributionOption = "uniform",
): DgsmDistribution[] {
  if (typeof option === "object" && option !== null)
    for (const key of Object.keys(option))
      if (!inputs.features.some((f) => f.name === key || f.input === key))
        throw new ValueError(
          `dgsm: dgsmDistribution names '${key}', which is neither a feature nor an input`,
        );
  return inputs.features.map((f, j) => {
    const spec: DgsmDistributionSpec =
      typeof option === "string" ? option : (option[f.name] ?? option[f.input] ?? "uniform");
    const base = { feature: f.name, featureIndex: j };
    const kind = typeof spec === "string" ? spec : spec.type;
    if (kind === "uniform") {
      const low = typeof spec === "object" && spec.type === "uniform" ? spec.low : moments.min[j];
      const high = typeof spec === "object" && spec.type === "uniform" ? spec.high : moments.max[j];
      if (!(high >= low))
        throw new ValueError(`dgsm: feature '${f.name}' has a uniform range [${low}, ${high}]`);
      const c = ((high - low) * (high - low)) / (Math.PI * Math.PI);
      return {
        ...base,
        type: "uniform",
        low: jnum(low),
        high: jnum(high),
        mean: null,
        std: null,
        poincareConstant: jnum(c),
      };
    }
    if (kind === "normal") {
      const std = typeof spec === "object" && spec.type === "normal" ? spec.std : moments.std[j];
      const mean =
        typeof spec === "object" && spec.type === "normal" ? (spec.mean ?? moments.mean[j]) : moments.mean[j];
      if (!(std >= 0)) throw new ValueError(`dgsm: feature '${f.name}' has a normal std of ${std}`);
      return {
        ...base,
        type: "normal",
        low: null,
        high: null,
        mean: jnum(mean),
        std: jnum(std),
        poincareConstant: jnum(std * std),
      };
    }
    throw new ValueError(
      `dgsm: unknown distribution '${String(kind)}' for feature '${f.name}' (expected "uniform" or "normal")`,
    );
  });
}

/**
 * Accumulates Σ(∂y/∂x)², the mean and variance of y and their Poisson-bootstrap replicates over
 * derivative batches (the shared `MeanSquares`, with replicate weights from a stream derived from
 * the analysis seed).
 *
 * @example
 * const acc = new DgsmAccumulator(prep.k, prep.d, 200, seed);
 * derivativePass(ctx, false, [acc]);
 * acc.nu(); // [K × D]
 */
export class DgsmAccumulator implements BatchConsumer {
  private readonly stats: MeanSquares;
  /** Scratch: this row's squared derivatives. */
  private readonly sq: Float64Array;

  constructor(
    private readonly k: number,
    private readonly d: number,
    replicates: number,
    seed: number,
  ) {
    this.stats = new MeanSquares(k, k * d, replicates, subSeed(seed, "dgsm-bootstrap"));
    this.sq = new Float64Array(k * d);
  }

  add(b: DerivativeBatch): void {
    const { k, d, sq, stats } = this;
    const cols = k * d;
    for (let r = 0; r < b.count; r++) {
      for (let c = 0; c < cols; c++) {
        const g = b.jac[r * cols + c];
        sq[c] = g * g;
      }
      stats.addRow(sq, b.values, r * k);
    }
  }

  /** Population variance of each output over the rows seen. */
  outputVariance(): Float64Array {
    return this.stats.outputVariance();
  }

  /** ν per column. */
  nu(): Float64Array {
    return this.stats.means();
  }

  /** Bootstrap replicates of ν [B × K·D] and of Var(y) [B × K]. */
  replicateStats(): { nu: Float64Array; variance: Float64Array } {
    const { means, variance } = this.stats.replicateStats();
    return { nu: means, variance };
  }
}

/** Assembles the DGSM section from the accumulated sums. */
export function dgsmSection(
  acc: DgsmAccumulator,
  layout: { inputs: InputsSection; outputs: OutputsSection; d: number; k: number },
  distributions: DgsmDistribution[],
  bootstrap: { replicates: number; level: number; seed: number },
): DgsmSection {
  const { d, k, inputs, outputs } = layout;
  const nu = acc.nu();
  const outputVariance = acc.outputVariance();
  const c = distributions.map((x) => x.poincareConstant ?? NaN);
  const reps = bootstrap.replicates > 0 ? acc.replicateStats() : null;
  const interval = (f: (rep: number) => number) =>
    reps
      ? ((percentileInterval(
          Array.from({ length: bootstrap.replicates }, (_, rep) => f(rep)),
          bootstrap.level,
        )?.map(jnum) as [number | null, number | null] | undefined) ?? null)
      : null;
  const entries = outputs.components.flatMap((oc, kk) => {
    let total = 0;
    let scaledTotal = 0;
    for (let j = 0; j < d; j++) {
      total += nu[kk * d + j];
      scaledTotal += c[j] * nu[kk * d + j];
    }
    return inputs.features.map((f, j) => {
      const col = kk * d + j;
      return {
        output: oc.name,
        outputIndex: kk,
        feature: f.name,
        featureIndex: j,
        nu: jnum(nu[col]),
        share: jnum(nu[col] / total),
        scaledShare: jnum((c[j] * nu[col]) / scaledTotal),
        sobolTotalUpperBound: jnum((c[j] * nu[col]) / outputVariance[kk]),
        nuInterval: interval((rep) => reps!.nu[rep * k * d + col]),
        boundInterval: interval((rep) => (c[j] * reps!.nu[rep * k * d + col]) / reps!.variance[rep * k + kk]),
      };
    });
  });
  return {
    distributions,
    outputVariance: outputs.components.map((oc, kk) => ({
      output: oc.name,
      outputIndex: kk,
      variance: jnum(outputVariance[kk]),
    })),
    bootstrap: bootstrap.replicates > 0 ? { ...bootstrap, method: "poisson" } : null,
    entries,
  };
}

/** Checks and fills in bootstrap options. */
export function resolveBootstrap(opts: DgsmOptions, seed: number) {
  const replicates = opts.bootstrap ?? DEFAULT_BOOTSTRAP;
  const level = opts.confidenceLevel ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new ValueError(`dgsm: bootstrap must be a non-negative integer (replicates), got ${replicates}`);
  if (!(level > 0 && level < 1))
    throw new ValueError(`dgsm: confidenceLevel must be in (0, 1), got ${level}`);
  return { replicates, level, seed };
}

/**
 * DGSM of every (output, feature) pair over the data, with bootstrap intervals and the upper
 * bounds on total Sobol' indices they imply.
 *
 * @example
 * const r = dgsm(({ x }) => x.square().sum({ axis: 1 }), { x: random.uniform([1000, 3], { seed: 0 }) }, {
 *   dgsmDistribution: "uniform",
 *   bootstrap: 200,
 * });
 * r.entries[0].nu; // ≈ E[(2x)²] = 4/3
 */
export function dgsm(target: Target, data: InputData, opts: DgsmOptions & CommonOptions = {}): DgsmSection {
  const ctx = createContext(target, data, opts);
  const { prep } = ctx;
  const seed = opts.seed ?? 0;
  const distributions = dgsmDistributions(prep.inputs, featureMoments(prep), opts.dgsmDistribution);
  const boot = resolveBootstrap(opts, seed);
  const acc = new DgsmAccumulator(prep.k, prep.d, boot.replicates, boot.seed);
  derivativePass(ctx, false, [acc]);
  return dgsmSection(acc, prep, distributions, boot);
}
