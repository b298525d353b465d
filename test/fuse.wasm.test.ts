/**
 * Fused element-wise kernels in WebAssembly SIMD (src/kernels/wasm/fused.ts, vmath.ts): every
 * lane-wise transcendental gives the scalar kernel's bits on the accuracy points (special values,
 * subnormals, huge, branch points), and fused programs give the same bits three ways — the
 * WebAssembly loop, its JS fallback, and the unfused kernels.
 */
import { afterEach, describe, expect, it } from "vitest";
import { array, jit, random, vmap, grad, hessian, type Tensor } from "../src/index.js";
import { prepare } from "../src/interp/execute.js";
import { fuseElementwise } from "../src/interp/fuse.js";
import * as T from "../src/kernels/transcendental/index.js";
import { chainModule, compileChain, type ChainStep } from "../src/kernels/wasm/fused.js";
import { setKernelBackend } from "../src/kernels/wasm/runtime.js";
import { VECTOR_OPS } from "../src/kernels/wasm/vmath.js";
import { points, SPECIALS, type KernelName } from "./helpers/ulpPoints.js";

const simd = WebAssembly.validate(chainModule([{ prim: "tanh", args: [{ input: 0 }] }], ["dense"]));

/** Same bits, with every NaN equal to every NaN (payloads are not portable in JS). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!(Object.is(x, y) || (x !== x && y !== y))) return i;
  }
  return a.length === b.length ? -1 : a.length;
}

const SCALAR: Record<string, [KernelName, (x: number) => number]> = {
  exp: ["exp", T.exp],
  expm1: ["expm1", T.expm1],
  log: ["log", T.log],
  log1p: ["log1p", T.log1p],
  tanh: ["tanh", T.tanh],
  logistic: ["sigmoid", T.sigmoid],
  erf: ["erf", T.erf],
};

afterEach(() => setKernelBackend("auto"));

describe.runIf(simd)("f64x2 transcendentals: the scalar kernels' bits", () => {
  it("has a lane-wise statement for each of our seven functions", () => {
    expect(Object.keys(VECTOR_OPS).sort()).toEqual(Object.keys(SCALAR).sort());
  });

  for (const [prim, [name, f]] of Object.entries(SCALAR))
    it(`${prim}: identical on 10^5 points (bit patterns, range, tiny, thresholds, ±0, ±∞, NaN), odd and even counts`, () => {
      const run = compileChain([{ prim, args: [{ input: 0 }] }], ["dense"])!;
      expect(run).not.toBeNull();
      for (const n of [100_001, 100_000]) {
        const xs = Float64Array.from(points(name, n, 0x3f1 + n));
        const got = new Float64Array(n).fill(7);
        expect(run([xs], got, n)).toBe(true);
        const want = xs.map(f);
        const i = firstDifference(got, want);
        expect(i, i < 0 ? "" : `${prim}(${xs[i]}): wasm ${got[i]}, scalar ${want[i]}`).toBe(-1);
      }
      const sp = Float64Array.from(SPECIALS);
      const got = new Float64Array(sp.length);
      run([sp], got, sp.length);
      expect(firstDifference(got, sp.map(f))).toBe(-1);
    });

  it("a chain with arithmetic, a scalar input and two transcendentals matches the scalar composition", () => {
    // out = tanh(x·s + y) − sigmoid(−|x|) · max(y, s)
    const steps: ChainStep[] = [
      { prim: "mul", args: [{ input: 0 }, { input: 1 }] },
      { prim: "add", args: [{ step: 0 }, { input: 2 }] },
      { prim: "tanh", args: [{ step: 1 }] },
      { prim: "abs", args: [{ input: 0 }] },
      { prim: "neg", args: [{ step: 3 }] },
      { prim: "logistic", args: [{ step: 4 }] },
      { prim: "max", args: [{ input: 2 }, { input: 1 }] },
      { prim: "mul", args: [{ step: 5 }, { step: 6 }] },
      { prim: "sub", args: [{ step: 2 }, { step: 7 }] },
      { prim: "sign", args: [{ step: 8 }] },
      { prim: "add", args: [{ step: 8 }, { step: 9 }] },
    ];
    const run = compileChain(steps, ["dense", "scalar", "dense"])!;
    const n = 1001;
    const x = Float64Array.from(points("tanh", n, 5));
    const y = Float64Array.from(points("exp", n, 6));
    for (const s of [0.75, -0, NaN, Infinity]) {
      const got = new Float64Array(n);
      run([x, [s], y], got, n);
      const want = x.map((xi, i) => {
        const v = T.tanh(xi * s + y[i]) - T.sigmoid(-Math.abs(xi)) * Math.max(y[i], s);
        return v + (v > 0 ? 1 : v < 0 ? -1 : v);
      });
      expect(firstDifference(got, want), `s = ${s}`).toBe(-1);
    }
  });

  it("caches one module per chain signature, and steps without a lane-wise form get none", () => {
    const steps: ChainStep[] = [{ prim: "tanh", args: [{ input: 0 }] }];
    expect(compileChain(steps, ["dense"])).toBe(
      compileChain([{ prim: "tanh", args: [{ input: 0 }] }], ["dense"]),
    );
    expect(compileChain(steps, ["scalar"])).not.toBe(compileChain(steps, ["dense"]));
    expect(compileChain([{ prim: "sin", args: [{ input: 0 }] }], ["dense"])).toBeNull();
  });

  it('returns false (the caller runs JS) when the kernel backend is "js"', () => {
    const run = compileChain([{ prim: "tanh", args: [{ input: 0 }] }], ["dense"])!;
    setKernelBackend("js");
    expect(run([new Float64Array([1])], new Float64Array(1), 1)).toBe(false);
  });
});

describe("fused programs with transcendentals: WebAssembly, JS fallback and unfused give the same bits", () => {
  const SPECIAL = [
    -0,
    0,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    -1e-310,
    1e-300,
    710,
    -746,
    22,
    -0.1,
    1e308,
    -1e308,
  ];
  /** Runs a jitted program's optimized form fused (each kernel of each group) and unfused. */
  function threeWays(f: (...xs: Tensor[]) => unknown, ...xs: Tensor[]) {
    const { optimized } = jit(f).lower(...(xs as []));
    const values = xs.map((x) => (x as unknown as { value: never }).value);
    const groups = fuseElementwise(optimized);
    const plain = prepare(optimized, { fuse: false })
      .run(values)
      .map((o) => o.data);
    const fused = prepare(optimized)
      .run(values)
      .map((o) => o.data);
    setKernelBackend("js");
    const js = prepare(optimized)
      .run(values)
      .map((o) => o.data);
    setKernelBackend("auto");
    return { groups, plain, fused, js };
  }
  function expectSame(a: ArrayLike<number>[], b: ArrayLike<number>[], what: string) {
    expect(a.length).toBe(b.length);
    a.forEach((x, k) => {
      const i = firstDifference(x, b[k]);
      expect(i, `${what}: output ${k} element ${i}: ${x[i]} vs ${b[k][i]}`).toBe(-1);
    });
  }

  it("a dense layer with a broadcast bias row: tanh, sigmoid and the rest, on special values", () => {
    const x = array(Float64Array.from([...SPECIAL, ...random.normal([34], { seed: 1 }).data()]), {
      shape: [6, 8],
    });
    const w = random.normal([8, 8], { seed: 2 });
    const b = array([0.5, -0, NaN, 2, -3, 1e-320, 30, -0.01]);
    const f = (a: Tensor) => {
      const z = a.matmul(w).add(b);
      return [
        z.tanh(),
        z.sigmoid().mul(a).sub(a.exp()),
        a.log1p().add(a.abs().log()).mul(a.erf()).sub(a.expm1()),
        a.mul(0.5).erf().add(1),
      ];
    };
    const { groups, plain, fused, js } = threeWays(f, x);
    const kinds = [...groups.values()].map((g) => g.wasmKernel !== null);
    if (simd) expect(kinds).toContain(true); // the tanh and sigmoid chains
    expect(kinds).toContain(false); // the erf chain stays in JS
    expectSame(fused, plain, "fused vs unfused");
    expectSame(js, plain, "JS fallback vs unfused");
    expectSame(
      (f(x) as Tensor[]).map((t) => t.data() as Float64Array),
      fused,
      "eager vs fused",
    );
  });

  it("each group's WebAssembly and JS kernels agree on random and special inputs (broadcast along any axis)", () => {
    const f = (a: Tensor, c: Tensor, s: Tensor) =>
      a.mul(c).add(s).tanh().mul(c).sub(a.neg().sigmoid()).mul(2);
    for (const [sa, sc] of [
      [
        [5, 3, 4],
        [3, 1],
      ],
      [[7], [7]],
      [
        [2, 1, 3],
        [4, 1],
      ],
    ] as number[][][]) {
      const a = random.normal(sa, { seed: 3 }).mul(30);
      const c = array(
        Float64Array.from({ length: sc.reduce((p, q) => p * q, 1) }, (_, i) => SPECIAL[i % SPECIAL.length]),
        { shape: sc },
      );
      const s = array(0.25);
      const { groups, plain, fused, js } = threeWays(f, a, c, s);
      expectSame(fused, plain, `${sa} × ${sc} fused`);
      expectSame(js, plain, `${sa} × ${sc} JS`);
      for (const g of groups.values()) if (simd) expect(g.wasmKernel).not.toBeNull();
    }
  });

  it("the pricing-model-like per-sample gradient and Hessian (tanh MLP) programs keep their bits", () => {
    const W1 = random.normal([3, 16], { seed: 4 });
    const b1 = random.normal([16], { seed: 5 });
    const W2 = random.normal([16, 1], { seed: 6 });
    const y = (x: Tensor, p: Tensor) => x.matmul(W1).add(b1).tanh().matmul(W2).reshape([]).add(1).mul(p);
    const X = random.normal([33, 3], { seed: 7 });
    const P = random.normal([33], { seed: 8 });
    for (const fn of [vmap(grad(y, { argnums: [0, 1] })), vmap(hessian(y))]) {
      const { groups, plain, fused, js } = threeWays(fn as never, X, P);
      if (simd) expect([...groups.values()].some((g) => g.wasmKernel !== null)).toBe(true);
      expectSame(fused, plain, "fused");
      expectSame(js, plain, "JS");
    }
  });
});
