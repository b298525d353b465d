/**
 * The sensitivity result, schema version 1: TypeScript types of the JSON object `analyze`
 * returns. Every field is documented in docs/sensitivity-schema.md. The result holds only plain
 * objects, arrays, strings, booleans, finite numbers and `null`, so
 * `JSON.parse(JSON.stringify(result))` deep-equals `result`.
 *
 * Index conventions used throughout: `r` a retained row, `s` an explained (attribution) sample,
 * `k` an output component (`outputs.components`), `j` a feature (`inputs.features`), `p` a
 * price feature (`summary.finance.priceFeatures`). Arrays are nested in that order.
 */

/** A finite number, or `null` for a value that is not finite (NaN, ±∞) or not defined. */
export type JsonNumber = number | null;

/** One differentiated scalar: component `index` (row-major, flat) of input `input`. */
export interface FeatureInfo {
  name: string;
  input: string;
  index: number;
}

export interface InputInfo {
  name: string;
  /** Shape of one sample (the data's shape without the leading N). */
  shape: number[];
  size: number;
  dtype: string;
  /** False for inputs held constant (not in `wrt`, e.g. integer category codes). */
  differentiated: boolean;
  priceLike: boolean;
  /** Position of the input's first feature in `features`, or null when not differentiated. */
  offset: number | null;
}

export interface InputsSection {
  names: string[];
  items: InputInfo[];
  /** The flattened differentiated features: the `j` axis of every array in the result. */
  features: FeatureInfo[];
  priceLike: string[];
}

/** One scalar output: component `index` (row-major, flat) of output `output`. */
export interface OutputComponentInfo {
  name: string;
  output: string;
  index: number;
}

export interface OutputInfo {
  name: string;
  /** Shape of one sample's output. */
  shape: number[];
  size: number;
  /** Position of the output's first component in `components`. */
  offset: number;
}

export interface OutputsSection {
  names: string[];
  items: OutputInfo[];
  /** The flattened output components: the `k` axis of every array in the result. */
  components: OutputComponentInfo[];
}

/** Distribution of one quantity over the samples. */
export interface DistributionStats {
  /** Samples counted (finite and defined). */
  count: number;
  /** Samples whose value was NaN or ±∞ (left out of every statistic). */
  nonFinite: number;
  /** Samples where the quantity is not defined (e.g. an elasticity at |y| below tolerance). */
  excluded: number;
  mean: JsonNumber;
  meanAbs: JsonNumber;
  rms: JsonNumber;
  /** Population standard deviation (ddof = 0), so rms² = mean² + std². */
  std: JsonNumber;
  min: JsonNumber;
  max: JsonNumber;
  /** At `summary.quantileLevels`. */
  quantiles: JsonNumber[];
  /** Share of counted samples with a value > 0 (sign consistency). */
  positiveShare: JsonNumber;
  /** Share of counted samples with a value < 0. */
  negativeShare: JsonNumber;
}

export interface OutputStatsEntry {
  output: string;
  outputIndex: number;
  stats: DistributionStats;
}

/** Statistics of one (output component, feature) pair. */
export interface CellStatsEntry {
  output: string;
  outputIndex: number;
  feature: string;
  featureIndex: number;
  stats: DistributionStats;
}

export interface RankedFeature {
  feature: string;
  featureIndex: number;
  value: JsonNumber;
}

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

export interface HessianSummaryEntry {
  output: string;
  outputIndex: number;
  /** Mean of ∂²y/∂x_i∂x_j over the samples, [i][j]. */
  mean: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

export interface ElasticitySummary {
  /** A sample's ε_k· are excluded when |y_k| ≤ outputTolerance · Σ_i |∂y_k/∂x_i · x_i| (relative). */
  outputTolerance: number;
  /** Absolute |x_j| threshold below which a sample's elasticity for feature j is excluded, [j]. */
  inputTolerance: JsonNumber[];
  entries: CellStatsEntry[];
}

/** Statistics of a per-price quantity (delta, gamma). */
export interface PriceStatsEntry {
  output: string;
  outputIndex: number;
  price: string;
  priceIndex: number;
  stats: DistributionStats;
}

/** Statistics of ∂²y/∂price∂x_j. */
export interface CrossGammaStatsEntry extends PriceStatsEntry {
  feature: string;
  featureIndex: number;
}

export interface FinanceSummary {
  /** The price features (by name); `p` indexes this list. */
  priceFeatures: string[];
  /** Feature index of each price feature. */
  priceFeatureIndices: number[];
  delta: PriceStatsEntry[];
  gamma: PriceStatsEntry[];
  crossGamma: CrossGammaStatsEntry[];
}

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

export interface PerSampleFinance {
  /** ∂y_k/∂price_p, [r][k][p]. */
  delta: JsonNumber[][][];
  /** ∂²y_k/∂price_p², [r][k][p]. */
  gamma: JsonNumber[][][];
  /** ∂²y_k/∂price_p∂x_j, [r][k][p][j]. */
  crossGamma: JsonNumber[][][][];
}

export interface PerSampleSection {
  /** Data row index of each retained row. */
  rows: number[];
  /** Feature values, [r][j]. */
  features: JsonNumber[][];
  /** Outputs, [r][k]. */
  values: JsonNumber[][];
  /** ∂y_k/∂x_j, [r][k][j]. */
  gradients: JsonNumber[][][];
  /** ∂²y_k/∂x_i∂x_j including cross-input blocks, [r][k][i][j]; null unless `secondOrder`. */
  hessians: JsonNumber[][][][] | null;
  /** ∂y_k/∂x_j · x_j / y_k, [r][k][j]; null entries are excluded (near zero) or not finite. */
  elasticities: JsonNumber[][][] | null;
  finance: PerSampleFinance | null;
}

/** Per-sample derivatives with the layout needed to read them (what `perSampleDerivatives` returns). */
export interface PerSampleDerivatives {
  inputs: InputsSection;
  outputs: OutputsSection;
  perSample: PerSampleSection;
}

export interface InputXGradientSection {
  /** x_j · ∂y_k/∂x_j, [s][k][j]. */
  attributions: JsonNumber[][][];
  /** Mean |attribution| over the explained samples, [k][j]. */
  meanAbs: JsonNumber[][];
}

export interface IntegratedGradientsSection {
  baseline: { kind: "zeros" | "mean" | "values"; features: JsonNumber[] };
  method: "riemann-left" | "riemann-mid" | "trapezoid" | "gauss-legendre";
  /** Steps (or Gauss–Legendre points) of the first attempt. */
  steps: number;
  adaptive: boolean;
  maxSteps: number;
  /** Absolute completeness tolerance the adaptive mode aimed for (output units). */
  tolerance: JsonNumber;
  /** Every explained sample met the tolerance (also reported when not adaptive). */
  converged: boolean;
  /** Steps used per explained sample, [s]. */
  stepsUsed: number[];
  /** Gradient evaluations spent in total (all attempts). */
  gradientEvaluations: number;
  attributions: JsonNumber[][][];
  /** Σ_j IG_kj − (f_k(x) − f_k(baseline)), [s][k]. */
  completenessDelta: JsonNumber[][];
  maxAbsCompletenessDelta: JsonNumber;
  output: JsonNumber[][];
  baselineOutput: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

export interface SmoothGradSection {
  noiseLevel: number;
  /** σ_j = noiseLevel · std(x_j), [j]. */
  noiseStd: JsonNumber[];
  samples: number;
  seed: number;
  /** E[∂y_k/∂x_j (x + noise)], [s][k][j]. */
  gradients: JsonNumber[][][];
  meanAbs: JsonNumber[][];
}

export interface ExpectedGradientsSection {
  samples: number;
  seed: number;
  /** Number of rows the background was drawn from. */
  backgroundRows: number;
  attributions: JsonNumber[][][];
  /** Σ_j φ_kj − (f_k(x) − mean of f_k over the drawn background rows), [s][k] (Monte Carlo). */
  completenessDelta: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

export interface AttributionSection {
  /** Data row index of each explained sample. */
  rows: number[];
  inputXGradient: InputXGradientSection;
  integratedGradients: IntegratedGradientsSection | null;
  smoothGrad: SmoothGradSection | null;
  expectedGradients: ExpectedGradientsSection | null;
}

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

export interface DgsmSection {
  distributions: DgsmDistribution[];
  outputVariance: { output: string; outputIndex: number; variance: JsonNumber }[];
  bootstrap: { replicates: number; level: number; seed: number; method: "poisson" } | null;
  entries: DgsmEntry[];
}

export interface VerificationEntry {
  maxAbsError: JsonNumber;
  maxRelError: JsonNumber;
  passed: boolean;
}

export interface VerificationFeatureEntry extends VerificationEntry {
  feature: string;
  featureIndex: number;
  input: string;
  /** Largest finite-difference step used for this feature. */
  maxStep: JsonNumber;
}

export interface VerificationBlock {
  passed: boolean;
  perInput: (VerificationEntry & { input: string })[];
  perFeature: VerificationFeatureEntry[];
}

export interface VerificationSection {
  rows: number[];
  rtol: number;
  passed: boolean;
  /** First derivatives vs central differences of the outputs. */
  gradients: VerificationBlock;
  /** Hessians vs central differences of the gradients; null unless `secondOrder`. */
  hessians: VerificationBlock | null;
}

export interface ErrorStats {
  mean: JsonNumber;
  meanAbs: JsonNumber;
  rms: JsonNumber;
  maxAbs: JsonNumber;
}

export interface WhatIfOutputEntry {
  output: string;
  outputIndex: number;
  meanBaseline: JsonNumber;
  meanExactChange: JsonNumber;
  meanFirstOrderChange: JsonNumber;
  meanSecondOrderChange: JsonNumber;
  /** Of first-order prediction − exact output. */
  firstOrderError: ErrorStats;
  secondOrderError: ErrorStats;
}

export interface WhatIfPerSample {
  rows: number[];
  baseline: JsonNumber[][];
  firstOrder: JsonNumber[][];
  secondOrder: JsonNumber[][];
  exact: JsonNumber[][];
}

export interface WhatIfScenarioResult {
  name: string;
  shock: Record<string, ShockSpecJson>;
  outputs: WhatIfOutputEntry[];
  perSample: WhatIfPerSample | null;
}

/** A shock of one input, as given (see `ShockSpec`). */
export interface ShockSpecJson {
  index: number | number[] | null;
  relative: number | number[] | null;
  absolute: number | number[] | null;
}

export interface WhatIfSection {
  /** Number of rows evaluated. */
  rows: number;
  scenarios: WhatIfScenarioResult[];
}

export interface MetaSection {
  gradlensVersion: string;
  n: number;
  batchSize: number;
  /** How per-sample Jacobians were computed: "reverse" (vjp per output) or "forward" (jvp per feature). */
  derivativeMode: "reverse" | "forward";
  secondOrder: boolean;
  seed: number;
  /** The options in effect after defaults (functions left out). */
  options: Record<string, unknown>;
  timingsMs: {
    total: number;
    /** Reading data, probing the target, row-independence check, feature moments. */
    setup: number;
    /** The streaming pass: outputs, derivatives and their accumulation. */
    derivatives: number;
    /** Finishing summary, DGSM and per-sample sections (quantile selection, bootstrap intervals). */
    summary: number;
    attribution: number;
    verification: number;
    whatif: number;
  };
}

export interface SensitivityResult {
  schemaVersion: 1;
  inputs: InputsSection;
  outputs: OutputsSection;
  perSample: PerSampleSection | null;
  summary: SummarySection;
  attribution: AttributionSection | null;
  dgsm: DgsmSection | null;
  verification: VerificationSection | null;
  whatif: WhatIfSection | null;
  meta: MetaSection;
}
