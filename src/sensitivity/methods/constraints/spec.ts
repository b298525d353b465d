/**
 * How users declare shape constraints, and their one internal form: a bound lo ≤ g ≤ hi on a
 * first derivative g = ∂y/∂x_a or a second derivative g = ∂²y/∂x_a∂x_b of some outputs.
 * `increasing` is ∂y/∂x ≥ 0, `decreasing` ∂y/∂x ≤ 0, `convex` ∂²y/∂x² ≥ 0, `concave` ∂²y/∂x² ≤ 0,
 * so every declaration goes through the same check.
 */
import { ValueError } from "../../../core/errors.js";

/**
 * A shape a feature's effect must have.
 *
 * @example
 * const kinds: ShapeKind[] = ["decreasing", "convex"]; // a call price in its strike
 */
export type ShapeKind = "increasing" | "decreasing" | "convex" | "concave";

export const SHAPE_KINDS: readonly ShapeKind[] = ["increasing", "decreasing", "convex", "concave"];

/**
 * A sign or bound constraint on one first or second derivative. Give `sign` or `range` (not both):
 * `{ derivative: ["price"], sign: ">=0" }` is ∂y/∂price ≥ 0,
 * `{ derivative: ["price", "strike"], sign: "<=0" }` is ∂²y/∂price∂strike ≤ 0, and
 * `{ derivative: ["spot"], range: [0, 1] }` is 0 ≤ ∂y/∂spot ≤ 1 (`null` leaves a side open).
 *
 * @example
 * const delta: DerivativeConstraint = { derivative: ["spot"], range: [0, 1], label: "delta in [0, 1]" };
 */
export interface DerivativeConstraint {
  /** One feature name (first derivative) or two (second derivative; the same name twice for ∂²/∂x²). */
  derivative: readonly [string] | readonly [string, string];
  sign?: ">=0" | "<=0";
  range?: readonly [number | null, number | null];
  /** Output component the constraint is about (default: every component). */
  output?: string;
  /** Name shown in the result's `expect` (default: the kind, sign or range written out). */
  label?: string;
}

/** A constraint resolved against the layout. */
export interface ResolvedConstraint {
  label: string;
  names: string[];
  /** Feature indices: [j] or [i, j]. */
  features: number[];
  lo: number;
  hi: number;
  /** Output components it applies to. */
  outputs: number[];
}

interface Layout {
  features: readonly { name: string }[];
  components: readonly { name: string }[];
}

/** The derivative constraint a shape kind stands for. */
export function shapeConstraint(feature: string, kind: ShapeKind): DerivativeConstraint {
  switch (kind) {
    case "increasing":
      return { derivative: [feature], sign: ">=0", label: kind };
    case "decreasing":
      return { derivative: [feature], sign: "<=0", label: kind };
    case "convex":
      return { derivative: [feature, feature], sign: ">=0", label: kind };
    case "concave":
      return { derivative: [feature, feature], sign: "<=0", label: kind };
    default:
      throw new ValueError(
        `checkConstraints: unknown shape '${String(kind)}' for feature '${feature}' (expected ${SHAPE_KINDS.join(", ")})`,
      );
  }
}

const fmtBound = (x: number | null) => (x === null ? "" : String(x));

/** Checks a declaration against the features and outputs, and resolves it to bounds and indices. */
export function resolveConstraint(c: DerivativeConstraint, layout: Layout): ResolvedConstraint {
  const who = "checkConstraints";
  const names = Array.isArray(c.derivative) ? c.derivative.map(String) : [];
  if (names.length !== 1 && names.length !== 2)
    throw new ValueError(
      `${who}: derivative must name one feature (first derivative) or two (second derivative), got ${JSON.stringify(c.derivative)}`,
    );
  const features = names.map((name) => {
    const j = layout.features.findIndex((f) => f.name === name);
    if (j < 0)
      throw new ValueError(
        `${who}: '${name}' is not a feature (features: ${layout.features.map((f) => f.name).join(", ")})`,
      );
    return j;
  });
  if ((c.sign === undefined) === (c.range === undefined))
    throw new ValueError(`${who}: a constraint on ∂(${names.join(", ")}) needs exactly one of sign or range`);
  let lo = -Infinity;
  let hi = Infinity;
  if (c.sign !== undefined) {
    if (c.sign === ">=0") lo = 0;
    else if (c.sign === "<=0") hi = 0;
    else throw new ValueError(`${who}: sign must be ">=0" or "<=0", got '${String(c.sign)}'`);
  } else {
    const r = c.range!;
    const ok = (x: unknown) => x === null || (typeof x === "number" && !Number.isNaN(x));
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !ok(r[0]) ||
      !ok(r[1]) ||
      (r[0] ?? -Infinity) > (r[1] ?? Infinity)
    )
      throw new ValueError(
        `${who}: range must be [low, high] with low ≤ high (null for an open side), got ${JSON.stringify(r)}`,
      );
    lo = r[0] ?? -Infinity;
    hi = r[1] ?? Infinity;
  }
  let outputs = layout.components.map((_, k) => k);
  if (c.output !== undefined) {
    const k = layout.components.findIndex((o) => o.name === c.output);
    if (k < 0)
      throw new ValueError(
        `${who}: output '${c.output}' is not an output component (outputs: ${layout.components.map((o) => o.name).join(", ")})`,
      );
    outputs = [k];
  }
  const what = names.length === 1 ? `d/d${names[0]}` : `d2/d${names[0]}d${names[1]}`;
  const label =
    c.label ??
    (c.sign !== undefined
      ? `${what} ${c.sign}`
      : `${what} in [${fmtBound(c.range![0])}, ${fmtBound(c.range![1])}]`);
  return { label, names, features, lo, hi, outputs };
}

/**
 * Feature roles of an option-pricing model for `pricingConstraints`; leave out roles the model
 * does not have.
 *
 * @example
 * const roles: PricingRoles = { spot: "S", strike: "K", maturity: "T", volatility: "sigma", output: "call" };
 */
export interface PricingRoles {
  spot?: string;
  strike?: string;
  maturity?: string;
  volatility?: string;
  /** The call-price output component (default: every component). */
  output?: string;
}

/**
 * The no-arbitrage shape of a European call price C (no dividends): decreasing and convex in the
 * strike (a negative butterfly or call spread would be free money), increasing in maturity and in
 * volatility, and delta ∂C/∂S in [0, 1]. A domain preset built from ordinary constraints.
 *
 * @example
 * checkConstraints(model, data, {
 *   constraints: pricingConstraints({ spot: "S", strike: "K", maturity: "T", volatility: "sigma" }),
 * });
 */
export function pricingConstraints(roles: PricingRoles): DerivativeConstraint[] {
  const out: DerivativeConstraint[] = [];
  const o = roles.output === undefined ? {} : { output: roles.output };
  if (roles.strike !== undefined)
    out.push(
      { ...shapeConstraint(roles.strike, "decreasing"), ...o },
      { ...shapeConstraint(roles.strike, "convex"), ...o },
    );
  if (roles.maturity !== undefined) out.push({ ...shapeConstraint(roles.maturity, "increasing"), ...o });
  if (roles.volatility !== undefined) out.push({ ...shapeConstraint(roles.volatility, "increasing"), ...o });
  if (roles.spot !== undefined)
    out.push({ derivative: [roles.spot], range: [0, 1], label: "delta in [0, 1]", ...o });
  if (out.length === 0)
    throw new ValueError(
      "pricingConstraints: name at least one of the roles spot, strike, maturity, volatility",
    );
  return out;
}
