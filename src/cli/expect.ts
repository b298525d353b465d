/**
 * `--expect` values → shape constraints for `checkConstraints`:
 *
 *   --expect "price:increasing,convex"   ∂y/∂price ≥ 0 and ∂²y/∂price² ≥ 0
 *   --expect "strike:decreasing"         ∂y/∂strike ≤ 0
 *
 * Repeatable; the feature is a feature name as in the tables (a column name, or `features[3]`),
 * split from the kinds at the last colon.
 */
import { SHAPE_KINDS, type ShapeKind } from "../sensitivity/methods/constraints/spec.js";
import { didYouMean, listNames } from "./data/source.js";
import { usageError } from "./errors.js";

/**
 * Parses the `--expect` values against the feature names; repeated features merge.
 *
 * @example
 * parseExpect(["price:increasing,convex"], ["price", "strike"], "analyze"); // { price: ["increasing", "convex"] }
 */
export function parseExpect(
  specs: readonly string[],
  features: readonly string[],
  command: string,
): Record<string, ShapeKind[]> {
  const out: Record<string, ShapeKind[]> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf(":");
    const feature = spec.slice(0, at).trim();
    const kinds = spec
      .slice(at + 1)
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "");
    if (at < 0 || feature === "" || kinds.length === 0)
      throw usageError(
        `--expect '${spec}': write FEATURE:KIND[,KIND] with KIND one of ${SHAPE_KINDS.join(", ")}`,
        command,
      );
    if (!features.includes(feature))
      throw usageError(
        `--expect '${spec}': '${feature}' is not a feature${didYouMean(feature, features)} (features: ${listNames(features)})`,
        command,
      );
    for (const k of kinds) {
      if (!SHAPE_KINDS.includes(k as ShapeKind))
        throw usageError(
          `--expect '${spec}': '${k}' is not a shape${didYouMean(k, SHAPE_KINDS)} (one of ${SHAPE_KINDS.join(", ")})`,
          command,
        );
      const list = (out[feature] ??= []);
      if (!list.includes(k as ShapeKind)) list.push(k as ShapeKind);
    }
  }
  return out;
}
