import { allocData } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { broadcastStrides, sizeOf, stridesOf } from "../core/shape.js";
import { stridedCopy, stridedWrite } from "./strided.js";

/** Axis permutation: out.shape[i] = x.shape[perm[i]]. */
export function transpose(x: NDArray, perm: readonly number[]): NDArray {
  if (perm.every((p, i) => p === i)) return x;
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]);
  const out = allocData(x.dtype, x.size);
  stridedCopy(
    x.data,
    0,
    perm.map((p) => strides[p]),
    shape,
    out,
  );
  return new NDArray(x.dtype, shape, out);
}

/** NumPy `broadcast_to`. */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  const out = allocData(x.dtype, sizeOf(shape));
  stridedCopy(x.data, 0, broadcastStrides(x.shape, shape), shape, out);
  return new NDArray(x.dtype, shape, out);
}

/** `x[start:stop:step]` per axis (steps ≥ 1; `stop` already clipped so the result is non-empty or 0). */
export function slice(
  x: NDArray,
  start: readonly number[],
  step: readonly number[],
  outShape: readonly number[],
): NDArray {
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < x.ndim; d++) offset += start[d] * strides[d];
  const out = allocData(x.dtype, sizeOf(outShape));
  if (out.length > 0)
    stridedCopy(
      x.data,
      offset,
      strides.map((s, d) => s * step[d]),
      outShape,
      out,
    );
  return new NDArray(x.dtype, outShape, out);
}

/** Reverses the order of elements along `axes`. */
export function rev(x: NDArray, axes: readonly number[]): NDArray {
  const strides = stridesOf(x.shape);
  let offset = 0;
  const s = strides.slice();
  for (const a of axes) {
    if (x.shape[a] > 0) offset += (x.shape[a] - 1) * strides[a];
    s[a] = -strides[a];
  }
  const out = allocData(x.dtype, x.size);
  if (out.length > 0) stridedCopy(x.data, offset, s, x.shape, out);
  return new NDArray(x.dtype, x.shape, out);
}

/**
 * Pads with `value`: `lo[d]`/`hi[d]` elements before/after, and `interior[d]` between adjacent
 * elements (interior padding is what a transposed strided slice needs).
 */
export function pad(
  x: NDArray,
  lo: readonly number[],
  hi: readonly number[],
  interior: readonly number[],
  value: number,
): NDArray {
  const shape = x.shape.map((n, d) => (n === 0 ? 0 : n + (n - 1) * interior[d]) + lo[d] + hi[d]);
  const out = allocData(x.dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  const strides = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += lo[d] * strides[d];
  if (x.size > 0)
    stridedWrite(
      out,
      offset,
      strides.map((s, d) => s * (interior[d] + 1)),
      x.shape,
      x.data,
    );
  return new NDArray(x.dtype, shape, out);
}

/** Joins arrays along `axis` (shapes already checked). */
export function concatenate(xs: readonly NDArray[], axis: number): NDArray {
  const shape = xs[0].shape.slice();
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
  const out = allocData(xs[0].dtype, sizeOf(shape));
  const strides = stridesOf(shape);
  let offset = 0;
  for (const x of xs) {
    if (x.size > 0) stridedWrite(out, offset, strides, x.shape, x.data);
    offset += x.shape[axis] * strides[axis];
  }
  return new NDArray(xs[0].dtype, shape, out);
}
