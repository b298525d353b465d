/**
 * JSON types of the interactions section of the result (docs/sensitivity-schema.md, "Variance-based
 * indices and interactions"): the same object `crossedDerivatives` returns. Re-exported by
 * sensitivity/schema.ts.
 */
import type { InteractionsResult } from "../../interactions/crossed.js";

/**
 * Crossed-derivative interaction measures of every feature pair, as `crossedDerivatives` gives
 * them: `pairs[] = { output, features: [a, b], nu, bound, ci, … }` sorted by ν descending.
 *
 * @example
 * const section: InteractionsSection = analyze(model, data, { interactions: true }).interactions!;
 * section.pairs[0].features; // the pair with the largest E[(∂²y/∂x_a∂x_b)²]
 */
export type InteractionsSection = InteractionsResult;
