/**
 * The rows of a CSV file, read again for every pass of the analysis instead of held in memory:
 * a `RowSource` whose `range` reads on from where the previous one stopped (1 MiB chunks through
 * the same `CsvScanner` as the first read, only the mapped columns parsed), and restarts from the
 * top when asked for an earlier row. Memory is one chunk of text plus the rows of one request,
 * whatever the number of rows.
 *
 * The first read (`readCsvFile`) already checked every cell, so a later pass only meets an error
 * if the file changed in between; it is then a data error with the line, like the first read's.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { DataArray } from "../../core/dtype.js";
import type { ColumnInfo, RowSource } from "../../sensitivity/engine/rows.js";
import { dataError } from "../errors.js";
import { CsvScanner } from "./csvScanner.js";
import { clipText, parseCell, type RowInput } from "./source.js";

/** Bytes read per chunk when streaming a CSV file. */
export const CHUNK = 1 << 20;

/**
 * Gathered rows kept for the next gather: attribution methods, their baseline check and
 * verification ask for the same few rows, and each miss costs a read of the file.
 */
const CACHE_ROWS = 4096;

/** Characters per decoded piece of a chunk (see `pushDecoded`). */
const PIECE = 1 << 16;

/**
 * Decodes `got` bytes of `buf` (UTF-8, streaming) and hands the text on in pieces of at most 64
 * KiB. A 1 MiB string is a large object that V8 frees only in a full collection, so a pass kept
 * one per chunk alive until then: 60 MB more peak RSS for a 45 MB file, growing with the file.
 * Pieces this small die young (and the pass runs about 3× faster).
 *
 * @example
 * pushDecoded(new TextDecoder("utf-8"), buf, got, (text) => scanner.push(text));
 */
export function pushDecoded(
  decoder: TextDecoder,
  buf: Buffer,
  got: number,
  push: (text: string) => void,
): void {
  for (let at = 0; at < got; at += PIECE)
    push(decoder.decode(buf.subarray(at, Math.min(got, at + PIECE)), { stream: true }));
}

/** An open file read from the start, chunk by chunk. */
export interface ChunkReader {
  /** Fills `buf` from the current position; 0 at the end of the file. */
  read(buf: Buffer): number;
  close(): void;
}

/**
 * Opens `path` for reading in chunks (the default of `csvRowSource`; tests pass a counting one).
 *
 * @example
 * const r = openChunks("/data/rows.csv");
 * const got = r.read(Buffer.alloc(1 << 20));
 * r.close();
 */
export function openChunks(path: string): ChunkReader {
  const fd = openSync(path, "r");
  return {
    read: (buf) => readSync(fd, buf, 0, buf.length, null),
    close: () => closeSync(fd),
  };
}

/** Options of `csvRowSource`. */
export interface CsvRowSourceOptions {
  /** Path to open, and the file as the user named it (for messages). */
  path: string;
  file: string;
  delimiter: string;
  /** The header as the first read saw it, and its number of data rows. */
  header: readonly string[];
  n: number;
  inputs: readonly RowInput[];
  /** Non-finite counts, when the first read knows them. */
  nonFinite?: { rows: number; values: number };
  /** How the file is opened (default `openChunks`). */
  open?: (path: string) => ChunkReader;
}

/** Parsed values of the wanted columns, queued in file order (a FIFO of rows). */
class RowQueue {
  private bufs: Float64Array[];
  private head = 0;
  private tail = 0;

  constructor(private readonly width: number) {
    this.bufs = Array.from({ length: width }, () => new Float64Array(1024));
  }

  get length(): number {
    return this.tail - this.head;
  }

  push(values: Float64Array): void {
    if (this.tail === this.bufs[0].length) {
      // Room at the front first; grow only when more than half is in use.
      const used = this.tail - this.head;
      const cap = used * 2 > this.bufs[0].length ? this.bufs[0].length * 2 : this.bufs[0].length;
      this.bufs = this.bufs.map((b) => {
        if (cap === b.length) return b.copyWithin(0, this.head, this.tail);
        const next = new Float64Array(cap);
        next.set(b.subarray(this.head, this.tail));
        return next;
      });
      this.tail = used;
      this.head = 0;
    }
    for (let c = 0; c < this.width; c++) this.bufs[c][this.tail] = values[c];
    this.tail++;
  }

  /** Value of wanted column `c` in the queue's row `r` (0 = oldest). */
  at(r: number, c: number): number {
    return this.bufs[c][this.head + r];
  }

  drop(count: number): void {
    this.head += count;
    if (this.head === this.tail) this.head = this.tail = 0;
  }
}

/**
 * A row source over the mapped columns of a CSV file (and arrays in memory).
 *
 * @example
 * const rows = csvRowSource({ path, file: "rows.csv", delimiter: ",", header, n, inputs });
 * const [price, x] = rows.range(0, 1024);
 */
export function csvRowSource(o: CsvRowSourceOptions): RowSource {
  const width = o.header.length;
  // The distinct header columns to parse, and each input's columns as positions among them.
  const wanted = [...new Set(o.inputs.flatMap((i) => i.columns ?? []))].sort((a, b) => a - b);
  const slot = new Map(wanted.map((c, i) => [c, i]));
  const parse = new Int32Array(width).fill(-1);
  wanted.forEach((c, i) => (parse[c] = i));
  const columns: ColumnInfo[] = o.inputs.map((i) => ({
    name: i.name,
    dtype: "float64",
    shape: i.shape.slice(),
    size: i.shape.reduce((a, b) => a * b, 1),
  }));
  const open = o.open ?? openChunks;

  let reader: ChunkReader | null = null;
  let scanner: CsvScanner | null = null;
  let decoder: TextDecoder | null = null;
  let buf: Buffer | null = null;
  let queue = new RowQueue(wanted.length);
  /** Row index of the queue's oldest row (rows before it are gone). */
  let next = 0;
  /** Rows scanned so far in this read of the file (header excluded). */
  let scanned = 0;
  let headerSeen = false;
  let eof = false;
  const cells = new Float64Array(wanted.length);
  /** Rows gathered so far, by row index (bounded by CACHE_ROWS). */
  const cache = new Map<number, Float64Array[]>();

  const onRecord = (fields: string[], line: number) => {
    if (!headerSeen) {
      headerSeen = true;
      return;
    }
    if (fields.length !== width)
      throw dataError(
        `${o.file} line ${line}: ${fields.length} field${fields.length === 1 ? "" : "s"}, but the header has ${width} ` +
          `(the file changed while it was read)`,
      );
    for (let k = 0; k < wanted.length; k++) {
      const c = wanted[k];
      const { value, ok } = parseCell(fields[c]);
      if (!ok)
        throw dataError(
          `${o.file} line ${line}, column '${o.header[c]}': '${clipText(fields[c].trim())}' is not a number ` +
            `(the file changed while it was read)`,
        );
      cells[k] = value;
    }
    scanned++;
    queue.push(cells);
  };

  const close = () => {
    reader?.close();
    reader = null;
  };

  const restart = () => {
    close();
    reader = open(o.path);
    decoder = new TextDecoder("utf-8");
    scanner = new CsvScanner(
      o.delimiter,
      onRecord,
      (c) => !headerSeen || c === 0 || c >= width || parse[c] >= 0,
      o.file,
    );
    buf ??= Buffer.allocUnsafe(CHUNK);
    queue = new RowQueue(wanted.length);
    next = 0;
    scanned = 0;
    headerSeen = false;
    eof = false;
  };

  /** Reads on until the queue holds `count` rows (or the file ends, which must be at row n). */
  const fill = (count: number) => {
    try {
      readOn(count);
    } catch (e) {
      // The scanner stopped mid-file: the next request starts from the top again.
      close();
      scanner = null;
      throw e;
    }
    if (queue.length < count) throw new Error(`internal: ${o.file} has no row ${next + queue.length}`);
  };

  const readOn = (count: number) => {
    while (queue.length < count && !eof) {
      const got = reader!.read(buf!);
      if (got > 0) {
        pushDecoded(decoder!, buf!, got, (text) => scanner!.push(text));
        continue;
      }
      scanner!.push(decoder!.decode());
      scanner!.end();
      eof = true;
      close();
      if (scanned !== o.n)
        throw dataError(
          `${o.file}: ${scanned} data rows now, ${o.n} when it was first read (the file changed while it was read)`,
        );
    }
  };

  /** Moves to row `row`: restarts for an earlier row, skips rows before it. */
  const seek = (row: number) => {
    if (scanner === null || row < next) restart();
    while (next < row) {
      if (queue.length === 0) fill(1);
      const skip = Math.min(queue.length, row - next);
      queue.drop(skip);
      next += skip;
    }
  };

  /** Copies the queue's first `count` rows into `out` at row `at`, then drops them. */
  const take = (out: DataArray[], count: number, at: number) => {
    fill(count);
    o.inputs.forEach((input, i) => {
      if (input.columns === null) return;
      const size = input.columns.length;
      const dst = out[i];
      const slots = input.columns.map((c) => slot.get(c)!);
      for (let r = 0; r < count; r++)
        for (let q = 0; q < size; q++) dst[(at + r) * size + q] = queue.at(r, slots[q]);
    });
    queue.drop(count);
    next += count;
  };

  const check = (row: number) => {
    if (!Number.isInteger(row) || row < 0 || row >= o.n)
      throw new RangeError(`internal: row ${row} of ${o.file} (it has ${o.n})`);
  };

  return {
    rowSource: true,
    n: o.n,
    columns,
    ...(o.nonFinite ? { nonFinite: o.nonFinite } : {}),
    range(start, count) {
      if (count === 0) return columns.map(() => new Float64Array(0));
      check(start);
      check(start + count - 1);
      const out = o.inputs.map((input, i) =>
        input.data !== null
          ? input.data.subarray(start * columns[i].size, (start + count) * columns[i].size)
          : new Float64Array(count * columns[i].size),
      );
      seek(start);
      take(out, count, 0);
      return out;
    },
    gather(rows) {
      const out = columns.map((c) => new Float64Array(rows.length * c.size));
      o.inputs.forEach((input, i) => {
        if (input.data === null) return;
        const size = columns[i].size;
        for (let r = 0; r < rows.length; r++)
          out[i].set(input.data.subarray(rows[r] * size, (rows[r] + 1) * size), r * size);
      });
      if (wanted.length === 0) return out;
      const put = (p: number, values: Float64Array[]) =>
        o.inputs.forEach((input, i) => {
          if (input.columns !== null) out[i].set(values[i], p * columns[i].size);
        });
      // Rows read by an earlier gather (the analyses of one run ask for the same rows again).
      const missing: number[] = [];
      for (let p = 0; p < rows.length; p++) {
        check(rows[p]);
        const hit = cache.get(rows[p]);
        if (hit) put(p, hit);
        else missing.push(p);
      }
      if (missing.length === 0) return out;
      if (cache.size + missing.length > CACHE_ROWS) cache.clear();
      // One forward read: rows in file order, each copied to every place it was asked for.
      missing.sort((a, b) => rows[a] - rows[b]);
      let one: Float64Array[] = [];
      for (let m = 0; m < missing.length; m++) {
        const row = rows[missing[m]];
        // A repeated row was just read into `one`.
        if (m === 0 || row !== rows[missing[m - 1]]) {
          one = o.inputs.map((_, i) => new Float64Array(columns[i].size));
          seek(row);
          take(one, 1, 0);
          if (missing.length <= CACHE_ROWS) cache.set(row, one);
        }
        put(missing[m], one);
      }
      return out;
    },
  };
}
