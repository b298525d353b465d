/**
 * JSON types of the verification section of the result (schema version 1; docs/sensitivity-schema.md).
 * Re-exported by sensitivity/result/schema.ts.
 */
import type { JsonNumber } from "../../result/schemaBase.js";

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
