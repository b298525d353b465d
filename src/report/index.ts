/**
 * Reports of sensitivity results: aligned terminal tables, a self-contained HTML report with
 * Vega-Lite charts, and CSV/JSON/NPY writers for per-row results. Safe to import in
 * a browser: the Node-only helpers (reading the Vega bundles, writing files) import Node modules
 * lazily.
 *
 * @example
 * import { analyze, formatAnalysis, writeHtmlReport } from "gradlens";
 * const result = analyze(model, data, { finance: { price: "price" }, keepPerSample: 1000 });
 * console.log(formatAnalysis(result));
 * await writeHtmlReport("report.html", result, { title: "pricing model" });
 */
export { formatAnalysis, renderTable, type FormatAnalysisOptions } from "./terminal.js";
export {
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
export { renderHtmlReport, REPORT_SECTIONS, type HtmlReportOptions } from "./html.js";
export { findings, type Finding } from "./findings.js";
export { loadVegaScripts, type VegaScripts } from "./vega.js";
export { writeHtmlReport } from "./write.js";
export { csvTableText, resultCsvTables, CSV_TABLE_NAMES, type CsvTable } from "./csvTables.js";
export { unitOf, withUnit } from "./units.js";
export { escapeHtml, jsonForScript } from "./escape.js";
export { fmtNum, fmtPct } from "./format.js";
export {
  encodeFrame,
  formatFromPath,
  frameToCsv,
  frameToJson,
  frameToNpy,
  type Frame,
  type FrameFormat,
} from "./writers.js";
export { rankingSpec, type RankingSpecOptions } from "./specs/ranking.js";
export { scatterSpec, type ScatterSpecOptions } from "./specs/scatter.js";
export { jacobianHeatmapSpec, type HeatmapSpecOptions } from "./specs/heatmap.js";
export { attributionSpec, type AttributionSpecOptions } from "./specs/attribution.js";
export { dgsmSpec, type DgsmSpecOptions } from "./specs/dgsm.js";
