/**
 * Reads a data file by its extension: `.csv` / `.tsv` / `.txt` (CSV with a header row), `.json`
 * (named arrays or rows) or `.npy` (one array, named after the file).
 */
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseNpy } from "../../io/containers/npy.js";
import { CliError, dataError } from "../errors.js";
import { readCsvFile } from "./csv.js";
import { MAX_JSON_DATA_BYTES, parseJsonData } from "./json.js";
import type { DataSource } from "./source.js";

/** A data error naming `file` for a failed read (errors of gradlens itself pass through). */
function readError(e: unknown, file: string, what: string): Error {
  if (e instanceof CliError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== "string") return e as Error;
  if (code === "ENOENT") return dataError(`${what} not found: ${file}`);
  if (code === "EISDIR") return dataError(`${what} ${file} is a directory, not a file`);
  return dataError(`cannot read ${what} ${file}: ${(e as Error).message}`);
}

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
    throw readError(e, file, what);
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
  // float64 arrays are used as decoded (no second copy); other dtypes are widened once.
  const data = arr.data instanceof Float64Array ? arr.data : Float64Array.from(arr.data as ArrayLike<number>);
  return { file, rows: arr.shape[0], columns: [], arrays: [{ name, shape: arr.shape, data }] };
}

/** Options of `readDataSource`. */
export interface ReadDataOptions {
  cwd: string;
  /** CSV delimiter (default "," — or a tab for `.tsv`). */
  delimiter?: string;
  /** CSV: names of the columns to parse, given the header (null: all). Others are skipped. */
  wanted?: (header: readonly string[]) => ReadonlySet<string> | null;
  /** CSV: false checks the cells without keeping them; the rows are read again per pass. Default true. */
  keepValues?: boolean;
}

/**
 * Reads `file` by extension. CSV files are streamed (see `readCsvFile`).
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
  if (ext === "csv" || ext === "tsv" || ext === "txt") {
    try {
      return readCsvFile(resolve(opts.cwd, file), file, {
        delimiter: opts.delimiter ?? (ext === "tsv" ? "\t" : ","),
        delimiterGiven: opts.delimiter !== undefined || ext === "tsv",
        wanted: opts.wanted,
        ...(opts.keepValues === false ? { keepValues: false } : {}),
      });
    } catch (e) {
      throw readError(e, file, "data file");
    }
  }
  throw dataError(
    `cannot tell the format of data file '${file}' from its extension; use .csv, .tsv, .json or .npy`,
  );
}
