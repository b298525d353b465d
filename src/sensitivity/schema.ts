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
import type { NonFiniteCounts } from "./nonfinite.js";

export type { NonFiniteCounts };

/**
 * A finite number, or `null` for a value that is not finite (NaN, ±∞) or not defined.
 *
 * @example
 * const mean: JsonNumber = result.summary.values[0].stats.mean; // null when no sample counted
 */
export type JsonNumber = number | null;

/**
 * One differentiated scalar: component `index` (row-major, flat) of input `input`.
 *
 * @example
 * const f: FeatureInfo = result.inputs.features[1]; // { name: "features[0]", input: "features", index: 0 }
 */
export interface FeatureInfo {
  name: string;
  input: string;
  index: number;
}

/**
 * One input of the target: its per-sample shape and dtype, and where its features start.
 *
 * @example
 * const price: InputInfo = result.inputs.items.find((i) => i.name === "price")!;
 * price.offset; // its feature's index j, or null when held constant
 */
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

/**
 * The target's inputs and the feature axis `j` they flatten to.
 *
 * @example
 * const { names, features }: InputsSection = result.inputs;
 * features.map((f) => f.name); // e.g. ["price", "features[0]", "features[1]"]
 */
export interface InputsSection {
  names: string[];
  items: InputInfo[];
  /** The flattened differentiated features: the `j` axis of every array in the result. */
  features: FeatureInfo[];
  priceLike: string[];
}

/**
 * One scalar output: component `index` (row-major, flat) of output `output`.
 *
 * @example
 * const c: OutputComponentInfo = result.outputs.components[0];
 * c.output; c.index; // the output it belongs to, its flat index there
 */
export interface OutputComponentInfo {
  name: string;
  output: string;
  index: number;
}

/**
 * One output of the target: its per-sample shape and where its components start.
 *
 * @example
 * const out: OutputInfo = result.outputs.items[0]; // { name: "output", shape: [1], size: 1, offset: 0 }
 */
export interface OutputInfo {
  name: string;
  /** Shape of one sample's output. */
  shape: number[];
  size: number;
  /** Position of the output's first component in `components`. */
  offset: number;
}

/**
 * The target's outputs and the component axis `k` they flatten to.
 *
 * @example
 * const { names, components }: OutputsSection = result.outputs;
 */
export interface OutputsSection {
  names: string[];
  items: OutputInfo[];
  /** The flattened output components: the `k` axis of every array in the result. */
  components: OutputComponentInfo[];
}

/**
 * Distribution of one quantity over the samples.
 *
 * @example
 * const s: DistributionStats = result.summary.gradients[0].stats;
 * s.quantiles[2]; // the median, as quantileLevels defaults to [0.05, 0.25, 0.5, 0.75, 0.95]
 */
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

/**
 * Greeks of every retained row, per output component and price feature.
 *
 * @example
 * const fin: PerSampleFinance = result.perSample!.finance!; // with keepPerSample and finance
 * fin.delta[0][0][0]; // ∂y_0/∂price_0 in the first retained row
 */
export interface PerSampleFinance {
  /** ∂y_k/∂price_p, [r][k][p]. */
  delta: JsonNumber[][][];
  /** ∂²y_k/∂price_p², [r][k][p]. */
  gamma: JsonNumber[][][];
  /** ∂²y_k/∂price_p∂x_j, [r][k][p][j]. */
  crossGamma: JsonNumber[][][][];
}

/**
 * Values and derivatives of the retained rows (the `keepPerSample` option).
 *
 * @example
 * const per: PerSampleSection = result.perSample!; // null without keepPerSample
 * per.gradients[0][0][2]; // ∂y_0/∂x_2 in data row per.rows[0]
 */
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

/**
 * Per-sample derivatives with the layout needed to read them (what `perSampleDerivatives` returns).
 *
 * @example
 * const per: PerSampleDerivatives = perSampleDerivatives(model, { price, features });
 * per.perSample.gradients[0][0][2]; // ∂y_0/∂x_2 in row 0, x_2 being per.inputs.features[2]
 */
export interface PerSampleDerivatives {
  inputs: InputsSection;
  outputs: OutputsSection;
  perSample: PerSampleSection;
  /** Non-finite data cells, outputs and derivatives (set by `perSampleDerivatives`). */
  nonFinite?: NonFiniteCounts;
}

/**
 * Input × gradient attributions of the explained samples.
 *
 * @example
 * const ixg: InputXGradientSection = result.attribution!.inputXGradient;
 * ixg.meanAbs[0]; // mean |x_j · ∂y_0/∂x_j| per feature j
 */
export interface InputXGradientSection {
  /** x_j · ∂y_k/∂x_j, [s][k][j]. */
  attributions: JsonNumber[][][];
  /** Mean |attribution| over the explained samples, [k][j]. */
  meanAbs: JsonNumber[][];
}

/**
 * Integrated gradients of the explained samples: the baseline, the path quadrature and its
 * completeness check.
 *
 * @example
 * const ig: IntegratedGradientsSection = result.attribution!.integratedGradients!;
 * ig.converged; ig.maxAbsCompletenessDelta; // attributions sum to f(x) − f(baseline) within tolerance?
 */
export interface IntegratedGradientsSection {
  baseline: { kind: "zeros" | "mean" | "values"; features: JsonNumber[] };
  method: "riemann-left" | "riemann-mid" | "trapezoid" | "gauss-legendre";
  /** Steps (or Gauss–Legendre points) of the first attempt. */
  steps: number;
  adaptive: boolean;
  maxSteps: number;
  /** Absolute completeness tolerance the adaptive mode aimed for (output units). */
  tolerance: JsonNumber;
  /** Every explained sample is trustworthy for every output (also reported when not adaptive). */
  converged: boolean;
  /**
   * [s][k]: the attributions of sample s for output k are finite and their completeness delta is
   * within the tolerance. Untrustworthy attributions stay in `attributions` (null where not
   * finite) for inspection, but must not be read as results.
   */
  trustworthy: boolean[][];
  /** Why some samples are untrustworthy and what to change (baseline, maxSteps); null when converged. */
  reason: string | null;
  /** Steps of each explained sample's final composite rule (pieces × steps), [s]; 0 when not integrated. */
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

/**
 * SmoothGrad: gradients averaged over Gaussian noise around each explained sample.
 *
 * @example
 * const sg: SmoothGradSection = result.attribution!.smoothGrad!;
 * sg.gradients[0][0]; // E[∂y_0/∂x_j] near the first explained sample, per feature j
 */
export interface SmoothGradSection {
  noiseLevel: number;
  /** σ_j = noiseLevel · std(x_j), [j]. */
  noiseStd: JsonNumber[];
  samples: number;
  seed: number;
  /** E[∂y_k/∂x_j (x + noise)], [s][k][j]; null when a noisy copy's gradient was not finite. */
  gradients: JsonNumber[][][];
  meanAbs: JsonNumber[][];
  /** Noisy copies of each sample whose gradient was not finite (they make its average NaN), [s]. */
  nonFiniteSamples: number[];
}

/**
 * Expected gradients: attributions against baselines drawn from the data rows (Monte Carlo).
 *
 * @example
 * const eg: ExpectedGradientsSection = result.attribution!.expectedGradients!;
 * eg.attributions[0][0]; // φ_0j of the first explained sample, per feature j
 */
export interface ExpectedGradientsSection {
  samples: number;
  seed: number;
  /** Number of rows the background was drawn from. */
  backgroundRows: number;
  /** Draws per sample whose baseline output or path gradient was not finite (they make its estimate NaN), [s]. */
  nonFiniteDraws: number[];
  /** [s][k]: every draw was finite, so the estimate is a number (a Monte Carlo one: see completenessDelta). */
  finite: boolean[][];
  attributions: JsonNumber[][][];
  /** Σ_j φ_kj − (f_k(x) − mean of f_k over the drawn background rows), [s][k] (Monte Carlo). */
  completenessDelta: JsonNumber[][];
  meanAbs: JsonNumber[][];
}

/**
 * Attributions of the explained rows (`attributionSamples`), one section per method; a method
 * turned off is null.
 *
 * @example
 * const attribution: AttributionSection = result.attribution!; // null with attributionSamples: 0
 * attribution.rows; attribution.integratedGradients?.attributions;
 */
export interface AttributionSection {
  /** Data row index of each explained sample. */
  rows: number[];
  inputXGradient: InputXGradientSection;
  integratedGradients: IntegratedGradientsSection | null;
  smoothGrad: SmoothGradSection | null;
  expectedGradients: ExpectedGradientsSection | null;
}

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

/**
 * Largest gap between derivatives and finite differences, and whether it is within `rtol`.
 *
 * @example
 * const v: VerificationEntry = result.verification!.gradients.perInput[0];
 * v.passed; v.maxRelError;
 */
export interface VerificationEntry {
  maxAbsError: JsonNumber;
  maxRelError: JsonNumber;
  passed: boolean;
}

/**
 * A `VerificationEntry` for one feature.
 *
 * @example
 * const perFeature: VerificationFeatureEntry[] = result.verification!.gradients.perFeature;
 * perFeature.filter((f) => !f.passed).map((f) => f.feature);
 */
export interface VerificationFeatureEntry extends VerificationEntry {
  feature: string;
  featureIndex: number;
  input: string;
  /** Largest finite-difference step used for this feature. */
  maxStep: JsonNumber;
}

/**
 * The verification of one derivative order, per input and per feature.
 *
 * @example
 * const block: VerificationBlock = result.verification!.gradients; // .hessians with secondOrder
 * block.perInput.map((e) => `${e.input}: ${e.maxRelError}`);
 */
export interface VerificationBlock {
  passed: boolean;
  perInput: (VerificationEntry & { input: string })[];
  perFeature: VerificationFeatureEntry[];
}

/**
 * The check of the derivatives against central finite differences on selected rows.
 *
 * @example
 * const check: VerificationSection = result.verification!; // null with verifySamples: 0
 * if (!check.passed) console.warn(`derivatives differ from finite differences (rtol ${check.rtol})`);
 */
export interface VerificationSection {
  rows: number[];
  rtol: number;
  passed: boolean;
  /** First derivatives vs central differences of the outputs. */
  gradients: VerificationBlock;
  /** Hessians vs central differences of the gradients; null unless `secondOrder`. */
  hessians: VerificationBlock | null;
}

/**
 * Statistics of a Taylor prediction's error over the evaluated rows.
 *
 * @example
 * const err: ErrorStats = result.whatif!.scenarios[0].outputs[0].firstOrderError;
 * err.maxAbs; // worst gap between y + J·Δ and the exact y(x + Δ)
 */
export interface ErrorStats {
  mean: JsonNumber;
  meanAbs: JsonNumber;
  rms: JsonNumber;
  maxAbs: JsonNumber;
}

/**
 * One scenario's effect on one output component: mean exact and predicted changes, and the
 * prediction errors.
 *
 * @example
 * const o: WhatIfOutputEntry = result.whatif!.scenarios[0].outputs[0];
 * o.meanExactChange; o.meanFirstOrderChange; o.meanSecondOrderChange;
 */
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

/**
 * Baseline, predicted and exact outputs of one scenario per evaluated row (the `keepPerSample`
 * option), [r][k].
 *
 * @example
 * const rows: WhatIfPerSample = result.whatif!.scenarios[0].perSample!;
 * rows.rows[0]; rows.exact[0][0]; rows.firstOrder[0][0]; // a data row, its exact and first-order output 0
 */
export interface WhatIfPerSample {
  rows: number[];
  baseline: JsonNumber[][];
  firstOrder: JsonNumber[][];
  secondOrder: JsonNumber[][];
  exact: JsonNumber[][];
}

/**
 * The results of one what-if scenario.
 *
 * @example
 * const s: WhatIfScenarioResult = result.whatif!.scenarios[0]; // e.g. s.name === "price +1%"
 * s.outputs[0].secondOrderError.rms;
 */
export interface WhatIfScenarioResult {
  name: string;
  shock: Record<string, ShockSpecJson>;
  outputs: WhatIfOutputEntry[];
  perSample: WhatIfPerSample | null;
}

/**
 * A shock of one input, as given (see `ShockSpec`).
 *
 * @example
 * const shock: ShockSpecJson = result.whatif!.scenarios[0].shock.price;
 * // { index: null, relative: 0.01, absolute: null } for { price: { relative: 0.01 } }
 */
export interface ShockSpecJson {
  index: number | number[] | null;
  relative: number | number[] | null;
  absolute: number | number[] | null;
}

/**
 * Taylor what-if scenarios (the `whatif` option) against exact re-evaluation.
 *
 * @example
 * const whatif: WhatIfSection = result.whatif!; // null without scenarios; taylorWhatIf gives one too
 * whatif.scenarios.map((s) => s.name);
 */
export interface WhatIfSection {
  /** Number of rows evaluated. */
  rows: number;
  scenarios: WhatIfScenarioResult[];
}

/**
 * How the result was computed: version, sizes, options in effect and timings.
 *
 * @example
 * const meta: MetaSection = result.meta;
 * console.log(`${meta.n} rows in ${meta.timingsMs.total} ms (gradlens ${meta.gradlensVersion})`);
 */
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
  /** Non-finite data cells and rows, and non-finite outputs and derivatives of the per-sample pass. */
  nonFinite: NonFiniteCounts;
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

/**
 * What `analyze` returns: plain JSON, schema version 1 (docs/sensitivity-schema.md).
 *
 * @example
 * const result: SensitivityResult = analyze(model, { price, features }, { finance: { price: "price" } });
 * JSON.parse(JSON.stringify(result)); // deep-equals result
 */
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
