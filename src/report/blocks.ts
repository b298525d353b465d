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
  const title = opts.title === false ? "" : `<h3>${escapeHtml(t.title)}</h3>`;
  const notes = t.notes.map((n) => `<div class="notes">${escapeHtml(n)}</div>`).join("");
  const thead = opts.header === false ? "" : `<thead><tr>${head}</tr></thead>`;
  const cls = opts.wrap ? ' class="wrap"' : "";
  return `${title}<div class="table-wrap"><table${cls}>${thead}<tbody>${body}</tbody></table></div>${notes}`;
}

/** A chart of the report: its id (the element it is embedded in) and its Vega-Lite spec. */
export interface Chart {
  id: string;
  spec: TopLevelSpec;
}

export const chartDiv = (c: Chart, label: string) =>
  `<div class="chart" id="chart-${c.id}" data-spec="${c.id}" role="img" aria-label="${escapeHtml(label)}"></div>`;

export const section = (id: string, title: string, lead: string, body: string) =>
  `<section id="${id}"><h2>${escapeHtml(title)}</h2>${lead ? `<p class="lead">${lead}</p>` : ""}${body}</section>`;

export const empty = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;
