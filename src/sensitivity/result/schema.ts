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
import type { NonFiniteCounts } from "../engine/nonfinite.js";

export type { NonFiniteCounts };
import type { AttributionSection } from "../sections/attribution/schema.js";
import type { DgsmSection } from "../sections/dgsm/schema.js";
import type { InputsSection, OutputsSection } from "./schemaBase.js";
import type { PerSampleSection } from "../sections/perSample/schema.js";
import type { SummarySection } from "../sections/summary/schema.js";
import type { VerificationSection } from "../sections/verification/schema.js";
import type { WhatIfSection } from "../sections/whatif/schema.js";
import type { InteractionsSection } from "../sections/interactions/schema.js";
import type { ConstraintsSection } from "../sections/constraints/schema.js";
import type { EffectsSection } from "../sections/effects/schema.js";
import type { SobolSection } from "../sections/sobol/schema.js";

export type * from "./schemaBase.js";
export type * from "../sections/summary/schema.js";
export type * from "../sections/perSample/schema.js";
export type * from "../sections/attribution/schema.js";
export type * from "../sections/dgsm/schema.js";
export type * from "../sections/verification/schema.js";
export type * from "../sections/whatif/schema.js";
export type * from "../sections/interactions/schema.js";
export type * from "../sections/effects/schema.js";
export type * from "../sections/sobol/schema.js";
export type * from "../sections/constraints/schema.js";

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
  /** Units by feature, input or output name (option `units`; labels only, nothing converted). Absent in older results. */
  units?: Record<string, string>;
  timingsMs: {
    total: number;
    /** Reading data, probing the target, row-independence check, feature moments. */
    setup: number;
    /** The streaming pass's own work: outputs and derivatives (the sections' accumulation inside it counts under their stage). */
    derivatives: number;
    /** Summary, DGSM, per-sample and interactions sections: their accumulation in the pass and their finishing (quantile selection, bootstrap intervals). */
    summary: number;
    attribution: number;
    verification: number;
    whatif: number;
    /**
     * Each section that is on, by its key in the result: its finishing plus its work inside the
     * pass (the stages above group these; the pass's own derivative computation is not in any).
     */
    sections: Partial<
      Record<Exclude<keyof SensitivityResult, "schemaVersion" | "inputs" | "outputs" | "meta">, number>
    >;
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
  /** Crossed-derivative interactions (opt-in: `interactions`). */
  interactions: InteractionsSection | null;
  /** Effect curves (opt-in: `effects`). */
  effects: EffectsSection | null;
  /** Variance-based Sobol' indices (opt-in: `sobol`). */
  sobol: SobolSection | null;
  /** Shape-constraint checks (opt-in: `expect` or `constraints`). */
  constraints: ConstraintsSection | null;
  meta: MetaSection;
}
