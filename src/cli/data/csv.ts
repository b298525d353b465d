/**
 * CSV (RFC 4180) with a header row: quoted fields with doubled quotes, CRLF or LF line ends, a
 * UTF-8 byte-order mark, blank lines skipped. Every column becomes a numeric column; cells that
 * are not numbers are recorded (line and text) and only fail if that column is used.
 */
import { dataError } from "../errors.js";
import { parseCell, type DataColumn, type DataSource } from "./source.js";

/** Records of a CSV text with the 1-based line each starts on. */
function* records(
  text: string,
  delimiter: string,
  file: string,
): Generator<{ line: number; fields: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    for (;;) {
      if (text[i] === '"') {
        // Quoted field: up to the closing quote; "" is a quote.
        i++;
        for (;;) {
          if (i >= n) throw dataError(`${file} line ${start}: a quoted field is never closed`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
      }
      // Unquoted part (or what follows a closing quote) up to the delimiter or line end.
      let j = i;
      while (j < n && text[j] !== delimiter && text[j] !== "\n" && text[j] !== "\r") j++;
      field += text.slice(i, j);
      i = j;
      fields.push(field);
      field = "";
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0].trim() === "")) yield { line: start, fields };
  }
}

/**
 * Parses CSV text with a header row into numeric columns.
 *
 * @example
 * const src = parseCsv("price,rate\n100,0.01\n101,0.02\n", "quotes.csv");
 * src.columns[0].values; // Float64Array [100, 101]
 */
export function parseCsv(text: string, file: string, delimiter = ","): DataSource {
  if (delimiter.length !== 1)
    throw dataError(`${file}: the delimiter must be one character, got '${delimiter}'`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const it = records(body, delimiter, file);
  const first = it.next();
  if (first.done) throw dataError(`${file}: the file is empty (expected a header row of column names)`);
  const header = first.value.fields.map((h) => h.trim());
  header.forEach((h, c) => {
    if (h === "") throw dataError(`${file} line ${first.value.line}: header column ${c + 1} has no name`);
    const k = header.indexOf(h);
    if (k !== c) throw dataError(`${file}: two columns are named '${h}' (columns ${k + 1} and ${c + 1})`);
  });
  const values: number[][] = header.map(() => []);
  const bad: (DataColumn["bad"] | null)[] = header.map(() => null);
  const numeric = header.map(() => 0);
  for (const { line, fields } of it) {
    if (fields.length !== header.length)
      throw dataError(
        `${file} line ${line}: ${fields.length} field${fields.length === 1 ? "" : "s"}, but the header has ${header.length}` +
          (delimiter === "," && fields.length === 1 && fields[0].includes(";")
            ? " (is the file separated by ';'? use --delimiter ';')"
            : ""),
      );
    for (let c = 0; c < fields.length; c++) {
      const { value, ok } = parseCell(fields[c]);
      values[c].push(value);
      if (ok) numeric[c]++;
      else bad[c] ??= { where: `line ${line}`, text: fields[c].trim() };
    }
  }
  const rows = values[0]?.length ?? 0;
  if (rows === 0) throw dataError(`${file}: no data rows after the header`);
  return {
    file,
    rows,
    columns: header.map((name, c) => ({
      name,
      values: Float64Array.from(values[c]),
      bad: bad[c],
      numeric: numeric[c],
    })),
    arrays: [],
  };
}
