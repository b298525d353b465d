/**
 * The HTML report: one self-contained file (styles, data, chart specs and the Vega bundles
 * inlined; no network) with the model summary, the ranking chart, derivative-vs-value scatter
 * plots, the per-sample Jacobian heatmap, Integrated Gradients bars with their completeness
 * deltas, the DGSM chart with bootstrap intervals, the verification and what-if tables and the
 * options in effect. Every name is escaped; charts are Vega-Lite specs from ./specs.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { empty, section, tableHtml, type Chart } from "./blocks.js";
import { escapeHtml, inlineScript, jsonForScript } from "./escape.js";
import { EXPLORER_CSS, explorerHtml } from "./explorer.js";
import { EXPLORER_SCRIPT } from "./explorerScript.js";
import { findingsHtml } from "./findings.js";
import { fmtMs } from "./format.js";
import { SECTION_VIEWS } from "./sections/index.js";
import { inputsTable, outputsTable, type TableData } from "./tables.js";
import type { VegaScripts } from "./vega.js";

export { tableHtml } from "./blocks.js";

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

/** Every section id in page order: REPORT_SECTIONS plus the optional analyses, shown only when in the result. */
const PAGE_ORDER = [
  "findings",
  "model",
  "ranking",
  "scatter",
  "heatmap",
  "attribution",
  "dgsm",
  "interactions",
  "effects",
  "sobol",
  "constraints",
  "verification",
  "whatif",
  "explorer",
  "options",
];

/**
 * The ids of the report's sections that every report has, in page order (each is a `<section id=…>`,
 * linked from the header). The optional analyses (interactions, effects, sobol, constraints) add
 * their sections between dgsm and verification when the result holds them.
 *
 * @example
 * REPORT_SECTIONS.map((id) => `report.html#${id}`);
 */
export const REPORT_SECTIONS = [
  "findings",
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
ul.findings { list-style: none; padding: 0; margin: 6px 0 0; max-width: 980px; }
li.finding { padding: 4px 10px; margin: 2px 0; border-left: 4px solid var(--line); background: var(--alt); }
li.finding.bad { border-left-color: var(--bad); background: #fdf0ef; }
li.finding.ok { border-left-color: var(--ok); }
li.finding a { font-size: 12px; color: #2f5f95; text-decoration: none; margin-left: 4px; }
fieldset.toggle { border: none; padding: 0; margin: 6px 0 0; font-size: 13px; }
fieldset.toggle legend { float: left; margin-right: 8px; color: var(--muted); }
fieldset.toggle label { margin-right: 10px; }
button.dl { font: 12px system-ui, sans-serif; padding: 1px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: #2f5f95; cursor: pointer; }
h3 button.dl { margin-left: 8px; vertical-align: 1px; }
.downloads { margin-top: 6px; font-size: 13px; }
.warning { border: 1px solid var(--bad); border-left-width: 5px; background: #fdf0ef; color: var(--bad); padding: 8px 12px; margin: 8px 0; max-width: 900px; }
`;

/**
 * Renders client-side: embeds every chart and records the outcome on the elements (the browser
 * test reads it); switches a chart between its variants when its radio group changes; and offers
 * the embedded result as JSON and each titled table as CSV, built in the page (no network).
 */
const BOOT = `
(function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-spec]"));
  function fail(el, e) {
    el.setAttribute("data-rendered", "error");
    el.classList.add("chart-error");
    el.textContent = "This chart could not be drawn: " + (e && e.message ? e.message : String(e));
    console.error(e);
  }
  function draw(el, specId) {
    try {
      var spec = JSON.parse(document.getElementById("spec-" + specId).textContent);
      return vegaEmbed(el, spec, { actions: false, renderer: "svg" })
        .then(function () { el.setAttribute("data-rendered", "ok"); el.setAttribute("data-variant-shown", specId); })
        .catch(function (e) { fail(el, e); });
    } catch (e) { fail(el, e); return Promise.resolve(); }
  }
  Promise.all(charts.map(function (el) { return draw(el, el.getAttribute("data-spec")); })).then(function () {
    document.body.setAttribute("data-charts-rendered",
      String(charts.filter(function (c) { return c.getAttribute("data-rendered") === "ok"; }).length));
  });
  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-toggle-for]"), function (fs) {
    var id = fs.getAttribute("data-toggle-for");
    var first = fs.querySelector("input").value;
    fs.addEventListener("change", function (ev) {
      var v = ev.target.value;
      var el = document.getElementById("chart-" + id);
      el.setAttribute("data-rendered", "pending");
      draw(el, v === first ? id : id + "--" + v);
    });
  });
  function save(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url; a.download = name; a.style.display = "none";
    document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }
  function cell(s) {
    s = s.replace(/\\s+/g, " ").trim();
    // A cell a spreadsheet would run as a formula is quoted as text (negative numbers are not).
    if (/^[=+@]/.test(s) || /^-(?![0-9.])/.test(s)) s = "'" + s;
    return /[",\\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function tableCsv(table) {
    return Array.prototype.map.call(table.querySelectorAll("tr"), function (tr) {
      return Array.prototype.map.call(tr.children, function (c) { return cell(c.textContent || ""); }).join(",");
    }).join("\\r\\n") + "\\r\\n";
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.dl") : null;
    if (!b) return;
    if (b.hasAttribute("data-json")) {
      save(b.getAttribute("data-json"), document.getElementById("gradlens-result").textContent, "application/json");
      return;
    }
    var h = b.closest("h3");
    var wrap = h && h.nextElementSibling;
    var table = wrap && wrap.querySelector("table");
    if (table) save(b.getAttribute("data-file"), tableCsv(table), "text/csv");
  });
})();
`;

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

/**
 * The result embedded in the page: per-sample rows (and the what-ifs' per-row values) capped,
 * Hessians left out (the JSON output has everything).
 */
function embeddedResult(r: SensitivityResult, maxRows: number): { note: string; result: SensitivityResult } {
  // The first maxRows rows, plus the explained rows among the kept ones (the row explorer shows
  // an explained row's derivatives and what-ifs beside its attributions).
  const explained = new Set(r.attribution?.rows ?? []);
  const pick = <T>(rows: number[], xs: T[]) => xs.filter((_, i) => i < maxRows || explained.has(rows[i]));
  const ps = r.perSample;
  const keep = <T>(xs: T[]) => pick(ps!.rows, xs);
  const perSample = ps && {
    ...ps,
    rows: keep(ps.rows),
    features: keep(ps.features),
    values: keep(ps.values),
    gradients: keep(ps.gradients),
    hessians: null,
    elasticities: ps.elasticities ? keep(ps.elasticities) : null,
    finance: ps.finance && {
      delta: keep(ps.finance.delta),
      gamma: keep(ps.finance.gamma),
      crossGamma: keep(ps.finance.crossGamma),
    },
  };
  const whatif = r.whatif && {
    ...r.whatif,
    scenarios: r.whatif.scenarios.map((s) => {
      const p = s.perSample;
      const cap = <T>(xs: T[]) => pick(p!.rows, xs);
      return {
        ...s,
        perSample: p && {
          rows: cap(p.rows),
          baseline: cap(p.baseline),
          firstOrder: cap(p.firstOrder),
          secondOrder: cap(p.secondOrder),
          exact: cap(p.exact),
        },
      };
    }),
  };
  return {
    note:
      `the sensitivity result (schema v${r.schemaVersion}); perSample and the what-ifs' per-row values capped at ` +
      `${maxRows} rows (and the explained rows among them) and the Hessians left out here; write the full result with --json`,
    result: { ...r, perSample, whatif },
  };
}

/** The time of each section that ran (absent from results saved before it was recorded). */
function sectionTimes(sections: unknown): string[][] {
  if (sections === null || typeof sections !== "object") return [];
  const parts = Object.entries(sections as Record<string, unknown>)
    .filter((e): e is [string, number] => typeof e[1] === "number")
    .map(([k, v]) => `${k} ${fmtMs(v)}`);
  return parts.length ? [["time by section", parts.join(", ")]] : [];
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
    ...sectionTimes(t.sections),
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
  const embedded = embeddedResult(r, opts.embedRows ?? 100);
  const body = [
    findingsHtml(r),
    modelSection(r, opts),
    ...SECTION_VIEWS.flatMap(([, view]) => (view.html ? [view.html(r, charts)] : [])),
    // The explorer reads the embedded result, so it lists only the rows embedded.
    explorerHtml(embedded.result),
    optionsSection(r, opts),
  ].join("\n");
  const title = opts.title ? `${opts.title} — sensitivity report` : "Sensitivity report";
  const generated = opts.generatedAt ?? new Date().toISOString();
  // Links only to the sections this result has (the optional analyses are left out when off).
  const nav = PAGE_ORDER.filter((id) => body.includes(`<section id="${id}">`))
    .map((id) => `<a href="#${id}">${id}</a>`)
    .join("");
  const sub =
    `${r.meta.n} rows · ${r.inputs.features.length} features · ${r.outputs.components.length} output component(s) · ` +
    `verification ${r.verification ? (r.verification.passed ? "passed" : "FAILED") : "not run"} · ` +
    `gradlens ${r.meta.gradlensVersion} · ${generated}`;
  const specTag = (id: string, spec: unknown) =>
    `<script type="application/json" id="spec-${id}">${jsonForScript(spec)}</script>`;
  const specs = charts
    .flatMap((c) => [
      specTag(c.id, c.spec),
      ...Object.entries(c.variants ?? {}).map(([v, spec]) => specTag(`${c.id}--${v}`, spec)),
    ])
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
<style>${CSS}${EXPLORER_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(sub)}</p><nav>${nav}</nav><div class="downloads">Download: <button type="button" class="dl" data-json="gradlens-result.json">result JSON</button> <span class="notes">· a CSV beside each table</span></div></header>
<main>
${body}
</main>
<script type="application/json" id="gradlens-result">${jsonForScript(embedded)}</script>
${specs}
<script>${inlineScript(opts.scripts.vega)}</script>
<script>${inlineScript(opts.scripts.vegaLite)}</script>
<script>${inlineScript(opts.scripts.vegaEmbed)}</script>
<script>${BOOT}${inlineScript(EXPLORER_SCRIPT)}</script>
</body>
</html>
`;
}
