/**
 * JSON types of the perSample section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { InputsSection, JsonNumber, OutputsSection } from "../../result/schemaBase.js";
import type { NonFiniteCounts } from "../../engine/nonfinite.js";

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
