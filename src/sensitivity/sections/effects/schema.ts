/**
 * JSON types of the effects section of the result (docs/sensitivity-schema.md, "Effects and shape
 * constraints"): the same object `effects` returns. Re-exported by sensitivity/result/schema.ts.
 */
import type { EffectsResult } from "../../methods/effects/effects.js";

/**
 * ICE, partial dependence, derivative ICE and derivative-based ALE curves:
 * `features[] = { output, feature, grid, pdp, ale, ice, dice, … }`, plus how the features were chosen.
 *
 * @example
 * const section: EffectsSection = analyze(model, data, { effects: { features: ["price"] } }).effects!;
 * section.features[0].ale; // against section.features[0].grid
 */
export type EffectsSection = EffectsResult;
