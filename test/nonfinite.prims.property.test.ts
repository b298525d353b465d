/**
 * Every primitive of the rule table driven through NaN, ±Infinity and ±0 (issue 8), element by
 * element against a scalar reference: JS `Math` semantics, or NumPy's where they differ (named in
 * docs/nan-semantics.md). `CASES` is a mapped type over `PrimName`, so a primitive added without a
 * case here fails to compile, and the guard below fails at run time too.
 */
import { describe, expect, it } from "vitest";
import { NDArray } from "../src/core/ndarray.js";
import { evalPrim } from "../src/interp/eval.js";
import { PRIM_NAMES } from "../src/prims/table.js";
import { bind, Concrete, type Tensor } from "../src/prims/tensor.js";
import type { CompareOp, PrimName } from "../src/prims/types.js";
import { jvp } from "../src/api/transforms.js";
import {
  ALL,
  checkLinear,
  checkMovement,
  f64,
  Mismatches,
  powC,
  roundHalfEvenRef,
  SPECIAL,
  show,
  truthy,
  SPECIAL_ROWS,
} from "./helpers/special.js";

const value = (t: Tensor) => (t as Concrete).value;
const run = (name: PrimName, args: Tensor[], params: object = {}) =>
  value(evalPrim(name, args, params as never));
const bools = (xs: number[]) => new Concrete(new NDArray("bool", [xs.length], Uint8Array.from(xs)));

type Scalar1 = (x: number) => number | undefined;
type Scalar2 = (x: number, y: number) => number;

/** How a primitive meets special values. */
type Case =
  /** Element-wise on float64: each element against `ref` (undefined = not a special point, covered elsewhere). */
  | { kind: "unary"; ref: Scalar1; rtol?: number }
  /** Element-wise on every pair of special and ordinary values. */
  | { kind: "binary"; ref: Scalar2 }
  /** Anything else: its own checks. */
  | { kind: "check"; run: (m: Mismatches) => void };

const unary = (ref: Scalar1, rtol?: number): Case => ({ kind: "unary", ref, rtol });
/**
 * exp, expm1, tanh and logistic run gradlens's own float64 kernels (docs/transcendentals.md):
 * within 2 ulp of the correctly rounded value, so within 2 ulp (relative 2·2⁻⁵²) of `Math.*` at
 * ordinary points; NaN, ±Inf and ±0 are still compared exactly.
 */
const OWN_KERNEL_RTOL = 2 * Number.EPSILON;
const binary = (ref: Scalar2): Case => ({ kind: "binary", ref });
/** Defined only at the special points (erf has no `Math` counterpart; finite points are checked elsewhere). */
const atSpecial =
  (nan: number, inf: number, ninf: number, zero: (z: number) => number): Scalar1 =>
  (x) =>
    x !== x ? nan : x === Infinity ? inf : x === -Infinity ? ninf : x === 0 ? zero(x) : undefined;

const foldRows = SPECIAL_ROWS;

/** A reduction over each row of `foldRows` against a scalar fold. */
function reduction(prim: PrimName, init: number, f: Scalar2): Case {
  return {
    kind: "check",
    run: (m) => {
      const out = run(prim, [f64(foldRows.flat(), [foldRows.length, 3])], { axes: [1] });
      foldRows.forEach((row, i) => m.check(`${prim}([${row.map(show)}])`, out.data[i], row.reduce(f, init)));
    },
  };
}

/** NumPy's argmax/argmin (`arg_reduce`): the first NaN, else the first extreme. */
const argCase: Case = {
  kind: "check",
  run: (m) => {
    for (const op of ["argmax", "argmin"] as const) {
      const out = run("arg_reduce", [f64(foldRows.flat(), [foldRows.length, 3])], { op, axis: 1 });
      foldRows.forEach((row, i) => {
        const nan = row.findIndex((v) => v !== v);
        const best = (op === "argmax" ? Math.max : Math.min)(...row);
        m.check(`${op}([${row.map(show)}])`, out.data[i], nan >= 0 ? nan : row.indexOf(best));
      });
    }
  },
};

/** A data-movement primitive, checked by `checkMovement`. */
const movement = (prim: PrimName, shape: number[], params: object, padValue = 0): Case => ({
  kind: "check",
  run: (m) => checkMovement(prim, (x) => bind(prim, [x], params as never), shape, m, padValue),
});

/** A primitive linear in one operand, checked by `checkLinear`. */
const linear = (name: string, f: (x: Tensor) => Tensor, shape: number[]): Case => ({
  kind: "check",
  run: (m) => checkLinear(name, f, shape, m),
});

/** A 1-D window of 2 with one zero of padding in front and an input dilation of 2 (zeros between inputs). */
const GEOMETRY = { kernel: [2], strides: [1], padLo: [1], padHi: [0], rhsDilation: [1], lhsDilation: [2] };

const pairs = ALL.flatMap((x) => ALL.map((y) => [x, y] as const));

const CASES: { [P in PrimName]: Case } = {
  neg: unary((x) => -x),
  abs: unary(Math.abs),
  sign: unary(Math.sign),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  round: unary(roundHalfEvenRef),
  sqrt: unary(Math.sqrt),
  exp: unary(Math.exp, OWN_KERNEL_RTOL),
  expm1: unary(Math.expm1, OWN_KERNEL_RTOL),
  log: unary(Math.log),
  log1p: unary(Math.log1p),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  tanh: unary(Math.tanh, OWN_KERNEL_RTOL),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  asinh: unary(Math.asinh),
  acosh: unary(Math.acosh),
  atanh: unary(Math.atanh),
  erf: unary(atSpecial(NaN, 1, -1, (z) => z)),
  erfc: unary(atSpecial(NaN, 0, 2, () => 1)),
  logistic: unary((x) => 1 / (1 + Math.exp(-x)), 1e-15),
  isfinite: unary((x) => (Number.isFinite(x) ? 1 : 0)),
  isnan: unary((x) => (x !== x ? 1 : 0)),
  not: {
    kind: "check",
    run: (m) => {
      const out = run("not", [bools([0, 1])]);
      m.check("not(false)", out.data[0], 1);
      m.check("not(true)", out.data[1], 0);
    },
  },
  add: binary((x, y) => x + y),
  sub: binary((x, y) => x - y),
  mul: binary((x, y) => x * y),
  div: binary((x, y) => x / y),
  pow: binary(powC),
  max: binary(Math.max),
  min: binary(Math.min),
  atan2: binary(Math.atan2),
  compare: {
    kind: "check",
    run: (m) => {
      const refs: [CompareOp, Scalar2][] = [
        ["eq", (x, y) => +(x === y)],
        ["ne", (x, y) => +(x !== y)],
        ["lt", (x, y) => +(x < y)],
        ["le", (x, y) => +(x <= y)],
        ["gt", (x, y) => +(x > y)],
        ["ge", (x, y) => +(x >= y)],
      ];
      for (const [op, ref] of refs) {
        const out = run("compare", [f64(pairs.map((p) => p[0])), f64(pairs.map((p) => p[1]))], { op });
        pairs.forEach(([x, y], i) => m.check(`${op}(${show(x)}, ${show(y)})`, out.data[i], ref(x, y)));
      }
    },
  },
  logical: {
    kind: "check",
    run: (m) => {
      const and = run("logical", [bools([0, 0, 1, 1]), bools([0, 1, 0, 1])], { op: "and" });
      [0, 0, 0, 1].forEach((v, i) => m.check(`and ${i}`, and.data[i], v));
      const or = run("logical", [bools([0, 0, 1, 1]), bools([0, 1, 0, 1])], { op: "or" });
      [0, 1, 1, 1].forEach((v, i) => m.check(`or ${i}`, or.data[i], v));
    },
  },
  select: {
    kind: "check",
    run: (m) => {
      const c = bools(ALL.map((_, i) => i % 2));
      const out = run("select", [c, f64(ALL), f64(ALL.map((x) => -x))]);
      ALL.forEach((x, i) => m.check(`select ${i}`, out.data[i], i % 2 ? x : -x));
    },
  },
  convert: {
    kind: "check",
    run: (m) => {
      // float → bool: NumPy's truthiness (NaN is true); float → float32: values kept, NaN and −0 too.
      const b = run("convert", [f64(ALL)], { dtype: "bool" });
      ALL.forEach((x, i) => m.check(`convert(${show(x)}, bool)`, b.data[i], +truthy(x)));
      const s = run("convert", [f64(ALL)], { dtype: "float32" });
      ALL.forEach((x, i) => m.check(`convert(${show(x)}, float32)`, s.data[i], Math.fround(x)));
      // float → int32: NaN and ±Inf have no int32 value and are refused (never 0 or a wrapped value).
      for (const x of [NaN, Infinity, -Infinity, 2 ** 31])
        expect(() => run("convert", [f64([x])], { dtype: "int32" }), `convert(${x}, int32)`).toThrow(/int32/);
      const z = run("convert", [f64([-0, 0, -0.5])], { dtype: "int32" });
      [0, 0, 0].forEach((v, i) => m.check(`convert to int32 ${i}`, z.data[i], v, 0, false));
    },
  },
  stop_gradient: unary((x) => x),
  reduce_sum: reduction("reduce_sum", 0, (a, b) => a + b),
  reduce_prod: reduction("reduce_prod", 1, (a, b) => a * b),
  reduce_max: reduction("reduce_max", -Infinity, (a, b) => Math.max(a, b)),
  reduce_min: reduction("reduce_min", Infinity, (a, b) => Math.min(a, b)),
  arg_reduce: argCase,
  dot_general: linear(
    "dot_general",
    (x) =>
      bind("dot_general", [x, f64([1, -2, 0.5, 3, -1, 2], [3, 2])], {
        contract: [[1], [0]],
        batch: [[], []],
      }),
    [4, 3],
  ),
  reshape: movement("reshape", [3, 6], { shape: [2, 9] }),
  transpose: movement("transpose", [3, 6], { perm: [1, 0] }),
  broadcast: movement("broadcast", [1, 6], { shape: [3, 6] }),
  slice: movement("slice", [3, 6], { start: [0, 1], stop: [3, 6], step: [2, 2] }),
  pad: movement("pad", [3, 6], { lo: [1, 0], hi: [0, 2], interior: [1, 0], value: 0 }),
  concatenate: {
    kind: "check",
    run: (m) => {
      const out = run("concatenate", [f64(ALL), f64(ALL.map((x) => -x))], { axis: 0 });
      ALL.forEach((x, i) => m.check(`concatenate ${i}`, out.data[i], x));
      ALL.forEach((x, i) => m.check(`concatenate ${ALL.length + i}`, out.data[ALL.length + i], -x));
    },
  },
  rev: movement("rev", [3, 6], { axes: [1] }),
  gather: {
    kind: "check",
    run: (m) => {
      const idx = new Concrete(new NDArray("int32", [4], Int32Array.from([4, 0, 3, 0])));
      const out = run("gather", [f64(ALL), idx], { axis: 0 });
      [4, 0, 3, 0].forEach((j, i) => m.check(`gather ${i}`, out.data[i], ALL[j]));
    },
  },
  scatter_add: linear(
    "scatter_add",
    (u) =>
      bind(
        "scatter_add",
        [f64([0, 0, 0, 0]), new Concrete(new NDArray("int32", [3], Int32Array.from([2, 0, 2]))), u],
        { axis: 0 },
      ),
    [3],
  ),
  cumsum: linear("cumsum", (x) => bind("cumsum", [x], { axis: 1, reverse: false }), [2, 4]),
  patches: linear("patches", (x) => bind("patches", [x], GEOMETRY), [1, 5, 1]),
  patches_t: linear(
    "patches_t",
    (x) => bind("patches_t", [x], { ...GEOMETRY, inShape: [1, 5, 1] }),
    [1, 9, 2, 1],
  ),
};

it("the special-value cases cover exactly the primitives of the rule table", () => {
  expect(Object.keys(CASES).sort()).toEqual([...PRIM_NAMES].sort());
});

describe.each(Object.keys(CASES) as PrimName[])("primitive %s on NaN, ±Inf, ±0", (name) => {
  it("every element equals the scalar reference", () => {
    const c = CASES[name];
    const m = new Mismatches();
    if (c.kind === "unary") {
      const out = run(name, [f64(ALL)]);
      ALL.forEach((x, i) => m.check(`${name}(${show(x)})`, out.data[i], c.ref(x), c.rtol ?? 0));
    } else if (c.kind === "binary") {
      const out = run(name, [f64(pairs.map((p) => p[0])), f64(pairs.map((p) => p[1]))]);
      pairs.forEach(([x, y], i) => m.check(`${name}(${show(x)}, ${show(y)})`, out.data[i], c.ref(x, y)));
    } else c.run(m);
    m.assertNone();
  });
});

describe("int32 arithmetic never wraps (issue 9)", () => {
  const i32 = (xs: number[]) => new Concrete(new NDArray("int32", [xs.length], Int32Array.from(xs)));
  const MAX = 2147483647;
  const MIN = -2147483648;

  it("refuses results outside int32 in every primitive that can overflow, and keeps those inside", () => {
    const overflow: [string, () => unknown][] = [
      ["add", () => run("add", [i32([MAX]), i32([1])])],
      ["sub", () => run("sub", [i32([MIN]), i32([1])])],
      ["mul", () => run("mul", [i32([65536]), i32([32768])])],
      ["pow", () => run("pow", [i32([2]), i32([31])])],
      ["neg", () => run("neg", [i32([MIN])])],
      ["abs", () => run("abs", [i32([MIN])])],
      ["reduce_sum", () => run("reduce_sum", [i32([MAX, 1])], { axes: [0] })],
      ["reduce_prod", () => run("reduce_prod", [i32([65536, 32768])], { axes: [0] })],
      ["cumsum", () => run("cumsum", [i32([MAX, 1])], { axis: 0, reverse: false })],
      [
        "dot_general",
        () => run("dot_general", [i32([MAX, 1]), i32([1, 1])], { contract: [[0], [0]], batch: [[], []] }),
      ],
      [
        "scatter_add",
        () =>
          run(
            "scatter_add",
            [i32([MAX]), new Concrete(new NDArray("int32", [1], Int32Array.from([0]))), i32([1])],
            {
              axis: 0,
            },
          ),
      ],
    ];
    for (const [what, f] of overflow) expect(f, what).toThrow(/overflows int32/);
    // In range, including results whose intermediate sums leave int32 and come back.
    expect(Array.from(run("add", [i32([MAX - 1]), i32([1])]).data)).toEqual([MAX]);
    expect(Array.from(run("reduce_sum", [i32([MAX, 5, -10])], { axes: [0] }).data)).toEqual([MAX - 5]);
    expect(Array.from(run("mul", [i32([-65536]), i32([32768])]).data)).toEqual([MIN]);
  });

  it("refuses int32 scalars that do not fit (weak JS numbers, like NumPy 2's OverflowError)", () => {
    expect(() => NDArray.scalar(1e10, "int32")).toThrow(/int32/);
    expect(() => NDArray.scalar(0.5, "int32")).toThrow(/not an integer/);
    expect(NDArray.scalar(-0, "int32").data[0]).toBe(0);
  });
});

describe("derivatives of primitives at their special points (JAX's conventions)", () => {
  /** d/dx and d²/dx² of an element-wise function at each x, by nested JVPs with unit tangents. */
  function derivs(f: (x: Tensor) => Tensor, xs: number[]): [number[], number[]] {
    const ones = f64(xs.map(() => 1));
    const d1 = (x: Tensor) => jvp(f, [x], [ones])[1] as Tensor;
    const first = value(d1(f64(xs))).data;
    const second = value(jvp(d1, [f64(xs)], [ones])[1] as Tensor).data;
    return [Array.from(first), Array.from(second)];
  }
  const un = (p: PrimName) => (x: Tensor) => bind(p, [x], {});

  // [x, f'(x), f''(x)]: JAX's jvp rules evaluated in IEEE arithmetic (see docs/nan-semantics.md).
  const TABLE: [string, (x: Tensor) => Tensor, [number, number, number][]][] = [
    // |x|' = sign(x): 0 at 0 (JAX gives 1: select(x >= 0, 1, -1)); NaN at NaN (JAX: -1).
    [
      "abs",
      un("abs"),
      [
        [NaN, NaN, 0],
        [Infinity, 1, 0],
        [-Infinity, -1, 0],
        [0, 0, 0],
        [-2, -1, 0],
      ],
    ],
    // √x' = 1/(2√x): +∞ at 0, 0 at +∞, NaN below 0; √x'' = −1/(4 x^{3/2}).
    [
      "sqrt",
      un("sqrt"),
      [
        [NaN, NaN, NaN],
        [0, Infinity, -Infinity],
        [Infinity, 0, -0],
        [-1, NaN, NaN],
      ],
    ],
    // log' = 1/x: +∞ at 0, −∞ at −0; log'' = −1/x².
    [
      "log",
      un("log"),
      [
        [NaN, NaN, NaN],
        [0, Infinity, -Infinity],
        [Infinity, 0, -0],
        [-1, -1, -1],
      ],
    ],
    [
      "exp",
      un("exp"),
      [
        [NaN, NaN, NaN],
        [Infinity, Infinity, Infinity],
        [-Infinity, 0, 0],
        [0, 1, 1],
      ],
    ],
    [
      "tanh",
      un("tanh"),
      [
        [NaN, NaN, NaN],
        [Infinity, 0, 0],
        [-Infinity, 0, 0],
        [0, 1, 0],
      ],
    ],
    [
      "logistic",
      un("logistic"),
      [
        [NaN, NaN, NaN],
        [Infinity, 0, 0],
        [-Infinity, 0, 0],
        [0, 0.25, 0],
      ],
    ],
    // Piecewise-constant: 0 everywhere, NaN included (JAX: a symbolic zero).
    [
      "floor",
      un("floor"),
      [
        [NaN, 0, 0],
        [Infinity, 0, 0],
        [0, 0, 0],
        [1, 0, 0],
      ],
    ],
    [
      "sign",
      un("sign"),
      [
        [NaN, 0, 0],
        [0, 0, 0],
        [-0, 0, 0],
      ],
    ],
  ];

  it.each(TABLE)("%s", (name, f, rows) => {
    const [d1, d2] = derivs(
      f,
      rows.map((r) => r[0]),
    );
    const m = new Mismatches();
    rows.forEach(([x, e1, e2], i) => {
      m.check(`${name}'(${show(x)})`, d1[i], e1, 1e-15, false);
      m.check(`${name}''(${show(x)})`, d2[i], e2, 1e-15, false);
    });
    m.assertNone();
  });

  it("binary partials at ties, zeros and infinities", () => {
    const m = new Mismatches();
    // Each partial with the other operand held constant (a zero tangent times an infinite
    // partial would be 0·∞ = NaN, which is not the partial's value).
    const partials = (p: PrimName, x: number, y: number) => {
      const at = (f: (t: Tensor) => Tensor, v: number) =>
        value(jvp(f, [f64([v])], [f64([1])])[1] as Tensor).data[0];
      return [at((a) => bind(p, [a, f64([y])], {}), x), at((b) => bind(p, [f64([x]), b], {}), y)];
    };
    const rows: [PrimName, number, number, number, number][] = [
      // max/min: ties split the derivative ½/½ (JAX).
      ["max", 1, 1, 0.5, 0.5],
      ["max", 2, 1, 1, 0],
      ["max", 0, -0, 0.5, 0.5],
      ["min", 1, 1, 0.5, 0.5],
      ["min", 2, 1, 0, 1],
      // A NaN operand: no weight to either side (JAX; regression: y got 1).
      ["max", NaN, 1, 0, 0],
      ["max", 1, NaN, 0, 0],
      ["min", NaN, 1, 0, 0],
      // x/y: ∂x = 1/y, ∂y = −x/y²; at y = 0: ±∞ and NaN (0/0), as the formula.
      ["div", 1, 0, Infinity, -Infinity],
      ["div", 0, 0, Infinity, NaN],
      ["div", 1, Infinity, 0, -0],
      // xʸ: ∂x = y·x^{y−1} (0 when y = 0, JAX), ∂y = log(x)·xʸ (0 when x = 0, JAX).
      ["pow", 0, 2, 0, 0],
      ["pow", 0, 0, 0, 0],
      ["pow", 0, 0.5, Infinity, 0],
      ["pow", 2, 0, 0, Math.log(2)],
    ];
    for (const [p, x, y, ex, ey] of rows) {
      const [dx, dy] = partials(p, x, y);
      m.check(`∂x ${p}(${show(x)}, ${show(y)})`, dx, ex, 1e-15, false);
      m.check(`∂y ${p}(${show(x)}, ${show(y)})`, dy, ey, 1e-15, false);
    }
    m.assertNone();
  });

  it("binary partials on every pair of special and ordinary values equal JAX's formulas in IEEE arithmetic", () => {
    // ∂x and ∂y as JAX's jvp rules write them (pow: the y·x^(y−1) term is 0 where y = 0 and the
    // log(x)·xʸ term 0 where x = 0; max/min: 1 to the winner, ½ each on a tie, 0 to both at NaN).
    const weight = (a: number, b: number, wins: (p: number, q: number) => boolean) =>
      wins(a, b) ? 1 : a === b ? 0.5 : 0;
    const PARTIALS: Partial<Record<PrimName, (x: number, y: number) => [number, number]>> = {
      add: () => [1, 1],
      sub: () => [1, -1],
      mul: (x, y) => [y, x],
      div: (x, y) => [1 / y, -(x / y) / y],
      pow: (x, y) => [y === 0 ? 0 : y * powC(x, y - 1), x === 0 ? 0 : Math.log(x) * powC(x, y)],
      max: (x, y) => [weight(x, y, (p, q) => p > q), weight(y, x, (p, q) => p > q)],
      min: (x, y) => [weight(x, y, (p, q) => p < q), weight(y, x, (p, q) => p < q)],
      atan2: (a, b) => [b / (a * a + b * b), -(a / (a * a + b * b))],
    };
    const xs = pairs.map((p) => p[0]);
    const ys = pairs.map((p) => p[1]);
    const ones = f64(xs.map(() => 1));
    const m = new Mismatches();
    for (const [p, ref] of Object.entries(PARTIALS) as [
      PrimName,
      (x: number, y: number) => [number, number],
    ][]) {
      const dx = value(jvp((a: Tensor) => bind(p, [a, f64(ys)], {}), [f64(xs)], [ones])[1] as Tensor).data;
      const dy = value(jvp((b: Tensor) => bind(p, [f64(xs), b], {}), [f64(ys)], [ones])[1] as Tensor).data;
      pairs.forEach(([x, y], i) => {
        const [ex, ey] = ref(x, y);
        m.check(`∂x ${p}(${show(x)}, ${show(y)})`, dx[i], ex, 1e-15, false);
        m.check(`∂y ${p}(${show(x)}, ${show(y)})`, dy[i], ey, 1e-15, false);
      });
    }
    m.assertNone();
  });

  it("reduce_max/reduce_min share a tied maximum equally", () => {
    const f = (x: Tensor) => bind("reduce_max", [x], { axes: [0] });
    const t = value(jvp(f, [f64([3, 1, 3])], [f64([1, 0, 0])])[1] as Tensor).data[0];
    expect(t).toBe(0.5);
  });
});

it("SPECIAL lists NaN, both infinities and both zeros", () => {
  expect(SPECIAL.map(show)).toEqual(["NaN", "Infinity", "-Infinity", "0", "-0"]);
});

describe("the large-array paths meet the same references", () => {
  it("threaded unary kernels (≥ 2¹⁵ elements) on NaN, ±Inf, ±0", () => {
    const n = 1 << 15;
    const xs = Array.from({ length: n }, (_, i) => ALL[i % ALL.length]);
    const m = new Mismatches();
    for (const name of ["exp", "log", "tanh", "sin", "acosh", "log1p"] as const) {
      const c = CASES[name] as { kind: "unary"; ref: (x: number) => number | undefined; rtol?: number };
      const out = run(name, [f64(xs)]);
      for (let i = 0; i < ALL.length * 2; i++)
        m.check(`${name}(${show(xs[i])}) [large]`, out.data[i], c.ref(xs[i]), c.rtol ?? 0);
      m.check(`${name} last element [large]`, out.data[n - 1], c.ref(xs[n - 1]), c.rtol ?? 0);
    }
    m.assertNone();
  });

  it("the WebAssembly GEMM (large products) propagates NaN and ±Inf to exactly the rows they reach", () => {
    const k = 48;
    const a = Array.from({ length: 32 * k }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
    a[3 * k + 5] = NaN;
    a[7 * k + 1] = Infinity;
    a[9 * k + 2] = -0;
    const b = Array.from({ length: k * 16 }, (_, i) => ((i * 5) % 13) / 13 + 0.1);
    const out = run("dot_general", [f64(a, [32, k]), f64(b, [k, 16])], {
      contract: [[1], [0]],
      batch: [[], []],
    });
    const m = new Mismatches();
    for (let i = 0; i < 32; i++)
      for (let j = 0; j < 16; j++) {
        let want = 0;
        for (let p = 0; p < k; p++) want += a[i * k + p] * b[p * 16 + j];
        m.check(`row ${i} col ${j}`, out.data[i * 16 + j], want, 1e-13, false);
      }
    m.assertNone();
  });
});

it("pad refuses a value an int32 array cannot hold (NaN, −∞, fractions were stored as 0 or truncated)", () => {
  const x = new Concrete(new NDArray("int32", [2], Int32Array.from([1, 2])));
  for (const v of [NaN, -Infinity, 0.5, 3e9])
    expect(() => run("pad", [x], { lo: [1], hi: [0], interior: [0], value: v }), String(v)).toThrow(/int32/);
  expect(Array.from(run("pad", [x], { lo: [1], hi: [0], interior: [0], value: -7 }).data)).toEqual([
    -7, 1, 2,
  ]);
});
