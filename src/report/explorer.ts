/**
 * The report's per-row explorer: pick one of the rows the result holds per-row numbers for (kept
 * per-sample rows, explained rows, Integrated Hessians rows, what-if rows) and see its feature
 * values, output, derivatives, attributions (Input×Gradient, Integrated Gradients with its
 * completeness δ), Integrated Hessians (when the interactions section has them) and what-ifs.
 * The row buttons are rendered here; the panel is filled in the page from the embedded result
 * (./explorerScript.ts) with text nodes only, so no name or value is ever parsed as HTML.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { section } from "./blocks.js";
import { escapeHtml } from "./escape.js";

/** Integrated Hessians rows, when the interactions section has them (absent in older results). */
function ihRows(r: SensitivityResult): number[] {
  const ih = (r.interactions as { integratedHessians?: { rows?: unknown } | null } | null)
    ?.integratedHessians;
  return Array.isArray(ih?.rows) ? (ih.rows as number[]) : [];
}

/**
 * The data rows the explorer offers, ascending: every row some section holds per-row numbers for.
 *
 * @example
 * explorerRows(result); // [0, 1, 2, 17, 311] — kept rows 0–2 and explained rows 17, 311
 */
export function explorerRows(r: SensitivityResult): number[] {
  const rows = new Set<number>([
    ...(r.perSample?.rows ?? []),
    ...(r.attribution?.rows ?? []),
    ...ihRows(r),
    ...(r.whatif?.scenarios ?? []).flatMap((s) => s.perSample?.rows ?? []),
  ]);
  return [...rows].filter((x) => Number.isInteger(x)).sort((a, b) => a - b);
}

/**
 * The explorer's section (empty string when the result holds no per-row numbers). `r` must be the
 * result as embedded in the page (its per-sample rows capped), so every listed row has its data.
 *
 * @example
 * const html = explorerHtml(embedded.result); // '<section id="explorer">…'
 */
export function explorerHtml(r: SensitivityResult): string {
  const rows = explorerRows(r);
  if (rows.length === 0) return "";
  const kept = new Set(r.perSample?.rows ?? []);
  const explained = new Set([...(r.attribution?.rows ?? []), ...ihRows(r)]);
  const buttons = rows
    .map((row, i) => {
      const tags = [kept.has(row) ? "derivatives" : "", explained.has(row) ? "attributions" : ""]
        .filter(Boolean)
        .join(", ");
      return (
        `<button type="button" class="row-pick${explained.has(row) ? " explained" : ""}" data-row="${row}" ` +
        `aria-pressed="${i === 0 ? "true" : "false"}" title="${escapeHtml(tags || "what-ifs")}">${row}</button>`
      );
    })
    .join("");
  const lead =
    "Pick a row to see its own numbers: feature values, output and exact derivatives (kept rows), " +
    "Input×Gradient and Integrated Gradients with their completeness δ (explained rows, bold), " +
    "Integrated Hessians when computed, and the what-if scenarios. Rows are the data's row indices, " +
    "counted from 0 (in a CSV with a header, row r is on line r + 2). Arrow keys move between rows.";
  return section(
    "explorer",
    "Row explorer",
    escapeHtml(lead),
    `<div class="row-picker" role="toolbar" aria-label="rows">${buttons}</div>` +
      `<div id="explorer-panel" aria-live="polite"></div>`,
  );
}

/** Styles of the explorer (appended to the report's CSS). */
export const EXPLORER_CSS = `
.row-picker { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 10px; max-height: 140px; overflow-y: auto; padding: 2px; }
button.row-pick { font: 12px system-ui, sans-serif; min-width: 38px; padding: 2px 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--fg); cursor: pointer; }
button.row-pick.explained { font-weight: 700; }
button.row-pick[aria-pressed="true"] { background: #2f5f95; border-color: #2f5f95; color: #fff; }
button.row-pick:focus-visible { outline: 2px solid #2f5f95; outline-offset: 1px; }
#explorer-panel .missing { color: var(--muted); font-style: italic; }
#explorer-panel th { max-width: 14em; overflow: hidden; text-overflow: ellipsis; }
#explorer-panel td:first-child { max-width: 22em; overflow: hidden; text-overflow: ellipsis; }
#explorer-panel td.ih { text-align: right; font-variant-numeric: tabular-nums; }
#explorer-panel td.untrusted { color: var(--bad); }
`;
