/**
 * Reads the user's named data into flat, row-major columns (one per input). The first axis of
 * every input is the sample axis, and all inputs must have the same number of samples.
 */
import { array } from "../ops/index.js";
import { ShapeError, ValueError } from "../core/errors.js";
import { Tensor } from "../prims/tensor.js";
import type { DataArray, DType } from "../core/dtype.js";
import type { NestedArray } from "../core/ndarray.js";

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

/** One input as flat row-major numbers. */
export interface Column {
  name: string;
  dtype: DType;
  /** Shape of one sample. */
  shape: number[];
  /** Numbers per sample. */
  size: number;
  /** N × size values. */
  data: DataArray;
}

function toTensor(value: DataValue, name: string): Tensor {
  try {
    return value instanceof Tensor ? value : array(value as NestedArray);
  } catch (e) {
    throw new ValueError(
      `analyze: data '${name}' is not a rectangular array of numbers (${(e as Error).message})`,
    );
  }
}

/**
 * The columns of `names` in that order. Rejects missing inputs, inputs the target does not take,
 * scalars, and inputs with different sample counts (naming each).
 */
export function readData(data: NamedData, names: readonly string[]): { n: number; columns: Column[] } {
  if (typeof data !== "object" || data === null)
    throw new ValueError("analyze: data must be an object of named arrays, e.g. { price, features }");
  const missing = names.filter((k) => !(k in data));
  if (missing.length > 0)
    throw new ValueError(
      `analyze: data has no '${missing.join("', '")}' (the target's inputs are ${names.join(", ")}; data has ${Object.keys(data).join(", ") || "nothing"})`,
    );
  const extra = Object.keys(data).filter((k) => !names.includes(k));
  if (extra.length > 0)
    throw new ValueError(
      `analyze: data has '${extra.join("', '")}' which the target does not take (its inputs are ${names.join(", ")})`,
    );
  const columns = names.map((name) => {
    const t = toTensor(data[name], name);
    if (t.ndim === 0)
      throw new ShapeError(`analyze: data '${name}' is a scalar; the first axis must be the sample axis`);
    const shape = t.shape.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    return { name, dtype: t.dtype, shape, size, data: t.data(), n: t.shape[0] };
  });
  const ns = new Set(columns.map((c) => c.n));
  if (ns.size > 1)
    throw new ShapeError(
      `analyze: inputs have different numbers of samples: ${columns.map((c) => `${c.name} has ${c.n}`).join(", ")}`,
    );
  const n = columns[0]?.n ?? 0;
  if (n === 0) throw new ValueError("analyze: the data has no samples");
  return { n, columns: columns.map(({ n: _n, ...c }) => c) };
}
