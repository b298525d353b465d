/**
 * Naive reference implementations of every primitive, written as plain index loops with no
 * strides, no collapsing and no blocking, so they share no code (and no bugs) with the kernels.
 */
import { allocData, type DType } from "../../src/core/dtype.js";
import { NDArray } from "../../src/core/ndarray.js";
import type { WindowGeometry } from "../../src/kernels/patches.js";

export type Index = number[];

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Row-major flat offset of `idx` in `shape`. */
export function offsetOf(shape: readonly number[], idx: readonly number[]): number {
  let o = 0;
  for (let d = 0; d < shape.length; d++) o = o * shape[d] + idx[d];
  return o;
}

/** Every index of `shape`, in row-major order. */
export function* indices(shape: readonly number[]): Generator<Index> {
  const n = sizeOf(shape);
  const idx = shape.map(() => 0);
  for (let k = 0; k < n; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export const at = (x: NDArray, idx: readonly number[]) => x.data[offsetOf(x.shape, idx)];

/** Builds an array by evaluating `f` at every index. */
export function build(shape: readonly number[], dtype: DType, f: (idx: Index) => number): NDArray {
  const out = allocData(dtype, sizeOf(shape));
  let k = 0;
  for (const idx of indices(shape)) {
    const v = f(idx);
    out[k++] = dtype === "bool" ? (v ? 1 : 0) : v;
  }
  return new NDArray(dtype, shape.slice(), out);
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`naive: cannot broadcast ${a} with ${b}`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of `x` that broadcasting maps to output index `idx`. */
export function bcAt(x: NDArray, idx: readonly number[]): number {
  const off = idx.length - x.ndim;
  return at(
    x,
    x.shape.map((n, d) => (n === 1 ? 0 : idx[off + d])),
  );
}

export function mapUnary(x: NDArray, f: (v: number) => number, dtype: DType = x.dtype): NDArray {
  return build(x.shape, dtype, (i) => f(at(x, i)));
}

export function mapBinary(
  x: NDArray,
  y: NDArray,
  f: (a: number, b: number) => number,
  dtype: DType,
): NDArray {
  return build(broadcastShape(x.shape, y.shape), dtype, (i) => f(bcAt(x, i), bcAt(y, i)));
}

/** erf by Simpson's rule on 2/√π·e^{−t²} over [0, x] (accurate to ~1e-15 for |x| ≤ 4). */
export function erfRef(x: number): number {
  const n = 20000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

/** erfc by Simpson's rule on the tail ∫ₓ^{x+9} (no cancellation for x > 0); erfc(−x) = 2 − erfc(x). */
export function erfcRef(x: number): number {
  if (x < 0) return 2 - erfcRef(-x);
  const n = 20000;
  const h = 9 / n;
  const f = (t: number) => Math.exp(-t * t);
  let s = f(x) + f(x + 9);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(x + i * h);
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

/** Reduces over `axes` with `f` starting from the first element (no identity needed). */
export function reduceRef(
  x: NDArray,
  axes: readonly number[],
  f: (acc: number, v: number) => number,
): NDArray {
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  const redShape = axes.map((a) => x.shape[a]);
  return build(outShape, x.dtype, (o) => {
    let acc: number | null = null;
    for (const r of indices(redShape)) {
      const full: number[] = [];
      let ko = 0;
      let kr = 0;
      for (let d = 0; d < x.ndim; d++) full.push(axes.includes(d) ? r[kr++] : o[ko++]);
      const v = at(x, full);
      acc = acc === null ? v : f(acc, v);
    }
    return acc ?? 0;
  });
}

export function argRef(x: NDArray, axis: number, better: (a: number, b: number) => boolean): NDArray {
  const outShape = x.shape.filter((_, d) => d !== axis);
  return build(outShape, "int32", (o) => {
    let best = 0;
    const full = (i: number) => [...o.slice(0, axis), i, ...o.slice(axis)];
    for (let i = 1; i < x.shape[axis]; i++) if (better(at(x, full(i)), at(x, full(best)))) best = i;
    return best;
  });
}

/** XLA DotGeneral by definition: out[batch, xfree, yfree] = Σ_contract x·y. */
export function dotGeneralRef(
  x: NDArray,
  y: NDArray,
  contract: [number[], number[]],
  batch: [number[], number[]],
): NDArray {
  const [xc, yc] = contract;
  const [xb, yb] = batch;
  const xf = x.shape.map((_, d) => d).filter((d) => !xc.includes(d) && !xb.includes(d));
  const yf = y.shape.map((_, d) => d).filter((d) => !yc.includes(d) && !yb.includes(d));
  const outShape = [...xb.map((d) => x.shape[d]), ...xf.map((d) => x.shape[d]), ...yf.map((d) => y.shape[d])];
  const cShape = xc.map((d) => x.shape[d]);
  return build(outShape, x.dtype, (o) => {
    const b = o.slice(0, xb.length);
    const fx = o.slice(xb.length, xb.length + xf.length);
    const fy = o.slice(xb.length + xf.length);
    let s = 0;
    for (const c of indices(cShape)) {
      const ix = x.shape.map(() => 0);
      const iy = y.shape.map(() => 0);
      xb.forEach((d, i) => (ix[d] = b[i]));
      yb.forEach((d, i) => (iy[d] = b[i]));
      xf.forEach((d, i) => (ix[d] = fx[i]));
      yf.forEach((d, i) => (iy[d] = fy[i]));
      xc.forEach((d, i) => (ix[d] = c[i]));
      yc.forEach((d, i) => (iy[d] = c[i]));
      s += at(x, ix) * at(y, iy);
    }
    return s;
  });
}

export const transposeRef = (x: NDArray, perm: readonly number[]) =>
  build(
    perm.map((p) => x.shape[p]),
    x.dtype,
    (o) => {
      const idx = x.shape.map(() => 0);
      perm.forEach((p, i) => (idx[p] = o[i]));
      return at(x, idx);
    },
  );

export const broadcastRef = (x: NDArray, shape: readonly number[]) =>
  build(shape, x.dtype, (o) => bcAt(x, o));

export const sliceRef = (x: NDArray, start: number[], stop: number[], step: number[]) =>
  build(
    start.map((s, d) => Math.max(0, Math.ceil((stop[d] - s) / step[d]))),
    x.dtype,
    (o) =>
      at(
        x,
        o.map((i, d) => start[d] + i * step[d]),
      ),
  );

export function padRef(x: NDArray, lo: number[], hi: number[], interior: number[], value: number): NDArray {
  const shape = x.shape.map((n, d) => lo[d] + hi[d] + (n === 0 ? 0 : n + (n - 1) * interior[d]));
  return build(shape, x.dtype, (o) => {
    const src: number[] = [];
    for (let d = 0; d < x.ndim; d++) {
      const p = o[d] - lo[d];
      if (p < 0 || p % (interior[d] + 1) !== 0 || p / (interior[d] + 1) >= x.shape[d]) return value;
      src.push(p / (interior[d] + 1));
    }
    return at(x, src);
  });
}

export function concatenateRef(xs: NDArray[], axis: number): NDArray {
  const shape = xs[0].shape.slice();
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
  return build(shape, xs[0].dtype, (o) => {
    let i = o[axis];
    for (const x of xs) {
      if (i < x.shape[axis])
        return at(
          x,
          o.map((v, d) => (d === axis ? i : v)),
        );
      i -= x.shape[axis];
    }
    throw new Error("unreachable");
  });
}

export const revRef = (x: NDArray, axes: number[]) =>
  build(x.shape, x.dtype, (o) =>
    at(
      x,
      o.map((v, d) => (axes.includes(d) ? x.shape[d] - 1 - v : v)),
    ),
  );

const wrap = (i: number, n: number) => (i < 0 ? i + n : i);

export function gatherRef(x: NDArray, idx: NDArray, axis: number): NDArray {
  const r = idx.ndim;
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  return build(shape, x.dtype, (o) => {
    const i = wrap(at(idx, o.slice(axis, axis + r)), x.shape[axis]);
    return at(x, [...o.slice(0, axis), i, ...o.slice(axis + r)]);
  });
}

export function scatterAddRef(op: NDArray, idx: NDArray, upd: NDArray, axis: number): NDArray {
  const out = new NDArray(op.dtype, op.shape.slice(), op.data.slice());
  const r = idx.ndim;
  for (const u of indices(upd.shape)) {
    const i = wrap(at(idx, u.slice(axis, axis + r)), op.shape[axis]);
    const dst = [...u.slice(0, axis), i, ...u.slice(axis + r)];
    out.data[offsetOf(op.shape, dst)] += at(upd, u);
  }
  return out;
}

export function cumsumRef(x: NDArray, axis: number, reverse: boolean): NDArray {
  return build(x.shape, x.dtype, (o) => {
    let s = 0;
    const n = x.shape[axis];
    for (let i = 0; i < n; i++) {
      const inRange = reverse ? i >= o[axis] : i <= o[axis];
      if (inRange)
        s += at(
          x,
          o.map((v, d) => (d === axis ? i : v)),
        );
    }
    return s;
  });
}

/** The input position window element (o, k) reads along one dim, or null for padding/holes. */
function windowSource(o: number, k: number, d: number, size: number, g: WindowGeometry): number | null {
  const p = o * g.strides[d] + k * g.rhsDilation[d] - g.padLo[d];
  if (p < 0 || p % g.lhsDilation[d] !== 0) return null;
  const i = p / g.lhsDilation[d];
  return i < size ? i : null;
}

export function windowOutRef(spatial: readonly number[], g: WindowGeometry): number[] {
  return spatial.map((s, d) => {
    const dilIn = s === 0 ? 0 : (s - 1) * g.lhsDilation[d] + 1;
    const dilK = (g.kernel[d] - 1) * g.rhsDilation[d] + 1;
    const span = dilIn + g.padLo[d] + g.padHi[d] - dilK;
    return span < 0 ? 0 : Math.floor(span / g.strides[d]) + 1;
  });
}

/** im2col by definition: out[n, o.., k.., c] = x[n, src(o, k).., c] or 0. */
export function patchesRef(x: NDArray, g: WindowGeometry): NDArray {
  const D = x.ndim - 2;
  const O = windowOutRef(x.shape.slice(1, D + 1), g);
  const shape = [x.shape[0], ...O, ...g.kernel, x.shape[D + 1]];
  return build(shape, x.dtype, (i) => {
    const src: number[] = [i[0]];
    for (let d = 0; d < D; d++) {
      const s = windowSource(i[1 + d], i[1 + D + d], d, x.shape[1 + d], g);
      if (s === null) return 0;
      src.push(s);
    }
    src.push(i[1 + 2 * D]);
    return at(x, src);
  });
}

/** col2im by definition: the adjoint of `patchesRef`, accumulating each patch entry. */
export function patchesTRef(p: NDArray, inShape: readonly number[], g: WindowGeometry): NDArray {
  const D = inShape.length - 2;
  const out = NDArray.zeros(p.dtype, inShape);
  for (const i of indices(p.shape)) {
    const dst: number[] = [i[0]];
    let ok = true;
    for (let d = 0; d < D && ok; d++) {
      const s = windowSource(i[1 + d], i[1 + D + d], d, inShape[1 + d], g);
      if (s === null) ok = false;
      else dst.push(s);
    }
    if (!ok) continue;
    dst.push(i[1 + 2 * D]);
    out.data[offsetOf(inShape, dst)] += at(p, i);
  }
  return out;
}
