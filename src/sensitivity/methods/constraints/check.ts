/**
 * `checkConstraints()`: does the model have the shape the user knows it must have? Each declared
 * constraint bounds an exact first or second derivative, lo ≤ g ≤ hi; it is checked on every data
 * row and on a quasi-random (scrambled Sobol') sample of the data's bounding box, where a model
 * can go wrong between the rows it was trained on. A point violates when g is outside the bounds
 * by more than the tolerance; a point whose derivative is not finite is counted apart, never
 * silently passed.
 */
import { ValueError } from "../../../core/errors.js";
import { createContext, type CommonOptions, type Context } from "../../engine/context.js";
import type { InputData } from "../../engine/data.js";
import { featureMoments } from "../../engine/features.js";
import { jnum } from "../../result/json.js";
import { pointsFromRange, pointsFromRows, withFeatures, type Points } from "../../engine/prepare.js";
import { subSeed } from "../../stats/sampling.js";
import type { JsonNumber } from "../../result/schemaBase.js";
import type { Target } from "../../engine/target.js";
import { SOBOL_MAX_DIMENSION } from "../sobol/directions.js";
import { SobolSequence } from "../sobol/sequence.js";
import { halton } from "./halton.js";
import {
  resolveConstraint,
  shapeConstraint,
  type DerivativeConstraint,
  type ResolvedConstraint,
  type ShapeKind,
} from "./spec.js";

/**
 * Options of `checkConstraints`.
 *
 * @example
 * checkConstraints(model, data, {
 *   expect: { price: ["increasing", "convex"], strike: ["decreasing"] },
 *   constraints: [{ derivative: ["price", "strike"], sign: "<=0" }],
 *   box: { samples: 4096, seed: 1 },
 * });
 */
export interface ConstraintOptions extends CommonOptions {
  /** Shapes per feature name (as in `inputs.features`). */
  expect?: Readonly<Record<string, readonly ShapeKind[]>>;
  /** Sign or range constraints on first or second derivatives (see `pricingConstraints` for a preset). */
  constraints?: readonly DerivativeConstraint[];
  /** Bounding-box sample: `false` for the data rows only. Default `{ samples: 1024 }`, seed from `seed`. */
  box?: false | { samples?: number; seed?: number };
  /**
   * Absolute slack: a point violates when g < lo − tolerance or g > hi + tolerance. Default, per
   * check: 1e-8 × the largest of |g| over all points and the finite bounds, i.e. rounding only.
   */
  tolerance?: number;
  /** How many worst points to list per check. Default 5. */
  worst?: number;
  seed?: number;
}

/**
 * A data row that violates a constraint.
 *
 * @example
 * const w: ConstraintRow = result.checks[0].worstRows[0]; // { row: 17, value: 3.2, derivative: -0.4, features: { price: 98 } }
 */
export interface ConstraintRow {
  row: number;
  /** The output component's value at the row. */
  value: JsonNumber;
  /** The constrained derivative at the row. */
  derivative: JsonNumber;
  /** The row's values of the features the derivative is taken in. */
  features: Record<string, JsonNumber>;
}

/**
 * A point of the bounding-box sample that violates a constraint.
 *
 * @example
 * const p: ConstraintPoint = result.checks[0].box!.worst[0]; // p.point[j] is feature j's value
 */
export interface ConstraintPoint {
  /** Every feature's value at the point, in `inputs.features` order. */
  point: JsonNumber[];
  value: JsonNumber;
  derivative: JsonNumber;
}

/**
 * The outcome of one constraint on one output component.
 *
 * @example
 * const c: ConstraintCheck = checkConstraints(model, data, { expect: { x: ["convex"] } }).checks[0];
 * if (c.status === "violated") console.log(c.share, c.worstRows, c.boxShare);
 */
export interface ConstraintCheck {
  output: string;
  outputIndex: number;
  /** The feature, or "a, b" for a mixed second derivative. */
  feature: string;
  /** The features of the derivative: [a] for ∂y/∂a, [a, b] for ∂²y/∂a∂b. */
  derivative: string[];
  /** "increasing", "convex", …, the preset's label, or the sign or range written out. */
  expect: string;
  /** Bounds on the derivative (null for an open side). */
  lower: JsonNumber;
  upper: JsonNumber;
  tolerance: JsonNumber;
  /** Data rows checked, and how many violate. */
  rows: number;
  violations: number;
  /** violations / rows. */
  share: JsonNumber;
  /** Rows whose derivative is not finite (neither passed nor failed). */
  nonFinite: number;
  /** Largest distance of a violating row's derivative beyond its bound (0 when none violates). */
  magnitude: JsonNumber;
  /** Up to `worst` violating rows, largest violation first. */
  worstRows: ConstraintRow[];
  /** Share of bounding-box points violating (null without a box sample). */
  boxShare: JsonNumber;
  box: {
    samples: number;
    violations: number;
    nonFinite: number;
    magnitude: JsonNumber;
    worst: ConstraintPoint[];
  } | null;
  /** "violated" on any data row or box point; else "unverified" if any derivative was not finite; else "satisfied". */
  status: "satisfied" | "violated" | "unverified";
}

/**
 * Result of `checkConstraints`.
 *
 * @example
 * const r: ConstraintsResult = checkConstraints(model, data, { expect: { price: ["increasing"] } });
 * r.violated; // number of checks with status "violated"
 */
export interface ConstraintsResult {
  checks: ConstraintCheck[];
  /** Checks with status "violated"; a CLI exits 1 when this is not 0. */
  violated: number;
  /** The bounding-box design, or null when only the data rows were checked. */
  box: {
    samples: number;
    seed: number;
    /** The box design: scrambled Sobol' points, or randomized Halton past Sobol's dimension limit. */
    sequence: "sobol" | "halton";
    low: JsonNumber[];
    high: JsonNumber[];
  } | null;
}

const DEFAULT_BOX_SAMPLES = 1024;
const DEFAULT_WORST = 5;
const RELATIVE_TOLERANCE = 1e-8;

/** One (constraint, output component) pair and the derivatives seen for it. */
export interface Slot {
  c: ResolvedConstraint;
  k: number;
  data: Float64Array;
  box: Float64Array;
}

/**
 * Checks declared shape and derivative constraints with exact per-sample derivatives, on the data
 * rows and on a quasi-random sample of the data's bounding box.
 *
 * @example
 * const model = ({ x }) => x.pow(3).add(x).reshape([-1]);
 * const r = checkConstraints(model, { x: random.normal([500, 1], { seed: 0 }) }, {
 *   expect: { "x[0]": ["increasing", "convex"] },
 * });
 * r.checks.map((c) => c.status); // ["satisfied", "violated"]: x³ + x is concave for x < 0
 */
export function checkConstraints(
  target: Target,
  data: InputData,
  opts: ConstraintOptions = {},
): ConstraintsResult {
  const ctx = createContext(target, data, opts, "checkConstraints");
  return runConstraints(ctx, planConstraints(ctx, opts, "checkConstraints"));
}

/**
 * Declared constraints checked against the prepared layout, before any derivative is computed
 * (so `analyze` refuses a bad `expect` before its pass).
 */
export interface ConstraintPlan {
  slots: Slot[];
  worst: number;
  tolerance: number | undefined;
  boxSamples: number;
  boxSeed: number;
}

/**
 * Resolves the options of a constraint check against a context (errors name `who`).
 *
 * @example
 * const plan = planConstraints(ctx, { expect: { strike: ["convex"] } }, "analyze");
 * runConstraints(ctx, plan).violated;
 */
export function planConstraints(ctx: Context, opts: ConstraintOptions, who: string): ConstraintPlan {
  const { prep } = ctx;
  const { n } = prep;
  const layout = { features: prep.inputs.features, components: prep.outputs.components };
  const declared: DerivativeConstraint[] = [
    ...Object.entries(opts.expect ?? {}).flatMap(([feature, kinds]) => {
      if (!Array.isArray(kinds))
        throw new ValueError(
          `${who}: expect.${feature} must be a list of shapes, got ${JSON.stringify(kinds)}`,
        );
      return kinds.map((kind) => shapeConstraint(feature, kind));
    }),
    ...(opts.constraints ?? []),
  ];
  if (declared.length === 0) throw new ValueError(`${who}: nothing to check (give expect or constraints)`);
  const worst = opts.worst ?? DEFAULT_WORST;
  if (!Number.isInteger(worst) || worst < 0)
    throw new ValueError(`${who}: worst must be a non-negative integer, got ${worst}`);
  if (opts.tolerance !== undefined && !(opts.tolerance >= 0))
    throw new ValueError(`${who}: tolerance must be a non-negative number, got ${opts.tolerance}`);
  const boxSamples = opts.box === false ? 0 : (opts.box?.samples ?? DEFAULT_BOX_SAMPLES);
  if (!Number.isInteger(boxSamples) || boxSamples < 0)
    throw new ValueError(`${who}: box.samples must be a non-negative integer, got ${boxSamples}`);
  const boxSeed =
    (opts.box === false ? undefined : opts.box?.seed) ?? subSeed(opts.seed ?? 0, "constraints-box");

  const slots: Slot[] = declared.flatMap((decl) => {
    const c = resolveConstraint(decl, layout);
    return c.outputs.map((kk) => ({
      c,
      k: kk,
      data: new Float64Array(n),
      box: new Float64Array(boxSamples),
    }));
  });
  return { slots, worst, tolerance: opts.tolerance, boxSamples, boxSeed };
}

/**
 * Evaluates a plan: derivatives on every data row, then on the bounding-box sample.
 *
 * @example
 * const r = runConstraints(ctx, planConstraints(ctx, { expect: { x: ["increasing"] } }, "analyze"));
 */
export function runConstraints(ctx: Context, plan: ConstraintPlan): ConstraintsResult {
  const { prep } = ctx;
  const { n, k, d } = prep;
  const { slots, worst, boxSamples, boxSeed } = plan;
  const needs = secondDerivativesNeeded(slots);

  // Data rows, then the bounding box (scrambled Sobol' points scaled to [min_j, max_j], constant
  // inputs from data rows in turn), a batch at a time, through the same evaluation. The Sobol'
  // design (the sobol section's) spreads better than Halton's in more than a few dimensions; past
  // its direction-number table (SOBOL_MAX_DIMENSION features) the randomized Halton sequence
  // takes over, and `box.sequence` says which one was used.
  const sequence: "sobol" | "halton" = d <= SOBOL_MAX_DIMENSION ? "sobol" : "halton";
  const sobol = sequence === "sobol" && boxSamples > 0 ? new SobolSequence(d, { seed: boxSeed }) : null;
  const values = new Float64Array(n * k);
  const bs = ctx.engine.batchSize;
  for (let start = 0; start < n; start += bs) {
    const count = Math.min(bs, n - start);
    evaluate(ctx, pointsFromRange(prep, start, count), needs, slots, "data", start, values);
    ctx.progress("derivatives", start + count, n);
  }
  const moments = featureMoments(prep);
  const boxZ = new Float64Array(boxSamples * d);
  const boxValues = new Float64Array(boxSamples * k);
  for (let start = 0; start < boxSamples; start += bs) {
    const count = Math.min(bs, boxSamples - start);
    const z = sobol ? sobol.next(count) : halton(start, count, d, boxSeed);
    for (let i = 0; i < count * d; i++) {
      const j = i % d;
      z[i] = moments.min[j] + z[i] * (moments.max[j] - moments.min[j]);
    }
    boxZ.set(z, start * d);
    const like = pointsFromRows(
      prep,
      Array.from({ length: count }, (_, i) => (start + i) % n),
    );
    const source = Int32Array.from({ length: count }, (_, i) => i);
    evaluate(ctx, withFeatures(like, z, source, d), needs, slots, "box", start, boxValues);
  }

  const checks = slots.map((s) =>
    summarize(s, prep, values, boxZ, boxValues, boxSamples, worst, plan.tolerance),
  );
  return {
    checks,
    violated: checks.filter((c) => c.status === "violated").length,
    box:
      boxSamples > 0
        ? {
            samples: boxSamples,
            seed: boxSeed,
            sequence,
            low: Array.from(moments.min, jnum),
            high: Array.from(moments.max, jnum),
          }
        : null,
  };
}

/**
 * Which second derivatives the slots need: each ∂²y/∂x_j² as a second directional derivative
 * along e_j (a JVP of a JVP, about one extra pass each), and the full Hessian only when a mixed
 * ∂²y/∂x_a∂x_b (a ≠ b) is constrained.
 */
function secondDerivativesNeeded(slots: Slot[]): { diagonal: number[]; mixed: boolean } {
  const diagonal = new Set<number>();
  let mixed = false;
  for (const { c } of slots)
    if (c.features.length === 2) {
      if (c.features[0] === c.features[1]) diagonal.add(c.features[0]);
      else mixed = true;
    }
  return { diagonal: [...diagonal], mixed };
}

/** Outputs and the constrained derivatives at `pts`, stored from index `offset` of each slot's `where`. */
function evaluate(
  ctx: Context,
  pts: Points,
  needs: { diagonal: number[]; mixed: boolean },
  slots: Slot[],
  where: "data" | "box",
  offset: number,
  valuesOut: Float64Array,
): void {
  const { engine } = ctx;
  const { k, d } = ctx.prep;
  const count = pts.count;
  const { values, jac } = engine.valuesAndJacobian(pts);
  valuesOut.set(values, offset * k);
  const diagonal = new Map<number, Float64Array>();
  for (const j of needs.diagonal) {
    const deltas = new Float64Array(count * d);
    for (let r = 0; r < count; r++) deltas[r * d + j] = 1;
    diagonal.set(j, engine.secondDirectional(pts, deltas));
  }
  const hess = needs.mixed ? engine.hessian(pts) : null;
  for (const s of slots) {
    const [a, b] = s.c.features;
    const out = s[where];
    for (let r = 0; r < count; r++) {
      const row = r * k + s.k;
      out[offset + r] =
        s.c.features.length === 1
          ? jac[row * d + a]
          : a === b
            ? diagonal.get(a)![row]
            : hess![(row * d + a) * d + b];
    }
  }
}

/** How far g lies beyond [lo, hi] (≤ 0 inside), NaN when g is not finite. */
function excess(g: number, lo: number, hi: number): number {
  if (!Number.isFinite(g)) return NaN;
  return Math.max(lo - g, g - hi);
}

interface Tally {
  violations: number;
  nonFinite: number;
  magnitude: number;
  worst: number[];
}

function tally(gs: Float64Array, lo: number, hi: number, tol: number, worst: number): Tally {
  let violations = 0;
  let nonFinite = 0;
  let magnitude = 0;
  const bad: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    const e = excess(gs[i], lo, hi);
    if (Number.isNaN(e)) nonFinite++;
    else if (e > tol) {
      violations++;
      bad.push(i);
      if (e > magnitude) magnitude = e;
    }
  }
  bad.sort((a, b) => excess(gs[b], lo, hi) - excess(gs[a], lo, hi) || a - b);
  return { violations, nonFinite, magnitude, worst: bad.slice(0, worst) };
}

function summarize(
  s: Slot,
  prep: Context["prep"],
  values: Float64Array,
  boxZ: Float64Array,
  boxValues: Float64Array,
  boxSamples: number,
  worst: number,
  tolerance: number | undefined,
): ConstraintCheck {
  const { c } = s;
  const { k, d, n } = prep;
  let scale = 0;
  for (const g of [s.data, s.box])
    for (const v of g) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (const b of [c.lo, c.hi]) if (Number.isFinite(b)) scale = Math.max(scale, Math.abs(b));
  const tol = tolerance ?? RELATIVE_TOLERANCE * scale;
  const onData = tally(s.data, c.lo, c.hi, tol, worst);
  const onBox = boxSamples > 0 ? tally(s.box, c.lo, c.hi, tol, worst) : null;
  const involved = [...new Set(c.features)];
  // The features of the worst rows, gathered from the data (a file source reads them in one pass).
  const worstPoints = pointsFromRows(prep, onData.worst);
  const status =
    onData.violations > 0 || (onBox?.violations ?? 0) > 0
      ? "violated"
      : onData.nonFinite > 0 || (onBox?.nonFinite ?? 0) > 0
        ? "unverified"
        : "satisfied";
  return {
    output: prep.outputs.components[s.k].name,
    outputIndex: s.k,
    feature: [...new Set(c.names)].join(", "),
    derivative: c.names.slice(),
    expect: c.label,
    lower: jnum(c.lo),
    upper: jnum(c.hi),
    tolerance: jnum(tol),
    rows: n,
    violations: onData.violations,
    share: jnum(onData.violations / n),
    nonFinite: onData.nonFinite,
    magnitude: jnum(onData.magnitude),
    worstRows: onData.worst.map((row, w) => ({
      row,
      value: jnum(values[row * k + s.k]),
      derivative: jnum(s.data[row]),
      features: Object.fromEntries(
        involved.map((j) => [prep.inputs.features[j].name, jnum(worstPoints.z[w * d + j])]),
      ),
    })),
    boxShare: onBox ? jnum(onBox.violations / boxSamples) : null,
    box: onBox
      ? {
          samples: boxSamples,
          violations: onBox.violations,
          nonFinite: onBox.nonFinite,
          magnitude: jnum(onBox.magnitude),
          worst: onBox.worst.map((i) => ({
            point: Array.from(boxZ.subarray(i * d, (i + 1) * d), jnum),
            value: jnum(boxValues[i * k + s.k]),
            derivative: jnum(s.box[i]),
          })),
        }
      : null,
    status,
  };
}
