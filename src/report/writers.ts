/**
 * Per-row results (predictions, per-sample derivatives) as files: CSV with a header row, JSON of
 * named arrays (the same shape `gradlens` reads back as data) and NumPy `.npy` (float64, one
 * [rows, columns] array). The format follows the file extension.
 */
import { ValueError } from "../core/errors.js";
import { writeNpy } from "../io/containers/npy.js";

/**
 * Named float64 columns of equal length.
 *
 * @example
 * const f: Frame = { names: ["value"], columns: [new Float64Array([101.2, 99.8])] };
 */
export interface Frame {
  names: string[];
  columns: Float64Array[];
}

/**
 * Output formats by file extension.
 *
 * @example
 * const format: FrameFormat = formatFromPath("out.npy"); // "npy"
 */
export type FrameFormat = "csv" | "json" | "npy";

/**
 * The format a path asks for by its extension (`.csv`, `.tsv`, `.json`, `.npy`).
 *
 * @example
 * formatFromPath("out/preds.npy"); // "npy"
 */
export function formatFromPath(path: string): FrameFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === "csv" || ext === "tsv") return "csv";
  if (ext === "json") return "json";
  if (ext === "npy") return "npy";
  throw new ValueError(
    `cannot tell the output format of '${path}' from its extension; use .csv, .json or .npy`,
  );
}

/** A number as CSV text: shortest round-trip form; nan, inf, -inf for non-finite values. */
export function csvNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return String(x);
}

/**
 * A CSV field, quoted (with doubled quotes) when it holds the delimiter, a quote or a line break.
 *
 * @example
 * csvField("a,b") === '"a,b"'; // true; csvField("plain") === "plain"
 */
export const csvField = (s: string, delimiter = ",") =>
  s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

function checkFrame(f: Frame): number {
  if (f.names.length !== f.columns.length)
    throw new ValueError(`frame has ${f.names.length} names but ${f.columns.length} columns`);
  const n = f.columns[0]?.length ?? 0;
  f.columns.forEach((c, i) => {
    if (c.length !== n)
      throw new ValueError(`frame column '${f.names[i]}' has ${c.length} rows, expected ${n}`);
  });
  return n;
}

/**
 * CSV text: a header of column names, then one line per row (numbers round-trip exactly).
 *
 * @example
 * frameToCsv({ names: ["y"], columns: [new Float64Array([1.5, NaN])] }); // "y\n1.5\nnan\n"
 */
export function frameToCsv(f: Frame, delimiter = ","): string {
  const n = checkFrame(f);
  const lines = [f.names.map((s) => csvField(s, delimiter)).join(delimiter)];
  for (let i = 0; i < n; i++) lines.push(f.columns.map((c) => csvNumber(c[i])).join(delimiter));
  return lines.join("\n") + "\n";
}

/**
 * JSON of named arrays, `{ "name": [numbers…] }`; non-finite values become null.
 *
 * @example
 * frameToJson({ names: ["y"], columns: [new Float64Array([1, 2])] }); // '{"y":[1,2]}'
 */
export function frameToJson(f: Frame): string {
  checkFrame(f);
  const obj: Record<string, (number | null)[]> = {};
  f.names.forEach(
    (name, i) => (obj[name] = Array.from(f.columns[i], (x) => (Number.isFinite(x) ? x : null))),
  );
  return JSON.stringify(obj);
}

/**
 * A frame as `.npy`: one [rows, columns] float64 array, columns in `names` order.
 *
 * @example
 * frameToNpy({ names: ["a", "b"], columns: [new Float64Array([1, 2]), new Float64Array([3, 4])] });
 */
export function frameToNpy(f: Frame): Uint8Array {
  const n = checkFrame(f);
  const c = f.columns.length;
  const flat = new Float64Array(n * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < n; i++) flat[i * c + j] = f.columns[j][i];
  return writeNpy([n, c], flat);
}

/**
 * A frame encoded for `format` (text for CSV/JSON, bytes for NPY).
 *
 * @example
 * const body = encodeFrame(frame, formatFromPath("preds.csv"));
 */
export function encodeFrame(f: Frame, format: FrameFormat): string | Uint8Array {
  return format === "csv" ? frameToCsv(f) : format === "json" ? frameToJson(f) : frameToNpy(f);
}
