/**
 * The helper thread's program, run with `new Worker(source, { eval: true, execArgv: [] })` so
 * that it needs no file of its own (works the same from src/ under tsx and from dist/) and
 * inherits no loader or `--input-type` flag; it uses no `require` or `import`, so it runs as a
 * script or a module alike. It shares the kernel
 * memory and a control block with the main thread; see pool.ts for the protocol.
 */
import { makeTranscendentals } from "../transcendental/fdlibm.js";
import { MR } from "../wasm/module.js";
import { CTL } from "./protocol.js";

/**
 * Functions a helper may map over memory, by op code (the order is the protocol): ours from
 * transcendental/ for the ops in OWN_KERNEL_OPS (the helper builds its own copy from the
 * factory's source, so both threads run the same code; unary.ts's mapRange must agree),
 * `Math`'s otherwise.
 */
export const UNARY_OPS = [
  "tanh",
  "exp",
  "expm1",
  "log",
  "log1p",
  "sin",
  "cos",
  "tan",
  "sinh",
  "cosh",
  "asin",
  "acos",
  "atan",
  "asinh",
  "acosh",
  "atanh",
] as const;
export type ThreadedUnaryOp = (typeof UNARY_OPS)[number];

/** Threaded ops computed by our own kernels rather than `Math` (see elementwise.ts). */
export const OWN_KERNEL_OPS: readonly ThreadedUnaryOp[] = ["tanh", "exp", "expm1", "log", "log1p"];

export const WORKER_SOURCE = `"use strict";
const { workerData } = process.getBuiltinModule("node:worker_threads");
const { module, memory, ctl } = workerData;
const C = ${JSON.stringify(CTL)};
// esbuild's keepNames (tsx, vitest) puts __name(fn, "fn") calls into the factory's source text.
const __name = (f) => f;
const OWN = (${makeTranscendentals.toString()})();
const mathInto = (f) => (a, o, start, end) => { for (let i = start; i < end; i++) o[i] = f(a[i]); };
const OWN_OPS = ${JSON.stringify(OWN_KERNEL_OPS)};
const OPS = ${JSON.stringify(UNARY_OPS)}.map((name) => (OWN_OPS.includes(name) ? OWN[name + "Into"] : mathInto(Math[name])));
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
let last = 0;
for (;;) {
  const seq = Atomics.load(ctl, C.SEQ);
  if (seq === last || (seq & 1) === 1) {
    Atomics.wait(ctl, C.SEQ, seq);
    continue;
  }
  const kind = Atomics.load(ctl, C.KIND);
  const nBlocks = Atomics.load(ctl, C.NBLOCKS);
  const p = [];
  for (let i = 0; i < C.NPARAMS; i++) p.push(Atomics.load(ctl, C.PARAMS + i));
  if (Atomics.load(ctl, C.SEQ) !== seq) continue; // republished while reading: read again
  last = seq;
  if (kind === C.STOP) break;
  const tag = (seq >>> 1) & C.TAG_MASK;
  const f64 = new Float64Array(memory.buffer);
  for (;;) {
    const v = Atomics.load(ctl, C.NEXT);
    const b = v & C.INDEX_MASK;
    if (v >>> C.TAG_SHIFT !== tag || b >= nBlocks) break;
    if (Atomics.compareExchange(ctl, C.NEXT, v, v + 1) !== v) continue;
    if (kind === C.GEMM) {
      // p: packedB, rawA, c, m, k, ldc, panels, rowsPerBlock, scratch (byte addresses / counts)
      const [packedB, rawA, c, m, k, ldc, panels, mc, scratch] = p;
      const i0 = b * mc;
      const rows = Math.min(mc, m - i0);
      x.pack_a(rawA + 8 * i0 * k, scratch, rows, k, k);
      x.gemm_tiles(scratch, packedB, c + 8 * i0 * ldc, Math.ceil(rows / ${MR}), panels, k, ldc, 0);
    } else if (kind === C.SLEEP) {
      Atomics.wait(ctl, C.IDLE, 0, p[0]);
    } else {
      // p: op, x (float64 index), y (float64 index), n, blockSize
      const [op, xAt, yAt, n, bs] = p;
      const end = Math.min(n, (b + 1) * bs);
      OPS[op](f64.subarray(xAt, xAt + n), f64.subarray(yAt, yAt + n), b * bs, end);
    }
    Atomics.store(ctl, C.FLAGS + b, 2);
    if (Atomics.add(ctl, C.DONE, 1) + 1 === nBlocks) Atomics.notify(ctl, C.DONE);
  }
}
`;
