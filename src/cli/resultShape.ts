/**
 * The structure of a saved sensitivity result, checked before `gradlens report` renders it: the
 * file is an input, so a hand-edited or truncated result must be a data error (exit 3) naming
 * the JSON path at fault, never a TypeError from deep inside a renderer.
 *
 * What is checked is what the renderers index into: the feature and output-component lists
 * (whose lengths D and K size everything else), every `featureIndex`/`outputIndex` against them,
 * lists of entries (no null or scalar among objects), the per-row arrays of the attribution
 * and per-sample sections ([rows][K][D] of numbers or null), and the lists and curves of the
 * optional interactions, effects, Sobol' and constraints sections. The JSON type of each field a
 * renderer reads (what-if, verification, DGSM, elasticities, finance, meta, …) is checked by the
 * declarative spec in resultFields.ts.
 */

import { checkResultFields } from "./resultFields.js";
import { ResultShapeError } from "./resultShapeError.js";

export { ResultShapeError };

type Obj = Record<string, unknown>;

const what = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ResultShapeError(path, `expected an object, got ${what(v)}`);
  return v;
}

function arr(v: unknown, path: string, length?: number, lengthOf?: string): unknown[] {
  if (!Array.isArray(v)) throw new ResultShapeError(path, `expected an array, got ${what(v)}`);
  if (length !== undefined && v.length !== length)
    throw new ResultShapeError(path, `length ${v.length}, but ${lengthOf} has ${length} entries`);
  return v;
}

/** A nested array of numbers or null with the given lengths (each named for the message). */
function grid(v: unknown, path: string, dims: [number, string][]): void {
  const [[n, of], ...rest] = dims;
  const a = arr(v, path, n, of);
  a.forEach((x, i) => {
    const p = `${path}[${i}]`;
    if (rest.length > 0) grid(x, p, rest);
    else if (x !== null && typeof x !== "number" && typeof x !== "boolean")
      throw new ResultShapeError(p, `expected a number or null, got ${what(x)}`);
  });
}

/**
 * Checks every object in the tree: indices in range, and lists of entries without holes.
 * Arrays of numbers (or of arrays) are left to `grid`, where their shape is known.
 */
function walk(v: unknown, path: string, D: number, K: number): void {
  if (Array.isArray(v)) {
    if (v.some(isObj))
      v.forEach((x, i) => {
        if (!isObj(x)) throw new ResultShapeError(`${path}[${i}]`, `expected an object, got ${what(x)}`);
      });
    v.forEach((x, i) => walk(x, `${path}[${i}]`, D, K));
    return;
  }
  if (!isObj(v)) return;
  for (const [key, x] of Object.entries(v)) {
    const p = path ? `${path}.${key}` : key;
    const bound = key === "featureIndex" ? D : key === "outputIndex" ? K : null;
    if (bound !== null && !(Number.isInteger(x) && (x as number) >= 0 && (x as number) < bound))
      throw new ResultShapeError(
        p,
        `${key} ${JSON.stringify(x)} is out of range (${key === "featureIndex" ? "inputs.features" : "outputs.components"} has ${bound} entries)`,
      );
    walk(x, p, D, K);
  }
}

function str(v: unknown, path: string): string {
  if (typeof v !== "string") throw new ResultShapeError(path, `expected a string, got ${what(v)}`);
  return v;
}

/** A list of entries (objects), each checked by `each`. */
function entries(v: unknown, path: string, each: (e: Obj, p: string) => void): void {
  arr(v, path).forEach((x, i) => each(obj(x, `${path}[${i}]`), `${path}[${i}]`));
}

/** An interval: null, or [low, high] of numbers or null. */
function interval(v: unknown, path: string): void {
  if (v !== null) grid(v, path, [[2, "an interval [low, high]"]]);
}

/** The optional sections of issue 13: what their terminal tables and report blocks read. */
function checkOptionalSections(r: Obj): void {
  if (r.interactions != null)
    entries(obj(r.interactions, "interactions").pairs, "interactions.pairs", (e, p) => {
      arr(e.features, `${p}.features`, 2, "a pair").forEach((f, i) => str(f, `${p}.features[${i}]`));
      grid([e.nu, e.bound], p, [[2, "[nu, bound]"]]);
      interval(e.ci, `${p}.ci`);
    });
  if (r.effects != null)
    entries(obj(r.effects, "effects").features, "effects.features", (e, p) => {
      str(e.feature, `${p}.feature`);
      const G: [number, string] = [arr(e.grid, `${p}.grid`).length, `${p}.grid`];
      grid(e.grid, `${p}.grid`, [G]);
      grid(e.pdp, `${p}.pdp`, [G]);
      grid(e.ale, `${p}.ale`, [G]);
      // One ICE and one derivative-ICE curve per row in iceRows.
      const I: [number, string] = [arr(e.iceRows, `${p}.iceRows`).length, `${p}.iceRows`];
      for (const key of ["ice", "dice"]) grid(e[key], `${p}.${key}`, [I, G]);
    });
  if (r.sobol != null) {
    const s = obj(r.sobol, "sobol");
    entries(s.indices, "sobol.indices", (e, p) => {
      str(e.feature, `${p}.feature`);
      grid([e.first, e.total], p, [[2, "[first, total]"]]);
      interval(e.firstCi, `${p}.firstCi`);
      interval(e.totalCi, `${p}.totalCi`);
    });
    entries(s.marginals, "sobol.marginals", () => {});
    entries(s.outputs, "sobol.outputs", () => {});
  }
  if (r.constraints != null)
    entries(obj(r.constraints, "constraints").checks, "constraints.checks", (e, p) => {
      str(e.feature, `${p}.feature`);
      str(e.expect, `${p}.expect`);
      entries(e.worstRows, `${p}.worstRows`, () => {});
    });
}

/** `interactions.integratedHessians` (absent in older results): the arrays the report and explorer index. */
function checkIntegratedHessians(r: Obj, F: [number, string], C: [number, string]): void {
  if (!isObj(r.interactions) || r.interactions.integratedHessians == null) return;
  const p = "interactions.integratedHessians";
  const ih = obj(r.interactions.integratedHessians, p);
  const R: [number, string] = [arr(ih.rows, `${p}.rows`).length, `${p}.rows`];
  grid(ih.rows, `${p}.rows`, [R]);
  grid(ih.interactions, `${p}.interactions`, [R, C, F, F]);
  grid(ih.meanAbs, `${p}.meanAbs`, [C, F, F]);
  for (const key of ["featureSums", "integratedGradients", "igDelta"])
    grid(ih[key], `${p}.${key}`, [R, C, F]);
  for (const key of ["trustworthy", "completenessDelta", "output", "baselineOutput"])
    grid(ih[key], `${p}.${key}`, [R, C]);
}

const ROW_ARRAYS: Record<string, string[]> = {
  inputXGradient: ["attributions"],
  integratedGradients: ["attributions"],
  smoothGrad: ["gradients"],
  expectedGradients: ["attributions"],
};

/**
 * Throws a `ResultShapeError` naming the first JSON path whose structure the report cannot use.
 *
 * @example
 * checkResultShape(JSON.parse(text)); // throws "attribution.integratedGradients.attributions: expected an array, got null"
 */
export function checkResultShape(result: unknown): void {
  const r = obj(result, "(top level)");
  const inputs = obj(r.inputs, "inputs");
  const outputs = obj(r.outputs, "outputs");
  const features = arr(inputs.features, "inputs.features");
  const components = arr(outputs.components, "outputs.components");
  for (const [list, name] of [
    [features, "inputs.features"],
    [components, "outputs.components"],
  ] as const)
    list.forEach((f, i) => {
      const n = obj(f, `${name}[${i}]`).name;
      if (typeof n !== "string")
        throw new ResultShapeError(`${name}[${i}].name`, `expected a string, got ${what(n)}`);
    });
  const D = features.length;
  const K = components.length;
  const F: [number, string] = [D, "inputs.features"];
  const C: [number, string] = [K, "outputs.components"];
  const summary = obj(r.summary, "summary");
  obj(r.meta, "meta");
  for (const key of ["ranking", "values", "gradients"]) arr(summary[key], `summary.${key}`);
  if (r.attribution != null) {
    const a = obj(r.attribution, "attribution");
    const rows = arr(a.rows, "attribution.rows");
    const R: [number, string] = [rows.length, "attribution.rows"];
    for (const [section, keys] of Object.entries(ROW_ARRAYS)) {
      if (a[section] == null) continue;
      const s = obj(a[section], `attribution.${section}`);
      for (const key of keys) grid(s[key], `attribution.${section}.${key}`, [R, C, F]);
      if (s.meanAbs !== undefined) grid(s.meanAbs, `attribution.${section}.meanAbs`, [C, F]);
    }
    if (a.integratedGradients != null) {
      const ig = a.integratedGradients as Obj;
      for (const key of ["trustworthy", "completenessDelta", "output", "baselineOutput"])
        grid(ig[key], `attribution.integratedGradients.${key}`, [R, C]);
      grid(ig.stepsUsed, "attribution.integratedGradients.stepsUsed", [R]);
      obj(ig.baseline, "attribution.integratedGradients.baseline");
    }
  }
  if (r.perSample != null) {
    const ps = obj(r.perSample, "perSample");
    const rows = arr(ps.rows, "perSample.rows");
    const R: [number, string] = [rows.length, "perSample.rows"];
    grid(ps.features, "perSample.features", [R, F]);
    grid(ps.values, "perSample.values", [R, C]);
    grid(ps.gradients, "perSample.gradients", [R, C, F]);
    if (ps.hessians != null) grid(ps.hessians, "perSample.hessians", [R, C, F, F]);
    if (ps.elasticities != null) grid(ps.elasticities, "perSample.elasticities", [R, C, F]);
    if (ps.finance != null) {
      const fin = obj(ps.finance, "perSample.finance");
      const prices = isObj(summary.finance) ? summary.finance.priceFeatures : [];
      const P: [number, string] = [
        Array.isArray(prices) ? prices.length : 0,
        "summary.finance.priceFeatures",
      ];
      grid(fin.delta, "perSample.finance.delta", [R, C, P]);
      grid(fin.gamma, "perSample.finance.gamma", [R, C, P]);
      grid(fin.crossGamma, "perSample.finance.crossGamma", [R, C, P, F]);
    }
  }
  checkOptionalSections(r);
  checkIntegratedHessians(r, F, C);
  checkResultFields(r);
  checkWhatIfRows(r, C);
  walk(r, "", D, K);
}

/** The what-ifs' per-row values (read by the HTML report's row explorer): one row of C outputs per row id. */
function checkWhatIfRows(r: Obj, C: [number, string]): void {
  if (!isObj(r.whatif) || !Array.isArray(r.whatif.scenarios)) return;
  r.whatif.scenarios.forEach((s, i) => {
    const path = `whatif.scenarios[${i}].perSample`;
    if (!isObj(s) || s.perSample == null) return;
    const p = obj(s.perSample, path);
    const rows = arr(p.rows, `${path}.rows`);
    grid(rows, `${path}.rows`, [[rows.length, `${path}.rows`]]);
    const R: [number, string] = [rows.length, `${path}.rows`];
    for (const key of ["baseline", "firstOrder", "secondOrder", "exact"])
      grid(p[key], `${path}.${key}`, [R, C]);
  });
}
