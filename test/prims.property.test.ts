/**
 * Every primitive in the rule table, checked on random valid arguments (seeded, see helpers/gen):
 *
 * - impl: values equal a naive index-loop oracle (helpers/naive.ts);
 * - smooth primitives: JVPs equal float64 central differences and VJPs agree with JVPs
 *   (⟨v, J u⟩ = ⟨Jᵀ v, u⟩), recursively to second order, via `checkGrads`;
 * - piecewise-constant primitives: the derivative is exactly zero, forward and reverse;
 * - batch rules: `vmap(prim)` with the batch dim at 0, 1, −1 or absent (per argument) equals a
 *   loop of the unbatched primitive; for smooth primitives the JVP and VJP are vmapped too, which
 *   runs the batch rules of every primitive their derivative rules use.
 *
 * A guard asserts the cases cover exactly `PRIM_NAMES`, so a new primitive without a property
 * test fails CI (and `CASES`' mapped type already fails to compile).
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, jvp, vjp, vmap } from "../src/index.js";
import { isFloat } from "../src/core/dtype.js";
import { NDArray } from "../src/core/ndarray.js";
import { evalPrim } from "../src/interp/eval.js";
import { PRIM_NAMES } from "../src/prims/table.js";
import { bind, Concrete, type Tensor } from "../src/prims/tensor.js";
import type { PrimName } from "../src/prims/types.js";
import { checkGrads } from "../src/testing/index.js";
import { forSeeds, Gen } from "./helpers/gen.js";
import * as N from "./helpers/naive.js";
import { CASES, type PrimCase } from "./helpers/primCases.js";

const valueOf = (t: Tensor): NDArray => (t as Concrete).value;

/** Same dtype and shape, and values equal within `rtol` of the largest expected magnitude (NaN = NaN). */
function expectClose(actual: NDArray, expected: NDArray, rtol = 0, what = "value"): void {
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  let scale = 0;
  for (let i = 0; i < expected.size; i++)
    if (Number.isFinite(expected.data[i])) scale = Math.max(scale, Math.abs(expected.data[i]));
  for (let i = 0; i < expected.size; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (Object.is(a, e) || a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (Math.abs(a - e) <= rtol * Math.max(Math.abs(e), scale)) continue;
    throw new Error(`${what}: element ${i} is ${a}, expected ${e} (shape [${expected.shape}])`);
  }
}

/** Stacks per-example arrays along a new axis at `axis` (counted in the stacked rank). */
function stackAt(xs: NDArray[], axis: number): NDArray {
  const s = xs[0].shape;
  const stacked = N.build([xs.length, ...s], xs[0].dtype, (i) => N.at(xs[i[0]], i.slice(1)));
  const a = axis < 0 ? axis + s.length + 1 : axis;
  const perm = Array.from({ length: s.length }, (_, i) => i + 1);
  perm.splice(a, 0, 0);
  return N.transposeRef(stacked, perm);
}

const names = Object.keys(CASES) as PrimName[];
const caseOf = (name: PrimName) => CASES[name] as unknown as PrimCase<PrimName>;
const apply = (name: PrimName, params: unknown) => (xs: Tensor[]) => bind(name, xs, params as never);

/** Draws one example of a case: its params and argument values. */
function draw(name: PrimName, g: Gen) {
  const setup = caseOf(name).gen(g);
  return { ...setup, values: setup.args.map((a) => a.sample(g)) };
}

/** inAxes variants for arguments of the given per-example ranks. */
function axesVariants(g: Gen, ranks: number[]): (number | null)[][] {
  const choices = (r: number): (number | null)[] => [null, 0, -1, ...(r >= 1 ? [1] : [])];
  const mixed = ranks.map((r) => g.pick(choices(r)));
  if (!mixed.some((a) => a !== null)) mixed[g.int(0, ranks.length - 1)] = 0;
  const variants: (number | null)[][] = [
    ranks.map(() => 0),
    ranks.map(() => -1),
    ranks.map((r) => (r >= 1 ? 1 : 0)),
    mixed,
  ];
  if (ranks.length > 1) {
    const k = g.int(0, ranks.length - 1);
    variants.push(ranks.map((_, i) => (i === k ? -1 : null)));
  }
  return variants;
}

/**
 * Checks `vmap(fn)` with batch dims at `inAxes` against a loop over examples. `sample` draws one
 * example's arguments; unbatched (null) arguments take example 0's value everywhere.
 */
function checkBatched(
  fn: (...xs: Tensor[]) => Tensor | Tensor[],
  sample: () => Tensor[],
  inAxes: (number | null)[],
  size: number,
  rtol: number,
): void {
  const examples = Array.from({ length: size }, sample);
  const batchedArgs = inAxes.map((a, i) =>
    a === null
      ? examples[0][i]
      : new Concrete(
          stackAt(
            examples.map((e) => valueOf(e[i])),
            a,
          ),
        ),
  );
  const got = vmap(fn, { inAxes })(...batchedArgs);
  const perExample = examples.map((e) => fn(...inAxes.map((a, i) => (a === null ? examples[0][i] : e[i]))));
  const list = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r : [r]);
  list(got).forEach((out, k) => {
    const expected = stackAt(
      perExample.map((r) => valueOf(list(r)[k])),
      0,
    );
    expectClose(valueOf(out), expected, rtol, `vmap output ${k} with inAxes ${JSON.stringify(inAxes)}`);
  });
}

it("the property cases cover exactly the primitives of the rule table", () => {
  expect([...names].sort()).toEqual([...PRIM_NAMES].sort());
});

describe.each(names)("primitive %s", (name) => {
  const c = caseOf(name);

  it("impl equals the naive oracle", () => {
    forSeeds(10, (g) => {
      const { params, values } = draw(name, g);
      const out = evalPrim(name, values, params as never);
      const ref = c.ref(values.map(valueOf), params);
      expectClose(out.value, ref, c.rtol ?? 0);
    });
  });

  if (c.kind === "smooth") {
    it("derivatives match finite differences to second order, forward and reverse", () => {
      forSeeds(8, (g) => {
        const { args, params, values } = draw(name, g);
        const diff = args.map((a, i) => (a.diff ? i : -1)).filter((i) => i >= 0);
        const f = (...d: Tensor[]) => {
          const xs = values.slice();
          diff.forEach((i, k) => (xs[i] = d[k]));
          return apply(name, params)(xs);
        };
        checkGrads(
          f,
          diff.map((i) => values[i]),
          { order: 2, modes: ["fwd", "rev"], seed: g.seed, ...c.grads },
        );
      });
    });
  } else {
    it("has a zero derivative in every float argument, forward and reverse", () => {
      let checked = 0;
      forSeeds(4, (g) => {
        const { params, values } = draw(name, g);
        const floats = values.map((v, i) => (isFloat(v.dtype) ? i : -1)).filter((i) => i >= 0);
        if (floats.length === 0) return;
        const f = (...d: Tensor[]) => {
          const xs = values.slice();
          floats.forEach((i, k) => (xs[i] = d[k]));
          return apply(name, params)(xs);
        };
        const primals = floats.map((i) => values[i]);
        const [out, tangent] = jvp(
          f,
          primals,
          primals.map((p) => g.uniform(p.shape, -1, 1, p.dtype)),
        );
        expectClose(valueOf(tangent), NDArray.zeros(out.dtype, out.shape), 0, "tangent");
        const [, pullback] = vjp(f, ...primals);
        const cts = pullback(g.uniform(out.shape, 1, 2, out.dtype));
        cts.forEach((ct, k) =>
          expectClose(valueOf(ct), NDArray.zeros(primals[k].dtype, primals[k].shape), 0, "cotangent"),
        );
        checked++;
      });
      if (!["not", "logical"].includes(name)) expect(checked).toBeGreaterThan(0);
    });
  }

  it("batch rule: vmap with the batch dim at 0, 1, -1 or absent equals a loop", () => {
    forSeeds(5, (g) => {
      const setup = caseOf(name).gen(g);
      const ranks = setup.args.map((a) => a.sample(g).ndim);
      for (const inAxes of axesVariants(g, ranks)) {
        const size = g.pick([1, 3]);
        checkBatched(
          (...xs) => apply(name, setup.params)(xs),
          () => setup.args.map((a) => a.sample(g)),
          inAxes,
          size,
          1e-13,
        );
      }
    });
  });

  if (c.kind === "smooth") {
    it("batch rules of its JVP and VJP: vmap(jvp) and vmap(vjp) equal loops", () => {
      forSeeds(3, (g) => {
        const setup = caseOf(name).gen(g);
        const n = setup.args.length;
        const diff = setup.args.map((a, i) => (a.diff ? i : -1)).filter((i) => i >= 0);
        const withDiff =
          (all: Tensor[]) =>
          (...d: Tensor[]) => {
            const xs = all.slice();
            diff.forEach((i, k) => (xs[i] = d[k]));
            return apply(name, setup.params)(xs);
          };
        const probe = setup.args.map((a) => a.sample(g));
        const out = apply(name, setup.params)(probe);
        const jvpFn = (...xs: Tensor[]) =>
          jvp(
            withDiff(xs.slice(0, n)),
            diff.map((i) => xs[i]),
            xs.slice(n),
          )[1];
        const vjpFn = (...xs: Tensor[]) => {
          const [, pullback] = vjp(withDiff(xs.slice(0, n)), ...diff.map((i) => xs[i]));
          return pullback(xs[n]);
        };
        const sampleJvp = () => {
          const xs = setup.args.map((a) => a.sample(g));
          return [...xs, ...diff.map((i) => g.uniform(xs[i].shape, -1, 1, xs[i].dtype))];
        };
        const sampleVjp = () => [
          ...setup.args.map((a) => a.sample(g)),
          g.uniform(out.shape, -1, 1, out.dtype),
        ];
        const ranksJ = sampleJvp().map((x) => x.ndim);
        const ranksV = sampleVjp().map((x) => x.ndim);
        for (const inAxes of [ranksJ.map(() => 0), axesVariants(g, ranksJ)[3]])
          checkBatched(jvpFn, sampleJvp, inAxes, 2, 1e-12);
        for (const inAxes of [ranksV.map(() => 0), axesVariants(g, ranksV)[3]])
          checkBatched(vjpFn, sampleVjp, inAxes, 2, 1e-12);
      });
    });
  }
});

describe("integer and bool dtypes (values vs the naive oracle)", () => {
  const ints = (g: Gen, s: number[]) => g.ints(s, -9, 9);
  const run = (name: PrimName, args: Tensor[], params: unknown, ref: NDArray) =>
    expectClose(evalPrim(name, args, params as never).value, ref, 0, name);

  it("max/min reductions start from the dtype's extremes (regression: int32 max of negatives gave 0)", () => {
    forSeeds(6, (g) => {
      const s = g.shape(1, 3);
      const axes = g.subset(s.length, g.int(1, s.length));
      const x = g.ints(s, -9, -1);
      const y = g.ints(s, 1, 9);
      run("reduce_max", [x], { axes }, N.reduceRef(valueOf(x), axes, Math.max));
      run("reduce_min", [y], { axes }, N.reduceRef(valueOf(y), axes, Math.min));
      for (const prim of ["reduce_sum", "reduce_prod"] as const) {
        const z = ints(g, s);
        const f = prim === "reduce_sum" ? (a: number, b: number) => a + b : (a: number, b: number) => a * b;
        run(prim, [z], { axes }, N.reduceRef(valueOf(z), axes, f));
      }
      const allFalse = g.bools(s, 0);
      const allTrue = g.bools(s, 1);
      run("reduce_max", [allFalse], { axes }, N.reduceRef(valueOf(allFalse), axes, Math.max));
      run("reduce_min", [allTrue], { axes }, N.reduceRef(valueOf(allTrue), axes, Math.min));
    });
  });

  it("binary arithmetic, comparisons, select, argmax, gather, cumsum on int32", () => {
    forSeeds(4, (g) => {
      const [sa, sb] = g.broadcastPair();
      const a = ints(g, sa);
      const b = ints(g, sb);
      const [va, vb] = [valueOf(a), valueOf(b)];
      run(
        "add",
        [a, b],
        {},
        N.mapBinary(va, vb, (p, q) => p + q, "int32"),
      );
      run(
        "mul",
        [a, b],
        {},
        N.mapBinary(va, vb, (p, q) => p * q, "int32"),
      );
      run("max", [a, b], {}, N.mapBinary(va, vb, Math.max, "int32"));
      run("min", [a, b], {}, N.mapBinary(va, vb, Math.min, "int32"));
      run(
        "compare",
        [a, b],
        { op: "lt" },
        N.mapBinary(va, vb, (p, q) => +(p < q), "bool"),
      );
      const s = g.shape(1, 3);
      const x = ints(g, s);
      const axis = g.int(0, s.length - 1);
      run(
        "arg_reduce",
        [x],
        { op: "argmax", axis },
        N.argRef(valueOf(x), axis, (p, q) => p > q),
      );
      run("cumsum", [x], { axis, reverse: true }, N.cumsumRef(valueOf(x), axis, true));
      const idx = g.indices([3], s[axis]);
      run("gather", [x, idx], { axis }, N.gatherRef(valueOf(x), valueOf(idx), axis));
      const c = g.bools(s);
      const y = ints(g, s);
      run(
        "select",
        [c, x, y],
        {},
        N.build(s, "int32", (i) => (N.at(valueOf(c), i) ? N.at(valueOf(x), i) : N.at(valueOf(y), i))),
      );
    });
  });

  it("convert: float→int32 truncates toward zero (NaN, ±Inf, out of range refused); anything nonzero (NaN too) is true", () => {
    const x = new Concrete(new NDArray("float64", [7], new Float64Array([-2.7, -0.5, 0, -0, 0.5, 2.7, NaN])));
    const finite = new Concrete(new NDArray("float64", [6], new Float64Array([-2.7, -0.5, 0, -0, 0.5, 2.7])));
    run(
      "convert",
      [finite],
      { dtype: "int32" },
      new NDArray("int32", [6], new Int32Array([-2, 0, 0, 0, 0, 2])),
    );
    // Regression: NaN became 0 and 3e9 wrapped to −1294967296 (issue 9).
    for (const bad of [NaN, Infinity, -Infinity, 3e9, -2147483649])
      expect(() =>
        evalPrim("convert", [new Concrete(NDArray.scalar(bad, "float64"))], { dtype: "int32" }),
      ).toThrow(/no int32 value/);
    run("convert", [x], { dtype: "bool" }, new NDArray("bool", [7], new Uint8Array([1, 1, 0, 0, 1, 1, 1])));
    const i = new Concrete(new NDArray("int32", [3], new Int32Array([-1, 0, 7])));
    run("convert", [i], { dtype: "bool" }, new NDArray("bool", [3], new Uint8Array([1, 0, 1])));
    run("convert", [i], { dtype: "float32" }, new NDArray("float32", [3], new Float32Array([-1, 0, 7])));
  });
});

describe("dot_general on larger operands (every edge of the GEMM kernel's blocking)", () => {
  it("equals the naive oracle for m, n, k across block edges, with batch dims and float32", () => {
    const g = new Gen(99);
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13];
    for (const m of sizes)
      for (const n of sizes) {
        const k = g.pick([0, 1, 3, 4, 6, 17]);
        const b = g.pick([1, 2]);
        const dtype = g.pick(["float64", "float32"] as const);
        const x = g.uniform([b, m, k], -1, 1, dtype);
        const y = g.uniform([b, k, n], -1, 1, dtype);
        const params = {
          contract: [[2], [1]] as [number[], number[]],
          batch: [[0], [0]] as [number[], number[]],
        };
        const out = evalPrim("dot_general", [x, y], params).value;
        const ref = N.dotGeneralRef(valueOf(x), valueOf(y), params.contract, params.batch);
        expectClose(
          out,
          ref,
          dtype === "float32" ? 1e-6 : 1e-14,
          `[${b},${m},${k}]·[${b},${k},${n}] ${dtype}`,
        );
      }
  });
});

describe("reduce_prod derivatives", () => {
  it("are exact with zeros in the group (no division by x)", () => {
    const g1 = grad((x: Tensor) => x.prod())(
      new Concrete(new NDArray("float64", [3], new Float64Array([0, 2, 3]))),
    );
    expect(g1.toArray()).toEqual([6, 0, 0]);
    const g2 = grad((x: Tensor) => x.prod())(
      new Concrete(new NDArray("float64", [3], new Float64Array([0, 0, 3]))),
    );
    expect(g2.toArray()).toEqual([0, 0, 0]);
    // Hessian of x·y·z at (0, 2, 3): off-diagonal entries are the third factor.
    const H = hessian((x: Tensor) => x.prod())(
      new Concrete(new NDArray("float64", [3], new Float64Array([0, 2, 3]))),
    );
    expect(H.toArray()).toEqual([
      [0, 3, 2],
      [3, 0, 0],
      [2, 0, 0],
    ]);
  });

  it("scale to long axes (regression: an n×n matrix per group could not even be allocated for n = 70000)", () => {
    // 70000² elements exceed the largest typed array, so the old O(n²) rule threw a RangeError.
    const n = 70_000;
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = 1 + ((i % 7) - 3) * 1e-4;
    const x = new Concrete(new NDArray("float64", [n], data));
    const g = valueOf(grad((t: Tensor) => t.prod())(x));
    const p = valueOf(x.prod()).data[0];
    for (const k of [0, 1, 2, 12345, n - 1]) {
      const want = p / data[k];
      expect(Math.abs(g.data[k] - want) / want).toBeLessThan(1e-11);
    }
  });
});
