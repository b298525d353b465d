/**
 * Reads the user's data into flat, row-major columns (one per input). The first axis of every
 * input is the sample axis, and all inputs must have the same number of samples. Data may be
 * named (`{ price, features }`), positional (`[price, features]`, in the model's input order) or,
 * for a single-input target, one array.
 */
import { ShapeError, ValueError } from "../../core/errors.js";
import { dtypeOfData, type DataArray } from "../../core/dtype.js";
import type { NestedArray } from "../../core/ndarray.js";
import { array } from "../../ops/creation.js";
import { concreteValue, Tensor } from "../../prims/tensor.js";
import { isRowSource, type Column, type RowSource } from "./rows.js";
import { isThenable } from "../../core/thenable.js";
import { isModelLike, type Target } from "./target.js";

/**
 * One input's data: a tensor, nested numbers (`number[]` is [N], `number[][]` is [N, m]) or a typed array ([N]).
 *
 * @example
 * const price: DataValue = new Float64Array([9.5, 10, 11]);
 */
export type DataValue = Tensor | NestedArray | DataArray;

/**
 * Named inputs, first axis = samples.
 *
 * @example
 * const data: NamedData = { price: new Float64Array([10, 12]), features: [[0.1, 2], [0.3, 1]] };
 */
export type NamedData = Record<string, DataValue>;

/**
 * What the entry points accept as data: named inputs; a list of tensors or typed arrays, one per
 * input in the target's input order; or one array for a single-input target. A JS array of plain
 * numbers is always one input's nested numbers, never a list of inputs.
 *
 * @example
 * derivatives(model, { price, features }); // named
 * derivatives(model, [price, features]);   // positional: inputNames order, or input_1, input_2, …
 * derivatives(model, X);                   // one input
 * derivatives(model, rows);                // a RowSource (rows read batch by batch, e.g. from a file)
 */
export type InputData = NamedData | readonly (Tensor | DataArray)[] | DataValue | RowSource;

export type { Column };

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" &&
  x !== null &&
  !(x instanceof Tensor) &&
  !Array.isArray(x) &&
  !ArrayBuffer.isView(x) &&
  !isRowSource(x);

/** A positional list: a JS array whose elements are tensors or typed arrays (not plain numbers). */
const isInputList = (x: unknown): x is readonly (Tensor | DataArray)[] =>
  Array.isArray(x) &&
  x.length > 0 &&
  x.every((v) => v instanceof Tensor || ArrayBuffer.isView(v) || isThenable(v));

/**
 * The names the data is keyed by. Named data keeps its keys; a positional list takes the model's
 * declared input names, or — for a model or function that declares none — `input_1`, `input_2`,
 * … (tf.keras's automatic input names); one array is the model's only input, or `input`.
 */
export function toNamedData(target: Target, data: Exclude<InputData, RowSource>, who: string): NamedData {
  if (isThenable(data)) throw new ValueError(`${who}: the data is a Promise; did you forget \`await\`?`);
  const declared = isModelLike(target) ? [...target.inputNames] : [];
  if (isRecord(data)) return data as NamedData;
  if (isInputList(data)) {
    if (declared.length === 0) return Object.fromEntries(data.map((v, i) => [`input_${i + 1}`, v]));
    if (declared.length !== data.length)
      throw new ValueError(
        `${who}: got ${data.length} positional inputs, but the model takes ${declared.length} input(s) ` +
          `(${declared.join(", ")}); pass one array per input in that order, or named inputs`,
      );
    return Object.fromEntries(declared.map((n, i) => [n, data[i]]));
  }
  if (declared.length > 1)
    throw new ValueError(
      `${who}: the model has inputs ${declared.join(", ")}; pass them as a list in that order or by name`,
    );
  return { [declared[0] ?? "input"]: data as DataValue };
}

/** The input names of a target for data keyed as given: declared by the model, else the data's keys. */
export function inputNamesFor(target: Target, data: NamedData): string[] {
  return isModelLike(target) && target.inputNames.length > 0 ? [...target.inputNames] : Object.keys(data);
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);

function toTensor(value: DataValue, name: string, who: string): Tensor {
  if (isThenable(value))
    throw new ValueError(`${who}: data '${name}' is a Promise, not an array; did you forget \`await\`?`);
  if (value instanceof Tensor) return value;
  if (!Array.isArray(value) && !ArrayBuffer.isView(value) && typeof value !== "number")
    throw new ValueError(
      `${who}: data '${name}' is ${kindOf(value)}; expected a Tensor, nested arrays of numbers or a typed array`,
    );
  try {
    return array(value as NestedArray);
  } catch (e) {
    throw new ValueError(
      `${who}: data '${name}' is not a rectangular array of numbers (${(e as Error).message})`,
    );
  }
}

/**
 * Refuses data keyed by `keys` for a target whose inputs are `names`: missing inputs and inputs
 * the target does not take are named.
 */
export function checkInputNames(keys: readonly string[], names: readonly string[], who: string): void {
  const have = new Set(keys);
  const missing = names.filter((k) => !have.has(k));
  if (missing.length > 0)
    throw new ValueError(
      `${who}: data has no '${missing.join("', '")}' (the target's inputs are ${names.join(", ")}; data has ${keys.join(", ") || "nothing"})`,
    );
  const extra = keys.filter((k) => !names.includes(k));
  if (extra.length > 0)
    throw new ValueError(
      `${who}: data has '${extra.join("', '")}' which the target does not take (its inputs are ${names.join(", ")})`,
    );
}

/**
 * One input's numbers without a copy where they already are flat: a typed array is used as it
 * is, a tensor's own buffer is read in place (the caller's data is never written to).
 */
function flatData(
  value: DataValue,
  name: string,
  who: string,
): { dtype: Column["dtype"]; shape: number[]; data: DataArray } {
  const direct =
    value instanceof Float64Array ||
    value instanceof Float32Array ||
    value instanceof Int32Array ||
    value instanceof Uint8Array;
  if (direct) return { dtype: dtypeOfData(value), shape: [value.length], data: value };
  const t = toTensor(value, name, who);
  return { dtype: t.dtype, shape: t.shape.slice(), data: concreteValue(t, who).data };
}

/**
 * The columns of `names` in that order. Rejects missing inputs, inputs the target does not take,
 * scalars, and inputs with different sample counts (naming each). Typed arrays and tensors are
 * read in place, not copied.
 */
export function readData(
  data: NamedData,
  names: readonly string[],
  who = "analyze",
): { n: number; columns: Column[] } {
  if (!isRecord(data))
    throw new ValueError(`${who}: data must be an object of named arrays, e.g. { price, features }`);
  checkInputNames(Object.keys(data), names, who);
  const columns = names.map((name) => {
    const { dtype, shape: full, data: flat } = flatData(data[name], name, who);
    if (full.length === 0)
      throw new ShapeError(`${who}: data '${name}' is a scalar; the first axis must be the sample axis`);
    const shape = full.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    return { name, dtype, shape, size, data: flat, n: full[0] };
  });
  const ns = new Set(columns.map((c) => c.n));
  if (ns.size > 1)
    throw new ShapeError(
      `${who}: inputs have different numbers of samples: ${columns.map((c) => `${c.name} has ${c.n}`).join(", ")}`,
    );
  const n = columns[0]?.n ?? 0;
  if (n === 0) throw new ValueError(`${who}: the data has no samples`);
  return { n, columns: columns.map(({ n: _n, ...c }) => c) };
}
