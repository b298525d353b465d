/**
 * Everything the analyses share about one (target, data) pair: the data as columns, which inputs
 * are differentiated, the names and offsets of features and output components, and a checked
 * way to call the target. The target is probed once on the first rows to learn its outputs and
 * to catch targets that are not row-independent. `derivatives()`, `analyze()` and the CLI all
 * start here, so they accept the same data and refuse the same mistakes with the same words.
 */
import type { DataArray } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError } from "../../core/errors.js";
import { array } from "../../ops/creation.js";
import type { Tensor } from "../../prims/tensor.js";
import { checkInputNames, inputNamesFor, readData, toNamedData, type InputData } from "./data.js";
import { assertUnique, componentNames, featureNamesFor } from "../result/layout.js";
import { countNonFiniteInputs, type NonFiniteInputs } from "./nonfinite.js";
import { allocLike, isRowSource, memoryRowSource, type ColumnInfo, type RowSource } from "./rows.js";
import type { InputsSection, OutputsSection } from "../result/schemaBase.js";
import { checkTarget, invokeTarget, isModelLike, isPositional, nameOutputs, type Target } from "./target.js";

/**
 * Options that shape the layout.
 *
 * @example
 * analyze(model, data, { wrt: ["price", "features"], featureNames: { features: ["age", "income"] } });
 */
export interface LayoutOptions {
  /** Inputs to differentiate (default: every float input; integer inputs are held constant). */
  wrt?: readonly string[];
  /** Names for an input's features, e.g. `{ features: ["age", "income", …] }`. */
  featureNames?: Record<string, readonly string[]>;
  /** Inputs that are prices (for delta/gamma); they must be differentiated. */
  priceInputs?: readonly string[];
}

export interface Prepared {
  target: Target;
  /** The entry point named in error messages ("analyze", "derivatives", …). */
  who: string;
  n: number;
  /** The inputs' layouts (the numbers come from `rows`). */
  columns: readonly ColumnInfo[];
  /** Where the rows come from: the caller's arrays, or a file read batch by batch. */
  rows: RowSource;
  /** Indices into `columns` of the differentiated inputs, and of the constant ones. */
  diff: number[];
  constant: number[];
  /** Feature offset of each column (−1 for constants). */
  offsets: number[];
  inputs: InputsSection;
  outputs: OutputsSection;
  /** Number of features (D) and of output components (K). */
  d: number;
  k: number;
  /** Non-finite cells of the data, counted once when it is read. */
  nonFiniteInputs: NonFiniteInputs;
  /** Calls the target on batch-first inputs; outputs in layout order, each checked to be [B, ...shape]. */
  call(inputs: Record<string, Tensor>, batch: number): Tensor[];
}

/** A set of points to evaluate: packed features and the constant inputs, row-major. */
export interface Points {
  count: number;
  /** count × D features. */
  z: Float64Array;
  /** One array per constant input (aligned with `Prepared.constant`), count × size. */
  rest: DataArray[];
}

const isFloat = (c: ColumnInfo) => c.dtype === "float64" || c.dtype === "float32";

/**
 * Reads the data, lays out features and probes the target's outputs on the first rows. `who`
 * names the entry point in error messages.
 */
export function prepare(
  target: Target,
  data: InputData,
  opts: LayoutOptions = {},
  who = "analyze",
): Prepared {
  checkTarget(target, who);
  const rows = rowSourceOf(target, data, who);
  const { n, columns } = rows;
  const names = columns.map((c) => c.name);
  checkDeclaredShapes(target, columns, n, who);
  const wrt = opts.wrt ?? columns.filter(isFloat).map((c) => c.name);
  for (const w of wrt) {
    const col = columns.find((c) => c.name === w);
    if (col === undefined)
      throw new ValueError(`${who}: wrt names '${w}', which is not an input (inputs: ${names.join(", ")})`);
    if (!isFloat(col))
      throw new DTypeError(
        `${who}: input '${w}' has dtype ${col.dtype} and cannot be differentiated; leave it out of wrt`,
      );
  }
  const prices = opts.priceInputs ?? [];
  for (const p of prices)
    if (!wrt.includes(p))
      throw new ValueError(
        `${who}: price input '${p}' is not ${names.includes(p) ? "differentiated (add it to wrt)" : `an input (inputs: ${names.join(", ")})`}`,
      );
  for (const key of Object.keys(opts.featureNames ?? {}))
    if (!wrt.includes(key))
      throw new ValueError(
        `${who}: featureNames.${key} names features of an input that is not differentiated`,
      );

  const diff: number[] = [];
  const constant: number[] = [];
  const offsets: number[] = [];
  const features: InputsSection["features"] = [];
  const items = columns.map((c, i) => {
    const differentiated = wrt.includes(c.name);
    const offset = differentiated ? features.length : null;
    offsets.push(offset ?? -1);
    if (differentiated) {
      diff.push(i);
      featureNamesFor(c.name, c.shape, opts.featureNames).forEach((name, index) =>
        features.push({ name, input: c.name, index }),
      );
    } else constant.push(i);
    return {
      name: c.name,
      shape: c.shape.slice(),
      size: c.size,
      dtype: c.dtype,
      differentiated,
      priceLike: prices.includes(c.name),
      offset,
    };
  });
  if (features.length === 0)
    throw new ValueError(`${who}: nothing to differentiate (no float inputs, or wrt is empty)`);
  assertUnique(
    features.map((f) => f.name),
    "features",
  );
  const inputs: InputsSection = { names, items, features, priceLike: [...prices] };
  const nonFiniteInputs = rows.nonFinite ?? countNonFiniteInputs(rows);
  const base: Base = { target, who, n, columns, rows, inputs };
  const outputs = probeOutputs(base);
  return {
    ...base,
    diff,
    constant,
    offsets,
    d: features.length,
    nonFiniteInputs,
    outputs,
    k: outputs.components.length,
    call: makeCaller(base, outputs),
  };
}

type Base = Pick<Prepared, "target" | "who" | "n" | "columns" | "rows" | "inputs">;

/**
 * The data as a row source, its inputs in the target's order: a row source as given (its names
 * checked like named data's), anything else read in place from memory.
 */
function rowSourceOf(target: Target, data: InputData, who: string): RowSource {
  if (isRowSource(data)) {
    const keys = data.columns.map((c) => c.name);
    const names = isModelLike(target) && target.inputNames.length > 0 ? [...target.inputNames] : keys;
    checkInputNames(keys, names, who);
    if (data.n === 0) throw new ValueError(`${who}: the data has no samples`);
    if (names.every((name, i) => keys[i] === name)) return data;
    // The model's order: a view that reorders the arrays (no copy of the rows).
    const order = names.map((name) => keys.indexOf(name));
    return {
      rowSource: true,
      n: data.n,
      columns: order.map((i) => data.columns[i]),
      ...(data.nonFinite ? { nonFinite: data.nonFinite } : {}),
      range: (start, count) => {
        const got = data.range(start, count);
        return order.map((i) => got[i]);
      },
      gather: (rows) => {
        const got = data.gather(rows);
        return order.map((i) => got[i]);
      },
    };
  }
  const named = toNamedData(target, data, who);
  const { n, columns } = readData(named, inputNamesFor(target, named), who);
  return memoryRowSource(columns, n);
}

const fmtShape = (s: readonly unknown[]) =>
  `(${s.map((d) => (d === null ? "None" : String(d))).join(", ")}${s.length === 1 ? "," : ""})`;

/**
 * A functional model declares its inputs' shapes: check the data against them here, where the
 * shape is still the one the user passed (the model itself only ever sees batches and samples).
 */
function checkDeclaredShapes(target: Target, columns: readonly ColumnInfo[], n: number, who: string): void {
  if (!isModelLike(target) || isPositional(target)) return;
  const specs = (target as { inputs?: unknown }).inputs;
  if (!Array.isArray(specs) || specs.length !== columns.length) return;
  columns.forEach((c, i) => {
    const declared = (specs[i] as { shape?: unknown } | undefined)?.shape;
    if (!Array.isArray(declared)) return;
    const given = [n, ...c.shape];
    const ok =
      declared.length === given.length && declared.every((d, j) => j === 0 || d === null || d === given[j]);
    if (!ok)
      throw new ShapeError(
        `${who}: input '${c.name}' has shape [${given.join(", ")}], but the model expects ${fmtShape(declared)}` +
          ` (the first axis is the sample axis)`,
      );
  });
}

/** Batch-first tensors of rows [start, start + count) of every input. */
export function rangeInputs(
  prep: Pick<Prepared, "columns" | "rows">,
  start: number,
  count: number,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const arrays = prep.rows.range(start, count);
  prep.columns.forEach((c, i) => {
    out[c.name] = array(arrays[i], {
      shape: [count, ...c.shape],
      dtype: c.dtype === "float32" ? "float64" : c.dtype,
    });
  });
  return out;
}

/**
 * Runs the first call of the target, adding the data's shapes as the user passed them to a shape
 * error from inside it: the target only ever sees a few rows, so its own message says (8, 5) where
 * the user passed [10000, 5].
 */
function withDataShapes<T>(prep: Base, m: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const shapes = prep.columns.map((c) => `'${c.name}' [${[prep.n, ...c.shape].join(", ")}]`).join(", ");
    throw new ShapeError(
      `${prep.who}: the target failed on the first ${m} row(s) of the data (passed as ${shapes}): ${e.message}`,
    );
  }
}

const outputNamesOf = (target: Target) => (isModelLike(target) ? target.outputNames : undefined);

/** Calls the target on the first rows to learn its outputs, and checks they are per-sample. */
function probeOutputs(prep: Base): OutputsSection {
  const { who } = prep;
  const m = Math.min(prep.n, 8);
  const call = (count: number) =>
    nameOutputs(
      invokeTarget(prep.target, rangeInputs(prep, 0, count), prep.inputs.names),
      outputNamesOf(prep.target),
      who,
    );
  const first = withDataShapes(prep, m, () => call(m));
  first.tensors.forEach((t, i) => {
    if (t.shape[0] !== m)
      throw new ShapeError(
        `${who}: output '${first.names[i]}' has shape [${t.shape}] for a batch of ${m} samples; a target must ` +
          `return one row per sample (leading dimension ${m}) and be row-independent`,
      );
  });
  if (m > 1) {
    const one = call(1);
    first.tensors.forEach((t, i) => {
      const a = t.shape.slice(1);
      const b = one.tensors[i]?.shape.slice(1) ?? [];
      if (a.join(",") !== b.join(","))
        throw new ShapeError(
          `${who}: output '${first.names[i]}' has per-sample shape [${a}] for a batch of ${m} but [${b}] for a batch ` +
            `of 1, so it mixes samples — e.g. an (N,1) tensor times an (N,) tensor broadcasts to (N,N); ` +
            `reshape one of them so the product stays (N,1)`,
        );
    });
  }
  let offset = 0;
  const components: OutputsSection["components"] = [];
  const items = first.tensors.map((t, i) => {
    const shape = t.shape.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    componentNames(first.names[i], shape).forEach((name, index) =>
      components.push({ name, output: first.names[i], index }),
    );
    const item = { name: first.names[i], shape, size, offset };
    offset += size;
    return item;
  });
  assertUnique(
    components.map((c) => c.name),
    "output components",
  );
  return { names: first.names, items, components };
}

function makeCaller(prep: Base, outputs: OutputsSection) {
  const { target, who } = prep;
  const names = prep.inputs.names;
  return (inputs: Record<string, Tensor>, batch: number): Tensor[] => {
    const got = nameOutputs(invokeTarget(target, inputs, names), outputNamesOf(target), who);
    if (got.names.join("\u0000") !== outputs.names.join("\u0000"))
      throw new ValueError(
        `${who}: the target returned outputs [${got.names.join(", ")}], but earlier [${outputs.names.join(", ")}]`,
      );
    return got.tensors.map((t, i) => {
      const want = [batch, ...outputs.items[i].shape];
      if (t.shape.join(",") !== want.join(","))
        throw new ShapeError(
          `${who}: output '${got.names[i]}' has shape [${t.shape}] for a batch of ${batch}, expected [${want}] ` +
            `(one row per sample; the target must be row-independent)`,
        );
      return t;
    });
  };
}

/** Points from one array per input (count rows each, in `prep.columns` order). */
function pointsFromArrays(prep: Prepared, arrays: readonly DataArray[], count: number): Points {
  const z = new Float64Array(count * prep.d);
  const { d } = prep;
  for (const ci of prep.diff) {
    const { size } = prep.columns[ci];
    const off = prep.offsets[ci];
    const a = arrays[ci];
    for (let r = 0; r < count; r++) for (let q = 0; q < size; q++) z[r * d + off + q] = a[r * size + q];
  }
  // Constants are copied: the arrays may be views the source reuses.
  const rest = prep.constant.map((ci) => arrays[ci].slice());
  return { count, z, rest };
}

/** The points for data rows `rows` (any order, repeats allowed). */
export function pointsFromRows(prep: Prepared, rows: ArrayLike<number>): Points {
  return pointsFromArrays(prep, prep.rows.gather(rows), rows.length);
}

/** The points for data rows [start, start + count). */
export function pointsFromRange(prep: Prepared, start: number, count: number): Points {
  return pointsFromArrays(prep, prep.rows.range(start, count), count);
}

/** Points with new feature values and the constant inputs of `like` (row r of `z` uses row `source[r]` of `like`). */
export function withFeatures(like: Points, z: Float64Array, source: ArrayLike<number>, d: number): Points {
  const count = z.length / d;
  const rest = like.rest.map((arr) => {
    const size = arr.length / like.count;
    const out = allocLike(arr, count * size);
    for (let r = 0; r < count; r++) out.set(arr.subarray(source[r] * size, (source[r] + 1) * size), r * size);
    return out;
  });
  return { count, z, rest };
}
