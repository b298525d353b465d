/**
 * An incremental CSV (RFC 4180) record scanner: text arrives in chunks of any size and records come
 * out as soon as they end, so a file is never held whole. It is a state machine that looks at each
 * character once (no regular expressions, no rescanning), so its time is linear in the input even
 * for hostile cells (one 200 KB cell, a quote that never closes). Quoted fields may hold
 * delimiters, line ends and doubled quotes; CRLF, LF and CR all end a record. Fields of columns the
 * caller does not want are skipped without building their text.
 */
import { dataError } from "../errors.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Counts line feeds in s[from, to). */
function countLf(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Feeds text chunks; calls `onRecord(fields, line)` for every record (with the 1-based line it
 * starts on). Fields of columns where `keep(column)` is false are "" (never built).
 *
 * @example
 * const rows: string[][] = [];
 * const s = new CsvScanner(",", (f) => rows.push(f.slice()), () => true, "a.csv");
 * s.push("x,y\n1,");
 * s.push("2\n");
 * s.end(); // rows: [["x", "y"], ["1", "2"]]
 */
export class CsvScanner {
  private fields: string[] = [];
  private field = "";
  /** Whether the current field holds any character (so "" and a missing last field differ). */
  private started = false;
  private inQuotes = false;
  /** A quote was seen inside a quoted field: the next character says whether it was "" or the end. */
  private quotePending = false;
  /** The previous record ended with CR: a following LF belongs to it. */
  private afterCr = false;
  private line = 1;
  private recordLine = 1;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly onRecord: (fields: string[], line: number) => void,
    private readonly keep: (column: number) => boolean,
    private readonly file: string,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  private append(s: string, from: number, to: number): void {
    if (to > from && this.keep(this.fields.length)) this.field += s.slice(from, to);
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.started = false;
  }

  private endRecord(): void {
    this.endField();
    const f = this.fields;
    this.fields = [];
    // A blank line (one empty field) is skipped.
    if (!(f.length === 1 && f[0].trim() === "")) this.onRecord(f, this.recordLine);
    this.recordLine = this.line;
  }

  /** Scans one chunk of text. */
  push(s: string): void {
    const n = s.length;
    let i = 0;
    while (i < n) {
      if (this.afterCr) {
        this.afterCr = false;
        if (s.charCodeAt(i) === LF) {
          i++;
          this.recordLine = this.line;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (s.charCodeAt(i) === QUOTE) {
            if (this.keep(this.fields.length)) this.field += '"';
            i++;
            continue;
          }
          this.inQuotes = false; // the quote closed the field; what follows is read unquoted
          continue;
        }
        const j = s.indexOf('"', i);
        const to = j < 0 ? n : j;
        this.append(s, i, to);
        this.line += countLf(s, i, to);
        if (j < 0) return;
        i = j + 1;
        this.quotePending = true;
        continue;
      }
      let c = s.charCodeAt(i);
      if (!this.started && c === QUOTE) {
        this.started = true;
        this.inQuotes = true;
        i++;
        continue;
      }
      this.started = true;
      let j = i;
      while (j < n) {
        c = s.charCodeAt(j);
        if (c === this.delim || c === LF || c === CR) break;
        j++;
      }
      this.append(s, i, j);
      i = j;
      if (j === n) return;
      i++;
      if (c === this.delim) {
        this.endField();
        continue;
      }
      this.line++;
      this.afterCr = c === CR;
      this.endRecord();
    }
  }

  /** Ends the input: flushes a last record without a line end; refuses an unclosed quote. */
  end(): void {
    if (this.inQuotes && !this.quotePending)
      throw dataError(`${this.file} line ${this.recordLine}: a quoted field is never closed`);
    this.inQuotes = false;
    this.quotePending = false;
    if (this.started || this.fields.length > 0) this.endRecord();
  }
}
