/**
 * The helper thread: large GEMMs and expensive element-wise maps shared between two threads
 * must give exactly the single-threaded bits, a stalled helper must not hang the caller, and a
 * process that used the helper must still exit on its own.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NDArray } from "../src/core/ndarray.js";
import { unary } from "../src/kernels/elementwise.js";
import * as own from "../src/kernels/transcendental/index.js";
import { gemmJs } from "../src/kernels/gemm-js.js";
import { gemm } from "../src/kernels/matmul.js";
import {
  reservePool,
  setKernelThreads,
  shutdownThreads,
  stats,
  testing,
  threadsActive,
  threadsFromEnv,
} from "../src/kernels/threads/pool.js";
import { SHARED_MIN_ELEMENTS } from "../src/kernels/threads/unary.js";
import { SHARED_MIN_WORK } from "../src/kernels/wasm/gemm.js";

/**
 * The helper exists only with two CPUs and the WebAssembly kernels on. Threads are opt-in; this
 * file turns them on (unless GRADLENS_THREADS=0 asks to keep them off).
 */
const multiCore =
  availableParallelism() >= 2 &&
  process.env.GRADLENS_THREADS !== "0" &&
  process.env.GRADLENS_KERNELS !== "js";
if (multiCore) setKernelThreads(true);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function random(
  size: number,
  seed: number,
  Ctor: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array,
) {
  let s = seed >>> 0 || 1;
  const out = new Ctor(size);
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>): number {
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return i;
  return got.length === want.length ? -1 : got.length;
}

/** Runs `f` until the helper has done some blocks (it starts asynchronously), at most ~5 s. */
async function withHelper(f: () => void): Promise<void> {
  const before = stats.helperBlocks;
  for (let i = 0; i < 100; i++) {
    f();
    if (stats.helperBlocks > before) return;
    await sleep(50);
  }
  throw new Error("the helper thread never took a block");
}

afterAll(() => shutdownThreads());

describe("helper thread", () => {
  it("is off unless GRADLENS_THREADS=1", () => {
    expect(threadsFromEnv({ GRADLENS_THREADS: "1" })).toBe(true);
    expect(threadsFromEnv({ GRADLENS_THREADS: "0" })).toBe(false);
    expect(threadsFromEnv({})).toBe(false);
    expect(threadsFromEnv(undefined)).toBe(false);
  });

  it.runIf(multiCore)(
    "shared GEMMs give the single-threaded bits (layouts, batches, column blocks, float32)",
    async () => {
      expect(threadsActive()).toBe(true);
      const shapes = [
        [1, 1000, 64, 64],
        [2, 517, 130, 40],
        [1, 70, 300, 2048], // B packed in three column blocks
        [1, 4100, 33, 17],
      ];
      for (const [batch, m, n, k] of shapes) {
        expect(m * n * k).toBeGreaterThanOrEqual(SHARED_MIN_WORK);
        for (const transB of [false, true])
          for (const Ctor of [Float64Array, Float32Array]) {
            const a = random(batch * m * k, m + k, Ctor);
            const b = random(batch * k * n, n + 1, Ctor);
            const want = new Ctor(batch * m * n);
            gemmJs(batch, m, n, k, a, b, want, transB);
            const got = new Ctor(batch * m * n);
            await withHelper(() => gemm(batch, m, n, k, a, b, got, transB));
            expect(firstMismatch(got, want), `${Ctor.name} [${batch},${m},${n},${k}] transB=${transB}`).toBe(
              -1,
            );
          }
      }
    },
  );

  it.runIf(multiCore)(
    "shared tanh, exp, expm1, log, log1p (ours) and sin (Math) give the single-threaded bits",
    async () => {
      const n = SHARED_MIN_ELEMENTS * 3 + 5;
      for (const [op, f] of [
        ["tanh", own.tanh],
        ["exp", own.exp],
        ["log", own.log],
        ["expm1", own.expm1],
        ["log1p", own.log1p],
        ["sin", Math.sin],
      ] as const)
        for (const dtype of ["float64", "float32"] as const) {
          const Ctor = dtype === "float64" ? Float64Array : Float32Array;
          const data = random(n, 7, Ctor);
          for (let i = 0; i < n; i++) data[i] = op.startsWith("log") ? Math.abs(data[i]) * 10 : data[i] * 5;
          const x = new NDArray(dtype, [n], data);
          const want = new Ctor(n);
          for (let i = 0; i < n; i++) want[i] = f(data[i]);
          let got = x;
          await withHelper(() => {
            got = unary(op, x, dtype);
          });
          expect(firstMismatch(got.data, want), `${op} ${dtype}`).toBe(-1);
        }
    },
  );

  it.runIf(multiCore)(
    "a product past the kept memory drops the shared memory; later products still share",
    async () => {
      const [m, n, k] = [32, 3000, 3000]; // B alone is 72 MB; A in 4 chunks of 8 rows
      const a = random(m * k, 11);
      const b = random(k * n, 12);
      const want = new Float64Array(m * n);
      gemmJs(1, m, n, k, a, b, want);
      const got = new Float64Array(m * n);
      await withHelper(() => gemm(1, m, n, k, a, b, got));
      expect(firstMismatch(got, want)).toBe(-1);
      const [m2, n2, k2] = [1000, 64, 64];
      const a2 = random(m2 * k2, 13);
      const b2 = random(k2 * n2, 14);
      const want2 = new Float64Array(m2 * n2);
      gemmJs(1, m2, n2, k2, a2, b2, want2);
      const got2 = new Float64Array(m2 * n2);
      await withHelper(() => gemm(1, m2, n2, k2, a2, b2, got2));
      expect(firstMismatch(got2, want2)).toBe(-1);
    },
  );

  it.runIf(multiCore)("a process that used the helper exits by itself", () => {
    const matmul = fileURLToPath(new URL("../src/kernels/matmul.ts", import.meta.url));
    const pool = fileURLToPath(new URL("../src/kernels/threads/pool.ts", import.meta.url));
    const code = `
      const { gemm } = await import(${JSON.stringify(matmul)});
      const { stats } = await import(${JSON.stringify(pool)});
      const m = 2000, n = 64, k = 64;
      const a = new Float64Array(m * k).fill(1), b = new Float64Array(k * n).fill(1), c = new Float64Array(m * n);
      for (let i = 0; i < 50 && stats.helperBlocks === 0; i++) {
        gemm(1, m, n, k, a, b, c);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (c[0] !== k) process.exit(3);
      if (stats.helperBlocks === 0) process.exit(4);
    `;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      timeout: 60_000,
      encoding: "utf8",
      env: { ...process.env, GRADLENS_THREADS: "1" },
    });
    expect(r.signal, r.stderr).toBe(null);
    expect(r.status, r.stderr).toBe(0);
  });

  // Last: a stall retires the helper for the rest of this process.
  it.runIf(multiCore)(
    "a stalled helper costs the caller at most the stall timeout, then threads stay off",
    async () => {
      const pool = reservePool(1024)!;
      expect(pool).not.toBe(null);
      await sleep(200); // let the helper start
      testing.setStallTimeout(300);
      const done: number[] = [];
      const t = performance.now();
      // The helper sleeps 3 s on every block it claims; the main thread's blocks take 20 ms.
      const flags = testing.sleepJob(pool, 6, 3000, (b) => {
        const until = performance.now() + 20;
        while (performance.now() < until);
        done.push(b);
      });
      const ms = performance.now() - t;
      expect(ms).toBeLessThan(2500);
      expect(Array.from(flags).every((f) => f === 1)).toBe(true);
      expect([...done].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(threadsActive()).toBe(false);
      // Kernels keep working without the helper.
      const m = 600;
      const a = random(m * 64, 3);
      const b = random(64 * 64, 4);
      const want = new Float64Array(m * 64);
      const got = new Float64Array(m * 64);
      gemmJs(1, m, 64, 64, a, b, want);
      gemm(1, m, 64, 64, a, b, got);
      expect(firstMismatch(got, want)).toBe(-1);
    },
  );
});
