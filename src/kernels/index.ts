/**
 * Raw numeric loops over typed arrays. Nothing here knows about tracing or derivatives; the
 * primitives in `src/prims` call these as their `impl`. Keeping this boundary narrow is what
 * lets WebAssembly/SIMD or worker-thread kernels replace these later without touching anything
 * above: GEMM runs WebAssembly SIMD kernels when it can (src/kernels/wasm), and large GEMMs and
 * expensive element-wise maps share their work with one helper thread in Node (src/kernels/threads).
 */
export * as elementwise from "./elementwise.js";
export * as reduce from "./reduce.js";
export * as movement from "./movement.js";
export * as gather from "./gather.js";
export * as patches from "./patches.js";
export { gemm } from "./matmul.js";
export { getKernelBackend, setKernelBackend, wasmActive, type KernelBackend } from "./wasm/runtime.js";
export { setKernelThreads, shutdownThreads, threadsActive } from "./threads/pool.js";
