/**
 * GEMM kernels against naive loops, on both paths: the pure-JS kernel and the WebAssembly SIMD
 * driver. Both sum every element of C over p in order with separately rounded multiplies and
 * adds, as the naive loop below does, so results must match it bit for bit (the JS gemv, n = 1,
 * groups four products per addition and is held to the error bound instead).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { allocData, type DataArray, type DType } from "../src/core/dtype.js";
import { gemm, WASM_MIN_WORK } from "../src/kernels/matmul.js";
import { gemmJs } from "../src/kernels/gemm-js.js";
import { gemmWasm } from "../src/kernels/wasm/gemm.js";
import { MR, NR } from "../src/kernels/wasm/module.js";
import {
  backendFromEnv,
  getKernelBackend,
  setKernelBackend,
  wasmActive,
} from "../src/kernels/wasm/runtime.js";
import { moduleSource, kernelBytes } from "../scripts/wasm/module.js";

/** Deterministic pseudo-random values; integers for int32/bool so products are exact. */
function fill(dtype: DType, size: number, seed: number): DataArray {
  const out = allocData(dtype, size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) / 2 ** 32;
    out[i] = dtype === "bool" ? (u < 0.5 ? 1 : 0) : dtype === "int32" ? Math.floor(u * 200) - 100 : u * 2 - 1;
  }
  return out;
}

/** C = A·B in the kernels' summation order, accumulated in float64 and stored once. */
function naive(
  batch: number,
  m: number,
  n: number,
  k: number,
  a: DataArray,
  b: DataArray,
  c: DataArray,
  transB: boolean,
): void {
  for (let bi = 0; bi < batch; bi++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s += a[bi * m * k + i * k + p] * b[bi * k * n + (transB ? j * k + p : p * n + j)];
        c[bi * m * n + i * n + j] = s;
      }
}

/** γ_k Σ|a||b| for each element: the bound any summation order must meet. */
function bound(batch: number, m: number, n: number, k: number, a: DataArray, b: DataArray, transB: boolean) {
  const u = 2 ** -53;
  const gamma = (k * u) / (1 - k * u);
  const abs = (x: DataArray) => Float64Array.from(x, Math.abs);
  const out = new Float64Array(batch * m * n);
  naive(batch, m, n, k, abs(a), abs(b), out, transB);
  return out.map((v) => gamma * v);
}

type Kernel = (...args: Parameters<typeof gemmJs>) => void;

function check(
  kernel: Kernel,
  [batch, m, n, k]: number[],
  { dtype = "float64" as DType, transB = false, seed = 1 } = {},
) {
  const a = fill(dtype, batch * m * k, seed);
  const b = fill(dtype, batch * k * n, seed + 7);
  const want = allocData(dtype, batch * m * n);
  naive(batch, m, n, k, a, b, want, transB);
  // Poison the output: every element must be written.
  const got = allocData(dtype, batch * m * n).fill(dtype === "bool" ? 7 : 12345);
  kernel(batch, m, n, k, a, b, got, transB);
  const where = `${dtype} batch=${batch} m=${m} n=${n} k=${k}${transB ? " transB" : ""}`;
  if (n === 1 && dtype === "float64") {
    // The gemv's grouping differs from the naive order; hold it to the error bound.
    const tol = bound(batch, m, n, k, a, b, transB);
    for (let i = 0; i < got.length; i++)
      expect(Math.abs(got[i] - want[i]), `${where} at ${i}`).toBeLessThanOrEqual(tol[i]);
  } else {
    expect(Array.from(got), where).toEqual(Array.from(want));
  }
}

const wasmKernel: Kernel = (batch, m, n, k, a, b, c, transB) => {
  expect(gemmWasm(batch, m, n, k, a, b, c, transB ?? false)).toBe(true);
};

afterEach(() => setKernelBackend("auto"));

describe("WebAssembly kernels: module", () => {
  it("are available in Node 20 (SIMD) unless switched off", () => {
    expect(getKernelBackend()).toBe(backendFromEnv(process.env));
    setKernelBackend("auto");
    expect(wasmActive()).toBe(true);
    setKernelBackend("js");
    expect(wasmActive()).toBe(false);
  });

  it("GRADLENS_KERNELS=js selects the JS loops", () => {
    expect(backendFromEnv({ GRADLENS_KERNELS: "js" })).toBe("js");
    expect(backendFromEnv({ GRADLENS_KERNELS: "auto" })).toBe("auto");
    expect(backendFromEnv({})).toBe("auto");
    expect(backendFromEnv(undefined)).toBe("auto");
  });

  it("the committed module matches its generator (npx tsx scripts/gen-wasm.ts)", () => {
    const committed = readFileSync(new URL("../src/kernels/wasm/module.ts", import.meta.url), "utf8");
    expect(committed).toBe(moduleSource());
  });

  it("stays under 4 KiB, the most browsers compile synchronously on the main thread", () => {
    expect(kernelBytes().length).toBeLessThan(4096);
  });
});

const BACKENDS = [
  ["JS kernel", gemmJs as Kernel],
  ["WebAssembly driver", wasmKernel],
] as const;

describe.each(BACKENDS)("gemm: %s", (_name, kernel) => {
  it("every m, n, k in 0…9, both B layouts", () => {
    for (let m = 0; m <= 9; m++)
      for (let n = 0; n <= 9; n++)
        for (let k = 0; k <= 9; k++)
          for (const transB of [false, true]) {
            if (kernel === gemmJs && k === 0) continue; // gemm() handles k = 0 before the JS kernel
            check(kernel, [1, m, n, k], { transB, seed: 1 + m * 100 + n * 10 + k });
          }
  });

  it("blocking edges around the tile sizes, batch > 1", () => {
    const sizes = [1, MR - 1, MR, MR + 1, 2 * MR + 3, 17, 64, 65];
    const cols = [1, 2, NR - 1, NR, NR + 1, 8, 63, 130];
    for (const m of sizes)
      for (const n of cols)
        for (const k of [1, 5, 64])
          for (const transB of [false, true]) check(kernel, [3, m, n, k], { transB, seed: m * n + k });
  });

  it("the workload shapes: tall-thin products and single rows", () => {
    const shapes = [
      [1, 600, 8, 64],
      [1, 600, 64, 8],
      [1, 517, 128, 16],
      [1, 300, 64, 64],
      [1, 70, 512, 256],
      [1, 1, 512, 512],
      [1, 2, 256, 512],
      [1, 3, 130, 257],
      [1, 200, 1, 512],
    ];
    for (const s of shapes) for (const transB of [false, true]) check(kernel, s, { transB });
  });

  it("chunks of A rows and blocks of B columns (k·n past one packed block)", () => {
    // k = 2048 packs B 128 columns at a time; m = 70 with k = 2048 copies A 8 rows at a time.
    check(kernel, [2, 70, 300, 2048], { seed: 5 });
    check(kernel, [1, 70, 300, 2048], { transB: true, seed: 6 });
  });

  it("float32, int32 and bool operands give what the JS loops give", () => {
    for (const dtype of ["float32", "int32", "bool"] as DType[])
      for (const s of [
        [1, 7, 9, 5],
        [2, 33, 18, 40],
        [1, 2, 20, 30],
        [1, 40, 1, 12],
      ])
        for (const transB of [false, true]) check(kernel, s, { dtype, transB, seed: s[1] });
  });

  it("int32 products wrap like a typed-array store", () => {
    const a = Int32Array.from([2 ** 30, 2 ** 30, 3, 1, 2, 3, 4, 5]);
    const b = Int32Array.from({ length: 2 * 4 }, () => 3);
    const want = new Int32Array(16);
    naive(1, 4, 4, 2, a, b, want, false);
    const got = new Int32Array(16);
    kernel(1, 4, 4, 2, a, b, got, false);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(got[0]).toBe((2 ** 30 * 3 * 2) | 0);
  });
});

describe("gemm: selection", () => {
  it("uses WebAssembly above the size threshold and JS below it; both agree with the naive loop", () => {
    for (const backend of ["auto", "js"] as const) {
      setKernelBackend(backend);
      check(gemm, [1, 16, 16, 16]); // 4096 multiply-adds: the WebAssembly path when enabled
      check(gemm, [1, 8, 8, 8]); // below WASM_MIN_WORK: always JS
      check(gemm, [2, 3, 4, 0]);
      check(gemm, [1, 0, 4, 3]);
    }
    expect(16 * 16 * 16).toBeGreaterThanOrEqual(WASM_MIN_WORK);
  });

  it("a product needing more than the kept memory still works, and so do later ones", () => {
    // B alone is 3000×3000 float64 = 72 MB, past the 64 MiB that is kept between calls.
    check(gemm, [1, 4, 3000, 3000], { seed: 9 });
    check(gemm, [1, 33, 40, 50], { seed: 10 });
  });
});
