/**
 * JSON types of the whatif section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { JsonNumber } from "../../result/schemaBase.js";

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
