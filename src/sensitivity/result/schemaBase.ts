/**
 * The parts of the sensitivity result (schema version 1) every section shares: JSON numbers, the
 * inputs and outputs headers and distribution statistics. Re-exported by schema.ts.
 */
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
