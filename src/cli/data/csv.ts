/**
 * CSV with a header row, read as a stream: the file is read in chunks and scanned once
 * (`CsvScanner`), and only the cells of wanted columns are parsed, straight into growing
 * Float64Arrays, so memory is 8 bytes per wanted cell (not several copies of the file) and time is
 * linear in the file. Cells that are not numbers are recorded (line and text, clipped) and only
 * fail if that column is used; non-finite cells (`nan`, `inf`, or literals like `1e999`) are
 * recorded too, for the CLI's non-finite policy.
 */
import { dataError } from "../errors.js";
import { CsvScanner } from "./csvScanner.js";
import { CHUNK, csvRowSource, openChunks, pushDecoded, type ChunkReader } from "./fileRows.js";
import { clipText, parseCell, type DataColumn, type DataSource } from "./source.js";

/** Options of `CsvReader`. */
export interface CsvReadOptions {
  /** One character (default ","). */
  delimiter?: string;
  /** Whether the user chose the delimiter (else a header that splits on ';' or tab gets a hint). */
  delimiterGiven?: boolean;
  /** Names of the columns to parse, given the header; null parses every column. */
  wanted?: (header: readonly string[]) => ReadonlySet<string> | null;
  /**
   * Keep the parsed values (default true). False checks every wanted cell (numbers, non-finite
   * cells, row count) but keeps no values: the rows are read again, pass by pass (`csvRowSource`).
   */
  keepValues?: boolean;
}

/**
 * A growing column of numbers (doubling capacity). It starts small: a header of 200k columns must
 * not allocate 200k large buffers before the first row.
 */
class Growable {
  data = new Float64Array(8);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The values, trimmed to length (a copy only when capacity is spare). */
  values(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

interface ColumnState {
  values: Growable | null;
  bad: DataColumn["bad"];
  nonFinite: NonNullable<DataColumn["nonFinite"]> | null;
  numeric: number;
}

const OTHER_DELIMITERS: [string, string][] = [
  [";", "';'"],
  ["\t", "tab"],
  ["|", "'|'"],
];

/**
 * CSV text in, numeric columns out, chunk by chunk.
 *
 * @example
 * const r = new CsvReader("quotes.csv");
 * r.push("price,rate\n100,0.01\n");
 * r.push("101,0.02\n");
 * r.finish().columns[0].values; // Float64Array [100, 101]
 */
export class CsvReader {
  private readonly scanner: CsvScanner;
  private readonly delimiter: string;
  private header: string[] | null = null;
  private headerLine = 1;
  /** Per header column: its state, or null when the column is not parsed. */
  private columns: (ColumnState | null)[] = [];
  private rows = 0;

  constructor(
    private readonly file: string,
    private readonly opts: CsvReadOptions = {},
  ) {
    const delimiter = opts.delimiter ?? ",";
    if (delimiter.length !== 1)
      throw dataError(`${file}: the delimiter must be one character, got '${clipText(delimiter)}'`);
    this.delimiter = delimiter;
    this.scanner = new CsvScanner(
      delimiter,
      (fields, line) => this.record(fields, line),
      // Column 0 is always built (a blank line is told from a record by it); unknown columns
      // (a ragged row's extras) too, so the field count error stays right.
      (c) => this.header === null || c === 0 || c >= this.columns.length || this.columns[c] !== null,
      file,
    );
  }

  private headerRecord(fields: string[], line: number): void {
    const file = this.file;
    const header = fields.map((h) => h.trim());
    const seen = new Map<string, number>();
    header.forEach((h, c) => {
      if (h === "") throw dataError(`${file} line ${line}: header column ${c + 1} has no name`);
      const k = seen.get(h);
      if (k !== undefined)
        throw dataError(`${file}: two columns are named '${clipText(h)}' (columns ${k + 1} and ${c + 1})`);
      seen.set(h, c);
    });
    if (header.length === 1 && !this.opts.delimiterGiven) {
      const other = OTHER_DELIMITERS.find(([d]) => d !== this.delimiter && header[0].split(d).length > 1);
      if (other)
        throw dataError(
          `${file} line ${line}: the header is one column on ${this.delimiter === "\t" ? "tab" : `'${this.delimiter}'`} ` +
            `but ${header[0].split(other[0]).length} on ${other[1]}; is the file separated by ${other[1]}? ` +
            `use --delimiter ${other[0] === "\t" ? "$'\\t'" : `'${other[0]}'`} ` +
            `(or --delimiter '${this.delimiter === "\t" ? "\\t" : this.delimiter}' if the name holds it)`,
        );
    }
    const wanted = this.opts.wanted?.(header) ?? null;
    this.header = header;
    this.headerLine = line;
    this.columns = header.map((h) =>
      wanted === null || wanted.has(h)
        ? {
            values: this.opts.keepValues === false ? null : new Growable(),
            bad: null,
            nonFinite: null,
            numeric: 0,
          }
        : null,
    );
  }

  private record(fields: string[], line: number): void {
    if (this.header === null) return this.headerRecord(fields, line);
    const width = this.header.length;
    if (fields.length !== width)
      throw dataError(
        `${this.file} line ${line}: ${fields.length} field${fields.length === 1 ? "" : "s"}, but the header has ${width}` +
          (this.delimiter === "," && fields.length === 1 && fields[0].includes(";")
            ? " (is the file separated by ';'? use --delimiter ';')"
            : ""),
      );
    for (let c = 0; c < width; c++) {
      const col = this.columns[c];
      if (col === null) continue;
      const { value, ok } = parseCell(fields[c]);
      col.values?.push(value);
      if (!ok) {
        col.bad ??= { where: `line ${line}`, text: clipText(fields[c].trim()) };
        continue;
      }
      col.numeric++;
      if (!Number.isFinite(value)) {
        if (col.nonFinite === null)
          col.nonFinite = { where: `line ${line}`, text: clipText(fields[c].trim()), count: 0 };
        col.nonFinite.count++;
      }
    }
    this.rows++;
  }

  /** Scans one chunk of text. */
  push(text: string): void {
    this.scanner.push(text);
  }

  /** Ends the input and returns the columns (unparsed ones with `values: null`). */
  finish(): DataSource {
    this.scanner.end();
    if (this.header === null)
      throw dataError(`${this.file}: the file is empty (expected a header row of column names)`);
    if (this.rows === 0)
      throw dataError(`${this.file}: no data rows after the header (line ${this.headerLine})`);
    return {
      file: this.file,
      rows: this.rows,
      columns: this.header.map((name, c) => {
        const s = this.columns[c];
        return s === null
          ? { name, values: null, bad: null, nonFinite: null, numeric: 0 }
          : {
              name,
              values: s.values?.values() ?? null,
              ...(s.values === null ? { streamed: true } : {}),
              bad: s.bad,
              nonFinite: s.nonFinite,
              numeric: s.numeric,
            };
      }),
      arrays: [],
    };
  }

  /** The header as read (after `finish`). */
  get headerNames(): readonly string[] {
    return this.header ?? [];
  }
}

/**
 * Parses CSV text with a header row into numeric columns (every column).
 *
 * @example
 * const src = parseCsv("price,rate\n100,0.01\n101,0.02\n", "quotes.csv");
 * src.columns[0].values; // Float64Array [100, 101]
 */
export function parseCsv(text: string, file: string, delimiter = ","): DataSource {
  const r = new CsvReader(file, { delimiter, delimiterGiven: true });
  r.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return r.finish();
}

/**
 * Reads a CSV file in chunks of 1 MiB (UTF-8, a byte-order mark dropped), parsing only the wanted
 * columns. With `keepValues: false` the values are checked, not kept, and the source can give the
 * analysis a row source that reads the file again per pass (`rowsFor`).
 *
 * @example
 * const src = readCsvFile("/data/quotes.csv", "quotes.csv", { wanted: () => new Set(["price"]) });
 */
export function readCsvFile(
  path: string,
  file: string,
  opts: CsvReadOptions & { open?: (path: string) => ChunkReader } = {},
): DataSource {
  const reader = new CsvReader(file, opts);
  const open = opts.open ?? openChunks;
  const handle = open(path);
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const decoder = new TextDecoder("utf-8");
    for (;;) {
      const got = handle.read(buf);
      if (got === 0) break;
      pushDecoded(decoder, buf, got, (text) => reader.push(text));
    }
    reader.push(decoder.decode());
  } finally {
    handle.close();
  }
  const src = reader.finish();
  if (opts.keepValues !== false) return src;
  const header = reader.headerNames;
  return {
    ...src,
    rowsFor: (inputs, nonFinite) =>
      csvRowSource({
        path,
        file,
        delimiter: opts.delimiter ?? ",",
        header,
        n: src.rows!,
        inputs,
        ...(nonFinite ? { nonFinite } : {}),
        ...(opts.open ? { open: opts.open } : {}),
      }),
  };
}
