/**
 * Writing the HTML report to a file in Node, with the installed Vega bundles inlined.
 */
import type { SensitivityResult } from "../sensitivity/schema.js";
import { renderHtmlReport, type HtmlReportOptions } from "./html.js";
import { loadVegaScripts, writeTextFile } from "./vega.js";

/**
 * Renders the report with the installed Vega bundles and writes it to `path` (creating the
 * folder). Resolves to the number of bytes written. Node only.
 *
 * @example
 * await writeHtmlReport("out/report.html", result, { title: "pricing model", modelSummary: inspectModel(model) });
 */
export async function writeHtmlReport(
  path: string,
  result: SensitivityResult,
  opts: Omit<HtmlReportOptions, "scripts"> = {},
): Promise<number> {
  const html = renderHtmlReport(result, { ...opts, scripts: await loadVegaScripts() });
  return writeTextFile(path, html);
}
