/**
 * JSON data in either of two shapes:
 *
 * - named arrays, `{ "price": [..N], "features": [[..8], ..N] }`: 1-D arrays are columns (and can
 *   be combined with `--input x=a,b`), nested arrays are inputs of any rank;
 * - rows, `[{ "price": 101.2, "rate": 0.01 }, …]`: like a CSV, one column per key in order of
 *   first appearance.
 *
 * `null` reads as NaN (gradlens writes non-finite numbers as null).
 */
import { jsonTooDeep } from "../../io/containers/json.js";
import { dataError } from "../errors.js";
import type { DataArrayEntry, DataColumn, DataSource } from "./source.js";

/**
 * Largest JSON file the CLI reads as data or as a saved result: 256 MiB. `JSON.parse` holds
 * several times the text in memory (and V8 strings stop at ~512 Mi characters); larger data
 * belongs in a CSV or `.npy` file.
 */
export const MAX_JSON_DATA_BYTES = 256 * 1024 ** 2;
/**
 * Deepest nesting of JSON data: an object of arrays of rank up to 31, or rows of objects. Real
 * data nests 2–6 deep; the cap keeps hostile nesting from reaching recursive code.
 */
export const MAX_JSON_DATA_DEPTH = 32;

/**
 * `JSON.parse` for files the CLI reads (data, saved results): a leading BOM is ignored, and text
 * over `MAX_JSON_DATA_BYTES`, nesting over `MAX_JSON_DATA_DEPTH` (found by a linear scan before
 * parsing) and syntax errors are data errors (exit 3) naming the file, line and column.
 *
 * @example parseBoundedJson('{"x":[1,2]}', "data.json"); // { x: [1, 2] }
 */
export function parseBoundedJson(text: string, file: string): unknown {
  if (text.length > MAX_JSON_DATA_BYTES)
    throw dataError(
      `${file}: ${text.length} characters of JSON is over the limit of ${MAX_JSON_DATA_BYTES} (256 MiB); use a CSV or .npy file`,
    );
  const deep = jsonTooDeep(text, MAX_JSON_DATA_DEPTH);
  if (deep !== null)
    throw dataError(
      `${file}: JSON nests deeper than ${MAX_JSON_DATA_DEPTH} levels (line ${deep.line}, column ${deep.column}); ` +
        `data is an object of arrays or an array of row objects`,
    );
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw dataError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function flatten(value: unknown, key: string, file: string): DataArrayEntry {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v === "number" || v === null) data[k++] = v === null ? NaN : v;
      else throw dataError(`${file}: '${key}'${path} is ${JSON.stringify(v)}, not a number`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw dataError(
        `${file}: '${key}' is not a rectangular array: '${key}'${path} has ${Array.isArray(v) ? v.length : "no"} entries where ${shape[depth]} were expected`,
      );
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, "");
  if (shape.length === 0)
    throw dataError(`${file}: '${key}' is a single number; inputs need one value per row`);
  return { name: key, shape, data };
}

function fromRows(rows: unknown[], file: string): DataSource {
  const names: string[] = [];
  rows.forEach((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r))
      throw dataError(`${file}: row ${i} is not an object of named numbers`);
    for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  });
  const columns: DataColumn[] = names.map((name) => {
    const values = new Float64Array(rows.length);
    let bad: DataColumn["bad"] = null;
    let numeric = 0;
    rows.forEach((r, i) => {
      const v = (r as Record<string, unknown>)[name];
      if (typeof v === "number" || v === null) {
        values[i] = v === null ? NaN : v;
        numeric++;
      } else {
        values[i] = NaN;
        bad ??= { where: `row ${i}`, text: v === undefined ? "" : String(v) };
      }
    });
    return { name, values, bad, numeric };
  });
  return { file, rows: rows.length, columns, arrays: [] };
}

/**
 * Parses JSON data text (named arrays or an array of row objects).
 *
 * @example
 * parseJsonData('{"price":[100,101],"features":[[1,2],[3,4]]}', "data.json").arrays[1].shape; // [2, 2]
 */
export function parseJsonData(text: string, file: string): DataSource {
  const value = parseBoundedJson(text, file);
  if (Array.isArray(value)) {
    if (value.length === 0) throw dataError(`${file}: the array of rows is empty`);
    return fromRows(value, file);
  }
  if (typeof value !== "object" || value === null)
    throw dataError(`${file}: expected an object of named arrays or an array of row objects`);
  const arrays = Object.entries(value).map(([k, v]) => flatten(v, k, file));
  if (arrays.length === 0) throw dataError(`${file}: the object has no arrays`);
  const columns: DataColumn[] = arrays
    .filter((a) => a.shape.length === 1)
    .map((a) => ({ name: a.name, values: a.data, bad: null, numeric: a.data.length }));
  const lengths = new Set(arrays.map((a) => a.shape[0]));
  return { file, rows: lengths.size === 1 ? arrays[0].shape[0] : null, columns, arrays };
}
