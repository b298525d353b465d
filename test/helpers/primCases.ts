/**
 * One generator and one naive oracle per primitive. `CASES` is typed as a mapped type over
 * `PrimName`, so a primitive added to the rule table without a case here fails to compile (and
 * the guard test in prims.property.test.ts fails at run time too).
 */
import type { DType } from "../../src/core/dtype.js";
import type { NDArray } from "../../src/core/ndarray.js";
import type { WindowGeometry } from "../../src/kernels/patches.js";
import type { Tensor } from "../../src/prims/tensor.js";
import type { CompareOp, PrimName, PrimParams } from "../../src/prims/types.js";
import type { Gen } from "./gen.js";
import * as N from "./naive.js";

/** One argument: how to draw it (the same rule redraws it for every example of a batch). */
export interface ArgSpec {
  sample: (g: Gen) => Tensor;
  /** Whether derivatives are taken with respect to it (float arguments of smooth prims). */
  diff: boolean;
}

export interface Setup<P extends PrimName> {
  args: ArgSpec[];
  params: PrimParams<P>;
}

export interface PrimCase<P extends PrimName> {
  /**
   * smooth: derivatives checked against finite differences to second order;
   * flat: derivative is identically zero (checked), values checked against the oracle.
   */
  kind: "smooth" | "flat";
  gen: (g: Gen) => Setup<P>;
  ref: (args: NDArray[], params: PrimParams<P>) => NDArray;
  /** checkGrads options for cases that need a looser step or tolerance (float32). */
  grads?: { eps?: number; rtol?: number; atol?: number };
  /** Tolerance of the value check against the oracle (exact unless given). */
  rtol?: number;
}

type Cases = { [P in PrimName]: PrimCase<P> };

const NONE = {} as Record<string, never>;
const arg = (sample: (g: Gen) => Tensor, diff = true): ArgSpec => ({ sample, diff });

// ---- unary -------------------------------------------------------------------------------

function smoothUnary<P extends PrimName>(lo: number, hi: number, f: (x: number) => number): PrimCase<P> {
  return {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape();
      return { args: [arg((h) => h.uniform(s, lo, hi))], params: NONE as PrimParams<P> };
    },
    ref: ([x]) => N.mapUnary(x, f),
    rtol: 1e-15,
  };
}

/** Values that include exact integers, halves and zeros (where flat functions jump). */
function steppy(g: Gen, shape: readonly number[]): Tensor {
  return g.fill(shape, (h) => {
    const r = h.int(0, 3);
    return r === 0 ? h.int(-3, 3) : r === 1 ? h.int(-6, 6) / 2 : h.float(-3, 3);
  });
}

function flatUnary<P extends PrimName>(
  f: (x: number) => number,
  input: (g: Gen, s: number[]) => Tensor = steppy,
  outDtype?: DType,
): PrimCase<P> {
  return {
    kind: "flat",
    gen: (g) => {
      const s = g.shape();
      return { args: [arg((h) => input(h, s), input === steppy)], params: NONE as PrimParams<P> };
    },
    ref: ([x]) => N.mapUnary(x, f, outDtype ?? x.dtype),
  };
}

function specials(g: Gen, shape: readonly number[]): Tensor {
  return g.fill(shape, (h) => h.pick([h.float(-3, 3), NaN, Infinity, -Infinity, 0]));
}

const roundHalfEven = (x: number) => {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
};

// ---- binary ------------------------------------------------------------------------------

type Sampler = (g: Gen, s: number[]) => Tensor;
const uni =
  (lo: number, hi: number): Sampler =>
  (g, s) =>
    g.uniform(s, lo, hi);
const away: Sampler = (g, s) => g.awayFromZero(s, 0.4, 2);
/** Small integers stored as floats: comparisons see plenty of ties. */
const tiesF: Sampler = (g, s) => g.fill(s, (h) => h.int(-2, 2));

function binaryCase<P extends PrimName>(
  kind: "smooth" | "flat",
  xs: Sampler,
  ys: Sampler,
  f: (a: number, b: number) => number,
  outBool = false,
): PrimCase<P> {
  return {
    kind,
    gen: (g) => {
      const [sx, sy] = g.broadcastPair();
      return {
        args: [arg((h) => xs(h, sx), kind === "smooth"), arg((h) => ys(h, sy), kind === "smooth")],
        params: NONE as PrimParams<P>,
      };
    },
    ref: ([x, y]) => N.mapBinary(x, y, f, outBool ? "bool" : x.dtype),
    rtol: 1e-15,
  };
}

/** Each comparison as a scalar oracle. */
const COMPARISONS: Record<CompareOp, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};
const COMPARE_OPS = Object.keys(COMPARISONS) as CompareOp[];

/** `compare`: the relation is the seed's (seeds 0..5 of every test see all six), on values with ties. */
function compareCase(): PrimCase<"compare"> {
  return {
    kind: "flat",
    gen: (g) => {
      const [sx, sy] = g.broadcastPair();
      return {
        args: [arg((h) => tiesF(h, sx), false), arg((h) => tiesF(h, sy), false)],
        params: { op: COMPARE_OPS[g.seed % COMPARE_OPS.length] },
      };
    },
    ref: ([x, y], { op }) => N.mapBinary(x, y, (a, b) => +COMPARISONS[op](a, b), "bool"),
  };
}

/** `logical`: and on even seeds, or on odd ones, so every test sees both. */
function logicCase(): PrimCase<"logical"> {
  const refs = { and: (a: number, b: number) => +(a && b), or: (a: number, b: number) => +(a || b) };
  return {
    kind: "flat",
    gen: (g) => {
      const [sx, sy] = g.broadcastPair();
      return {
        args: [arg((h) => h.bools(sx), false), arg((h) => h.bools(sy), false)],
        params: { op: g.seed % 2 === 0 ? "and" : "or" },
      };
    },
    ref: ([x, y], { op }) => N.mapBinary(x, y, refs[op], "bool"),
  };
}

// ---- reductions --------------------------------------------------------------------------

function reduceCase<P extends "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod">(
  values: Sampler,
  f: (acc: number, v: number) => number,
): PrimCase<P> {
  return {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(1, 3);
      const axes = g.subset(s.length, g.int(0, s.length));
      return { args: [arg((h) => values(h, s))], params: { axes } as PrimParams<P> };
    },
    ref: ([x], p) => N.reduceRef(x, (p as { axes: number[] }).axes, f),
    rtol: 1e-14,
  };
}

/** `arg_reduce`: argmax on even seeds, argmin on odd ones, so every test sees both. */
function argCase(): PrimCase<"arg_reduce"> {
  const better = { argmax: (a: number, b: number) => a > b, argmin: (a: number, b: number) => a < b };
  return {
    kind: "flat",
    gen: (g) => {
      const s = g.shape(1, 3);
      const axis = g.int(0, s.length - 1);
      // Ties included: the first extremum wins, like NumPy.
      const op = g.seed % 2 === 0 ? "argmax" : "argmin";
      return { args: [arg((h) => tiesF(h, s))], params: { op, axis } };
    },
    ref: ([x], { op, axis }) => N.argRef(x, axis, better[op]),
  };
}

// ---- structured generators ----------------------------------------------------------------

/** dot_general operands with batch and contracting dims scattered in non-canonical positions. */
function dotSetup(g: Gen): Setup<"dot_general"> {
  const nb = g.int(0, 2);
  const nc = g.int(0, 2);
  const nfx = g.int(0, 2);
  const nfy = g.int(0, 2);
  const bs = Array.from({ length: nb }, () => g.int(1, 3));
  const cs = Array.from({ length: nc }, () => g.int(1, 3));
  const place = (free: number) => {
    const kinds = [
      ...bs.map((_, i) => ["b", i]),
      ...cs.map((_, i) => ["c", i]),
      ...Array(free).fill(["f", 0]),
    ];
    const order = g.perm(kinds.length).map((i) => kinds[i] as [string, number]);
    const shape = order.map(([k, i]) => (k === "b" ? bs[i] : k === "c" ? cs[i] : g.int(1, 3)));
    const bdims = bs.map((_, i) => order.findIndex(([k, j]) => k === "b" && j === i));
    const cdims = cs.map((_, i) => order.findIndex(([k, j]) => k === "c" && j === i));
    return { shape, bdims, cdims };
  };
  const x = place(nfx);
  const y = place(nfy);
  return {
    args: [arg((h) => h.uniform(x.shape)), arg((h) => h.uniform(y.shape))],
    params: { contract: [x.cdims, y.cdims], batch: [x.bdims, y.bdims] },
  };
}

/** A different shape with the same number of elements: merged dims, inserted 1s, shuffled. */
function reshapeTarget(g: Gen, s: number[]): number[] {
  let dims = s.slice();
  if (dims.length > 1 && g.bool()) {
    const i = g.int(0, dims.length - 2);
    dims = [...dims.slice(0, i), dims[i] * dims[i + 1], ...dims.slice(i + 2)];
  }
  while (g.bool(0.3)) dims.splice(g.int(0, dims.length), 0, 1);
  return g.perm(dims.length).map((i) => dims[i]);
}

function geometry(g: Gen, D: number): WindowGeometry {
  const r = (lo: number, hi: number) => Array.from({ length: D }, () => g.int(lo, hi));
  return {
    kernel: r(1, 3),
    strides: r(1, 2),
    padLo: r(0, 2),
    padHi: r(0, 2),
    rhsDilation: r(1, 2),
    lhsDilation: r(1, 2),
  };
}

function windowInput(g: Gen): { inShape: number[]; geom: WindowGeometry } {
  const D = g.int(1, 2);
  const inShape = [g.int(1, 2), ...Array.from({ length: D }, () => g.int(2, 4)), g.int(1, 2)];
  return { inShape, geom: geometry(g, D) };
}

const patchShape = (inShape: number[], geom: WindowGeometry) => {
  const D = inShape.length - 2;
  return [inShape[0], ...N.windowOutRef(inShape.slice(1, D + 1), geom), ...geom.kernel, inShape[D + 1]];
};

// ---- the table ---------------------------------------------------------------------------

export const CASES: Cases = {
  neg: smoothUnary(-3, 3, (x) => -x),
  abs: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape();
      return { args: [arg((h) => h.awayFromZero(s))], params: NONE };
    },
    ref: ([x]) => N.mapUnary(x, Math.abs),
  },
  sign: flatUnary((x) => (x > 0 ? 1 : x < 0 ? -1 : x)),
  floor: flatUnary(Math.floor),
  ceil: flatUnary(Math.ceil),
  round: flatUnary(roundHalfEven),
  sqrt: smoothUnary(0.3, 3, Math.sqrt),
  exp: smoothUnary(-2, 2, Math.exp),
  expm1: smoothUnary(-2, 2, Math.expm1),
  log: smoothUnary(0.3, 3, Math.log),
  log1p: smoothUnary(-0.7, 2, Math.log1p),
  sin: smoothUnary(-3, 3, Math.sin),
  cos: smoothUnary(-3, 3, Math.cos),
  tan: smoothUnary(-1.2, 1.2, Math.tan),
  tanh: smoothUnary(-2, 2, Math.tanh),
  sinh: smoothUnary(-2, 2, Math.sinh),
  cosh: smoothUnary(-2, 2, Math.cosh),
  asin: smoothUnary(-0.8, 0.8, Math.asin),
  acos: smoothUnary(-0.8, 0.8, Math.acos),
  atan: smoothUnary(-3, 3, Math.atan),
  asinh: smoothUnary(-3, 3, Math.asinh),
  acosh: smoothUnary(1.3, 3, Math.acosh),
  atanh: smoothUnary(-0.8, 0.8, Math.atanh),
  erf: { ...smoothUnary(-2.5, 2.5, N.erfRef), rtol: 1e-13 },
  erfc: { ...smoothUnary(-2.5, 2.5, N.erfcRef), rtol: 1e-13 },
  logistic: smoothUnary(-3, 3, (x) => 1 / (1 + Math.exp(-x))),
  not: flatUnary(
    (x) => (x ? 0 : 1),
    (g, s) => g.bools(s),
    "bool",
  ),
  isfinite: flatUnary((x) => (Number.isFinite(x) ? 1 : 0), specials, "bool"),
  isnan: flatUnary((x) => (Number.isNaN(x) ? 1 : 0), specials, "bool"),

  add: binaryCase("smooth", uni(-2, 2), uni(-2, 2), (a, b) => a + b),
  sub: binaryCase("smooth", uni(-2, 2), uni(-2, 2), (a, b) => a - b),
  mul: binaryCase("smooth", uni(-2, 2), uni(-2, 2), (a, b) => a * b),
  div: binaryCase("smooth", uni(-2, 2), away, (a, b) => a / b),
  pow: binaryCase("smooth", uni(0.5, 2), uni(-2, 2), Math.pow),
  max: binaryCase("smooth", uni(-2, 2), uni(-2, 2), Math.max),
  min: binaryCase("smooth", uni(-2, 2), uni(-2, 2), Math.min),
  atan2: binaryCase("smooth", uni(-2, 2), away, Math.atan2),
  compare: compareCase(),
  logical: logicCase(),

  select: {
    kind: "smooth",
    gen: (g) => {
      const [a, b] = g.broadcastPair();
      // The condition broadcasts against both branches: take a suffix of their broadcast shape.
      const full = N.broadcastShape(a, b);
      const sc = full.slice(g.int(0, full.length)).map((d) => (g.bool(0.3) ? 1 : d));
      return {
        args: [arg((h) => h.bools(sc), false), arg((h) => h.uniform(a)), arg((h) => h.uniform(b))],
        params: NONE,
      };
    },
    ref: ([c, x, y]) =>
      N.build(N.broadcastShape(c.shape, N.broadcastShape(x.shape, y.shape)), x.dtype, (i) =>
        N.bcAt(c, i) ? N.bcAt(x, i) : N.bcAt(y, i),
      ),
  },
  convert: {
    // float64 ↔ float32 carries derivatives (checked with a float32-sized step and tolerance).
    kind: "smooth",
    gen: (g) => {
      const s = g.shape();
      const toF32 = g.bool();
      return {
        args: [arg((h) => h.uniform(s, -2, 2, toF32 ? "float64" : "float32"))],
        params: { dtype: toF32 ? "float32" : "float64" },
      };
    },
    ref: ([x], { dtype }) => N.mapUnary(x, dtype === "float32" ? Math.fround : (v) => v, dtype),
    grads: { eps: 1e-2, rtol: 1e-3, atol: 1e-4 },
  },
  stop_gradient: {
    kind: "flat",
    gen: (g) => {
      const s = g.shape();
      return { args: [arg((h) => h.uniform(s))], params: NONE };
    },
    ref: ([x]) => x,
  },

  reduce_sum: reduceCase(uni(-2, 2), (a, b) => a + b),
  reduce_max: reduceCase((g, s) => g.distinct(s), Math.max),
  reduce_min: reduceCase((g, s) => g.distinct(s), Math.min),
  reduce_prod: reduceCase(uni(-1.5, 1.5), (a, b) => a * b),
  arg_reduce: argCase(),

  dot_general: {
    kind: "smooth",
    gen: dotSetup,
    ref: ([x, y], p) => N.dotGeneralRef(x, y, p.contract, p.batch),
    rtol: 1e-13,
  },
  reshape: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape();
      return { args: [arg((h) => h.uniform(s))], params: { shape: reshapeTarget(g, s) } };
    },
    ref: ([x], { shape }) => N.build(shape, x.dtype, (i) => x.data[N.offsetOf(shape, i)]),
  },
  transpose: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(0, 4);
      return { args: [arg((h) => h.uniform(s))], params: { perm: g.perm(s.length) } };
    },
    ref: ([x], { perm }) => N.transposeRef(x, perm),
  },
  broadcast: {
    kind: "smooth",
    gen: (g) => {
      const target = g.shape(0, 3).map((d) => (d === 1 && g.bool() ? 3 : d));
      const s = target.slice(g.int(0, target.length)).map((d) => (g.bool(0.4) ? 1 : d));
      return { args: [arg((h) => h.uniform(s))], params: { shape: target } };
    },
    ref: ([x], { shape }) => N.broadcastRef(x, shape),
  },
  slice: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(0, 3, 5);
      const start = s.map((n) => g.int(0, n - 1));
      const stop = s.map((n, d) => g.int(start[d] + 1, n));
      const step = s.map(() => g.int(1, 3));
      return { args: [arg((h) => h.uniform(s))], params: { start, stop, step } };
    },
    ref: ([x], p) => N.sliceRef(x, p.start, p.stop, p.step),
  },
  pad: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(0, 3);
      const r = () => s.map(() => g.int(0, 2));
      return {
        args: [arg((h) => h.uniform(s))],
        params: { lo: r(), hi: r(), interior: r(), value: g.pick([0, 1.5, -2]) },
      };
    },
    ref: ([x], p) => N.padRef(x, p.lo, p.hi, p.interior, p.value),
  },
  concatenate: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(1, 3);
      const axis = g.int(0, s.length - 1);
      const k = g.int(1, 3);
      const shapes = Array.from({ length: k }, () => s.map((n, d) => (d === axis ? g.int(1, 3) : n)));
      return { args: shapes.map((sh) => arg((h) => h.uniform(sh))), params: { axis } };
    },
    ref: (xs, { axis }) => N.concatenateRef(xs, axis),
  },
  rev: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(0, 3);
      return { args: [arg((h) => h.uniform(s))], params: { axes: g.subset(s.length, g.int(0, s.length)) } };
    },
    ref: ([x], { axes }) => N.revRef(x, axes),
  },
  gather: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(1, 3);
      const axis = g.int(0, s.length - 1);
      const is = g.shape(0, 2);
      return {
        args: [arg((h) => h.uniform(s)), arg((h) => h.indices(is, s[axis]), false)],
        params: { axis },
      };
    },
    ref: ([x, i], { axis }) => N.gatherRef(x, i, axis),
  },
  scatter_add: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(1, 3);
      const axis = g.int(0, s.length - 1);
      const is = g.shape(0, 2);
      const us = [...s.slice(0, axis), ...is, ...s.slice(axis + 1)];
      return {
        args: [
          arg((h) => h.uniform(s)),
          arg((h) => h.indices(is, s[axis]), false),
          arg((h) => h.uniform(us)),
        ],
        params: { axis },
      };
    },
    ref: ([o, i, u], { axis }) => N.scatterAddRef(o, i, u, axis),
    rtol: 1e-15,
  },
  cumsum: {
    kind: "smooth",
    gen: (g) => {
      const s = g.shape(1, 3, 4);
      return {
        args: [arg((h) => h.uniform(s))],
        params: { axis: g.int(0, s.length - 1), reverse: g.bool() },
      };
    },
    ref: ([x], p) => N.cumsumRef(x, p.axis, p.reverse),
    rtol: 1e-14,
  },
  patches: {
    kind: "smooth",
    gen: (g) => {
      const { inShape, geom } = windowInput(g);
      return { args: [arg((h) => h.uniform(inShape))], params: geom };
    },
    ref: ([x], p) => N.patchesRef(x, p),
  },
  patches_t: {
    kind: "smooth",
    gen: (g) => {
      const { inShape, geom } = windowInput(g);
      return { args: [arg((h) => h.uniform(patchShape(inShape, geom)))], params: { ...geom, inShape } };
    },
    ref: ([p], { inShape, ...geom }) => N.patchesTRef(p, inShape, geom),
    rtol: 1e-14,
  },
};
