/**
 * Names are data in the report's charts: every chart spec, compiled by Vega-Lite, carries feature,
 * input and output names only in data values and literal titles, never inside an expression or
 * signal (where a U+2028 in a name was a syntax error: "Unexpected token ILLEGAL", and four of the
 * five charts did not draw). Each chart is then run by Vega headless and rendered to SVG.
 */
import * as vega from "vega";
import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import { attributionSpec } from "../src/report/specs/attribution.js";
import { dgsmSpec } from "../src/report/specs/dgsm.js";
import { effectsSpec } from "../src/report/specs/effects.js";
import { integratedHessiansSpec, interactionsSpec } from "../src/report/specs/interactions.js";
import { sobolSpec } from "../src/report/specs/sobol.js";
import { jacobianHeatmapSpec } from "../src/report/specs/heatmap.js";
import { rankingSpec } from "../src/report/specs/ranking.js";
import { scatterSpec } from "../src/report/specs/scatter.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { MARK, ODD_NAMES, oddNamesResult } from "./report.names.fixture.js";
import { withNewSections } from "./report.sections.fixture.js";

const SPECS: [string, (r: SensitivityResult) => object][] = [
  ["ranking", rankingSpec],
  ["ranking (log)", (r) => rankingSpec(r, { scale: "log" })],
  ["scatter", scatterSpec],
  ["heatmap", jacobianHeatmapSpec],
  ["attribution", attributionSpec],
  ["dgsm", dgsmSpec],
  ["interactions", (r) => interactionsSpec(withNewSections(r))],
  ["effects", (r) => effectsSpec(withNewSections(r))],
  ["sobol", (r) => sobolSpec(withNewSections(r))],
  ["integrated hessians", (r) => integratedHessiansSpec(withIntegratedHessians(r))],
];

/** `r` with an Integrated Hessians part: one explained row, Γ_ij = i − j + 1 (chosen, not computed). */
function withIntegratedHessians(r: SensitivityResult): SensitivityResult {
  const d = r.inputs.features.length;
  const gamma = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => i - j + 1));
  const ih = { rows: [0], interactions: [[gamma]] } as unknown;
  return { ...r, interactions: { ...(r.interactions ?? {}), integratedHessians: ih } } as SensitivityResult;
}

/** Keys of a Vega spec whose string values Vega parses as expressions. */
const EXPRESSION_KEYS = new Set([
  "expr",
  "signal",
  "test",
  "update",
  "filter",
  "calculate",
  "labelExpr",
  "as",
]);

/** Every string under an expression key, with its path. */
function expressions(node: unknown, path: string, out: [string, string][]): [string, string][] {
  if (Array.isArray(node)) node.forEach((x, i) => expressions(x, `${path}[${i}]`, out));
  else if (node !== null && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      if (k === "values") continue; // inline data: names belong there
      if (EXPRESSION_KEYS.has(k) && typeof v === "string") out.push([`${path}.${k}`, v]);
      else if (k === "transform" && Array.isArray(v))
        v.forEach((t, i) => typeof t?.expr === "string" && out.push([`${path}.transform[${i}]`, t.expr]));
      expressions(v, `${path}.${k}`, out);
    }
  return out;
}

describe("report charts take names as data", () => {
  const r = oddNamesResult();

  it("the fixture's names reach the result", () => {
    expect(r.outputs.components[0].name).toBe(ODD_NAMES.output);
    expect(r.inputs.features.map((f) => f.name)).toContain(ODD_NAMES.feature);
    expect(r.inputs.features.map((f) => f.name)).toContain(`${ODD_NAMES.input}[1]`);
  });

  it.each(SPECS)("%s: no name inside an expression of the compiled Vega spec", (_name, make) => {
    const spec = make(r);
    expect(JSON.stringify(spec)).toContain(MARK); // the names are in the data
    const exprs = expressions(compile(spec as never).spec, "", []);
    expect(exprs.length).toBeGreaterThan(0);
    expect(exprs.filter(([, e]) => e.includes(MARK))).toEqual([]);
  });

  it.each(SPECS)("%s: Vega runs the chart and draws every name", async (_name, make) => {
    const view = new vega.View(vega.parse(compile(make(r) as never).spec), { renderer: "none" });
    await view.runAsync();
    const svg = await view.toSVG();
    view.finalize();
    expect(svg).toContain("<svg");
    expect(svg).toContain(MARK);
  });
});
