import { describe, expect, it } from "vitest";
import {
  array,
  clearJitCaches,
  grad,
  hessian,
  jacrev,
  jit,
  jvp,
  layers,
  ones,
  random,
  Sequential,
  tanh,
  TracerError,
  ValueError,
  vmap,
  where,
  type Tensor,
} from "../src/index.js";
import { freshBufferCount, isFloat } from "../src/core/dtype.js";
import { prepare } from "../src/interp/execute.js";
import { PRIM_NAMES } from "../src/prims/table.js";
import { bind } from "../src/prims/tensor.js";
import type { PrimName } from "../src/prims/types.js";
import { forSeeds } from "./helpers/gen.js";
import { CASES, type PrimCase } from "./helpers/primCases.js";
import { dce } from "../src/interp/optimize/index.js";
import { Var, type Program } from "../src/interp/program.js";

/** Same shapes, dtypes and bits (Object.is per element: −0 ≠ 0, NaN = NaN) in two trees of tensors. */
function expectBitIdentical(a: unknown, b: unknown, path = "out"): void {
  if (a === null || a === undefined) {
    expect(b, path).toBe(a);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b), path).toBe(true);
    expect((b as unknown[]).length, path).toBe(a.length);
    a.forEach((x, i) => expectBitIdentical(x, (b as unknown[])[i], `${path}[${i}]`));
    return;
  }
  if (a !== null && typeof a === "object" && !("aval" in a)) {
    expect(Object.keys(b as object), path).toEqual(Object.keys(a));
    for (const k of Object.keys(a))
      expectBitIdentical(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
    return;
  }
  const x = a as Tensor;
  const y = b as Tensor;
  expect(y.shape, path).toEqual(x.shape);
  expect(y.dtype, path).toBe(x.dtype);
  const dx = Array.from(x.data());
  const dy = Array.from(y.data());
  const bad = dx.findIndex((v, i) => !Object.is(v, dy[i]));
  expect(bad === -1 ? "identical" : `element ${bad}: ${dx[bad]} vs ${dy[bad]}`, path).toBe("identical");
}

const prims = (p: Program) => p.eqns.map((e) => e.prim);

/** The benchmark pricing model on ONE sample: y = (mlp(x) + 1) · price, mlp [8 → 64 → 64 → 1] tanh. */
function pricing(d = 8) {
  const W1 = random.normal([d, 64], { seed: 1, std: 1 / Math.sqrt(d) });
  const b1 = random.normal([64], { seed: 2, std: 0.1 });
  const W2 = random.normal([64, 64], { seed: 3, std: 1 / 8 });
  const b2 = random.normal([64], { seed: 4, std: 0.1 });
  const W3 = random.normal([64, 1], { seed: 5, std: 1 / 8 });
  const mlp = (x: Tensor) => tanh(tanh(x.matmul(W1).add(b1)).matmul(W2).add(b2)).matmul(W3);
  const y = (x: Tensor, price: Tensor) => mlp(x).reshape([]).add(1).mul(price);
  const X = random.normal([200, d], { seed: 6 });
  const P = random.uniform([200], { seed: 7, low: 0.5, high: 2 });
  return { mlp, y, X, P };
}

describe("jit: same results as without jit", () => {
  const { mlp, y, X, P } = pricing();

  it("an MLP forward pass, bit for bit", () => {
    expectBitIdentical(mlp(X), jit(mlp)(X));
  });

  it("the pricing model's per-sample gradients jit(vmap(grad)), bit for bit", () => {
    const f = vmap(grad(y, { argnums: [0, 1] }));
    expectBitIdentical(f(X, P), jit(f)(X, P));
  });

  it("per-sample Jacobians and Hessians jit(vmap(jacrev)), jit(vmap(hessian)), bit for bit", () => {
    const jac = vmap(jacrev(mlp));
    expectBitIdentical(jac(X), jit(jac)(X));
    const hes = vmap(hessian(y));
    expectBitIdentical(hes(X, P), jit(hes)(X, P));
  });

  it("a Keras Sequential model call and its input gradient, bit for bit", () => {
    const model = new Sequential([
      new layers.Dense({ units: 16, activation: "tanh", inputShape: [4] }),
      new layers.Dense({ units: 3, activation: "softmax" }),
    ]);
    const x = random.normal([32, 4], { seed: 8 });
    const call = (v: Tensor) => model.call(v);
    expectBitIdentical(call(x), jit(call)(x));
    const g = grad((v: Tensor) => call(v).max({ axis: 1 }).sum());
    expectBitIdentical(g(x), jit(g)(x));
  });

  it("a convolutional model with relu, pooling and softmax, and its per-sample input gradients", () => {
    const model = new Sequential([
      new layers.Conv2D({
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        inputShape: [6, 6, 2],
      }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dense({ units: 3, activation: "softmax" }),
    ]);
    const x = random.normal([5, 6, 6, 2], { seed: 9 });
    const call = (v: Tensor) => model.call(v);
    expectBitIdentical(call(x), jit(call)(x));
    const perSample = vmap(grad((v: Tensor) => call(v.reshape([1, 6, 6, 2])).max()));
    expectBitIdentical(perSample(x), jit(perSample)(x));
  });

  it("pytree arguments and outputs, with static non-tensor arguments", () => {
    const f = (p: { w: Tensor; b: [Tensor, Tensor] }, mode: string, scale: number) => {
      const z = p.w.mul(scale).add(p.b[0]);
      return { z: mode === "exp" ? z.exp() : z.sin(), both: [z, p.b[1].neg()] };
    };
    const p = { w: array([1, 2, 3]), b: [array([0.5, -0.5, 0]), array([-0, 1, NaN])] as [Tensor, Tensor] };
    const jf = jit(f);
    expectBitIdentical(f(p, "exp", 2), jf(p, "exp", 2));
    expectBitIdentical(f(p, "sin", 2), jf(p, "sin", 2));
    expectBitIdentical(f(p, "sin", 3), jf(p, "sin", 3));
    // A JS number stays a weakly typed scalar, as without jit: float32 stays float32.
    const p32 = { w: array([1, 2], { dtype: "float32" }), b: [ones([2], { dtype: "float32" }), ones([1])] };
    expect((jf(p32 as never, "exp", 0.1) as { z: Tensor }).z.dtype).toBe("float32");
    expect(jf.cacheStats().misses).toBe(4);
  });

  it("returns inputs passed through, constants and empty subtrees as f does", () => {
    const c = array([1, 2]);
    const f = (x: Tensor) => ({ same: x, k: c.mul(3), none: null, list: [x.add(1)] });
    const x = array([-0, 5]);
    const out = jit(f)(x) as { none: null };
    expect(out.none).toBeNull();
    expectBitIdentical(f(x), out);
    expect(prims(jit(f).lower(x).optimized)).toEqual(["add"]);
  });

  it("keeps −0, NaN and ±Inf exactly as the unjitted kernels do", () => {
    const x = array([-0, 0, NaN, Infinity, -Infinity, 2]);
    // x+0 turns −0 into +0, so it is not an identity and must stay; x·1, x−0, x+(−0) are identities.
    const f = (v: Tensor) => [v.add(0), v.mul(1), v.sub(0), v.add(-0), v.div(1), v.neg().neg()];
    expectBitIdentical(f(x), jit(f)(x));
    const optimized = jit(f).lower(x).optimized;
    // The double negation goes too (it flips the sign bit twice); only x+0 is left.
    expect(prims(optimized)).toEqual(["add"]);
  });

  it("int32 and bool values pass through like float ones", () => {
    const f = (i: Tensor) => [i.add(i).mul(2).add(0), i.greater(0)];
    const i = array([1, -2, 3], { dtype: "int32" });
    expectBitIdentical(f(i), jit(f)(i));
    // The int32 x+0 is dropped (int32 has no −0): one add, one mul and the comparison remain.
    const kept = prims(jit(f).lower(i).optimized);
    expect(kept).toHaveLength(3);
    expect(kept.filter((p) => p === "add" || p === "mul").sort()).toEqual(["add", "mul"]);
  });
});

describe("jit: composition with the other transforms", () => {
  const { y, X, P } = pricing();
  const x0 = array(Array.from(X.data()).slice(0, 8));
  const p0 = array(P.data()[0]);

  it("grad(jit(f)) and jit(grad(f)) equal grad(f)", () => {
    const g = grad(y, { argnums: [0, 1] });
    expectBitIdentical(g(x0, p0), grad(jit(y), { argnums: [0, 1] })(x0, p0));
    expectBitIdentical(g(x0, p0), jit(g)(x0, p0));
  });

  it("vmap(jit(f)), jit(jit(f)), hessian(jit(f)), jvp(jit(f)) equal the unjitted forms", () => {
    expectBitIdentical(vmap(y)(X, P), vmap(jit(y))(X, P));
    expectBitIdentical(y(x0, p0), jit(jit(y))(x0, p0));
    expectBitIdentical(hessian(y)(x0, p0), hessian(jit(y))(x0, p0));
    const v = ones([8]);
    expectBitIdentical(
      jvp((x: Tensor) => y(x, p0), [x0], [v]),
      jvp(
        jit((x: Tensor) => y(x, p0)),
        [x0],
        [v],
      ),
    );
    const per = vmap(grad(y, { argnums: [0, 1] }));
    expectBitIdentical(per(X, P), jit(vmap(jit(grad(jit(y), { argnums: [0, 1] }))))(X, P));
  });

  it("a jitted function closing over an outer tracer is traced through, not cached", () => {
    const c = array([1, 2, 3]);
    const inner = jit((v: Tensor, w: Tensor) => v.mul(w).sum());
    let seen: Tensor | null = null;
    const outer = (w: Tensor) => {
      const h = jit((v: Tensor) => v.mul(w).sum()); // closes over w, a tracer of grad
      seen = w;
      return h(c).add(inner(c, w));
    };
    // d/dw [Σ c·w + Σ c·w] = 2c
    expect(grad(outer)(array([0.5, 0.5, 0.5])).toArray()).toEqual([2, 4, 6]);
    expect(seen).not.toBeNull();
    expect(inner.cacheStats().entries).toBe(0);
  });
});

describe("jit: cache", () => {
  it("compiles once per signature: f runs only on a miss", () => {
    let traces = 0;
    const f = jit((x: Tensor) => {
      traces++;
      return x.mul(x);
    });
    f(array([1, 2]));
    f(array([3, 4]));
    expect(f(array([5, 6])).toArray()).toEqual([25, 36]);
    expect(traces).toBe(1);
    expect(f.cacheStats()).toEqual({ hits: 2, misses: 1, evictions: 0, entries: 1, maxSize: 64 });
    f(array([1, 2, 3])); // new shape
    f(array([1, 2], { dtype: "float32" })); // new dtype
    f([array([1, 2])][0].reshape([2, 1])); // new rank
    expect(traces).toBe(4);
    expect(f.cacheStats().entries).toBe(4);
  });

  it("evicts the least recently used signature beyond maxCacheSize", () => {
    const f = jit((x: Tensor) => x.add(1), { maxCacheSize: 2 });
    const a = ones([1]);
    const b = ones([2]);
    const c = ones([3]);
    f(a);
    f(b);
    f(a); // hit: a is now the most recent
    f(c); // evicts b
    expect(f.cacheStats()).toMatchObject({ hits: 1, misses: 3, evictions: 1, entries: 2 });
    f(a); // still cached
    f(b); // recompiled
    expect(f.cacheStats()).toMatchObject({ hits: 2, misses: 4, evictions: 2, entries: 2 });
  });

  it("clears one function's cache, or every cache, and refuses a bad bound", () => {
    const f = jit((x: Tensor) => x.add(1));
    const g = jit((x: Tensor) => x.sub(1));
    f(ones([2]));
    g(ones([2]));
    f.clearCache();
    expect(f.cacheStats()).toMatchObject({ hits: 0, misses: 0, entries: 0 });
    expect(g.cacheStats().entries).toBe(1);
    clearJitCaches();
    expect(g.cacheStats().entries).toBe(0);
    expect(f(ones([2])).toArray()).toEqual([2, 2]);
    expect(() => jit((x: Tensor) => x, { maxCacheSize: 0 })).toThrow(ValueError);
    expect(() => jit((x: Tensor) => x, { maxCacheSize: 1.5 })).toThrow(/maxCacheSize/);
  });

  it("captures closed-over values at compile time until the cache is cleared", () => {
    let w = array(2);
    const f = jit((x: Tensor) => x.mul(w));
    expect(f(array(3)).item()).toBe(6);
    w = array(10);
    expect(f(array(3)).item()).toBe(6);
    f.clearCache();
    expect(f(array(3)).item()).toBe(30);
  });

  it("a failing trace caches nothing and reports the typed error", () => {
    const f = jit((x: Tensor) => x.mul(x.item()));
    expect(() => f(array(2))).toThrow(TracerError);
    expect(f.cacheStats()).toMatchObject({ misses: 0, entries: 0 });
  });
});

describe("jit: program optimizations", () => {
  it("stages only what the outputs need, then removes common subexpressions and identities", () => {
    const f = (x: Tensor) => {
      x.exp(); // dead: never staged (staging walks back from the outputs)
      const a = x.sin();
      const b = x.sin(); // duplicate
      return a.add(b).mul(1).sub(0);
    };
    const x = random.normal([3, 4], { seed: 1 });
    const { staged, optimized } = jit(f).lower(x);
    expect(prims(staged)).toEqual(["sin", "sin", "add", "mul", "sub"]);
    expect(prims(optimized)).toEqual(["sin", "add"]);
    expectBitIdentical(f(x), jit(f)(x));
  });

  it("dead-code elimination drops equations and constants no output reads", () => {
    const a = new Var({ shape: [2], dtype: "float64" });
    const c = new Var({ shape: [2], dtype: "float64" });
    const dead = new Var({ shape: [2], dtype: "float64" });
    const live = new Var({ shape: [2], dtype: "float64" });
    const prog: Program = {
      inVars: [a],
      constVars: [c],
      consts: [ones([2])],
      eqns: [
        { prim: "mul", inputs: [a, c], params: {}, out: dead },
        { prim: "exp", inputs: [a], params: {}, out: live },
      ],
      outs: [live],
    };
    const out = dce(prog);
    expect(prims(out)).toEqual(["exp"]);
    expect(out.constVars).toEqual([]);
    expect(out.consts).toEqual([]);
  });

  it("merges equal small constants so their users are shared", () => {
    const f = (x: Tensor) => x.mul(array(3)).add(x.mul(array(3)));
    const x = array([1, 2]);
    expect(prims(jit(f).lower(x).optimized)).toEqual(["mul", "add"]);
    expectBitIdentical(f(x), jit(f)(x));
    // −0 and +0 are different constants: x·(−0) and x·0 differ for x < 0.
    const g = (v: Tensor) => v.mul(array(-0)).add(v.mul(array(0)));
    expect(prims(jit(g).lower(x).optimized)).toEqual(["mul", "mul", "add"]);
  });

  it("folds a transpose into the dot product it feeds, bit for bit, small (JS) and large (GEMM) shapes", () => {
    for (const [m, k, n] of [
      [3, 4, 5],
      [64, 96, 80],
    ]) {
      const a = random.normal([k, m], { seed: m });
      const b = random.normal([n, k], { seed: n });
      const f = (x: Tensor, w: Tensor) => x.transpose().matmul(w.transpose());
      const { staged, optimized } = jit(f).lower(a, b);
      expect(prims(staged)).toEqual(["transpose", "transpose", "dot_general"]);
      expect(prims(optimized)).toEqual(["dot_general"]);
      expectBitIdentical(f(a, b), jit(f)(a, b));
    }
  });

  it("does the work that depends only on constants once, at compile time", () => {
    const W = random.normal([4, 4], { seed: 2 });
    const f = (x: Tensor) => x.matmul(W.transpose().mul(2).exp());
    const x = random.normal([2, 4], { seed: 3 });
    expect(prims(jit(f).lower(x).staged)).toEqual(["dot_general"]);
    expectBitIdentical(f(x), jit(f)(x));
  });
});

describe("jit: fused element-wise loops and the memory plan", () => {
  /** Runs a jitted program's optimized form fused and unfused on the same concrete inputs. */
  function both(f: (...xs: Tensor[]) => unknown, ...xs: Tensor[]) {
    const { optimized } = jit(f).lower(...(xs as []));
    const values = xs.map((x) => (x as unknown as { value: never }).value);
    const fused = prepare(optimized);
    const plain = prepare(optimized, { fuse: false });
    return { fused, plain, values };
  }
  const asTensors = (outs: unknown[]) =>
    outs.map((o) => array(Array.from((o as { data: Float64Array }).data)));

  it("a chain with scalars, bias rows, select and special values gives the unfused bits", () => {
    const special = [-0, 0, NaN, Infinity, -Infinity, 1e-310, -2.5, 3, 1e308, -1e-320, 7, 0.1];
    const x = array(Float64Array.from(special), { shape: [3, 4] });
    const y = array(Float64Array.from(special).reverse(), { shape: [3, 4] });
    const bias = array([0.5, -0, NaN, 2]);
    const f = (a: Tensor, b: Tensor, c: Tensor) => {
      const z = a.mul(b).add(c).sub(a.div(3)).neg().abs();
      return [z.maximum(a).minimum(b.mul(2)).mul(a.sign()), where(a.greater(b), z.add(c), b.mul(c)).mul(0.5)];
    };
    const { fused, plain, values } = both(f, x, y, bias);
    expect(fused.fusion.loops).toBeGreaterThan(0);
    expectBitIdentical(asTensors(plain.run(values)), asTensors(fused.run(values)));
  });

  it("broadcasts along any axis, and handles scalar and empty outputs", () => {
    const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(b).mul(c).add(a).neg().sub(b.mul(2));
    for (const [sa, sb, sc] of [
      [
        [5, 3, 4],
        [5, 1, 4],
        [3, 1],
      ], // middle-axis and column broadcasts
      [
        [2, 1, 3],
        [1, 4, 1],
        [4, 3],
      ], // every operand broadcast, into [2,4,3]
      [[], [], []], // rank 0
      [[0, 3], [1, 3], [3]], // empty
    ] as number[][][]) {
      const xs = [sa, sb, sc].map((s, k) => random.normal(s, { seed: 10 + k }));
      const { fused, plain, values } = both(f, ...xs);
      expect(fused.fusion.loops).toBe(1);
      expectBitIdentical(asTensors(plain.run(values)), asTensors(fused.run(values)));
      expectBitIdentical(f(xs[0], xs[1], xs[2]), jit(f)(xs[0], xs[1], xs[2]));
    }
  });

  it("fuses through reshapes that only add or drop size-1 dims", () => {
    // b broadcasts the middle dim: [4,1,3] against [4,2,1] gives [4,2,3], so the chain splits there.
    const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(2).sub(a).reshape([4, 1, 3]).mul(b).add(c).neg();
    const xs = [
      random.normal([4, 3], { seed: 1 }),
      random.normal([4, 2, 1], { seed: 2 }),
      random.normal([3], { seed: 3 }),
    ];
    const g = (a: Tensor, c: Tensor) =>
      a.mul(2).reshape([4, 1, 3]).mul(c).add(c).reshape([4, 3]).sub(a).reshape([1, 12]).neg();
    const cases: [(...v: Tensor[]) => Tensor, Tensor[]][] = [
      [g as (...v: Tensor[]) => Tensor, [xs[0], xs[2]]],
      [f as (...v: Tensor[]) => Tensor, xs],
    ];
    for (const [fn, args] of cases) {
      const { fused, plain, values } = both(fn, ...args);
      expect(fused.fusion.loops).toBeGreaterThan(0);
      expectBitIdentical(asTensors(plain.run(values)), asTensors(fused.run(values)));
      expectBitIdentical(fn(...args), jit(fn)(...args));
    }
    const { fused } = both(g, xs[0], xs[2]);
    // mul, reshape, mul, add, reshape, sub: the reshape to [1, 12] merges dims, so neg runs alone.
    expect(fused.fusion).toEqual({ eqns: 6, loops: 1 });
  });

  it("the pricing model's per-sample gradient and Hessian programs fuse and keep their bits", () => {
    const { y, X, P } = pricing();
    for (const f of [vmap(grad(y, { argnums: [0, 1] })), vmap(hessian(y))]) {
      const { fused, plain, values } = both(f as never, X, P);
      expect(fused.fusion.eqns).toBeGreaterThanOrEqual(2 * fused.fusion.loops);
      expect(fused.fusion.loops).toBeGreaterThan(0);
      expectBitIdentical(asTensors(plain.run(values)), asTensors(fused.run(values)));
    }
  });

  it("reuses dead buffers across calls but never hands out an output twice", () => {
    const f = jit((a: Tensor, b: Tensor) => {
      const t = a.mul(b).add(1).mul(a); // fused, into an arena buffer
      return [t.exp().mul(2).sub(b), t.sin()];
    });
    const a = random.normal([50, 8], { seed: 1 });
    const b = random.normal([50, 8], { seed: 2 });
    const first = f(a, b) as Tensor[];
    const saved = first.map((t) => Array.from(t.data()));
    const again = f(b, a) as Tensor[];
    f(a, a);
    first.forEach((t, i) => expect(Array.from(t.data())).toEqual(saved[i]));
    const bufferOf = (t: Tensor) => (t as unknown as { value: { data: Float64Array } }).value.data.buffer;
    expect(bufferOf(again[0])).not.toBe(bufferOf(first[0]));
    expect(bufferOf(again[1])).not.toBe(bufferOf(first[1]));
    expectBitIdentical(f(a, b), first);
  });

  it("after the first call, a call allocates exactly one buffer per output (counted by the allocator)", () => {
    const { y, X, P } = pricing();
    const cases: [string, (...xs: Tensor[]) => unknown, number][] = [
      ["per-sample gradient", vmap(grad(y, { argnums: [0, 1] })), 2],
      ["per-sample Hessian", vmap(hessian(y)), 1],
      [
        "per-sample Jacobian",
        vmap(jacrev((x: Tensor) => tanh(x.matmul(random.normal([8, 3], { seed: 4 }))))),
        1,
      ],
    ];
    for (const [what, fn, outputs] of cases) {
      const f = jit(fn);
      const X2 = X.mul(0.5);
      f(X, P); // compiles; the arena fills
      const counts: number[] = [];
      for (const x of [X2, X, X2, X]) {
        const before = freshBufferCount();
        f(x, P);
        counts.push(freshBufferCount() - before);
      }
      expect(counts, what).toEqual([outputs, outputs, outputs, outputs]);
      expectBitIdentical(f(X2, P), fn(X2, P), what);
    }
  });

  it("without the arena every intermediate is a new buffer (the count above is not trivially met)", () => {
    const { y, X, P } = pricing();
    const { optimized } = jit(vmap(hessian(y))).lower(X, P);
    const values = [X, P].map((x) => (x as unknown as { value: never }).value);
    const plain = prepare(optimized, { arena: false });
    plain.run(values);
    const before = freshBufferCount();
    plain.run(values);
    expect(freshBufferCount() - before).toBeGreaterThan(10); // vs 1 with the arena
    const planned = prepare(optimized);
    expectBitIdentical(asTensors(plain.run(values)), asTensors(planned.run(values)));
    expectBitIdentical(asTensors(plain.run(values)), asTensors(planned.run(values)));
  });

  it("recycles intermediates: in steady state the fused loops allocate nothing", () => {
    const g = (a: Tensor) => {
      const t = a.mul(a).add(1); // fused, dead after sin (Math.sin: not fusible)
      const u = t.sin().mul(a).sub(1); // fused: can write into t's buffer
      return u.sin().mul(2).add(a); // fused output: fresh
    };
    const a = random.normal([40, 8], { seed: 3 });
    const { fused, values } = both(g, a);
    expect(fused.fusion.loops).toBe(3);
    const outs = [fused.run(values), fused.run(values), fused.run(values)];
    // Runs 2 and 3 find the two intermediate buffers released by the run before.
    expect(fused.buffersReused).toBeGreaterThanOrEqual(4);
    expect(new Set(outs.map((o) => o[0].data.buffer)).size).toBe(3);
    expectBitIdentical(asTensors(outs[0]), asTensors(outs[2]));
  });
});

describe("jit: every primitive", () => {
  it("runs each primitive's kernel as the eager path does, and its gradient program too", () => {
    for (const name of PRIM_NAMES as PrimName[]) {
      const c = CASES[name] as unknown as PrimCase<PrimName>;
      forSeeds(3, (g) => {
        const { args, params } = c.gen(g);
        const xs = args.map((a) => a.sample(g));
        const f = (...vs: Tensor[]) => bind(name, vs, params as never);
        // A second call with new values of the same shapes runs on buffers recycled from the
        // first (dirty): kernels that accumulate must still see zeros.
        const xs2 = args.map((a) => a.sample(g));
        const jf = jit(f);
        expectBitIdentical(f(...xs), jf(...xs), name);
        expectBitIdentical(f(...xs2), jf(...xs2), `${name}, second call`);
        if (c.kind !== "smooth") return;
        const argnums = args.flatMap((a, i) => (a.diff && isFloat(xs[i].dtype) ? [i] : []));
        const loss = grad((...vs: Tensor[]) => f(...vs).sum(), { argnums });
        const jloss = jit(loss);
        expectBitIdentical(loss(...xs), jloss(...xs), `grad ${name}`);
        expectBitIdentical(loss(...xs2), jloss(...xs2), `grad ${name}, second call`);
      });
    }
  });
});
