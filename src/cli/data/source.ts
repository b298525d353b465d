/**
 * What a data file gives the CLI: named numeric columns (CSV headers, JSON row keys or 1-D JSON
 * arrays), in file order so ranges like `a..d` follow the header, and named arrays of any rank
 * (JSON nested arrays, `.npy` files). Cells that are not numbers are remembered, not thrown, so a
 * text column (an id, a date) only fails when it is actually mapped to an input.
 */
import type { RowSource } from "../../sensitivity/engine/rows.js";
import { dataError } from "../errors.js";

/** One input of the analysis: columns of the file (header positions, row-major order) or an array in memory. */
export interface RowInput {
  name: string;
  /** Per-sample shape (its size is the number of columns, or of the array's numbers per row). */
  shape: number[];
  /** Header positions of its columns, or null for `data`. */
  columns: number[] | null;
  /** N × size numbers held in memory (a `.npy` or JSON array), or null for file columns. */
  data: Float64Array | null;
}

/** One named column of numbers. */
export interface DataColumn {
  name: string;
  /**
   * The values, or null when the reader skipped the column (no input maps it) or checked it
   * without keeping its values (`streamed`).
   */
  values: Float64Array | null;
  /** Every cell was read and checked, but the values are read again per pass (see `rowsFor`). */
  streamed?: true;
  /** The first cell that is not a number (1-based line for text files), or null. */
  bad: { where: string; text: string } | null;
  /**
   * The first non-finite number (NaN, ±Inf) and how many there are, when the reader tracked them
   * (CSV); undefined when the mapping must look for itself.
   */
  nonFinite?: { where: string; text: string; count: number } | null;
  /** Cells that parsed as numbers. */
  numeric: number;
}

/** A named array with a leading sample axis. */
export interface DataArrayEntry {
  name: string;
  /** Full shape, [N, ...]. */
  shape: number[];
  data: Float64Array;
}

/** A parsed data file. */
export interface DataSource {
  /** The file as the user named it (for messages). */
  file: string;
  /** Rows (N), or null when the source holds only arrays of different lengths. */
  rows: number | null;
  columns: DataColumn[];
  arrays: DataArrayEntry[];
  /**
   * For a file read without keeping values: the rows of these inputs, read from the file pass
   * by pass. Absent when the values are in memory.
   */
  rowsFor?: (inputs: readonly RowInput[], nonFinite?: { rows: number; values: number }) => RowSource;
}

/** A column that holds no numbers at all (a label, id or date column). */
export const isTextColumn = (c: DataColumn) =>
  c.numeric === 0 && (c.values !== null ? c.values.length > 0 : c.streamed === true);

/** Longest cell text quoted in a message. */
const CLIP = 40;

/**
 * `text`, or its first characters and its length when it is long (for messages: a hostile cell of
 * 200 KB must not be echoed whole).
 *
 * @example
 * clipText("1".repeat(80000) + "x"); // "1111…(80001 characters)"
 */
export function clipText(text: string, max = CLIP): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} characters)`;
}

/**
 * The column's values (null for a streamed column: checked, read again per pass), or a data
 * error naming the file, line and cell that is not a number.
 *
 * @example
 * const prices = numericColumn(source, column);
 */
export function numericColumn(src: DataSource, c: DataColumn): Float64Array | null {
  if (c.values === null && c.streamed !== true)
    throw new Error(`internal: column '${c.name}' of ${src.file} was not read`);
  if (c.bad)
    throw dataError(
      `${src.file} ${c.bad.where}, column '${c.name}': ${c.bad.text === "" ? "empty cell" : `'${c.bad.text}'`} is not a number` +
        (/^[+-]?\d*,\d+$/.test(c.bad.text)
          ? " (a decimal comma? gradlens reads '.' as the decimal separator; convert the file's numbers to use '.')"
          : isTextColumn(c)
            ? " (the column holds no numbers; leave it out of the input mapping)"
            : ""),
    );
  return c.values;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Whether `t` is a decimal number `[+-]digits[.digits][(e|E)[+-]digits]` with at least one digit in
 * the mantissa: one left-to-right scan, so linear in the cell (a backtracking regular expression
 * took quadratic time on a long run of digits followed by a letter).
 */
function isDecimal(t: string): boolean {
  const n = t.length;
  let i = 0;
  let c = t.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  const start = i;
  while (i < n && isDigit(t.charCodeAt(i))) i++;
  let digits = i - start;
  if (i < n && t.charCodeAt(i) === 0x2e) {
    const frac = ++i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    digits += i - frac;
  }
  if (digits === 0) return false;
  if (i < n && (t.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    c = t.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
    const from = i;
    while (i < n && isDigit(t.charCodeAt(i))) i++;
    if (i === from) return false;
  }
  return i === n;
}

/**
 * Parses one cell: decimal numbers (with exponent), `nan`, `inf`, `-inf`, `infinity` in any case;
 * anything else (including an empty cell) is NaN with `ok: false`.
 *
 * @example
 * parseCell(" 1.5e-3 "); // { value: 0.0015, ok: true }
 */
export function parseCell(text: string): { value: number; ok: boolean } {
  const t = text.trim();
  if (isDecimal(t)) return { value: Number(t), ok: true };
  if (t.length > 9) return { value: NaN, ok: false };
  const l = t.toLowerCase();
  if (l === "nan" || l === "+nan" || l === "-nan") return { value: NaN, ok: true };
  if (l === "inf" || l === "+inf" || l === "infinity" || l === "+infinity")
    return { value: Infinity, ok: true };
  if (l === "-inf" || l === "-infinity") return { value: -Infinity, ok: true };
  return { value: NaN, ok: false };
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/**
 * " (did you mean 'x'?)" for the closest candidate within a small edit distance, else "".
 *
 * @example
 * didYouMean("volatilty", ["volatility", "rate"]); // " (did you mean 'volatility'?)"
 */
export function didYouMean(name: string, candidates: readonly string[]): string {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(name.toLowerCase(), c.toLowerCase());
    if (dd < bestD) [best, bestD] = [c, dd];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 4))
    ? ` (did you mean '${best}'?)`
    : "";
}

/** "a, b, c" with at most `max` names, then "… (n)". */
export function listNames(names: readonly string[], max = 12): string {
  return names.length <= max
    ? names.join(", ")
    : `${names.slice(0, max).join(", ")}, … (${names.length} in all)`;
}
