import type { DataArray } from "../core/dtype.js";

/**
 * Called by a GEMM with `start`, `end` (flat offsets into C, across the batch) as soon as
 * C[start, end) is final, in increasing order, covering all of C exactly once: the caller applies
 * element-wise work to that block while it is still in cache (a fused epilogue). It may rewrite
 * the block in place; the GEMM never reads C back.
 */
export type GemmEpilogue = (start: number, end: number) => void;

/** Rows of C per epilogue block in the JS loops (a multiple of 4, the micro-kernel's height). */
const EPILOGUE_ROWS = 64;

/**
 * The pure-JS GEMM, used when WebAssembly is unavailable or switched off, and for products too
 * small to pay for copying operands into WebAssembly memory. For each b < batch,
 * C[b] (m×n) = A[b] (m×k) · B[b], with B[b] stored k×n, or n×k when `transB`. Every element of
 * `c` is written (no need to zero it).
 *
 * The core is a 4×4 register-blocked micro-kernel: sixteen accumulators stay in registers while
 * p runs over k, so each step loads 4 values of A and 4 of B for 16 multiply-adds (about 1.8×
 * the throughput of a streaming i-k-j loop in V8). Edges use simple loops. Nothing is allocated.
 * B is read through strides (`bp` between steps of p, `bj` between columns), which covers both
 * layouts. Every element is summed over p in order, as the WebAssembly kernels do (n = 1 aside).
 * With an `epilogue`, it is called on each block of 64 rows of C right after the block is written.
 */
export function gemmJs(
  batch: number,
  m: number,
  n: number,
  k: number,
  a: DataArray,
  b: DataArray,
  c: DataArray,
  transB = false,
  epilogue?: GemmEpilogue,
): void {
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * m * k;
    const bOff = bi * k * n;
    const cOff = bi * m * n;
    // With one column both layouts are the same vector.
    if (n === 1) gemv(m, k, a, aOff, b, bOff, c, cOff);
    else if (epilogue === undefined) gemmBlock(m, n, k, a, aOff, b, bOff, bp, bj, c, cOff);
    else {
      // Row blocks: each row of C is computed by the same loop whichever block it falls in (the
      // block height is a multiple of 4, so the bottom-edge rows stay the bottom edge), so the
      // bits are those of one call over all rows.
      for (let i = 0; i < m; i += EPILOGUE_ROWS) {
        const rows = Math.min(EPILOGUE_ROWS, m - i);
        gemmBlock(rows, n, k, a, aOff + i * k, b, bOff, bp, bj, c, cOff + i * n);
        epilogue(cOff + i * n, cOff + (i + rows) * n);
      }
      continue;
    }
    epilogue?.(cOff, cOff + m * n);
  }
}

/** c = A·b for a single column b: one dot product per row of A, both read contiguously. */
function gemv(
  m: number,
  k: number,
  a: DataArray,
  aOff: number,
  b: DataArray,
  bOff: number,
  c: DataArray,
  cOff: number,
): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const r = aOff + i * k;
    let p = 0;
    for (; p + 3 < k; p += 4)
      s +=
        a[r + p] * b[bOff + p] +
        a[r + p + 1] * b[bOff + p + 1] +
        a[r + p + 2] * b[bOff + p + 2] +
        a[r + p + 3] * b[bOff + p + 3];
    for (; p < k; p++) s += a[r + p] * b[bOff + p];
    c[cOff + i] = s;
  }
}

/** Accumulator row for the bottom edge, kept between calls. */
let row = new Float64Array(64);

function gemmBlock(
  m: number,
  n: number,
  k: number,
  a: DataArray,
  aOff: number,
  b: DataArray,
  bOff: number,
  bp: number,
  bj: number,
  c: DataArray,
  cOff: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0, q = bOff + j * bj; p < k; p++, q += bp) {
        const b0 = b[q];
        const b1 = b[q + bj];
        const b2 = b[q + 2 * bj];
        const b3 = b[q + 3 * bj];
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const x2 = a[a2 + p];
        const x3 = a[a3 + p];
        c00 += x0 * b0;
        c01 += x0 * b1;
        c02 += x0 * b2;
        c03 += x0 * b3;
        c10 += x1 * b0;
        c11 += x1 * b1;
        c12 += x1 * b2;
        c13 += x1 * b3;
        c20 += x2 * b0;
        c21 += x2 * b1;
        c22 += x2 * b2;
        c23 += x2 * b3;
        c30 += x3 * b0;
        c31 += x3 * b1;
        c32 += x3 * b2;
        c33 += x3 * b3;
      }
      let o = cOff + i * n + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += n;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += n;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += n;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
    // Right edge: the last n % 4 columns of these four rows, as dot products.
    for (let j = n4; j < n; j++)
      for (let r = 0; r < 4; r++) {
        const ar = a0 + r * k;
        let s = 0;
        for (let p = 0, q = bOff + j * bj; p < k; p++, q += bp) s += a[ar + p] * b[q];
        c[cOff + (i + r) * n + j] = s;
      }
  }
  // Bottom edge: the last m % 4 rows.
  if (m4 === m) return;
  if (bj !== 1) {
    // B stored transposed: each element is a dot product of two contiguous rows.
    for (let i = m4; i < m; i++) {
      const ar = aOff + i * k;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, q = bOff + j * bj; p < k; p++, q += bp) s += a[ar + p] * b[q];
        c[cOff + i * n + j] = s;
      }
    }
    return;
  }
  // Row-major B: stream its rows into a float64 row (so float32 results are rounded once, at
  // the end, like the rest of C).
  if (row.length < n) row = new Float64Array(n);
  for (let i = m4; i < m; i++) {
    row.fill(0, 0, n);
    const ar = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ar + p];
      const br = bOff + p * bp;
      for (let j = 0; j < n; j++) row[j] += x * b[br + j];
    }
    const cr = cOff + i * n;
    for (let j = 0; j < n; j++) c[cr + j] = row[j];
  }
}
