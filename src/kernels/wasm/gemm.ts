/**
 * The WebAssembly GEMM driver: copies operands into linear memory, has the kernels in module.ts
 * pack and multiply them, and copies C back. Float64 throughout: float32, int32 and bool
 * operands are widened exactly on the way in (`Float64Array.set`) and C is converted on the way
 * out by the rules of a typed-array store, so every dtype gets what the JS loops give.
 *
 * Each element of C is summed over p = 0, 1, …, k−1 in order, with a separate multiply and add
 * (WebAssembly has no fused multiply-add), exactly as the JS kernels do: both paths return
 * identical bits. (The JS gemv, n = 1, groups terms differently; this driver does not take it.)
 *
 * Blocking (Goto and van de Geijn): B is packed once per block of `nc` columns (at most about
 * 8 MiB); A is copied and packed `mc` rows at a time (about 128 KiB, so the chunk stays in L2
 * while every B panel sweeps over it); each 4×4 tile keeps its B panel (k×4) in L1.
 *
 * Epilogue: when B fits one column block (k·n ≤ 2²⁰ elements, every workload here), C is final
 * chunk by chunk of `mc` rows (≤ 128 KiB of A, so a C chunk of at most 512 rows) and the caller's
 * epilogue runs on each chunk right after it is copied out, while it is in cache; otherwise it
 * runs once per batch item.
 */
import type { DataArray } from "../../core/dtype.js";
import type { GemmEpilogue } from "../gemm-js.js";
import * as generated from "./module.js";
import { release, reserve } from "./runtime.js";
import { releasePool, reservePool, runShared } from "../threads/pool.js";
import { CTL } from "../threads/protocol.js";

// Module-local copies: reading an imported binding in a hot loop can cost a getter call when the
// module is transpiled to CommonJS (tsx, some bundlers).
const MR = generated.MR;
const NR = generated.NR;
const B_BLOCK_ELEMENTS = 1 << 20;
const A_CHUNK_ELEMENTS = 1 << 14;
const MAX_CHUNK_ROWS = 512;
/** Products with at least this many multiply-adds (per batch item) are shared with the helper thread. */
export const SHARED_MIN_WORK = 1 << 21;

const up = (x: number, q: number) => Math.ceil(x / q) * q;
/** Regions start on 64-byte boundaries (8 float64s). */
const align = (elements: number) => up(elements, 8);

/**
 * C[b] = A[b]·B[b] for b < batch, A m×k row-major; B k×n row-major, or n×k when `transB`.
 * Returns false, without touching `c`, when the WebAssembly kernels are unavailable.
 */
export function gemmWasm(
  batch: number,
  m: number,
  n: number,
  k: number,
  a: DataArray,
  b: DataArray,
  c: DataArray,
  transB: boolean,
  epilogue?: GemmEpilogue,
): boolean {
  if (batch * m * n === 0) return true;
  if (k === 0) {
    c.fill(0, 0, batch * m * n);
    epilogue?.(0, batch * m * n);
    return true;
  }
  if (m >= 2 * MR && m * n * k >= SHARED_MIN_WORK && gemmShared(batch, m, n, k, a, b, c, transB, epilogue))
    return true;
  // Few rows (a single sample): no A packing, one row of C at a time.
  const few = m < MR;
  const nc = Math.min(up(n, NR), Math.max(NR, Math.floor(B_BLOCK_ELEMENTS / (k * NR)) * NR));
  const mc = few
    ? m
    : Math.min(up(m, MR), Math.max(MR, Math.min(MAX_CHUNK_ROWS, up(A_CHUNK_ELEMENTS / k, MR))));
  // Regions, in float64 elements: B as given, packed B block, A chunk as given, packed A, C chunk.
  const rawB = 0;
  const packedB = rawB + align(k * n);
  const rawA = packedB + align(k * nc);
  const packedA = rawA + align(mc * k);
  const cAt = packedA + (few ? 0 : align(mc * k));
  const w = reserve(8 * (cAt + mc * nc));
  if (w === null) return false;
  // One column block: C is final row chunk by row chunk.
  const rowEpilogue = nc >= n ? epilogue : undefined;
  const { exports: x, f64 } = w;
  // Element (p, j) of B sits at p·rs + j·cs.
  const rs = transB ? 1 : n;
  const cs = transB ? k : 1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * m * k;
    const cOff = bi * m * n;
    f64.set(b.subarray(bi * k * n, (bi + 1) * k * n), rawB);
    for (let jc = 0; jc < n; jc += nc) {
      const cols = Math.min(nc, n - jc);
      const panels = Math.ceil(cols / NR);
      const ldc = panels * NR;
      if (few && !transB && cols === n) {
        // Row-major B can be read as it is.
        f64.set(a.subarray(aOff, aOff + m * k), rawA);
        x.gemm_rows(8 * rawA, 8 * rawB, 8 * cAt, m, n, k);
        c.set(f64.subarray(cAt, cAt + m * n), cOff);
        rowEpilogue?.(cOff, cOff + m * n);
        continue;
      }
      x.pack_b(8 * (rawB + jc * cs), 8 * packedB, k, cols, rs, cs);
      for (let ic = 0; ic < m; ic += mc) {
        const rows = Math.min(mc, m - ic);
        f64.set(a.subarray(aOff + ic * k, aOff + (ic + rows) * k), rawA);
        if (few) x.gemm_tiles1(8 * rawA, 8 * packedB, 8 * cAt, rows, panels, k, ldc, 0);
        else {
          x.pack_a(8 * rawA, 8 * packedA, rows, k, k);
          x.gemm_tiles(8 * packedA, 8 * packedB, 8 * cAt, Math.ceil(rows / MR), panels, k, ldc, 0);
        }
        copyOut(f64, cAt, ldc, c, cOff + ic * n + jc, n, rows, cols);
        rowEpilogue?.(cOff + ic * n, cOff + (ic + rows) * n);
      }
    }
    if (nc < n) epilogue?.(cOff, cOff + m * n);
  }
  release();
  return true;
}

/**
 * As the packed path of `gemmWasm`, on two threads: A is copied whole into shared memory and
 * its row chunks are claimed by whichever thread is free (see ../threads/pool.ts); each thread
 * packs its chunk into its own scratch and writes its rows of C. C is copied out at the end.
 * Returns false when no helper thread is available.
 */
function gemmShared(
  batch: number,
  m: number,
  n: number,
  k: number,
  a: DataArray,
  b: DataArray,
  c: DataArray,
  transB: boolean,
  epilogue: GemmEpilogue | undefined,
): boolean {
  const nc = Math.min(up(n, NR), Math.max(NR, Math.floor(B_BLOCK_ELEMENTS / (k * NR)) * NR));
  let mc = Math.max(MR, Math.min(MAX_CHUNK_ROWS, up(A_CHUNK_ELEMENTS / k, MR)));
  if (Math.ceil(m / mc) > CTL.MAX_BLOCKS) mc = up(Math.ceil(m / CTL.MAX_BLOCKS), MR);
  const nBlocks = Math.ceil(m / mc);
  const rawB = 0;
  const packedB = rawB + align(k * n);
  const rawA = packedB + align(k * nc);
  const cAt = rawA + align(m * k);
  const scratchMain = cAt + align(nBlocks * mc * nc);
  const scratchHelper = scratchMain + align(mc * k);
  const pool = reservePool(8 * (scratchHelper + mc * k));
  if (pool === null) return false;
  const { exports: x, f64 } = pool;
  const rs = transB ? 1 : n;
  const cs = transB ? k : 1;
  for (let bi = 0; bi < batch; bi++) {
    const cOff = bi * m * n;
    f64.set(b.subarray(bi * k * n, (bi + 1) * k * n), rawB);
    f64.set(a.subarray(bi * m * k, (bi + 1) * m * k), rawA);
    for (let jc = 0; jc < n; jc += nc) {
      const cols = Math.min(nc, n - jc);
      const panels = Math.ceil(cols / NR);
      const ldc = panels * NR;
      x.pack_b(8 * (rawB + jc * cs), 8 * packedB, k, cols, rs, cs);
      const params = [8 * packedB, 8 * rawA, 8 * cAt, m, k, ldc, panels, mc, 8 * scratchHelper];
      runShared(pool, CTL.GEMM, nBlocks, params, (blk) => {
        const i0 = blk * mc;
        const rows = Math.min(mc, m - i0);
        x.pack_a(8 * (rawA + i0 * k), 8 * scratchMain, rows, k, k);
        x.gemm_tiles(
          8 * scratchMain,
          8 * packedB,
          8 * (cAt + i0 * ldc),
          Math.ceil(rows / MR),
          panels,
          k,
          ldc,
          0,
        );
      });
      if (epilogue !== undefined && nc >= n)
        // One column block: copy C out chunk by chunk, each finished by the epilogue while in cache.
        for (let i0 = 0; i0 < m; i0 += mc) {
          const rows = Math.min(mc, m - i0);
          copyOut(f64, cAt + i0 * ldc, ldc, c, cOff + i0 * n, n, rows, cols);
          epilogue(cOff + i0 * n, cOff + (i0 + rows) * n);
        }
      else copyOut(f64, cAt, ldc, c, cOff + jc, n, m, cols);
    }
    if (epilogue !== undefined && nc < n) epilogue(cOff, cOff + m * n);
  }
  releasePool();
  return true;
}

/** Copies `rows`×`cols` of the C chunk (row stride `ldc`) into `c` at `cOff` (row stride `n`). */
function copyOut(
  f64: Float64Array,
  at: number,
  ldc: number,
  c: DataArray,
  cOff: number,
  n: number,
  rows: number,
  cols: number,
): void {
  if (ldc === n && cols === n) {
    c.set(f64.subarray(at, at + rows * n), cOff);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const s = at + i * ldc;
    const d = cOff + i * n;
    if (cols >= 32) c.set(f64.subarray(s, s + cols), d);
    else for (let j = 0; j < cols; j++) c[d + j] = f64[s + j];
  }
}
