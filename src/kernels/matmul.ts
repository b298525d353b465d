import type { DataArray } from "../core/dtype.js";
import { gemmJs, type GemmEpilogue } from "./gemm-js.js";

export type { GemmEpilogue } from "./gemm-js.js";
import { gemmWasm } from "./wasm/gemm.js";

/**
 * Below this many multiply-adds per batch item, copying operands into WebAssembly memory costs
 * more than it saves and the JS loops run the product.
 */
export const WASM_MIN_WORK = 4096;

/**
 * Batched GEMM on contiguous row-major operands: for each b < batch,
 * C[b] (m×n) = A[b] (m×k) · B[b], where B[b] is stored k×n, or n×k when `transB` (then C = A·Sᵀ
 * for the stored S, which saves the caller a transposing copy). Every element of `c` is written.
 *
 * Runs the WebAssembly SIMD kernels (src/kernels/wasm) when they are available and enabled
 * (see `setKernelBackend`) and the product is big enough, the JS loops otherwise. Both sum each
 * element over p = 0…k−1 in order with rounded multiplies and adds, so they return the same bits;
 * the error bound is the textbook one, |ĉ − c| ≤ γ_k Σ_p |a_ip|·|b_pj| with γ_k = k·u/(1 − k·u).
 * The JS gemv (n = 1) groups four products per addition; it meets the same bound.
 *
 * `epilogue`, when given, is called on consecutive blocks of C (flat offsets, in order, covering
 * it once) as soon as each is final — a block of rows, or a whole batch item where the product is
 * not computed by rows — so element-wise work on C can run while the block is in cache. Blocking
 * never changes how an element is summed: the bits of C are those of a call without it.
 */
export function gemm(
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
  if (batch === 0 || m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, 0, batch * m * n);
    epilogue?.(0, batch * m * n);
    return;
  }
  if (n > 1 && m * n * k >= WASM_MIN_WORK && gemmWasm(batch, m, n, k, a, b, c, transB, epilogue)) return;
  gemmJs(batch, m, n, k, a, b, c, transB, epilogue);
}
