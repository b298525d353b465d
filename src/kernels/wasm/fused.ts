/**
 * Fused element-wise chains as WebAssembly SIMD kernels, assembled at run time (one small module
 * per chain signature, cached). A chain is a list of steps over f64 values, each reading the
 * chain's inputs or earlier steps; the kernel walks the output two elements (one f64x2) at a
 * time, keeps every intermediate in a register, and writes the last step. Arithmetic is IEEE
 * f64x2 (correctly rounded, never fused), the transcendentals are vmath.ts's lane-wise statements
 * of our scalar kernels, so each element gets the bits the JS loop gives.
 *
 * Inputs are copied into the module's linear memory (dense: one per output element, or scalar:
 * one value splatted to both lanes) and the output copied back; the caller turns a broadcast
 * input into a dense one first. Used only when WebAssembly SIMD validates and the kernel backend
 * is "auto" (runtime.ts): otherwise `compileChain` returns null or the runner returns false and
 * the caller runs its JS loop.
 */
import { assembleModule, simd, uleb, type Code, type FuncSpec } from "./asm.js";
import { getKernelBackend } from "./runtime.js";
import { exp2Table } from "../transcendental/index.js";
import {
  abs,
  add,
  div,
  F,
  fgt,
  flt,
  max,
  min,
  mul,
  neg,
  sel,
  sub,
  TABLE_ADDR,
  TABLE_BYTES,
  VecBuilder,
  VECTOR_OPS,
  withConstantPool,
} from "./vmath.js";

/** Where a step reads a value: the chain's input `input`, or the result of step `step`. */
export type ChainArg = { input: number } | { step: number };
export interface ChainStep {
  prim: string;
  args: ChainArg[];
}
/** "dense": one value per output element, in the output's order; "scalar": one value for all. */
export type ArgKind = "dense" | "scalar";
/**
 * Runs the chain over elements [start, n) (start 0 by default); false when WebAssembly is off or
 * memory cannot grow. `periods[k] > 0` marks a dense input that repeats with that period (a
 * broadcast row: element i is `ins[k][i % period]`), so it is expanded block by block while
 * copying instead of beforehand. `out` may be one of the dense inputs (each block is copied in
 * before it is computed and copied out).
 */
export type ChainRunner = (
  ins: ArrayLike<number>[],
  out: Float64Array,
  n: number,
  periods?: readonly number[],
  start?: number,
) => boolean;

const ARITH: Record<string, (a: Code[]) => Code> = {
  neg: ([x]) => neg(x),
  abs: ([x]) => abs(x),
  // x > 0 ? 1 : x < 0 ? -1 : x
  sign: ([x]) => sel(fgt(x, F(0)), F(1), sel(flt(x, F(0)), F(-1), x)),
  add: ([x, y]) => add(x, y),
  sub: ([x, y]) => sub(x, y),
  mul: ([x, y]) => mul(x, y),
  div: ([x, y]) => div(x, y),
  max: ([x, y]) => max(x, y),
  min: ([x, y]) => min(x, y),
};

/** Whether every step has an f64x2 statement (arithmetic, or a transcendental in VECTOR_OPS). */
export function wasmChainSupported(steps: readonly ChainStep[]): boolean {
  return steps.every((s) => Object.hasOwn(ARITH, s.prim) || Object.hasOwn(VECTOR_OPS, s.prim));
}

/** The module for a chain: `run(nPairs, in_0 … in_{m−1}, out)`, addresses in bytes. */
export function chainModule(steps: readonly ChainStep[], kinds: readonly ArgKind[]): Uint8Array<ArrayBuffer> {
  const m = kinds.length;
  const params: Record<string, "i32"> = { n: "i32" };
  for (let k = 0; k < m; k++) params[`a${k}`] = "i32";
  params.out = "i32";
  const nParams = m + 2;
  const P = nParams; // the byte offset local, right after the parameters
  const getP: Code = [0x20, ...uleb(P)];
  const param = (k: number): Code => [0x20, ...uleb(1 + k)];
  const b = new VecBuilder(nParams + 1);
  const argVals: Code[] = kinds.map((kd, k) => (kd === "scalar" ? b.let([param(k), simd(0x0a, 3, 0)]) : []));
  const head = b.code;
  b.code = [];
  kinds.forEach((kd, k) => {
    if (kd === "dense") argVals[k] = b.let([param(k), getP, 0x6a, simd(0x00, 4, 0)]);
  });
  const vals: Code[] = [];
  withConstantPool(b, () => {
    for (const s of steps) {
      const xs = s.args.map((a) => ("input" in a ? argVals[a.input] : vals[a.step]));
      vals.push(Object.hasOwn(ARITH, s.prim) ? b.let(ARITH[s.prim](xs)) : VECTOR_OPS[s.prim](b, xs[0]));
    }
  });
  const result = vals[vals.length - 1];
  const body = b.code;
  const outAddr: Code = [0x20, ...uleb(nParams - 1)];
  const spec: FuncSpec = {
    name: "run",
    params,
    locals: { p: "i32", ...b.locals },
    body: () => [
      b.constants,
      head,
      // for (p = 0; p < 16·n; p += 16)
      [0x41, 0, 0x21, ...uleb(P)],
      [0x02, 0x40, 0x03, 0x40],
      [getP, [0x20, 0], 0x41, 4, 0x74, 0x4f, 0x0d, 1], // br_if 1 (exit) when p ≥ n·16 (unsigned)
      body,
      [outAddr, getP, 0x6a, result, simd(0x0b, 4, 0)],
      [getP, 0x41, 16, 0x6a, 0x21, ...uleb(P)],
      [0x0c, 0, 0x0b, 0x0b],
    ],
  };
  return assembleModule([spec], 1);
}

let simdOk: boolean | undefined;
/**
 * Whether this engine runs the fused SIMD kernels (WebAssembly with SIMD validates and compiles).
 *
 * @example
 * if (fusedSimdAvailable()) console.log("fused chains run as f64x2 kernels");
 */
export function fusedSimdAvailable(): boolean {
  if (simdOk === undefined)
    simdOk = compileChain([{ prim: "tanh", args: [{ input: 0 }] }], ["dense"]) !== null;
  return simdOk;
}

let enabled = true;
/**
 * Turns the fused SIMD kernels off (`false`: their JS fallbacks run) or back on, leaving the
 * WebAssembly GEMM alone — for measuring one against the other (bench/, tests).
 *
 * @example
 * setFusedWasm(false); // fused chains run their JS loops
 */
export function setFusedWasm(on: boolean): void {
  enabled = on;
}

const PAGE = 65536;
/** Elements per block (32 KiB per array: a few arrays stay in L1/L2 between copy-in, compute and copy-out). */
const BLOCK = 4096;
let memory: WebAssembly.Memory | null = null;
let view: Float64Array = new Float64Array(0);
const cache = new Map<string, ChainRunner | null>();

function ensureMemory(bytes: number): boolean {
  try {
    if (memory === null) {
      memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
      const f = new Float64Array(memory.buffer);
      f.set(exp2Table.head, TABLE_ADDR / 8);
      f.set(exp2Table.tail, TABLE_ADDR / 8 + 64);
    }
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
    return true;
  } catch {
    return false;
  }
}

/**
 * A runner for the chain with these input kinds, or null when the chain has a step without an
 * f64x2 statement, WebAssembly SIMD is unavailable, or the module does not validate. Modules are
 * cached by chain signature (a bounded map).
 */
export function compileChain(steps: readonly ChainStep[], kinds: readonly ArgKind[]): ChainRunner | null {
  if (!wasmChainSupported(steps) || typeof WebAssembly !== "object") return null;
  const key = JSON.stringify([steps, kinds]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let runner: ChainRunner | null = null;
  try {
    const bytes = chainModule(steps, kinds);
    if (WebAssembly.validate(bytes) && ensureMemory(TABLE_BYTES) && memory !== null) {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      const run = inst.exports.run as (...a: number[]) => void;
      const m = kinds.length;
      const addrs = new Array<number>(m + 2);
      runner = (ins, out, n, periods, start = 0) => {
        if (!enabled || getKernelBackend() !== "auto") return false;
        if (start >= n) return true;
        // Blocks of BLOCK elements: each input block is copied in, computed and copied out while
        // it is in cache (one pass over memory instead of three for large arrays).
        const block = Math.min(n - start, BLOCK);
        const pairs = (block + 1) >> 1;
        let at = TABLE_BYTES;
        for (let k = 0; k < m; k++) {
          addrs[k + 1] = at;
          at += kinds[k] === "scalar" ? 16 : pairs * 16;
        }
        addrs[m + 1] = at;
        if (!ensureMemory(at + pairs * 16)) return false;
        const f = view;
        for (let k = 0; k < m; k++) if (kinds[k] === "scalar") f[addrs[k + 1] / 8] = ins[k][0];
        const o = addrs[m + 1] / 8;
        for (let s = start; s < n; s += block) {
          const e = Math.min(n, s + block);
          for (let k = 0; k < m; k++) {
            if (kinds[k] === "scalar") continue;
            const src = ins[k];
            const base = addrs[k + 1] / 8 - s;
            const period = periods?.[k] ?? 0;
            if (period > 0)
              for (let i = s, j = s % period; i < e; i++) {
                f[base + i] = src[j];
                if (++j === period) j = 0;
              }
            else if (src instanceof Float64Array) f.set(src.subarray(s, e), base + s);
            else for (let i = s; i < e; i++) f[base + i] = src[i];
          }
          addrs[0] = (e - s + 1) >> 1;
          run(...addrs);
          out.set(f.subarray(o, o + e - s), s);
        }
        return true;
      };
    }
  } catch {
    runner = null;
  }
  // One module per chain signature; the bound keeps a process that compiles many programs small.
  if (cache.size >= 256) cache.clear();
  cache.set(key, runner);
  return runner;
}
