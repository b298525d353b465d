/**
 * Fused GEMM epilogues (src/interp/epilogue.ts): a fused element-wise loop that alone reads a
 * GEMM product runs over each block of rows as soon as GEMM writes it. The same operations on the
 * same values in the same order, so the bits must be those of the program run without epilogues
 * and without fusion — on both kernel backends, through every GEMM path (JS row blocks, the
 * WebAssembly chunk loop, the two-thread path, column-blocked B, n = 1, k = 0, batched).
 */
import { afterEach, describe, expect, it } from "vitest";
import { array, grad, hessian, jacrev, jit, random, tanh, vmap, type Tensor } from "../src/index.js";
import { freshBufferCount } from "../src/core/dtype.js";
import { prepare } from "../src/interp/execute.js";
import { gemm } from "../src/kernels/matmul.js";
import { setKernelBackend } from "../src/kernels/wasm/runtime.js";

afterEach(() => setKernelBackend("auto"));

/** Same bits, with every NaN equal to every NaN (payloads are not portable in JS). */
function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(b.length, what).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!(Object.is(x, y) || (x !== x && y !== y)))
      expect(`${what}[${i}] = ${y}`).toBe(`${what}[${i}] = ${x}`);
  }
}

const dataOf = (o: unknown) => (o as { data: Float64Array }).data;

/** An MLP [sizes…] with tanh between layers, its weights seeded. */
function mlp(sizes: number[], seed = 1) {
  const params = sizes.slice(1).map((fanOut, i) => ({
    W: random.normal([sizes[i], fanOut], { seed: seed + 2 * i, std: 1 / Math.sqrt(sizes[i]) }),
    b: random.normal([fanOut], { seed: seed + 2 * i + 1, std: 0.1 }),
  }));
  return (x: Tensor) =>
    params.reduce((h, { W, b }, i) => {
      const z = h.matmul(W).add(b);
      return i + 1 < params.length ? tanh(z) : z;
    }, x);
}

/** Runs the optimized program with epilogues, without, and unfused, on both backends: one set of bits. */
function expectEpiloguesKeepBits(f: (...xs: Tensor[]) => unknown, xs: Tensor[], minEpilogues = 1) {
  const { optimized } = jit(f).lower(...(xs as []));
  const values = xs.map((x) => (x as unknown as { value: never }).value);
  const withEp = prepare(optimized);
  const without = prepare(optimized, { epilogue: false });
  const unfused = prepare(optimized, { fuse: false });
  expect(withEp.epilogues).toBeGreaterThanOrEqual(minEpilogues);
  expect(without.epilogues).toBe(0);
  const ref = unfused.run(values).map(dataOf);
  for (const backend of ["auto", "js"] as const) {
    setKernelBackend(backend);
    for (const [name, exe] of [
      ["epilogue", withEp],
      ["no epilogue", without],
      ["unfused", unfused],
    ] as const)
      exe.run(values).forEach((o, i) => expectSameBits(ref[i], dataOf(o), `${backend} ${name} out${i}`));
  }
  setKernelBackend("auto");
  return withEp;
}

describe("GEMM epilogues keep the bits", () => {
  it("W1-like per-sample gradient ∂y/∂x, ∂y/∂price, [8,64,64,1]", () => {
    const net = mlp([8, 64, 64, 1]);
    const y = (x: Tensor, p: Tensor) => net(x).reshape([]).add(1).mul(p);
    const X = random.normal([301, 8], { seed: 20 });
    const P = random.uniform([301], { seed: 21, low: 0.5, high: 2 });
    // Forward bias + tanh of both hidden layers and the backward mul(ct, 1 − h²) chains.
    expectEpiloguesKeepBits(vmap(grad(y, { argnums: [0, 1] })) as never, [X, P], 3);
  });

  it("W2-like per-sample Jacobian, [16,128,128,8]", () => {
    const net = mlp([16, 128, 128, 8], 5);
    expectEpiloguesKeepBits(vmap(jacrev(net)) as never, [random.normal([67, 16], { seed: 22 })], 2);
  });

  it("W3-like per-sample Hessian and a W4-like wide gradient", () => {
    const net = mlp([8, 64, 64, 1], 9);
    const y = (x: Tensor, p: Tensor) => net(x).reshape([]).add(1).mul(p);
    const X = random.normal([45, 8], { seed: 23 });
    const P = random.uniform([45], { seed: 24, low: 0.5, high: 2 });
    expectEpiloguesKeepBits(vmap(hessian(y)) as never, [X, P], 1);
    const wide = mlp([96, 160, 160, 1], 11);
    const g = vmap(grad((x: Tensor) => wide(x).reshape([])));
    expectEpiloguesKeepBits(g as never, [random.normal([130, 96], { seed: 25 })], 2);
  });

  it("through every GEMM path: JS row blocks, WebAssembly chunks, two threads, ragged edges", () => {
    // rows × k × n: few rows (gemm_rows), ragged rows past several 64-row JS blocks, more rows
    // than one WebAssembly chunk (512 for k = 8), and a product big enough to share.
    for (const [rows, k, n] of [
      [3, 8, 64],
      [203, 8, 66],
      [1100, 8, 64],
      [700, 64, 64],
    ]) {
      const W = random.normal([k, n], { seed: rows, std: 0.5 });
      const b = random.normal([n], { seed: rows + 1 });
      // The product read twice in the loop (one argument): finished in place all the same.
      const f = (x: Tensor) => tanh(x.matmul(W).add(b)).mul(x.matmul(W).neg());
      const g = (x: Tensor) => x.matmul(W).add(b).mul(2).sub(1);
      const x = random.normal([rows, k], { seed: rows + 2 });
      expectEpiloguesKeepBits(f as never, [x]);
      expectEpiloguesKeepBits(g as never, [x]);
    }
  });

  it("on NaN, ±Inf, ±0 and subnormals in operands and bias", () => {
    const special = [NaN, Infinity, -Infinity, 0, -0, 5e-324, -1e-310, 1e308, -1e308, 1, -2.5, 0.3];
    const rows = 97;
    const k = 12;
    const n = 24;
    const xs = Float64Array.from({ length: rows * k }, (_, i) =>
      i % 7 === 0 ? special[i % 12] : Math.sin(i),
    );
    const ws = Float64Array.from({ length: k * n }, (_, i) =>
      i % 5 === 0 ? special[(i * 5) % 12] : Math.cos(i),
    );
    const bs = Float64Array.from({ length: n }, (_, i) => special[i % 12]);
    const W = array(ws, { shape: [k, n] });
    const b = array(bs);
    const x = array(xs, { shape: [rows, k] });
    const layer = (v: Tensor) => tanh(v.matmul(W).add(b));
    expectEpiloguesKeepBits(layer as never, [x]);
    // The per-row gradient runs the backward chain mul(ct, 1 − h²) on the same specials.
    const perRow = vmap(grad((v: Tensor) => layer(v).sum()));
    expectEpiloguesKeepBits(perRow as never, [x]);
    // All-special products: every element of C is NaN, ±Inf or ±0.
    const sx = array(
      Float64Array.from({ length: 16 * 4 }, (_, i) => special[i % 6]),
      { shape: [16, 4] },
    );
    const sw = array(
      Float64Array.from({ length: 4 * 8 }, (_, i) => special[(i * 7) % 6]),
      { shape: [4, 8] },
    );
    expectEpiloguesKeepBits(
      ((v: Tensor) =>
        v
          .matmul(sw)
          .add(b.reshape([3, 8]).sum({ axis: 0 }))
          .neg()) as never,
      [sx],
    );
  });
});

describe("gemm with an epilogue", () => {
  it("hands over every block once, in order, after it is final, with the plain bits", () => {
    const seen: string[] = [];
    for (const backend of ["auto", "js"] as const) {
      setKernelBackend(backend);
      for (const [batch, m, n, k, transB] of [
        [1, 203, 66, 8, false],
        [3, 70, 64, 16, true],
        [1, 1100, 64, 8, false],
        [1, 600, 64, 64, false],
        [2, 9, 1, 30, false], // n = 1: the JS gemv
        [1, 10, 12, 0, false], // k = 0
        [1, 6, 1100, 1000, false], // B over one column block: once per batch item
      ] as [number, number, number, number, boolean][]) {
        const a = Float64Array.from({ length: batch * m * k }, (_, i) => Math.sin(i + 1));
        const b = Float64Array.from({ length: batch * k * n }, (_, i) => Math.cos(i * 0.7));
        const plain = new Float64Array(batch * m * n);
        gemm(batch, m, n, k, a, b, plain, transB);
        const c = new Float64Array(batch * m * n).fill(NaN);
        const after = new Float64Array(batch * m * n);
        let next = 0;
        gemm(batch, m, n, k, a, b, c, transB, (s, e) => {
          expect(s).toBe(next);
          expect(e).toBeGreaterThan(s);
          // Final when handed over: the epilogue may rewrite it, GEMM never reads it back.
          after.set(c.subarray(s, e), s);
          c.fill(-7, s, e);
          next = e;
        });
        expect(next).toBe(batch * m * n);
        expectSameBits(plain, after, `${backend} ${batch}×${m}×${n}×${k}${transB ? "ᵀ" : ""}`);
        expect(c.every((v) => v === -7)).toBe(true);
        seen.push(backend);
      }
    }
    expect(seen.length).toBe(14);
  });
});

describe("epilogues and the memory plan", () => {
  it("in steady state a call allocates only its outputs, and an epilogue's output leaves fresh", () => {
    const net = mlp([8, 32, 32, 1], 3);
    const f = vmap(grad((x: Tensor) => net(x).reshape([])));
    const X = random.normal([130, 8], { seed: 4 });
    const { optimized } = jit(f).lower(X);
    const exe = prepare(optimized);
    expect(exe.epilogues).toBeGreaterThan(0);
    const value = (X as unknown as { value: never }).value;
    exe.run([value]);
    exe.run([value]);
    const before = freshBufferCount();
    exe.run([value]);
    expect(freshBufferCount() - before).toBe(1);
    // A program whose output is an epilogue's: each call returns its own buffer.
    const W = random.normal([8, 16], { seed: 5 });
    const layer = (x: Tensor) => tanh(x.matmul(W).add(1));
    const lowered = jit(layer).lower(X).optimized;
    const one = prepare(lowered);
    expect(one.epilogues).toBe(1);
    const outs = [0, 1, 2].map(() => one.run([value])[0]);
    expect(new Set(outs.map((o) => o.data.buffer)).size).toBe(3);
    expectSameBits(
      (layer(X) as unknown as { value: { data: Float64Array } }).value.data,
      outs[2].data,
      "layer",
    );
    expectSameBits(outs[0].data, outs[2].data, "repeat");
  });
});
