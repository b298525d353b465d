/**
 * JSON types of the summary section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { DistributionStats, JsonNumber } from "../../result/schemaBase.js";

/**
 * Statistics of one output component's values over the samples.
 *
 * @example
 * const v: OutputStatsEntry = result.summary.values[0];
 * v.stats.mean; // the mean of output component 0
 */
export interface OutputStatsEntry {
  output: string;
  outputIndex: number;
  stats: DistributionStats;
}

/**
 * Statistics of one (output component, feature) pair.
 *
 * @example
 * const g: CellStatsEntry = result.summary.gradients.find((c) => c.feature === "price")!;
 * g.stats.positiveShare; // share of rows where ∂y/∂price > 0
 */
export interface CellStatsEntry {
  output: string;
  outputIndex: number;
  feature: string;
  featureIndex: number;
  stats: DistributionStats;
}

/**
 * One feature in a ranking, with the value it is ranked by.
 *
 * @example
 * const top: RankedFeature = result.summary.ranking[0].byScaled[0];
 * top.feature; // the feature whose one-σ move changes output 0 most
 */
export interface RankedFeature {
  feature: string;
  featureIndex: number;
  value: JsonNumber;
}

/**
 * The features ranked three ways for one output component.
 *
 * @example
 * const ranking: RankingEntry = result.summary.ranking[0];
 * ranking.byScaled.map((r) => r.feature); // most influential first
 */
export interface RankingEntry {
  output: string;
  outputIndex: number;
  /**
   * Features by σ_j · mean |∂y/∂x_j| (σ_j: the feature's standard deviation over the data), the
   * typical output change for a one-σ move of the feature: unit-free, so features measured in
   * different units compare. Largest first; the default ranking.
   */
  byScaled: RankedFeature[];
  /** Features by mean |∂y/∂x_j| (in output units per input unit), largest first. */
  byMeanAbs: RankedFeature[];
  /** Features by RMS of ∂y/∂x_j (√ν_j, the DGSM scale), largest first. */
  byRms: RankedFeature[];
}

/**
 * Mean second derivatives of one output component (with `secondOrder`).
 *
 * @example
 * const h: HessianSummaryEntry = result.summary.hessian![0]; // hessian is null without secondOrder
 * h.mean[0][1]; // mean ∂²y/∂x_0∂x_1
 */
export interface HessianSummaryEntry {
  output: string;
  outputIndex: number;
  /** Mean of ∂²y/∂x_i∂x_j over the samples, [i][j]. */
  mean: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

/**
 * Statistics of the elasticities ∂y/∂x · x / y per (output component, feature), with the
 * tolerances below which samples are excluded.
 *
 * @example
 * const e: ElasticitySummary = result.summary.elasticities!; // null with elasticities: false
 * e.entries[0].stats.mean; // mean elasticity of output 0 with respect to feature 0
 */
export interface ElasticitySummary {
  /** A sample's ε_k· are excluded when |y_k| ≤ outputTolerance · Σ_i |∂y_k/∂x_i · x_i| (relative). */
  outputTolerance: number;
  /** Absolute |x_j| threshold below which a sample's elasticity for feature j is excluded, [j]. */
  inputTolerance: JsonNumber[];
  entries: CellStatsEntry[];
}

/**
 * Statistics of a per-price quantity (delta, gamma).
 *
 * @example
 * const delta: PriceStatsEntry = result.summary.finance!.delta[0];
 * delta.stats.mean; // mean ∂y/∂price over the rows
 */
export interface PriceStatsEntry {
  output: string;
  outputIndex: number;
  price: string;
  priceIndex: number;
  stats: DistributionStats;
}

/**
 * Statistics of ∂²y/∂price∂x_j.
 *
 * @example
 * const cg: CrossGammaStatsEntry = result.summary.finance!.crossGamma[0];
 * cg.stats.mean; // mean ∂²y/∂(cg.price)∂(cg.feature)
 */
export interface CrossGammaStatsEntry extends PriceStatsEntry {
  feature: string;
  featureIndex: number;
}

/**
 * Greeks of the price features (the `finance` option): delta, gamma and cross-gamma statistics.
 *
 * @example
 * const finance: FinanceSummary = result.summary.finance!; // null without the finance option
 * finance.gamma[0].stats.mean;
 */
export interface FinanceSummary {
  /** The price features (by name); `p` indexes this list. */
  priceFeatures: string[];
  /** Feature index of each price feature. */
  priceFeatureIndices: number[];
  delta: PriceStatsEntry[];
  gamma: PriceStatsEntry[];
  crossGamma: CrossGammaStatsEntry[];
}

/**
 * Statistics over all rows: values, gradients, rankings and, when computed, Hessians,
 * elasticities and Greeks.
 *
 * @example
 * const summary: SummarySection = result.summary; // summarize(perSampleDerivatives(…)) gives one too
 * summary.ranking[0].byScaled[0].feature;
 */
export interface SummarySection {
  quantileLevels: number[];
  /** "exact": quantiles over all rows; "sample": over `quantileRows` rows drawn uniformly (seeded). */
  quantileMethod: "exact" | "sample";
  quantileRows: number;
  values: OutputStatsEntry[];
  gradients: CellStatsEntry[];
  ranking: RankingEntry[];
  hessian: HessianSummaryEntry[] | null;
  elasticities: ElasticitySummary | null;
  finance: FinanceSummary | null;
}
