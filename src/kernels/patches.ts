import { allocData } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";

/**
 * Geometry of a sliding window over the D spatial dims of a channels-last array
 * `[N, S_1..S_D, C]`. Convolution and pooling are written on top of `patches` (im2col) and its
 * transpose, so this one description covers strides, padding, dilation of the kernel
 * (`rhsDilation`) and dilation of the input (`lhsDilation`, which is what a transposed
 * convolution is).
 */
export interface WindowGeometry {
  kernel: number[];
  strides: number[];
  padLo: number[];
  padHi: number[];
  rhsDilation: number[];
  lhsDilation: number[];
}

/** Output spatial sizes O_d of a window over input spatial sizes S_d. */
export function windowOutputShape(spatial: readonly number[], g: WindowGeometry): number[] {
  return spatial.map((s, d) => {
    const dilatedIn = s === 0 ? 0 : (s - 1) * g.lhsDilation[d] + 1;
    const dilatedK = (g.kernel[d] - 1) * g.rhsDilation[d] + 1;
    const span = dilatedIn + g.padLo[d] + g.padHi[d] - dilatedK;
    return span < 0 ? 0 : Math.floor(span / g.strides[d]) + 1;
  });
}

/** For each (output position, kernel offset) pair in one dim, the input index it reads or -1. */
function indexTable(s: number, o: number, d: number, g: WindowGeometry): Int32Array {
  const k = g.kernel[d];
  const t = new Int32Array(o * k);
  const dilatedIn = s === 0 ? 0 : (s - 1) * g.lhsDilation[d] + 1;
  for (let oi = 0; oi < o; oi++)
    for (let ki = 0; ki < k; ki++) {
      const p = oi * g.strides[d] + ki * g.rhsDilation[d] - g.padLo[d];
      t[oi * k + ki] = p >= 0 && p < dilatedIn && p % g.lhsDilation[d] === 0 ? p / g.lhsDilation[d] : -1;
    }
  return t;
}

/**
 * Visits every (n, output position, kernel offset) with the flat input offset it reads (or -1
 * for padding) and the flat patch offset it writes; `visit` moves C channels.
 */
function forEachWindow(
  inShape: readonly number[],
  g: WindowGeometry,
  visit: (inOff: number, patchOff: number, c: number) => void,
): number[] {
  const D = inShape.length - 2;
  const N = inShape[0];
  const C = inShape[D + 1];
  const S = inShape.slice(1, D + 1);
  const O = windowOutputShape(S, g);
  const K = g.kernel;
  const tables = S.map((s, d) => indexTable(s, O[d], d, g));
  const inStrides = new Array<number>(D);
  let st = C;
  for (let d = D - 1; d >= 0; d--) {
    inStrides[d] = st;
    st *= S[d];
  }
  const perN = st;
  const dims = [...O, ...K];
  const total = dims.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(2 * D).fill(0);
  let patchOff = 0;
  for (let n = 0; n < N; n++) {
    idx.fill(0);
    for (let t = 0; t < total; t++) {
      let inOff = n * perN;
      for (let d = 0; d < D; d++) {
        const j = tables[d][idx[d] * K[d] + idx[D + d]];
        if (j < 0) {
          inOff = -1;
          break;
        }
        inOff += j * inStrides[d];
      }
      visit(inOff, patchOff, C);
      patchOff += C;
      for (let d = 2 * D - 1; d >= 0; d--) {
        if (++idx[d] < dims[d]) break;
        idx[d] = 0;
      }
    }
  }
  return [N, ...O, ...K, C];
}

/** im2col: `[N, S.., C]` → `[N, O.., K.., C]`, zeros where the window reads padding. */
export function patches(x: NDArray, g: WindowGeometry): NDArray {
  const D = x.ndim - 2;
  const O = windowOutputShape(x.shape.slice(1, D + 1), g);
  const outShape = [x.shape[0], ...O, ...g.kernel, x.shape[D + 1]];
  const out = allocData(
    x.dtype,
    outShape.reduce((a, b) => a * b, 1),
  );
  const src = x.data;
  forEachWindow(x.shape, g, (inOff, pOff, c) => {
    if (inOff >= 0) for (let j = 0; j < c; j++) out[pOff + j] = src[inOff + j];
  });
  return new NDArray(x.dtype, outShape, out);
}

/** col2im, the transpose of `patches`: sums each patch element back into `[N, S.., C]`. */
export function patchesTranspose(p: NDArray, inShape: readonly number[], g: WindowGeometry): NDArray {
  const out = allocData(
    p.dtype,
    inShape.reduce((a, b) => a * b, 1),
  );
  const src = p.data;
  forEachWindow(inShape, g, (inOff, pOff, c) => {
    if (inOff >= 0) for (let j = 0; j < c; j++) out[inOff + j] += src[pOff + j];
  });
  return new NDArray(p.dtype, inShape, out);
}
