/** Plain-text tables for the terminal: numbers right-aligned, widths in code points. */
import type { TableData } from "./tables.js";

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
