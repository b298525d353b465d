import { allocData, narrowToInt32, type DType } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { stridesOf } from "../core/shape.js";
import { advance, collapse } from "./strided.js";

export type ReduceOp = "sum" | "max" | "min" | "prod";

/**
 * The starting value of a reduction in `dtype`. max/min start from the dtype's own extremes:
 * ±Infinity cannot be stored in an Int32Array or a bool array (it would become 0).
 */
function identity(op: ReduceOp, dtype: DType): number {
  if (op === "sum") return 0;
  if (op === "prod") return 1;
  const lowest = dtype === "int32" ? -2147483648 : dtype === "bool" ? 0 : -Infinity;
  const highest = dtype === "int32" ? 2147483647 : dtype === "bool" ? 1 : Infinity;
  return op === "max" ? lowest : highest;
}

/**
 * Reduces `x` over `axes` (sorted, unique), dropping them from the shape. The input is walked in
 * memory order and each element folded into its output slot, which is cache-friendly whether
 * the reduced axes are inner (row sums) or outer (column sums). max/min propagate NaN like NumPy
 * and order zeros as IEEE 754-2019 maximum/minimum do (JS Math.max: max(−0, +0) = +0).
 */
export function reduce(op: ReduceOp, x: NDArray, axes: readonly number[], outDtype: DType): NDArray {
  // int32 sums and products accumulate in float64 and are narrowed with a range check (no wrap).
  if (outDtype === "int32" && (op === "sum" || op === "prod")) {
    const wide = reduce(op, x, axes, "float64");
    return new NDArray("int32", wide.shape, narrowToInt32(wide.data, `reduce_${op}`));
  }
  const reduced = new Set(axes);
  const outShape = x.shape.filter((_, d) => !reduced.has(d));
  const outStridesDense = stridesOf(outShape);
  const outStrides: number[] = [];
  let k = 0;
  for (let d = 0; d < x.ndim; d++) outStrides.push(reduced.has(d) ? 0 : outStridesDense[k++]);
  const out = allocData(
    outDtype,
    outShape.reduce((a, b) => a * b, 1),
  );
  out.fill(identity(op, outDtype));
  const src = x.data;
  const n = src.length;
  if (n === 0) return new NDArray(outDtype, outShape, out);
  const [shape, [, sOut]] = collapse(x.shape, [stridesOf(x.shape), outStrides]);
  const nd = shape.length;
  const inner = nd === 0 ? 1 : shape[nd - 1];
  const so = nd === 0 ? 0 : sOut[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let oBase = 0;
  for (let i0 = 0; i0 < n; i0 += inner) {
    if (so === 0) {
      let acc = out[oBase];
      // prettier-ignore
      switch (op) {
        case "sum": for (let i = 0; i < inner; i++) acc += src[i0 + i]; break;
        case "prod": for (let i = 0; i < inner; i++) acc *= src[i0 + i]; break;
        case "max": for (let i = 0; i < inner; i++) acc = Math.max(acc, src[i0 + i]); break;
        case "min": for (let i = 0; i < inner; i++) acc = Math.min(acc, src[i0 + i]); break;
      }
      out[oBase] = acc;
    } else {
      // prettier-ignore
      switch (op) {
        case "sum": for (let i = 0, p = oBase; i < inner; i++, p += so) out[p] += src[i0 + i]; break;
        case "prod": for (let i = 0, p = oBase; i < inner; i++, p += so) out[p] *= src[i0 + i]; break;
        case "max": for (let i = 0, p = oBase; i < inner; i++, p += so) out[p] = Math.max(out[p], src[i0 + i]); break;
        case "min": for (let i = 0, p = oBase; i < inner; i++, p += so) out[p] = Math.min(out[p], src[i0 + i]); break;
      }
    }
    // The input is contiguous, so only the output offset needs an odometer.
    oBase = advance(idx, shape, sOut, oBase, nd - 2);
  }
  return new NDArray(outDtype, outShape, out);
}

/** Index of the first maximum (or minimum) along `axis`; NaN counts as the extreme, as in NumPy. */
export function argReduce(op: "argmax" | "argmin", x: NDArray, axis: number): NDArray {
  const shape = x.shape;
  const n = shape[axis];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Int32Array(outer * inner);
  const src = x.data;
  const isMax = op === "argmax";
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = src[base];
      let bi = 0;
      if (best === best)
        for (let i = 1; i < n; i++) {
          const v = src[base + i * inner];
          if (v !== v) {
            bi = i;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = i;
          }
        }
      out[o * inner + j] = bi;
    }
  }
  return new NDArray(
    "int32",
    shape.filter((_, d) => d !== axis),
    out,
  );
}

/** Inclusive cumulative sum along `axis`, optionally from the end. */
export function cumsum(x: NDArray, axis: number, reverse: boolean): NDArray {
  if (x.dtype === "int32") {
    const wide = cumsum(new NDArray("float64", x.shape, Float64Array.from(x.data)), axis, reverse);
    return new NDArray("int32", x.shape, narrowToInt32(wide.data, "cumsum"));
  }
  const shape = x.shape;
  const n = shape[axis];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const src = x.data;
  const out = allocData(x.dtype, src.length);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (!reverse) {
      for (let j = 0; j < inner; j++) out[base + j] = src[base + j];
      for (let i = 1; i < n; i++) {
        const r = base + i * inner;
        for (let j = 0; j < inner; j++) out[r + j] = out[r - inner + j] + src[r + j];
      }
    } else if (n > 0) {
      const last = base + (n - 1) * inner;
      for (let j = 0; j < inner; j++) out[last + j] = src[last + j];
      for (let i = n - 2; i >= 0; i--) {
        const r = base + i * inner;
        for (let j = 0; j < inner; j++) out[r + j] = out[r + inner + j] + src[r + j];
      }
    }
  }
  return new NDArray(x.dtype, shape, out);
}
