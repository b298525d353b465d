/**
 * JSON types of the dgsm section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { JsonNumber } from "../../result/schemaBase.js";

/**
 * The distribution assumed for one feature in the DGSM bound.
 *
 * @example
 * const dist: DgsmDistribution = result.dgsm!.distributions[0];
 * dist.type; dist.low; dist.high; // "uniform" (the default) over the data's min and max
 */
export interface DgsmDistribution {
  feature: string;
  featureIndex: number;
  type: "uniform" | "normal";
  /** Range for "uniform" (null for "normal"). */
  low: JsonNumber;
  high: JsonNumber;
  /** Mean and standard deviation for "normal" (null for "uniform"). */
  mean: JsonNumber;
  std: JsonNumber;
  /** C_j in S_T,j ≤ C_j·ν_j/Var(f): (b − a)²/π² or σ². */
  poincareConstant: JsonNumber;
}

/**
 * DGSM of one (output component, feature) pair: ν, its shares and the Sobol' bound.
 *
 * @example
 * const e: DgsmEntry = result.dgsm!.entries[0];
 * e.sobolTotalUpperBound; e.nuInterval; // the interval is null with bootstrap: 0
 */
export interface DgsmEntry {
  output: string;
  outputIndex: number;
  feature: string;
  featureIndex: number;
  /** ν_kj = E[(∂y_k/∂x_j)²]. */
  nu: JsonNumber;
  /** ν_kj / Σ_j ν_kj. */
  share: JsonNumber;
  /** C_j·ν_kj / Σ_j C_j·ν_kj (scale-free). */
  scaledShare: JsonNumber;
  /** C_j·ν_kj / Var(y_k), an upper bound on the total Sobol' index S_T,kj (capped at nothing). */
  sobolTotalUpperBound: JsonNumber;
  /** Percentile bootstrap interval for ν, or null without bootstrap. */
  nuInterval: [JsonNumber, JsonNumber] | null;
  boundInterval: [JsonNumber, JsonNumber] | null;
}

/**
 * Derivative-based global sensitivity measures (DGSM) of every (output component, feature) pair.
 *
 * @example
 * const section: DgsmSection = result.dgsm!; // null with dgsm: false; dgsm(model, data) gives one too
 * section.entries.map((e) => [e.output, e.feature, e.scaledShare]);
 */
export interface DgsmSection {
  distributions: DgsmDistribution[];
  outputVariance: { output: string; outputIndex: number; variance: JsonNumber }[];
  bootstrap: { replicates: number; level: number; seed: number; method: "poisson" } | null;
  entries: DgsmEntry[];
}
