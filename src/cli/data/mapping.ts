/**
 * Column → input mapping. `--input NAME=SPEC` gives an input its data, where SPEC is
 *
 * - a column: `price=px_ref` (one number per row: shape [N]);
 * - a range by header order, inclusive: `features=moneyness..spread` (shape [N, 8]);
 * - a comma list, possibly with ranges: `features=a,b,e..h`;
 * - a named array of a JSON file: `features=feats` (any rank);
 * - a `.npy` file: `features=X.npy`.
 *
 * Inputs without a mapping are filled in order: an input named like a column or array takes it;
 * then, if exactly one input is left, it takes every numeric column not used yet (header order).
 * Multi-column inputs name their features after the columns. When the model declares its input
 * shapes, the data is reshaped to them ([N] → [N, 1]) or refused with the sizes named.
 *
 * Non-finite data (NaN, ±Inf) is refused with the file, line (or row) and column at fault unless
 * `allowNonFinite`; then the rows that carry it are counted for the user.
 */
import { countNonFiniteInputs } from "../../sensitivity/engine/nonfinite.js";
import { memoryRowSource, type RowSource } from "../../sensitivity/engine/rows.js";
import { dataError, usageError } from "../errors.js";
import type { RowInput } from "./source.js";
import { readNpySource } from "./read.js";
import {
  didYouMean,
  isTextColumn,
  listNames,
  numericColumn,
  type DataColumn,
  type DataSource,
} from "./source.js";

/** One `--input NAME=SPEC`. */
export interface InputSpec {
  name: string;
  spec: string;
}

/** Data ready for the analysis. */
export interface MappedData {
  /**
   * The rows of every input, in input order: from memory, or — for a CSV file read without
   * keeping its values — read from the file again per pass.
   */
  data: RowSource;
  /** Each input's full shape [N, ...], by input name, in input order. */
  shapes: Record<string, number[]>;
  /** Feature names of multi-column inputs (the column names). */
  featureNames: Record<string, string[]>;
  /** Rows (N). */
  n: number;
  /** "price ← column 'price' [N]" lines describing the mapping. */
  description: string[];
  /** Numeric columns of the data file no input uses. */
  unused: string[];
  /** Text columns left out of the default mapping. */
  textColumns: string[];
  /** Rows with at least one non-finite value in a mapped input (0 unless `allowNonFinite`). */
  nonFiniteRows: number;
}

/** Parses `--input` values `NAME=SPEC`. @example parseInputSpecs(["price=px"]) // [{ name: "price", spec: "px" }] */
export function parseInputSpecs(values: readonly string[], command: string): InputSpec[] {
  const specs = values.map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1)
      throw usageError(
        `--input '${v}': expected NAME=COLUMNS (e.g. price=px_ref, features=a..h, x=file.npy)`,
        command,
      );
    return { name: v.slice(0, eq).trim(), spec: v.slice(eq + 1).trim() };
  });
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw usageError(`--input maps '${s.name}' twice`, command);
    seen.add(s.name);
  }
  return specs;
}

interface Resolved {
  shape: number[];
  /** The numbers in memory, or null for columns read from the file per pass (`fileColumns`). */
  data: Float64Array | null;
  fileColumns: number[] | null;
  featureNames: string[] | null;
  what: string;
  columns: string[];
}

/** Column positions by name, built once per source (a file may have 200k columns: no scans per name). */
const positions = new WeakMap<DataSource, Map<string, number>>();
function positionOf(src: DataSource, name: string): number | undefined {
  let m = positions.get(src);
  if (m === undefined) {
    m = new Map(src.columns.map((c, i) => [c.name, i]));
    positions.set(src, m);
  }
  return m.get(name);
}
const columnNamed = (src: DataSource, name: string): DataColumn | undefined => {
  const i = positionOf(src, name);
  return i === undefined ? undefined : src.columns[i];
};

function columnsOf(src: DataSource, names: string[]): Resolved {
  const cols = names.map((n) => columnNamed(src, n)!);
  const n = src.rows ?? cols[0].values?.length ?? 0;
  const values = cols.map((c) => numericColumn(src, c));
  const shape = cols.length === 1 ? [n] : [n, cols.length];
  const what =
    cols.length === 1
      ? `column '${names[0]}'`
      : cols.length > 4
        ? `${cols.length} columns ${names[0]} … ${names[names.length - 1]}`
        : `columns ${names.join(", ")}`;
  const featureNames = cols.length === 1 ? null : names;
  if (values.some((v) => v === null))
    return {
      shape,
      data: null,
      fileColumns: names.map((name) => positionOf(src, name)!),
      featureNames,
      what,
      columns: names,
    };
  const vs = values as Float64Array[];
  let data = vs[0];
  if (cols.length > 1) {
    data = new Float64Array(n * cols.length);
    for (let j = 0; j < cols.length; j++) for (let i = 0; i < n; i++) data[i * cols.length + j] = vs[j][i];
  }
  return { shape, data, fileColumns: null, featureNames, what, columns: names };
}

function unknownColumn(src: DataSource, item: string, ctx: string): never {
  const names = [
    ...src.columns.map((c) => c.name),
    ...src.arrays.filter((a) => a.shape.length > 1).map((a) => a.name),
  ];
  throw dataError(
    `${ctx}: no column '${item}' in ${src.file} (it has ${listNames(names)})${didYouMean(item, names)}`,
  );
}

/**
 * The columns a CSV reader must parse for these inputs, given the header: those the `--input`
 * specs name (ranges expanded) and those named like an unmapped input; null (every column) when
 * exactly one input is left to take "every numeric column left". Unknown names are ignored here;
 * `mapInputs` reports them.
 *
 * @example
 * wantedColumns(["id", "price", "a", "b"], ["price", "x"], [{ name: "x", spec: "a..b" }]); // Set {"a", "b", "price"}
 */
export function wantedColumns(
  header: readonly string[],
  inputNames: readonly string[] | null,
  specs: readonly InputSpec[],
): Set<string> | null {
  const index = new Map(header.map((h, i) => [h, i]));
  const bySpec = new Map(specs.map((s) => [s.name, s.spec]));
  const names = inputNames ?? [...bySpec.keys()];
  const want = new Set<string>();
  let unmapped = 0;
  for (const name of names) {
    const spec = bySpec.get(name);
    if (spec === undefined) {
      if (index.has(name)) want.add(name);
      else unmapped++;
      continue;
    }
    if (/\.npy$/i.test(spec)) continue;
    for (const raw of spec.split(",")) {
      const item = raw.trim();
      const range = /^(.+?)\.\.(.+)$/.exec(item);
      const [a, b] = range ? [index.get(range[1].trim()), index.get(range[2].trim())] : [index.get(item)];
      if (a === undefined) continue;
      for (let i = a; i <= (range ? (b ?? -1) : a); i++) want.add(header[i]);
    }
  }
  return unmapped === 1 ? null : want;
}

/** Resolves the column names of a list spec like `a,b,e..h` in header order. */
function listColumns(src: DataSource, spec: string, ctx: string): string[] {
  const header = src.columns.map((c) => c.name);
  const out: string[] = [];
  for (const raw of spec.split(",")) {
    const item = raw.trim();
    if (item === "") throw usageError(`${ctx}: empty column name in '${spec}'`);
    const range = /^(.+?)\.\.(.+)$/.exec(item);
    if (range) {
      const [a, b] = [range[1].trim(), range[2].trim()];
      const ia = positionOf(src, a) ?? -1;
      const ib = positionOf(src, b) ?? -1;
      if (ia < 0) unknownColumn(src, a, ctx);
      if (ib < 0) unknownColumn(src, b, ctx);
      if (ib < ia)
        throw dataError(
          `${ctx}: range ${a}..${b} runs backwards in ${src.file} ('${b}' comes before '${a}')`,
        );
      out.push(...header.slice(ia, ib + 1));
    } else {
      if (positionOf(src, item) === undefined) unknownColumn(src, item, ctx);
      out.push(item);
    }
  }
  return out;
}

function resolveSpec(src: DataSource | null, s: InputSpec, cwd: string): Resolved {
  const ctx = `--input ${s.name}=${s.spec}`;
  if (/\.npy$/i.test(s.spec)) {
    const a = readNpySource(s.spec, cwd).arrays[0];
    return {
      shape: a.shape,
      data: a.data,
      fileColumns: null,
      featureNames: null,
      what: `file ${s.spec} [${a.shape.join(", ")}]`,
      columns: [],
    };
  }
  if (src === null)
    throw usageError(`${ctx}: there is no --data file to take columns from (or give a .npy file)`);
  const arr = src.arrays.find((a) => a.name === s.spec);
  if (arr && arr.shape.length > 1)
    return {
      shape: arr.shape,
      data: arr.data,
      fileColumns: null,
      featureNames: null,
      what: `array '${arr.name}'`,
      columns: [],
    };
  return columnsOf(src, listColumns(src, s.spec, ctx));
}

/** Options of `mapInputs`. */
export interface MapInputsOptions {
  /** The target's input names, or null when only the `--input` mappings say what they are. */
  inputNames: readonly string[] | null;
  source: DataSource | null;
  specs: readonly InputSpec[];
  cwd: string;
  /** Per-sample shapes the model declares (null dims unknown), by input name. */
  declaredShapes?: Record<string, (number | null)[] | null>;
  command: string;
  /** Keep NaN and ±Inf cells (and count their rows) instead of refusing them. Default false. */
  allowNonFinite?: boolean;
}

const ALLOW_HINT = "gradlens refuses non-finite data by default; --allow-nonfinite keeps it";

/** Refuses the first non-finite value of an input, naming file, line or row, and column. */
function refuseNonFinite(src: DataSource | null, name: string, r: Resolved, shape: readonly number[]): void {
  for (const colName of r.columns) {
    const c = columnNamed(src!, colName)!;
    if (c.nonFinite === null) continue;
    if (c.nonFinite !== undefined)
      throw dataError(
        `${src!.file} ${c.nonFinite.where}, column '${c.name}': '${c.nonFinite.text}' is not a finite number ` +
          `(${c.nonFinite.count} such cell${c.nonFinite.count === 1 ? "" : "s"} in the column); ${ALLOW_HINT}`,
      );
    const i = c.values!.findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      throw dataError(
        // Only JSON columns get here (CSV columns carry the cell's text), and JSON has no NaN
        // literal: a NaN was a null in the file, so name it as written.
        `${src!.file} row ${i}, column '${c.name}': ${Number.isNaN(c.values![i]) ? "null" : c.values![i]} is not a finite number; ${ALLOW_HINT}`,
      );
  }
  if (r.columns.length > 0 || r.data === null) return;
  const i = r.data.findIndex((v) => !Number.isFinite(v));
  if (i < 0) return;
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  throw dataError(
    `input '${name}' ← ${r.what}: row ${Math.floor(i / per)} (flat index ${i}) holds ${r.data[i]}, not a finite number; ${ALLOW_HINT}`,
  );
}

const fmtShape = (s: readonly (number | null)[]) => `(None${s.map((d) => `, ${d ?? "None"}`).join("")})`;

/** Reshapes to the model's declared per-sample shape when sizes agree; refuses otherwise. */
function fitDeclared(name: string, r: Resolved, declared: (number | null)[] | null | undefined): number[] {
  const per = r.shape.slice(1);
  if (!declared) return r.shape;
  const size = per.reduce((a, b) => a * b, 1);
  if (declared.every((d) => d !== null)) {
    const want = (declared as number[]).reduce((a, b) => a * b, 1);
    if (want !== size)
      throw dataError(
        `input '${name}' of the model expects ${want} number${want === 1 ? "" : "s"} per row (shape ${fmtShape(declared)}), ` +
          `but gets ${size} from ${r.what}` +
          (r.columns.length > 4 ? ` (${listNames(r.columns)})` : "") +
          `; map the right columns with --input ${name}=COLUMNS`,
      );
    return [r.shape[0], ...(declared as number[])];
  }
  if (declared.length !== per.length)
    throw dataError(
      `input '${name}' of the model expects rank-${declared.length + 1} data ${fmtShape(declared)}, but ${r.what} is [${r.shape.join(", ")}]`,
    );
  return r.shape;
}

/**
 * Builds the named, batch-first data of the target from a data file and `--input` mappings.
 *
 * @example
 * const m = mapInputs({ inputNames: ["price", "features"], source, specs: [], cwd, command: "analyze" });
 * m.description; // ["price ← column 'price'", "features ← 8 columns moneyness … spread"]
 */
export function mapInputs(o: MapInputsOptions): MappedData {
  const specs = new Map(o.specs.map((s) => [s.name, s]));
  const names = o.inputNames ? [...o.inputNames] : [...specs.keys()];
  if (names.length === 0)
    throw usageError(
      "the target's inputs are unknown: the wrapper exports no inputNames; map them with --input NAME=COLUMNS",
      o.command,
    );
  for (const s of o.specs)
    if (!names.includes(s.name))
      throw usageError(
        `--input names '${s.name}', which is not an input of the target (inputs: ${names.join(", ")})${didYouMean(s.name, names)}`,
        o.command,
      );
  const src = o.source;
  const resolved = new Map<string, Resolved>();
  for (const name of names) {
    const s = specs.get(name);
    if (s) resolved.set(name, resolveSpec(src, s, o.cwd));
  }
  // Inputs named like a column or array take it.
  for (const name of names) {
    if (resolved.has(name) || src === null) continue;
    const arr = src.arrays.find((a) => a.name === name);
    if (arr && arr.shape.length > 1)
      resolved.set(name, {
        shape: arr.shape,
        data: arr.data,
        fileColumns: null,
        featureNames: null,
        what: `array '${name}'`,
        columns: [],
      });
    else if (columnNamed(src, name)) resolved.set(name, columnsOf(src, [name]));
    else if (arr)
      resolved.set(name, {
        shape: arr.shape,
        data: arr.data,
        fileColumns: null,
        featureNames: null,
        what: `array '${name}'`,
        columns: [],
      });
  }
  const used = new Set([...resolved.values()].flatMap((r) => r.columns));
  const textColumns = src
    ? src.columns.filter((c) => !used.has(c.name) && isTextColumn(c)).map((c) => c.name)
    : [];
  let left = names.filter((n) => !resolved.has(n));
  if (left.length === 1 && src !== null) {
    const rest = src.columns.filter((c) => !used.has(c.name) && !isTextColumn(c)).map((c) => c.name);
    if (rest.length === 0 && src.arrays.length === 1 && src.columns.length === 0) {
      const a = src.arrays[0];
      resolved.set(left[0], {
        shape: a.shape,
        data: a.data,
        fileColumns: null,
        featureNames: null,
        what: `array '${a.name}'`,
        columns: [],
      });
    } else if (rest.length > 0) resolved.set(left[0], columnsOf(src, rest));
    left = names.filter((n) => !resolved.has(n));
  }
  if (left.length > 0) {
    const cols = src ? src.columns.filter((c) => !used.has(c.name)).map((c: DataColumn) => c.name) : [];
    throw usageError(
      `no data for input${left.length > 1 ? "s" : ""} ${left.map((n) => `'${n}'`).join(", ")} ` +
        `(target inputs: ${names.join(", ")}; unused columns: ${cols.length ? listNames(cols) : "none"}). ` +
        `Map ${left.length > 1 ? "them" : "it"} with --input ${left[0]}=COLUMNS` +
        (src ? "" : " and give a --data file"),
      o.command,
    );
  }
  const rows = names.map((n) => resolved.get(n)!.shape[0]);
  if (new Set(rows).size > 1)
    throw dataError(
      `inputs have different numbers of rows: ${names.map((n, i) => `${n} has ${rows[i]} (${resolved.get(n)!.what})`).join(", ")}`,
    );
  if (rows[0] === 0) throw dataError("the data has no rows");
  if (!o.allowNonFinite)
    for (const name of names) refuseNonFinite(src, name, resolved.get(name)!, resolved.get(name)!.shape);
  const shapes: Record<string, number[]> = {};
  const featureNames: Record<string, string[]> = {};
  const description: string[] = [];
  for (const name of names) {
    const r = resolved.get(name)!;
    const shape = fitDeclared(name, r, o.declaredShapes?.[name]);
    shapes[name] = shape;
    if (r.featureNames) featureNames[name] = r.featureNames;
    description.push(`${name} ← ${r.what} [${shape.map((d, i) => (i === 0 ? "N" : String(d))).join(", ")}]`);
  }
  const inputs: RowInput[] = names.map((name) => {
    const r = resolved.get(name)!;
    return {
      name,
      shape: shapes[name].slice(1),
      columns: r.data === null ? r.fileColumns : null,
      data: r.data,
    };
  });
  const streamed = inputs.some((i) => i.data === null);
  const base: RowSource = streamed
    ? src!.rowsFor!(inputs)
    : memoryRowSource(
        inputs.map((i) => ({
          name: i.name,
          dtype: "float64" as const,
          shape: i.shape,
          size: i.shape.reduce((a, b) => a * b, 1),
          data: i.data!,
        })),
        rows[0],
      );
  // Refused above unless allowed; allowed ones are counted in one pass and handed to the
  // analysis, which then needs no pass of its own for them.
  const nonFinite = o.allowNonFinite ? countNonFiniteInputs(base) : { rows: 0, values: 0 };
  const data: RowSource = { ...base, nonFinite };
  const finalUsed = new Set([...resolved.values()].flatMap((r) => r.columns));
  const unused = src
    ? src.columns.filter((c) => !finalUsed.has(c.name) && !isTextColumn(c)).map((c) => c.name)
    : [];
  return {
    data,
    shapes,
    featureNames,
    n: rows[0],
    description,
    unused,
    textColumns,
    nonFiniteRows: nonFinite.rows,
  };
}
