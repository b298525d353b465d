/**
 * `constraints`: declared shapes (`expect`) and derivative sign/range constraints checked with
 * exact derivatives on every data row and on a quasi-random sample of the data's bounding box.
 * Resolved (names, shapes) before the derivative pass; evaluated when the section finishes, as
 * it needs derivatives at points that are not data rows and only the constrained ones.
 */
import { planConstraints, runConstraints, type ConstraintPlan } from "../../methods/constraints/check.js";
import type { Section } from "../../section.js";

export const constraintsSection: Section<"constraints", ConstraintPlan> = {
  key: "constraints",
  stage: "verification",
  resolve: ({ ctx, opts, seed }) => {
    const none = Object.keys(opts.expect ?? {}).length === 0 && (opts.constraints ?? []).length === 0;
    if (none) return null;
    return planConstraints(ctx, { expect: opts.expect, constraints: opts.constraints, seed }, "analyze");
  },
  finish: ({ ctx }, plan) => runConstraints(ctx, plan),
};
