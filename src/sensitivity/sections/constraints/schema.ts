/**
 * JSON types of the constraints section of the result (docs/sensitivity-schema.md, "Effects and
 * shape constraints"): the same object `checkConstraints` returns. Re-exported by
 * sensitivity/result/schema.ts.
 */
import type { ConstraintsResult } from "../../methods/constraints/check.js";

/**
 * Shape-constraint checks: `checks[] = { feature, expect, share, violations, worstRows, status, … }`,
 * `violated` (checks with status "violated") and the bounding-box design.
 *
 * @example
 * const section: ConstraintsSection = analyze(model, data, { expect: { strike: ["convex"] } }).constraints!;
 * section.violated; // 0 when every declared shape holds on the rows and the box
 */
export type ConstraintsSection = ConstraintsResult;
