/**
 * One helper thread for large kernels, in Node only (`node:worker_threads`, obtained
 * synchronously with `process.getBuiltinModule`, Node ≥ 20.16). Kernels stay synchronous: the
 * main thread publishes a job in shared memory, works on it itself, and blocks in
 * `Atomics.wait` only for blocks the helper has already claimed. Blocks are claimed one at a
 * time by whichever thread is free (work sharing), so a helper that is slow, busy or not yet
 * started costs nothing but its own blocks: if the machine is loaded the main thread simply
 * does more of the work.
 *
 * Safety: the helper is `unref()`ed, so it never keeps a process alive. If it has not finished a
 * claimed block within 5 s, the main thread computes the unfinished blocks itself, stops
 * the helper and drops the shared memory (a stalled helper can then write only to memory
 * nothing reads), and threads stay off for the rest of the process.
 *
 * Opt-in: on with `GRADLENS_THREADS=1` or `setKernelThreads(true)`. On the shared 2-vCPU bench
 * machine, whose other core was mostly busy with other work, the gain was not robust (0.85–1.48×
 * per workload, bench/RESULTS.md), so it is off by default. Never on in browsers (the main
 * thread may not `Atomics.wait`), on one-CPU machines, or when the kernel backend is "js".
 */
import { KERNELS_WASM_SHARED_BASE64 } from "../wasm/module.js";
import { decodeBase64, getKernelBackend, type WasmKernelExports } from "../wasm/runtime.js";
import { CTL } from "./protocol.js";
import { WORKER_SOURCE } from "./worker-source.js";

const PAGE = 65536;
/** The shared memory reserves this much address space up front and never grows past it. */
const SHARED_MAX_BYTES = 512 * 1024 * 1024;
/** How long the main thread waits on a claimed block before taking the work back. */
let stallMs = 5000;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: "error" | "exit", listener: () => void): void;
}
type WorkerCtor = new (
  src: string,
  opts: { eval: true; execArgv: string[]; workerData: unknown },
) => WorkerLike;

export interface Pool {
  exports: WasmKernelExports;
  /** A float64 view of the shared memory; re-read after every `reserve`. */
  f64: Float64Array;
}

interface State extends Pool {
  memory: WebAssembly.Memory;
  ctl: Int32Array;
  worker: WorkerLike;
  seq: number;
}

let enabled = threadsFromEnv(
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env,
);
let state: State | null = null;
/** Set once starting a helper failed or a helper stalled: no more attempts. */
let broken = false;
/** Experiments: run single-threaded without stopping the helper. */
let paused = false;

/** `GRADLENS_THREADS=1` turns the helper thread on (it is off by default). */
export function threadsFromEnv(env: Record<string, string | undefined> | undefined): boolean {
  return env?.GRADLENS_THREADS === "1";
}

/** Allows (`true`) or forbids (`false`, the default) a helper thread for large kernels. */
export function setKernelThreads(on: boolean): void {
  enabled = on;
  if (!on) shutdownThreads();
}

/** Whether large kernels would currently run on two threads (starts the helper if needed). */
export function threadsActive(): boolean {
  return reservePool(0) !== null;
}

/** Past this size the shared memory is dropped after a job (with its helper, restarted on demand). */
const KEEP_BYTES = 64 * 1024 * 1024;

/** Call after a job: an oversized shared memory is not kept (WebAssembly memory never shrinks). */
export function releasePool(): void {
  if (state !== null && state.memory.buffer.byteLength > KEEP_BYTES) shutdownThreads();
}

/** Stops the helper thread (it is restarted on demand if threads are still enabled). */
export function shutdownThreads(): void {
  if (state === null) return;
  const s = state;
  state = null;
  publish(s, CTL.STOP, 0, []);
  void s.worker.terminate();
}

interface NodeBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

function start(): State | null {
  const proc = (globalThis as { process?: NodeBuiltins }).process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  const os = proc.getBuiltinModule("node:os") as { availableParallelism?: () => number } | undefined;
  if ((os?.availableParallelism?.() ?? 1) < 2) return null;
  const wt = proc.getBuiltinModule("node:worker_threads") as { Worker: WorkerCtor } | undefined;
  if (!wt?.Worker) return null;
  const bytes = decodeBase64(KERNELS_WASM_SHARED_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_BYTES / PAGE, shared: true });
  const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL.SIZE));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const worker = new wt.Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { module, memory, ctl },
  });
  worker.unref();
  const s: State = {
    exports: instance.exports as unknown as WasmKernelExports,
    f64: new Float64Array(memory.buffer),
    memory,
    ctl,
    worker,
    seq: 0,
  };
  const lost = () => {
    if (state === s) {
      state = null;
      broken = true;
    }
  };
  worker.on("error", lost);
  worker.on("exit", lost);
  return s;
}

/**
 * The shared kernels with at least `bytes` of memory and a helper thread, or null when threads
 * are off or unavailable (the caller then runs single-threaded).
 */
export function reservePool(bytes: number): Pool | null {
  if (!enabled || broken || paused || getKernelBackend() !== "auto" || bytes > SHARED_MAX_BYTES) return null;
  if (state === null) {
    try {
      state = start();
    } catch {
      state = null;
    }
    if (state === null) {
      broken = true;
      return null;
    }
  }
  const have = state.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      state.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
  }
  if (state.f64.length * 8 !== state.memory.buffer.byteLength)
    state.f64 = new Float64Array(state.memory.buffer);
  return state;
}

function publish(s: State, kind: number, nBlocks: number, params: number[]): number {
  const { ctl } = s;
  Atomics.store(ctl, CTL.SEQ, ++s.seq); // odd: being written
  Atomics.store(ctl, CTL.KIND, kind);
  Atomics.store(ctl, CTL.NBLOCKS, nBlocks);
  for (let i = 0; i < CTL.NPARAMS; i++) Atomics.store(ctl, CTL.PARAMS + i, params[i] ?? 0);
  for (let b = 0; b < nBlocks; b++) Atomics.store(ctl, CTL.FLAGS + b, 0);
  Atomics.store(ctl, CTL.DONE, 0);
  const tag = ((s.seq + 1) >>> 1) & CTL.TAG_MASK;
  Atomics.store(ctl, CTL.NEXT, tag << CTL.TAG_SHIFT);
  Atomics.store(ctl, CTL.SEQ, ++s.seq); // even: published
  Atomics.notify(ctl, CTL.SEQ);
  return tag;
}

/**
 * Runs `nBlocks` blocks of a job on both threads and returns, once all are done, the flags
 * array view (1: block done by `mainBlock` on this thread, 2: done by the helper into shared
 * memory). `params` are the helper's job parameters (see worker-source.ts).
 */
export function runShared(
  pool: Pool,
  kind: typeof CTL.GEMM | typeof CTL.UNARY | typeof CTL.SLEEP,
  nBlocks: number,
  params: number[],
  mainBlock: (b: number) => void,
): Int32Array {
  const s = pool as State;
  if (nBlocks > CTL.MAX_BLOCKS)
    throw new RangeError(`runShared: ${nBlocks} blocks (at most ${CTL.MAX_BLOCKS})`);
  const { ctl } = s;
  const tag = publish(s, kind, nBlocks, params);
  for (;;) {
    const v = Atomics.load(ctl, CTL.NEXT);
    const b = v & CTL.INDEX_MASK;
    if (v >>> CTL.TAG_SHIFT !== tag || b >= nBlocks) break;
    if (Atomics.compareExchange(ctl, CTL.NEXT, v, v + 1) !== v) continue;
    mainBlock(b);
    Atomics.store(ctl, CTL.FLAGS + b, 1);
    Atomics.add(ctl, CTL.DONE, 1);
  }
  const deadline = Date.now() + stallMs;
  for (;;) {
    const done = Atomics.load(ctl, CTL.DONE);
    if (done >= nBlocks) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      takeBack(s, nBlocks, mainBlock);
      break;
    }
    Atomics.wait(ctl, CTL.DONE, done, left);
  }
  const flags = ctl.subarray(CTL.FLAGS, CTL.FLAGS + nBlocks);
  for (let b = 0; b < nBlocks; b++) if (flags[b] === 2) stats.helperBlocks++;
  stats.blocks += nBlocks;
  stats.jobs++;
  return flags;
}

/** Counters since the process started: jobs shared, blocks in them, blocks the helper did. */
export const stats = { jobs: 0, blocks: 0, helperBlocks: 0 };

/** The helper stalled: finish its blocks here, then retire it and its memory for good. */
function takeBack(s: State, nBlocks: number, mainBlock: (b: number) => void): void {
  for (let b = 0; b < nBlocks; b++)
    if (Atomics.load(s.ctl, CTL.FLAGS + b) === 0) {
      mainBlock(b);
      Atomics.store(s.ctl, CTL.FLAGS + b, 1);
    }
  broken = true;
  state = null;
  void s.worker.terminate();
}

/** Hooks for tests: shorten the stall timeout, and make the helper sleep on a block. */
export const testing = {
  /** Single-threaded kernels while `true`, keeping the helper alive (for A/B measurements). */
  setPaused(p: boolean): void {
    paused = p;
  },
  setStallTimeout(ms: number): void {
    stallMs = ms;
  },
  /** A job of `nBlocks` blocks on which the helper sleeps `ms` per block it claims. */
  sleepJob(pool: Pool, nBlocks: number, ms: number, mainBlock: (b: number) => void): Int32Array {
    return runShared(pool, CTL.SLEEP, nBlocks, [ms], mainBlock);
  },
};
