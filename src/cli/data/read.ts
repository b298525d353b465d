/**
 * Reads a data file by its extension: `.csv` / `.tsv` / `.txt` (CSV with a header row), `.json`
 * (named arrays or rows) or `.npy` (one array, named after the file).
 */
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseNpy } from "../../io/npy.js";
import { CliError, dataError } from "../errors.js";
import { parseCsv } from "./csv.js";
import { MAX_JSON_DATA_BYTES, parseJsonData } from "./json.js";
import type { DataSource } from "./source.js";

/**
 * Bytes of a file named on the command line, or a data error that names it; a file over
 * `maxBytes` is refused before it is read.
 */
export function readInputFile(file: string, cwd: string, what = "data file", maxBytes = Infinity): Buffer {
  try {
    const size = statSync(resolve(cwd, file)).size;
    if (size > maxBytes)
      throw dataError(
        `${what} ${file} has ${size} bytes, over the limit of ${maxBytes} for this kind of file`,
      );
    return readFileSync(resolve(cwd, file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw dataError(`${what} not found: ${file}`);
    if (code === "EISDIR") throw dataError(`${what} ${file} is a directory, not a file`);
    throw dataError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/**
 * A `.npy` file as a data source holding one array (named after the file without `.npy`).
 *
 * @example
 * readNpySource("features.npy", process.cwd()).arrays[0].shape; // e.g. [4000, 8]
 */
export function readNpySource(file: string, cwd: string): DataSource {
  const bytes = readInputFile(file, cwd);
  let arr;
  try {
    arr = parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  } catch (e) {
    throw dataError((e as Error).message);
  }
  if (arr.shape.length === 0) throw dataError(`${file}: a 0-d array; inputs need a leading axis of rows`);
  const name = basename(file).replace(/\.npy$/i, "");
  const data = Float64Array.from(arr.data as ArrayLike<number>);
  return { file, rows: arr.shape[0], columns: [], arrays: [{ name, shape: arr.shape, data }] };
}

/** Options of `readDataSource`. */
export interface ReadDataOptions {
  cwd: string;
  /** CSV delimiter (default "," — or a tab for `.tsv`). */
  delimiter?: string;
}

/**
 * Reads `file` by extension.
 *
 * @example
 * const src = readDataSource("examples/pricing/data/pricing.csv", { cwd: process.cwd() });
 * src.columns.map((c) => c.name); // ["price", "moneyness", …]
 */
export function readDataSource(file: string, opts: ReadDataOptions): DataSource {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase() ?? "";
  if (ext === "npy") return readNpySource(file, opts.cwd);
  if (ext === "json")
    return parseJsonData(
      readInputFile(file, opts.cwd, "data file", MAX_JSON_DATA_BYTES).toString("utf8"),
      file,
    );
  if (ext === "csv" || ext === "tsv" || ext === "txt")
    return parseCsv(
      readInputFile(file, opts.cwd).toString("utf8"),
      file,
      opts.delimiter ?? (ext === "tsv" ? "\t" : ","),
    );
  throw dataError(
    `cannot tell the format of data file '${file}' from its extension; use .csv, .tsv, .json or .npy`,
  );
}
