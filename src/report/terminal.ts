/**
 * Sensitivity results as aligned plain-text tables for the terminal: the ranking (with Greeks
 * for price inputs), the finite-difference verification and the what-if scenarios. Numbers are
 * right-aligned, text left-aligned; widths count code points, so `∂` and `—` take one column.
 */
import type { SensitivityResult } from "../sensitivity/schema.js";
import { fmtMs, fmtNum } from "./format.js";
import {
  financeTable,
  integratedGradientsTable,
  rankingTable,
  verificationTable,
  whatifTable,
  type TableData,
} from "./tables.js";

const width = (s: string) => [...s].length;
const pad = (s: string, w: number, align: "l" | "r") =>
  align === "r" ? " ".repeat(w - width(s)) + s : s + " ".repeat(w - width(s));

/**
 * A table as aligned text: title, header, a rule, the rows, then the notes. Columns are
 * separated by two spaces.
 *
 * @example
 * renderTable({ title: "T", headers: ["a", "b"], align: ["l", "r"], rows: [["x", "1"]], notes: [] });
 * // "T\na  b\n─  ─\nx  1"
 */
export function renderTable(t: TableData): string {
  const widths = t.headers.map((h, c) => Math.max(width(h), ...t.rows.map((r) => width(r[c] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((s, c) => pad(s ?? "", widths[c], t.align[c] ?? "l"))
      .join("  ")
      .trimEnd();
  const out = [t.title, line(t.headers), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const r of t.rows) out.push(line(r));
  if (t.rows.length === 0) out.push("(no rows)");
  for (const n of t.notes) out.push(`  ${n}`);
  return out.join("\n");
}

/**
 * Options of `formatAnalysis`.
 *
 * @example
 * formatAnalysis(result, { top: 5, components: 1 });
 */
export interface FormatAnalysisOptions {
  /** Features per ranking table (default all). */
  top?: number;
  /** Output components to rank (default the first 4). */
  components?: number;
}

/**
 * The terminal report of an analysis: ranked sensitivities per output component, the Greeks for
 * price inputs, Integrated Gradients completeness, the finite-difference verification table and
 * the what-if table, each present when the result has that section.
 *
 * @example
 * console.log(formatAnalysis(analyze(model, data, { finance: { price: "price" } })));
 */
export function formatAnalysis(r: SensitivityResult, opts: FormatAnalysisOptions = {}): string {
  const parts: string[] = [];
  const kMax = Math.min(r.outputs.components.length, opts.components ?? 4);
  for (let k = 0; k < kMax; k++) parts.push(renderTable(rankingTable(r, k, opts.top)));
  if (kMax < r.outputs.components.length)
    parts.push(`(${r.outputs.components.length - kMax} more output components in the JSON/HTML result)`);
  const fin = financeTable(r);
  if (fin) parts.push(renderTable(fin));
  const ig = integratedGradientsTable(r);
  if (ig) {
    const igSec = r.attribution!.integratedGradients!;
    const line =
      `Integrated Gradients on ${r.attribution!.rows.length} rows (${igSec.method}, baseline ${igSec.baseline.kind}): ` +
      `max |completeness δ| ${fmtNum(igSec.maxAbsCompletenessDelta, 2)}`;
    // Converged: one line. Not: a warning, the reason, and the table with the flagged rows marked.
    if (igSec.converged) parts.push(`${line}, converged`);
    else
      parts.push(
        `WARNING: Integrated Gradients NOT converged — the attributions marked ~ are not trustworthy.\n` +
          `${line}.\n${igSec.reason ?? ""}\n\n${renderTable(ig)}`,
      );
  }
  if (r.verification) parts.push(renderTable(verificationTable(r.verification)));
  if (r.whatif) parts.push(renderTable(whatifTable(r.whatif)));
  const t = r.meta.timingsMs;
  parts.push(
    `${r.meta.n} rows, ${r.inputs.features.length} features, ${r.outputs.components.length} output component(s); ` +
      `${r.meta.derivativeMode}-mode derivatives${r.meta.secondOrder ? " with Hessians" : ""}; ` +
      `${fmtMs(t.total)} (derivatives ${fmtMs(t.derivatives)}, attribution ${fmtMs(t.attribution)}, ` +
      `verification ${fmtMs(t.verification)}, what-if ${fmtMs(t.whatif)})`,
  );
  return parts.join("\n\n");
}

export type { TableData } from "./tables.js";
