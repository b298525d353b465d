import type { DataArray } from "../core/dtype.js";

/**
 * Batched GEMM on contiguous row-major operands: for each b < batch,
 * C[b] (m×n) = A[b] (m×k) · B[b] (k×n). `c` must be zero-filled.
 *
 * The loop order is i-k-j (the innermost loop streams a row of B and a row of C), blocked over k
 * and j so the working set stays in cache for large matrices, with four rows of C updated per
 * pass so each loaded element of B is used four times. Nothing is allocated in the loops.
 */
export function gemm(
  batch: number,
  m: number,
  n: number,
  k: number,
  a: DataArray,
  b: DataArray,
  c: DataArray,
): void {
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * m * k;
    const bOff = bi * k * n;
    const cOff = bi * m * n;
    if (n === 1) gemv(m, k, a, aOff, b, bOff, c, cOff);
    else gemmBlocked(m, n, k, a, aOff, b, bOff, c, cOff);
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

const KB = 128;
const NB = 256;

function gemmBlocked(
  m: number,
  n: number,
  k: number,
  a: DataArray,
  aOff: number,
  b: DataArray,
  bOff: number,
  c: DataArray,
  cOff: number,
): void {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    for (let p0 = 0; p0 < k; p0 += KB) {
      const p1 = Math.min(k, p0 + KB);
      let i = 0;
      for (; i + 3 < m; i += 4) {
        const c0 = cOff + i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        const a0 = aOff + i * k;
        const a1 = a0 + k;
        const a2 = a1 + k;
        const a3 = a2 + k;
        for (let p = p0; p < p1; p++) {
          const x0 = a[a0 + p];
          const x1 = a[a1 + p];
          const x2 = a[a2 + p];
          const x3 = a[a3 + p];
          const br = bOff + p * n;
          for (let j = j0; j < j1; j++) {
            const y = b[br + j];
            c[c0 + j] += x0 * y;
            c[c1 + j] += x1 * y;
            c[c2 + j] += x2 * y;
            c[c3 + j] += x3 * y;
          }
        }
      }
      for (; i < m; i++) {
        const c0 = cOff + i * n;
        const a0 = aOff + i * k;
        for (let p = p0; p < p1; p++) {
          const x0 = a[a0 + p];
          const br = bOff + p * n;
          for (let j = j0; j < j1; j++) c[c0 + j] += x0 * b[br + j];
        }
      }
    }
  }
}
