/**
 * Loads the WebAssembly kernels (src/kernels/wasm/module.ts) once, on first use, and owns their
 * linear memory. Everything here is synchronous: the module is under 4 KiB, which browsers
 * compile synchronously even on the main thread.
 *
 * Selection: the kernels are used when WebAssembly with SIMD is available, unless the backend is
 * forced to `"js"` by `setKernelBackend("js")` or by the environment variable
 * `GRADLENS_KERNELS=js` (read once, at load). If the module fails to validate or compile
 * (no SIMD, a Content-Security-Policy without 'wasm-unsafe-eval'), the JS loops are used.
 */
import { KERNELS_WASM_BASE64 } from "./module.js";

/** The exports of the kernel module; addresses and sizes are i32 byte offsets and counts. */
export interface WasmKernelExports {
  gemm_tiles(
    a: number,
    b: number,
    c: number,
    mTiles: number,
    nPanels: number,
    k: number,
    ldc: number,
    accumulate: number,
  ): void;
  gemm_tiles1(
    a: number,
    b: number,
    c: number,
    m: number,
    nPanels: number,
    k: number,
    ldc: number,
    accumulate: number,
  ): void;
  pack_a(src: number, dst: number, m: number, k: number, lda: number): void;
  pack_b(src: number, dst: number, k: number, cols: number, rs: number, cs: number): void;
  gemm_rows(a: number, b: number, c: number, m: number, n: number, k: number): void;
}

export interface WasmKernels {
  exports: WasmKernelExports;
  /** A float64 view of the whole linear memory; valid until the next `reserve`. */
  f64: Float64Array;
}

export type KernelBackend = "auto" | "js";

const PAGE = 65536;
/** Linear memory is never shrunk by WebAssembly; past this size it is dropped after the call. */
const KEEP_BYTES = 64 * 1024 * 1024;
/** Largest memory a single call may ask for; bigger products use the JS loops. */
const MAX_BYTES = 1024 * 1024 * 1024;

let backend: KernelBackend = backendFromEnv(
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env,
);
let module: WebAssembly.Module | null | undefined;
let memory: WebAssembly.Memory | null = null;
let kernels: WasmKernels | null = null;

/** `GRADLENS_KERNELS=js` forces the JS loops; anything else (or no environment) means "auto". */
export function backendFromEnv(env: Record<string, string | undefined> | undefined): KernelBackend {
  return env?.GRADLENS_KERNELS === "js" ? "js" : "auto";
}

/** Forces the pure-JS kernels (`"js"`) or lets gradlens use WebAssembly when it can (`"auto"`). */
export function setKernelBackend(b: KernelBackend): void {
  backend = b;
}

export function getKernelBackend(): KernelBackend {
  return backend;
}

/** Whether the WebAssembly kernels would be used by the next call (loads them if needed). */
export function wasmActive(): boolean {
  return backend === "auto" && loadModule() !== null;
}

export function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function loadModule(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  module = null;
  try {
    if (typeof WebAssembly === "object") {
      const bytes = decodeBase64(KERNELS_WASM_BASE64);
      // validate() is false without SIMD support; then the JS loops stay in charge.
      if (WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    }
  } catch {
    module = null;
  }
  return module;
}

/**
 * The kernels with at least `bytes` bytes of linear memory, or null when WebAssembly is off,
 * unavailable, or cannot grow that far. The returned `f64` view must be re-read after every call
 * to `reserve`, since growing memory detaches the old buffer.
 */
export function reserve(bytes: number): WasmKernels | null {
  if (backend !== "auto" || bytes > MAX_BYTES) return null;
  const mod = loadModule();
  if (mod === null) return null;
  try {
    if (memory === null || kernels === null) {
      memory = new WebAssembly.Memory({ initial: Math.max(16, Math.ceil(bytes / PAGE)) });
      const instance = new WebAssembly.Instance(mod, { env: { memory } });
      kernels = {
        exports: instance.exports as unknown as WasmKernelExports,
        f64: new Float64Array(memory.buffer),
      };
    }
    const have = memory.buffer.byteLength;
    if (bytes > have) {
      memory.grow(Math.ceil((bytes - have) / PAGE));
      kernels.f64 = new Float64Array(memory.buffer);
    }
    return kernels;
  } catch {
    return null; // out of memory: the caller falls back to JS
  }
}

/** Drops an oversized linear memory after a large call, so one big product does not pin it. */
export function release(): void {
  if (memory !== null && memory.buffer.byteLength > KEEP_BYTES) {
    memory = null;
    kernels = null;
  }
}
