/**
 * The pieces the HTML report's blocks are made of: tables, chart placeholders, titled sections
 * and "not computed" notes. Shared by html.ts and each section's view (./sections/).
 */
import { escapeHtml } from "./escape.js";
import type { TopLevelSpec } from "./specs/common.js";
import type { TableData } from "./tables.js";

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
  // A titled table gets a CSV download (built in the page from the table's cells).
  const csv = `<button type="button" class="dl dl-csv" data-file="${csvFileName(t.title)}">CSV</button>`;
  const title = opts.title === false ? "" : `<h3>${escapeHtml(t.title)} ${csv}</h3>`;
  const notes = t.notes.map((n) => `<div class="notes">${escapeHtml(n)}</div>`).join("");
  const thead = opts.header === false ? "" : `<thead><tr>${head}</tr></thead>`;
  const cls = opts.wrap ? ' class="wrap"' : "";
  return `${title}<div class="table-wrap"><table${cls}>${thead}<tbody>${body}</tbody></table></div>${notes}`;
}

/** A file name for a table's CSV: its title reduced to [a-z0-9-] (names may hold anything). */
export function csvFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "table"}.csv`;
}

/** A chart of the report: its id (the element it is embedded in) and its Vega-Lite spec. */
export interface Chart {
  id: string;
  spec: TopLevelSpec;
  /**
   * Other views of the same chart, by name, that a radio group above it switches to (the first
   * option is `spec`, named by `defaultVariant`). Whole specs rather than a Vega signal: a scale's
   * type cannot be a signal in Vega.
   */
  variants?: Record<string, TopLevelSpec>;
  /** The name of `spec` among the variants' options, and the radio group's legend. */
  defaultVariant?: string;
  variantLabel?: string;
}

/** The radio group switching a chart between its variants (the page script re-embeds on change). */
function variantToggle(c: Chart): string {
  if (!c.variants) return "";
  const names = [c.defaultVariant ?? "default", ...Object.keys(c.variants)];
  const radios = names
    .map(
      (n, i) =>
        `<label><input type="radio" name="variant-${c.id}" value="${escapeHtml(n)}"${i === 0 ? " checked" : ""}> ${escapeHtml(n)}</label>`,
    )
    .join("");
  return `<fieldset class="toggle" data-toggle-for="${c.id}"><legend>${escapeHtml(c.variantLabel ?? "view")}</legend>${radios}</fieldset>`;
}

export const chartDiv = (c: Chart, label: string) =>
  `${variantToggle(c)}<div class="chart" id="chart-${c.id}" data-spec="${c.id}" role="img" aria-label="${escapeHtml(label)}"></div>`;

export const section = (id: string, title: string, lead: string, body: string) =>
  `<section id="${id}"><h2>${escapeHtml(title)}</h2>${lead ? `<p class="lead">${lead}</p>` : ""}${body}</section>`;

export const empty = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;
