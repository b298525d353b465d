import type { DataArray } from "../core/dtype.js";

/**
 * Strided copy, the workhorse of data movement: reads `src` at `offset + Σ idx[d]·strides[d]` for
 * every index of `shape` in row-major order and writes the values contiguously to `out`.
 * Transpose, slice (with steps), flip and broadcast are all this copy with different strides.
 */
export function stridedCopy(
  src: DataArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  out: DataArray,
): void {
  const [cShape, cStrides] = collapse(shape, [strides]);
  const nd = cShape.length;
  if (nd === 0) {
    if (out.length > 0) out[0] = src[offset];
    return;
  }
  const inner = cShape[nd - 1];
  const s = cStrides[0][nd - 1];
  const total = out.length;
  if (total === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  for (let o = 0; o < total; o += inner) {
    if (s === 1) for (let i = 0; i < inner; i++) out[o + i] = src[base + i];
    else for (let i = 0, p = base; i < inner; i++, p += s) out[o + i] = src[p];
    base = advance(idx, cShape, cStrides[0], base, nd - 2);
  }
}

/**
 * Strided write: the inverse of `stridedCopy`, writing contiguous `src` into `dst` at
 * `offset + Σ idx[d]·strides[d]`. When `accumulate` is set it adds instead of assigning.
 */
export function stridedWrite(
  dst: DataArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  src: DataArray,
  accumulate = false,
): void {
  const [cShape, cStrides] = collapse(shape, [strides]);
  const nd = cShape.length;
  const total = src.length;
  if (total === 0) return;
  if (nd === 0) {
    dst[offset] = accumulate ? dst[offset] + src[0] : src[0];
    return;
  }
  const inner = cShape[nd - 1];
  const s = cStrides[0][nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  for (let o = 0; o < total; o += inner) {
    if (accumulate) for (let i = 0, p = base; i < inner; i++, p += s) dst[p] += src[o + i];
    else for (let i = 0, p = base; i < inner; i++, p += s) dst[p] = src[o + i];
    base = advance(idx, cShape, cStrides[0], base, nd - 2);
  }
}

/**
 * Moves an odometer `idx` over all dims up to `last` (inclusive) by one step, returning the new
 * base offset for one strided array.
 */
export function advance(
  idx: number[],
  shape: readonly number[],
  strides: readonly number[],
  base: number,
  last: number,
): number {
  for (let d = last; d >= 0; d--) {
    idx[d]++;
    base += strides[d];
    if (idx[d] < shape[d]) return base;
    base -= strides[d] * shape[d];
    idx[d] = 0;
  }
  return base;
}

/**
 * Merges adjacent dimensions that every strided operand walks contiguously relative to each
 * other, and drops size-1 dims, so the loops above run over as few, as long rows as possible.
 */
export function collapse(
  shape: readonly number[],
  stridesList: readonly (readonly number[])[],
): [number[], number[][]] {
  const dims: number[] = [];
  const strides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const n = dims.length;
    if (n > 0 && stridesList.every((s, k) => strides[k][n - 1] === s[d] * shape[d])) {
      dims[n - 1] *= shape[d];
      stridesList.forEach((s, k) => (strides[k][n - 1] = s[d]));
    } else {
      dims.push(shape[d]);
      stridesList.forEach((s, k) => strides[k].push(s[d]));
    }
  }
  return [dims, strides];
}
