/**
 * What-if scenarios by Taylor expansion. For a shock Δ of the features of a sample x:
 *   first order:  y + J·Δ
 *   second order: y + J·Δ + ½ ΔᵀHΔ
 * compared with the exact re-evaluated output y(x + Δ). ΔᵀH_kΔ is the second derivative of
 * t ↦ y_k(x + tΔ) at 0, computed as a JVP of a JVP, so no Hessian is formed. The gaps show how
 * far a linear (or quadratic) reading of the model can be trusted for shocks of that size.
 */
import { ValueError } from "../../core/errors.js";
import { createContext, type CommonOptions, type Context } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { jmat, jnum } from "../result/json.js";
import { derivativePass, type BatchConsumer, type DerivativeBatch } from "../engine/pass.js";
import { pointsFromRows, withFeatures, type Points, type Prepared } from "../engine/prepare.js";
import { resolveRows, subSeed } from "../stats/sampling.js";
import type { ErrorStats, ShockSpecJson, WhatIfSection, WhatIfScenarioResult } from "../result/schema.js";
import { ColumnStats } from "../stats/stats.js";
import type { Target } from "../engine/target.js";

/**
 * A shock to one input: Δ = relative · x + absolute on the components `index` (flat, row-major;
 * default all). `relative` and `absolute` are one number for all chosen components or one each.
 *
 * @example
 * const up1pct: ShockSpec = { relative: 0.01 };
 * const twoFeatures: ShockSpec = { index: [0, 3], absolute: [-0.5, 0.2] };
 */
export interface ShockSpec {
  index?: number | readonly number[];
  relative?: number | readonly number[];
  absolute?: number | readonly number[];
}

/**
 * A named scenario: shocks per input name, applied together.
 *
 * @example
 * const s: Scenario = { name: "price +1%, feature 3 −0.5", shock: { price: { relative: 0.01 }, features: { index: 3, absolute: -0.5 } } };
 */
export interface Scenario {
  name: string;
  shock: Record<string, ShockSpec>;
}

/**
 * Options of `taylorWhatIf`.
 *
 * @example
 * taylorWhatIf(model, data, scenarios, { rows: 1000, keepPerSample: 20, seed: 1 });
 */
export interface WhatIfOptions {
  /** Rows to evaluate: indices, or a count drawn at random (seeded). Default every row. */
  rows?: readonly number[] | number;
  /** Keep per-sample results for the first rows evaluated: true (all), false, or a count. Default false. */
  keepPerSample?: boolean | number;
  seed?: number;
}

/** Per-feature relative and absolute shock coefficients: Δ_j = rel_j · x_j + abs_j. */
interface CompiledShock {
  rel: Float64Array;
  abs: Float64Array;
}

const asList = (v: number | readonly number[] | undefined, n: number, what: string): number[] => {
  if (v === undefined) return new Array<number>(n).fill(0);
  if (typeof v === "number") return new Array<number>(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number")) return v.slice();
  throw new ValueError(`${what} must be a number or ${n} numbers (one per chosen component)`);
};

/** Turns a scenario into per-feature coefficients, checking names, indices and lengths. */
export function compileShock(prep: Prepared, scenario: Scenario): CompiledShock {
  const rel = new Float64Array(prep.d);
  const abs = new Float64Array(prep.d);
  if (typeof scenario?.name !== "string" || typeof scenario.shock !== "object" || scenario.shock === null)
    throw new ValueError(
      "whatif: a scenario is { name: string, shock: { [input]: { index?, relative?, absolute? } } }",
    );
  for (const [input, spec] of Object.entries(scenario.shock)) {
    const where = `whatif scenario '${scenario.name}', input '${input}'`;
    const item = prep.inputs.items.find((i) => i.name === input);
    if (item === undefined)
      throw new ValueError(`${where}: not an input (inputs: ${prep.inputs.names.join(", ")})`);
    if (!item.differentiated)
      throw new ValueError(`${where}: the input is not differentiated, so it cannot be shocked`);
    if (spec.relative === undefined && spec.absolute === undefined)
      throw new ValueError(`${where}: give relative and/or absolute`);
    const index =
      spec.index === undefined
        ? [...Array(item.size).keys()]
        : typeof spec.index === "number"
          ? [spec.index]
          : [...spec.index];
    for (const q of index)
      if (!Number.isInteger(q) || q < 0 || q >= item.size)
        throw new ValueError(
          `${where}: index ${q} is out of range (the input has ${item.size} components per sample)`,
        );
    const r = asList(spec.relative, index.length, `${where}: relative`);
    const a = asList(spec.absolute, index.length, `${where}: absolute`);
    index.forEach((q, i) => {
      rel[item.offset! + q] += r[i];
      abs[item.offset! + q] += a[i];
    });
  }
  return { rel, abs };
}

const echo = (spec: ShockSpec): ShockSpecJson => ({
  index: spec.index === undefined ? null : typeof spec.index === "number" ? spec.index : [...spec.index],
  relative:
    spec.relative === undefined
      ? null
      : typeof spec.relative === "number"
        ? spec.relative
        : [...spec.relative],
  absolute:
    spec.absolute === undefined
      ? null
      : typeof spec.absolute === "number"
        ? spec.absolute
        : [...spec.absolute],
});

// Columns per output component in a scenario's ColumnStats.
const BASE = 0;
const EXACT = 1;
const FIRST = 2;
const SECOND = 3;
const ERR1 = 4;
const ERR2 = 5;
const COLS = 6;

function errorStats(st: ColumnStats, c: number): ErrorStats {
  return {
    mean: st.count[c] > 0 ? jnum(st.mean[c]) : null,
    meanAbs: jnum(st.meanAbs(c)),
    rms: jnum(Math.sqrt(st.meanSquare(c))),
    maxAbs: st.count[c] > 0 ? jnum(Math.max(Math.abs(st.min[c]), Math.abs(st.max[c]))) : null,
  };
}

/**
 * Taylor predictions against exact outputs for each scenario, accumulated batch by batch from
 * outputs and Jacobians the caller already has (and Hessians when it has them). Its state is
 * bounded: error statistics per (scenario, output) and the first `keep` rows.
 */
export class WhatIfAccumulator {
  private readonly compiled: CompiledShock[];
  private readonly stats: ColumnStats[];
  private readonly kept: {
    base: Float64Array;
    first: Float64Array;
    second: Float64Array;
    exact: Float64Array;
  }[];
  /** Rows evaluated so far. */
  private done = 0;

  constructor(
    private readonly ctx: Context,
    private readonly scenarios: readonly Scenario[],
    private readonly keep: number,
  ) {
    const { prep } = ctx;
    const k = prep.k;
    this.compiled = scenarios.map((sc) => compileShock(prep, sc));
    this.stats = scenarios.map(() => new ColumnStats(k * COLS));
    this.kept = scenarios.map(() => ({
      base: new Float64Array(keep * k),
      first: new Float64Array(keep * k),
      second: new Float64Array(keep * k),
      exact: new Float64Array(keep * k),
    }));
  }

  /**
   * The next `pts.count` evaluated rows: their outputs `y` [B × K], Jacobians `jac` [B × K × D] and,
   * when known, Hessians `hess` [B × K × D × D] (then ΔᵀHΔ comes from them; else one JVP of a JVP).
   */
  addBatch(pts: Points, y: Float64Array, jac: Float64Array, hess: Float64Array | null): void {
    const { engine, prep } = this.ctx;
    const { d, k } = prep;
    const b = pts.count;
    const s0 = this.done;
    const identity = Array.from({ length: b }, (_, i) => i);
    this.compiled.forEach((sh, si) => {
      const delta = new Float64Array(b * d);
      for (let r = 0; r < b; r++)
        for (let j = 0; j < d; j++) delta[r * d + j] = sh.rel[j] * pts.z[r * d + j] + sh.abs[j];
      const shifted = pts.z.map((x, i) => x + delta[i]);
      const exact = engine.values(withFeatures(pts, shifted, identity, d));
      const curv = hess ? quadraticForms(hess, delta, b, k, d) : engine.secondDirectional(pts, delta);
      const st = this.stats[si];
      const kept = this.kept[si];
      for (let r = 0; r < b; r++)
        for (let kk = 0; kk < k; kk++) {
          let lin = 0;
          for (let j = 0; j < d; j++) lin += jac[(r * k + kk) * d + j] * delta[r * d + j];
          const y0 = y[r * k + kk];
          const first = y0 + lin;
          const second = first + 0.5 * curv[r * k + kk];
          const ex = exact[r * k + kk];
          const c = kk * COLS;
          st.push(c + BASE, y0);
          st.push(c + EXACT, ex - y0);
          st.push(c + FIRST, first - y0);
          st.push(c + SECOND, second - y0);
          st.push(c + ERR1, first - ex);
          st.push(c + ERR2, second - ex);
          const row = s0 + r;
          if (row < this.keep) {
            kept.base[row * k + kk] = y0;
            kept.first[row * k + kk] = first;
            kept.second[row * k + kk] = second;
            kept.exact[row * k + kk] = ex;
          }
        }
    });
    this.done += b;
  }

  /** The section, given the data rows of the first `keep` evaluated rows. */
  finish(keptRows: number[]): WhatIfSection {
    const { k } = this.ctx.prep;
    const comps = this.ctx.prep.outputs.components;
    const keep = this.keep;
    const results: WhatIfScenarioResult[] = this.scenarios.map((sc, si) => {
      const st = this.stats[si];
      const kept = this.kept[si];
      const meanOf = (c: number) => (st.count[c] > 0 ? jnum(st.mean[c]) : null);
      return {
        name: sc.name,
        shock: Object.fromEntries(Object.entries(sc.shock).map(([kname, v]) => [kname, echo(v)])),
        outputs: comps.map((oc, kk) => ({
          output: oc.name,
          outputIndex: kk,
          meanBaseline: meanOf(kk * COLS + BASE),
          meanExactChange: meanOf(kk * COLS + EXACT),
          meanFirstOrderChange: meanOf(kk * COLS + FIRST),
          meanSecondOrderChange: meanOf(kk * COLS + SECOND),
          firstOrderError: errorStats(st, kk * COLS + ERR1),
          secondOrderError: errorStats(st, kk * COLS + ERR2),
        })),
        perSample:
          keep > 0
            ? {
                rows: keptRows.slice(0, keep),
                baseline: jmat(kept.base, keep, k),
                firstOrder: jmat(kept.first, keep, k),
                secondOrder: jmat(kept.second, keep, k),
                exact: jmat(kept.exact, keep, k),
              }
            : null,
      };
    });
    return { rows: this.done, scenarios: results };
  }
}

/** ΔᵀH_kΔ per row and output from Hessians [B × K × D × D] and shocks Δ [B × D]. */
function quadraticForms(
  hess: Float64Array,
  delta: Float64Array,
  b: number,
  k: number,
  d: number,
): Float64Array {
  const out = new Float64Array(b * k);
  for (let r = 0; r < b; r++)
    for (let kk = 0; kk < k; kk++) {
      const h = (r * k + kk) * d * d;
      let q = 0;
      for (let i = 0; i < d; i++) {
        const di = delta[r * d + i];
        if (di === 0) continue;
        let row = 0;
        for (let j = 0; j < d; j++) row += hess[h + i * d + j] * delta[r * d + j];
        q += di * row;
      }
      out[r * k + kk] = q;
    }
  return out;
}

/**
 * What-if over every row inside the derivative pass: the pass's outputs, Jacobians and Hessians
 * are reused, so each scenario costs one forward evaluation per batch (plus one JVP of a JVP
 * without Hessians) instead of a second pass that recomputes the Jacobians.
 *
 * @example
 * const w = new WhatIfConsumer(ctx, scenarios, 0);
 * derivativePass(ctx, true, [summary, w]);
 * w.finish(); // the whatif section over all rows
 */
export class WhatIfConsumer implements BatchConsumer {
  private readonly acc: WhatIfAccumulator;

  constructor(
    private readonly ctx: Context,
    scenarios: readonly Scenario[],
    private readonly keep: number,
  ) {
    this.acc = new WhatIfAccumulator(ctx, scenarios, keep);
  }

  add(b: DerivativeBatch): void {
    this.acc.addBatch({ count: b.count, z: b.z, rest: b.rest }, b.values, b.jac, b.hess);
  }

  finish(): WhatIfSection {
    return this.acc.finish(Array.from({ length: this.keep }, (_, i) => i));
  }
}

/** Taylor predictions vs exact outputs for each scenario over `rows`, batch by batch. */
export function taylorCore(
  ctx: Context,
  rows: number[],
  scenarios: readonly Scenario[],
  keep: number,
): WhatIfSection {
  const { prep, engine } = ctx;
  const acc = new WhatIfAccumulator(ctx, scenarios, keep);
  const total = rows.length;
  for (let s0 = 0; s0 < total; s0 += engine.batchSize) {
    const b = Math.min(engine.batchSize, total - s0);
    const pts = pointsFromRows(prep, rows.slice(s0, s0 + b));
    const { values: y, jac } = engine.valuesAndJacobian(pts);
    acc.addBatch(pts, y, jac, null);
    ctx.progress("whatif", s0 + b, total);
  }
  return acc.finish(rows);
}

/** How many rows to keep from a keepPerSample option. */
export function keepCount(
  option: boolean | number | undefined,
  available: number,
  name = "keepPerSample",
): number {
  if (option === undefined || option === false) return 0;
  if (option === true) return available;
  if (!Number.isInteger(option) || option < 0)
    throw new ValueError(`${name} must be true, false or a non-negative number of rows, got ${option}`);
  return Math.min(option, available);
}

/**
 * First- and second-order Taylor predictions of each scenario against the exact re-evaluated
 * outputs, with error statistics (and per-sample values with `keepPerSample`).
 *
 * @example
 * const w = taylorWhatIf(model, { price, features }, [
 *   { name: "price +1%", shock: { price: { relative: 0.01 } } },
 *   { name: "feature 3 −0.5", shock: { features: { index: 3, absolute: -0.5 } } },
 * ]);
 * w.scenarios[0].outputs[0].firstOrderError.maxAbs;
 */
export function taylorWhatIf(
  target: Target,
  data: InputData,
  scenarios: readonly Scenario[],
  opts: WhatIfOptions & CommonOptions = {},
): WhatIfSection {
  const ctx = createContext(target, data, opts);
  const n = ctx.prep.n;
  scenarios.forEach((sc) => compileShock(ctx.prep, sc));
  const everyRow = opts.rows === undefined || opts.rows === n;
  if (!everyRow) {
    const rows = resolveRows(opts.rows, n, n, subSeed(opts.seed ?? 0, "whatif"), "rows");
    return taylorCore(ctx, rows, scenarios, keepCount(opts.keepPerSample, rows.length));
  }
  // Every row: the scenarios ride the derivative pass, as in `analyze` (one mechanism, so both
  // entry points give the same numbers).
  const w = new WhatIfConsumer(ctx, scenarios, keepCount(opts.keepPerSample, n));
  derivativePass(ctx, false, [w]);
  return w.finish();
}
