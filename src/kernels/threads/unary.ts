/**
 * Expensive element-wise functions (tanh, exp, … ~7–25 ns per element) over large arrays, on two
 * threads. Both threads run the same code (our transcendental/ kernels, or the same `Math`
 * function), so the result is bit-for-bit what the single-threaded loop gives. The input is copied once into shared
 * memory (cheap next to the function); blocks the main thread claims read the input and write
 * the output directly, blocks the helper claims are copied back at the end.
 */
import type { DataArray } from "../../core/dtype.js";
import * as own from "../transcendental/index.js";
import { releasePool, reservePool, runShared } from "./pool.js";
import { CTL } from "./protocol.js";
import { UNARY_OPS, type ThreadedUnaryOp } from "./worker-source.js";

/** Arrays at least this long are shared with the helper thread. */
export const SHARED_MIN_ELEMENTS = 1 << 15;
const BLOCK = 1 << 13;

const OP_CODE = new Map<string, number>(UNARY_OPS.map((op, i) => [op, i]));

export function isThreadedUnary(op: string): op is ThreadedUnaryOp {
  return OP_CODE.has(op);
}

/** o[i] = op(a[i]) for i in [start, end); one monomorphic loop per op. */
// prettier-ignore
function mapRange(op: ThreadedUnaryOp, a: DataArray, o: DataArray, start: number, end: number): void {
  switch (op) {
    case "tanh": own.tanhInto(a, o, start, end); break;
    case "exp": own.expInto(a, o, start, end); break;
    case "expm1": own.expm1Into(a, o, start, end); break;
    case "log": own.logInto(a, o, start, end); break;
    case "log1p": own.log1pInto(a, o, start, end); break;
    case "sin": for (let i = start; i < end; i++) o[i] = Math.sin(a[i]); break;
    case "cos": for (let i = start; i < end; i++) o[i] = Math.cos(a[i]); break;
    case "tan": for (let i = start; i < end; i++) o[i] = Math.tan(a[i]); break;
    case "sinh": for (let i = start; i < end; i++) o[i] = Math.sinh(a[i]); break;
    case "cosh": for (let i = start; i < end; i++) o[i] = Math.cosh(a[i]); break;
    case "asin": for (let i = start; i < end; i++) o[i] = Math.asin(a[i]); break;
    case "acos": for (let i = start; i < end; i++) o[i] = Math.acos(a[i]); break;
    case "atan": for (let i = start; i < end; i++) o[i] = Math.atan(a[i]); break;
    case "asinh": for (let i = start; i < end; i++) o[i] = Math.asinh(a[i]); break;
    case "acosh": for (let i = start; i < end; i++) o[i] = Math.acosh(a[i]); break;
    case "atanh": for (let i = start; i < end; i++) o[i] = Math.atanh(a[i]); break;
  }
}

/**
 * o = op(a) element-wise on two threads (a float64 or float32 array into one of the same
 * length). Returns false, having written nothing, when no helper thread is available.
 */
export function unaryShared(op: ThreadedUnaryOp, a: DataArray, o: DataArray): boolean {
  const n = a.length;
  const bs = Math.max(BLOCK, Math.ceil(n / CTL.MAX_BLOCKS));
  const nBlocks = Math.ceil(n / bs);
  const yAt = Math.ceil(n / 8) * 8;
  const pool = reservePool(8 * (yAt + n));
  if (pool === null) return false;
  pool.f64.set(a, 0);
  const flags = runShared(pool, CTL.UNARY, nBlocks, [OP_CODE.get(op)!, 0, yAt, n, bs], (b) =>
    mapRange(op, a, o, b * bs, Math.min(n, (b + 1) * bs)),
  );
  const f64 = pool.f64;
  for (let b = 0; b < nBlocks; b++)
    if (flags[b] === 2) {
      const start = b * bs;
      const end = Math.min(n, start + bs);
      o.set(f64.subarray(yAt + start, yAt + end), start);
    }
  releasePool();
  return true;
}
