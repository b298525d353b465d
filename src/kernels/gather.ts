import { allocData, narrowToInt32 } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";

function normIndex(i: number, n: number, op: string, axis: number): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n)
    throw new ValueError(`${op}: index ${i} is out of bounds for axis ${axis} with size ${n}`);
  return j;
}

/**
 * `take(x, indices, axis)`: out.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:].
 * Negative indices count from the end (NumPy); out-of-range indices are an error, not a clamp.
 */
export function take(x: NDArray, indices: NDArray, axis: number): NDArray {
  const n = x.shape[axis];
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const idx = indices.data;
  const m = idx.length;
  const out = allocData(x.dtype, outer * m * inner);
  const src = x.data;
  const norm = new Int32Array(m);
  for (let p = 0; p < m; p++) norm[p] = normIndex(idx[p], n, "take", axis);
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const s = (o * n + norm[p]) * inner;
      const d = (o * m + p) * inner;
      if (inner === 1) out[d] = src[s];
      else for (let j = 0; j < inner; j++) out[d + j] = src[s + j];
    }
  }
  return new NDArray(x.dtype, [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], out);
}

/** The transpose of `take`: adds `updates` into a copy of `operand` at `indices` along `axis`. */
export function scatterAdd(operand: NDArray, indices: NDArray, updates: NDArray, axis: number): NDArray {
  if (operand.dtype === "int32") {
    const wide = (a: NDArray) => new NDArray("float64", a.shape, Float64Array.from(a.data));
    const out = scatterAdd(wide(operand), indices, wide(updates), axis);
    return new NDArray("int32", operand.shape, narrowToInt32(out.data, "scatterAdd"));
  }
  const n = operand.shape[axis];
  const outer = operand.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = operand.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const idx = indices.data;
  const m = idx.length;
  const out = allocData(operand.dtype, operand.size);
  out.set(operand.data);
  const upd = updates.data;
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const d = (o * n + normIndex(idx[p], n, "scatterAdd", axis)) * inner;
      const s = (o * m + p) * inner;
      for (let j = 0; j < inner; j++) out[d + j] += upd[s + j];
    }
  }
  return new NDArray(operand.dtype, operand.shape, out);
}
