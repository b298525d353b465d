/**
 * The HTML report: one self-contained file (styles, data, chart specs and the Vega bundles
 * inlined; no network) with the model summary, the ranking chart, derivative-vs-value scatter
 * plots, the per-sample Jacobian heatmap, Integrated Gradients bars with their completeness
 * deltas, the DGSM chart with bootstrap intervals, the verification and what-if tables and the
 * options in effect. Every name is escaped; charts are Vega-Lite specs from ./specs.
 */
import type { SensitivityResult } from "../sensitivity/schema.js";
import { escapeHtml, inlineScript, jsonForScript } from "./escape.js";
import { fmtMs } from "./format.js";
import { attributionSpec } from "./specs/attribution.js";
import type { TopLevelSpec } from "./specs/common.js";
import { dgsmSpec } from "./specs/dgsm.js";
import { jacobianHeatmapSpec } from "./specs/heatmap.js";
import { rankingSpec } from "./specs/ranking.js";
import { scatterSpec } from "./specs/scatter.js";
import {
  dgsmTable,
  financeTable,
  inputsTable,
  integratedGradientsTable,
  outputsTable,
  rankingTable,
  verificationTable,
  whatifTable,
  type TableData,
} from "./tables.js";
import type { VegaScripts } from "./vega.js";

/**
 * Options of `renderHtmlReport`.
 *
 * @example
 * const opts: HtmlReportOptions = { scripts: await loadVegaScripts(), title: "pricing model", modelSummary: inspectModel(model) };
 */
export interface HtmlReportOptions {
  /** The Vega, Vega-Lite and Vega-Embed bundles to inline (Node: `loadVegaScripts()`). */
  scripts: VegaScripts;
  /** Shown in the page title and header, e.g. the model file name. */
  title?: string;
  /** The model's description (`inspectModel(model)` or `model.summary({ print: false })`). */
  modelSummary?: string;
  /** Where the analysed target came from: model path, wrapper module, data file. */
  sources?: Record<string, string>;
  /** The command line that produced the result, shown with the options. */
  command?: string;
  /** Timestamp shown in the header (default now, ISO 8601). */
  generatedAt?: string;
  /** Retained rows embedded in the page's result JSON (default 100; charts use their own subsets). */
  embedRows?: number;
}

/**
 * The ids of the report's sections, in page order (each is a `<section id=…>`, linked from the header).
 *
 * @example
 * REPORT_SECTIONS.map((id) => `report.html#${id}`);
 */
export const REPORT_SECTIONS = [
  "model",
  "ranking",
  "scatter",
  "heatmap",
  "attribution",
  "dgsm",
  "verification",
  "whatif",
  "options",
] as const;

const CSS = `
:root { --fg: #1d2430; --muted: #5c6675; --line: #d9dee5; --bg: #fff; --alt: #f5f7fa; --bad: #b3261e; --ok: #1e7a3c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--alt); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .sub { color: var(--muted); margin: 0 0 8px; }
nav a { margin-right: 14px; color: #2f5f95; text-decoration: none; font-size: 13px; }
main { max-width: 1180px; padding: 8px 32px 48px; }
section { margin-top: 28px; }
h2 { font-size: 18px; margin: 0 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 4px 0 12px; max-width: 900px; }
.empty { color: var(--muted); font-style: italic; }
pre { background: var(--alt); border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; font-size: 12px; line-height: 1.35; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { text-align: left; background: var(--alt); font-weight: 600; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { color: var(--bad); font-weight: 600; }
table.wrap td { white-space: normal; overflow-wrap: anywhere; }
table.wrap td:first-child { white-space: nowrap; color: var(--muted); }
.table-wrap { overflow-x: auto; }
.notes { color: var(--muted); font-size: 12px; margin: 2px 0 10px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.ok { background: var(--ok); } .badge.bad { background: var(--bad); }
.chart { margin: 8px 0 4px; min-height: 40px; }
.chart-error { color: var(--bad); }
.warning { border: 1px solid var(--bad); border-left-width: 5px; background: #fdf0ef; color: var(--bad); padding: 8px 12px; margin: 8px 0; max-width: 900px; }
`;

/** Renders client-side: embeds every chart, records the outcome on the elements (the browser test reads it). */
const BOOT = `
(function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-spec]"));
  function fail(el, e) {
    el.setAttribute("data-rendered", "error");
    el.classList.add("chart-error");
    el.textContent = "This chart could not be drawn: " + (e && e.message ? e.message : String(e));
    console.error(e);
  }
  Promise.all(charts.map(function (el) {
    try {
      var spec = JSON.parse(document.getElementById("spec-" + el.getAttribute("data-spec")).textContent);
      return vegaEmbed(el, spec, { actions: false, renderer: "svg" })
        .then(function () { el.setAttribute("data-rendered", "ok"); })
        .catch(function (e) { fail(el, e); });
    } catch (e) { fail(el, e); return Promise.resolve(); }
  })).then(function () {
    document.body.setAttribute("data-charts-rendered",
      String(charts.filter(function (c) { return c.getAttribute("data-rendered") === "ok"; }).length));
  });
})();
`;

/**
 * A table as HTML; every cell escaped. `header: false` leaves out the header row; `wrap` lets long cells wrap.
 *
 * @example
 * tableHtml(rankingTable(result, 0)); // "<h3>Sensitivities of …</h3><div class=\"table-wrap\"><table>…"
 */
export function tableHtml(
  t: TableData,
  opts: { title?: boolean; header?: boolean; wrap?: boolean } = {},
): string {
  const cellClass = (c: number) => (t.align[c] === "r" ? ' class="r"' : "");
  const failed = new Set(t.failedRows ?? []);
  const head = t.headers.map((h, c) => `<th${cellClass(c)}>${escapeHtml(h)}</th>`).join("");
  const body = t.rows
    .map(
      (row, i) =>
        `<tr${failed.has(i) ? ' class="fail"' : ""}>${row.map((v, c) => `<td${cellClass(c)}>${escapeHtml(v)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const title = opts.title === false ? "" : `<h3>${escapeHtml(t.title)}</h3>`;
  const notes = t.notes.map((n) => `<div class="notes">${escapeHtml(n)}</div>`).join("");
  const thead = opts.header === false ? "" : `<thead><tr>${head}</tr></thead>`;
  const cls = opts.wrap ? ' class="wrap"' : "";
  return `${title}<div class="table-wrap"><table${cls}>${thead}<tbody>${body}</tbody></table></div>${notes}`;
}

interface Chart {
  id: string;
  spec: TopLevelSpec;
}

const chartDiv = (c: Chart, label: string) =>
  `<div class="chart" id="chart-${c.id}" data-spec="${c.id}" role="img" aria-label="${escapeHtml(label)}"></div>`;

const section = (id: string, title: string, lead: string, body: string) =>
  `<section id="${id}"><h2>${escapeHtml(title)}</h2>${lead ? `<p class="lead">${lead}</p>` : ""}${body}</section>`;

const empty = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;

/**
 * JSON indented by two spaces, with arrays of plain values (numbers, strings) kept on one line.
 *
 * @example
 * prettyJson({ rows: [1, 2, 3] }); // '{\n  "rows": [1, 2, 3]\n}'
 */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\s*\n([^[\]{}]*?)\n\s*\]/g,
    (_m, inner: string) =>
      `[${inner
        .split(",\n")
        .map((s) => s.trim())
        .join(", ")}]`,
  );
}

/** The result embedded in the page: per-sample rows capped, Hessians left out (the JSON output has everything). */
function embeddedResult(r: SensitivityResult, maxRows: number): unknown {
  const ps = r.perSample;
  const perSample = ps && {
    ...ps,
    rows: ps.rows.slice(0, maxRows),
    features: ps.features.slice(0, maxRows),
    values: ps.values.slice(0, maxRows),
    gradients: ps.gradients.slice(0, maxRows),
    hessians: null,
    elasticities: ps.elasticities?.slice(0, maxRows) ?? null,
    finance: ps.finance && {
      delta: ps.finance.delta.slice(0, maxRows),
      gamma: ps.finance.gamma.slice(0, maxRows),
      crossGamma: ps.finance.crossGamma.slice(0, maxRows),
    },
  };
  return {
    note:
      `the sensitivity result (schema v${r.schemaVersion}); perSample capped at ${maxRows} rows and its Hessians ` +
      `left out here; write the full result with --json`,
    result: { ...r, perSample },
  };
}

function metaTable(r: SensitivityResult, opts: HtmlReportOptions): TableData {
  const t = r.meta.timingsMs;
  const rows: string[][] = [
    ["gradlens version", r.meta.gradlensVersion],
    ["schema version", String(r.schemaVersion)],
    ["rows (N)", String(r.meta.n)],
    ["batch size", String(r.meta.batchSize)],
    ["derivative mode", r.meta.derivativeMode],
    ["second order (Hessians)", r.meta.secondOrder ? "yes" : "no"],
    ["seed", String(r.meta.seed)],
    [
      "time",
      `${fmtMs(t.total)} (setup ${fmtMs(t.setup)}, derivatives ${fmtMs(t.derivatives)}, summary ${fmtMs(t.summary)}, ` +
        `attribution ${fmtMs(t.attribution)}, verification ${fmtMs(t.verification)}, what-if ${fmtMs(t.whatif)})`,
    ],
    ...Object.entries(opts.sources ?? {}).map(([k, v]) => [k, v]),
  ];
  if (opts.command) rows.push(["command", opts.command]);
  return { title: "Run", headers: ["", ""], align: ["l", "l"], rows, notes: [] };
}

function modelSection(r: SensitivityResult, opts: HtmlReportOptions): string {
  const summary = opts.modelSummary
    ? `<pre>${escapeHtml(opts.modelSummary)}</pre>`
    : empty("No model description was given (the report was rendered from a result file without --model).");
  return section(
    "model",
    "Model",
    `The analysed target, its inputs (each differentiated number is a <em>feature</em>) and outputs over ${r.meta.n} rows.`,
    summary + tableHtml(inputsTable(r)) + tableHtml(outputsTable(r)),
  );
}

function rankingSection(r: SensitivityResult, charts: Chart[]): string {
  const chart: Chart = { id: "ranking", spec: rankingSpec(r) };
  charts.push(chart);
  const kMax = Math.min(r.outputs.components.length, 4);
  const tables = Array.from({ length: kMax }, (_, k) => tableHtml(rankingTable(r, k))).join("");
  const fin = financeTable(r);
  return section(
    "ranking",
    "Ranked sensitivities",
    "Features are ranked by σ·mean |∂y/∂x|: how much the output typically moves when the feature moves by one " +
      "standard deviation of its data, so features measured in different units compare. Mean |∂y/∂x| is the " +
      "average slope per unit of input; RMS (√ν of DGSM) weights large local slopes more.",
    chartDiv(chart, "bar chart of the sigma-scaled mean absolute and RMS derivative per feature") +
      tables +
      (fin ? tableHtml(fin) : ""),
  );
}

function scatterSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Each point is one row: the derivative against the feature's value, for the top features. A flat band " +
    "means the effect is linear in that feature; a trend means curvature; vertical spread means the slope depends " +
    "on other features (interactions).";
  if (!r.perSample)
    return section(
      "scatter",
      "Derivative vs feature value",
      lead,
      empty("Not available: the result has no per-sample rows (keepPerSample)."),
    );
  const chart: Chart = { id: "scatter", spec: scatterSpec(r) };
  charts.push(chart);
  const shown = r.perSample.rows.length;
  return section(
    "scatter",
    "Derivative vs feature value",
    lead,
    chartDiv(chart, "scatter plots of derivative against feature value") +
      `<div class="notes">${shown} of ${r.meta.n} rows retained; up to 1000 points per feature plotted.</div>`,
  );
}

function heatmapSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "The per-sample Jacobian: rows × features, each column scaled by its largest |∂y/∂x| so features with " +
    "different units share one colour scale (blue positive, red negative; hover for the raw value).";
  if (!r.perSample)
    return section(
      "heatmap",
      "Per-sample Jacobian",
      lead,
      empty("Not available: the result has no per-sample rows (keepPerSample)."),
    );
  const chart: Chart = { id: "heatmap", spec: jacobianHeatmapSpec(r) };
  charts.push(chart);
  return section(
    "heatmap",
    "Per-sample Jacobian",
    lead,
    chartDiv(chart, "heatmap of per-sample derivatives"),
  );
}

function attributionSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Integrated Gradients split each explained row's output change from the baseline, y(x) − y(x′), into " +
    "per-feature contributions. The completeness delta δ is what the quadrature missed: it should be tiny next to y.";
  const table = integratedGradientsTable(r);
  if (!table)
    return section(
      "attribution",
      "Integrated Gradients",
      lead,
      empty("Not computed (attribution samples 0 or Integrated Gradients off)."),
    );
  const chart: Chart = { id: "attribution", spec: attributionSpec(r) };
  charts.push(chart);
  const ig = r.attribution!.integratedGradients!;
  const warning = ig.converged
    ? ""
    : `<div class="warning" role="alert"><strong>Integrated Gradients NOT converged.</strong> ` +
      `The attributions of the rows marked ~ (and "NOT converged" in the charts) are not trustworthy: they are ` +
      `what the quadrature reached, not results. ${escapeHtml(ig.reason ?? "")}</div>`;
  return section(
    "attribution",
    "Integrated Gradients",
    lead,
    warning +
      chartDiv(chart, "bar charts of Integrated Gradients attributions per explained row") +
      tableHtml(table),
  );
}

function dgsmSectionHtml(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Derivative-based global sensitivity measures: ν = E[(∂y/∂x)²] times the Poincaré constant of the " +
    "feature's distribution, over Var(y), bounds the total Sobol' index from above (for independent inputs). " +
    "A small bound proves a feature unimportant; a bound ≥ 1 says nothing.";
  const table = dgsmTable(r);
  if (!table) return section("dgsm", "DGSM and Sobol' bounds", lead, empty("Not computed (dgsm off)."));
  const chart: Chart = { id: "dgsm", spec: dgsmSpec(r) };
  charts.push(chart);
  return section(
    "dgsm",
    "DGSM and Sobol' bounds",
    lead,
    chartDiv(chart, "bar chart of Sobol' upper bounds with bootstrap intervals") + tableHtml(table),
  );
}

function verificationSection(r: SensitivityResult): string {
  const lead =
    "Autodiff derivatives against central finite differences in float64 on sampled rows. A failure means the " +
    "derivatives (or the model's smoothness at those points) should not be trusted.";
  if (!r.verification)
    return section(
      "verification",
      "Finite-difference verification",
      lead,
      empty("Not run (verify samples 0)."),
    );
  const badge = r.verification.passed
    ? '<span class="badge ok">passed</span>'
    : '<span class="badge bad">FAILED</span>';
  return section(
    "verification",
    "Finite-difference verification",
    `${lead} ${badge}`,
    tableHtml(verificationTable(r.verification)),
  );
}

function whatifSection(r: SensitivityResult): string {
  const lead =
    "Scenarios: the exact change of the output when inputs are shocked, against its first- and second-order " +
    "Taylor predictions from the derivatives. Large first-order errors mean the shock is too big for a linear reading.";
  if (!r.whatif)
    return section("whatif", "What-if scenarios", lead, empty("No scenarios were given (--shock)."));
  return section("whatif", "What-if scenarios", lead, tableHtml(whatifTable(r.whatif)));
}

function optionsSection(r: SensitivityResult, opts: HtmlReportOptions): string {
  return section(
    "options",
    "Options and metadata",
    "Everything needed to reproduce this report.",
    tableHtml(metaTable(r, opts), { title: false, header: false, wrap: true }) +
      `<h3>Options in effect</h3><pre>${escapeHtml(prettyJson(r.meta.options))}</pre>`,
  );
}

/**
 * The report as one HTML string. Needs no network to display: open the file in any browser.
 *
 * @example
 * import { writeFileSync } from "node:fs";
 * const html = renderHtmlReport(result, { scripts: loadVegaScripts(), title: "pricing model" });
 * writeFileSync("report.html", html);
 */
export function renderHtmlReport(r: SensitivityResult, opts: HtmlReportOptions): string {
  const charts: Chart[] = [];
  const body = [
    modelSection(r, opts),
    rankingSection(r, charts),
    scatterSection(r, charts),
    heatmapSection(r, charts),
    attributionSection(r, charts),
    dgsmSectionHtml(r, charts),
    verificationSection(r),
    whatifSection(r),
    optionsSection(r, opts),
  ].join("\n");
  const title = opts.title ? `${opts.title} — sensitivity report` : "Sensitivity report";
  const generated = opts.generatedAt ?? new Date().toISOString();
  const nav = REPORT_SECTIONS.map((id) => `<a href="#${id}">${id}</a>`).join("");
  const sub =
    `${r.meta.n} rows · ${r.inputs.features.length} features · ${r.outputs.components.length} output component(s) · ` +
    `verification ${r.verification ? (r.verification.passed ? "passed" : "FAILED") : "not run"} · ` +
    `gradlens ${r.meta.gradlensVersion} · ${generated}`;
  const specs = charts
    .map((c) => `<script type="application/json" id="spec-${c.id}">${jsonForScript(c.spec)}</script>`)
    .join("\n");
  const csp =
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="gradlens ${escapeHtml(r.meta.gradlensVersion)}">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(sub)}</p><nav>${nav}</nav></header>
<main>
${body}
</main>
<script type="application/json" id="gradlens-result">${jsonForScript(embeddedResult(r, opts.embedRows ?? 100))}</script>
${specs}
<script>${inlineScript(opts.scripts.vega)}</script>
<script>${inlineScript(opts.scripts.vegaLite)}</script>
<script>${inlineScript(opts.scripts.vegaEmbed)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
