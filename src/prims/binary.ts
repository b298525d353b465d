import { broadcastShapes } from "../core/shape.js";
import { binary as binaryKernel, select as selectKernel } from "../kernels/elementwise.js";
import { DTypeError, ValueError } from "../core/errors.js";
import * as L from "./lax.js";
import { broadcastingBatch, requireSameDtype } from "./helpers.js";
import { bind, type Aval, type Tensor } from "./tensor.js";
import {
  LinearArg,
  type BinaryPrim,
  type CompareOp,
  type LogicalOp,
  type PrimRule,
  type TransposeRule,
} from "./types.js";

const NONE = {} as Record<string, never>;
const c = L.scalarLike;

function binaryShape(op: BinaryPrim | CompareOp | LogicalOp, outBool: boolean) {
  return ([x, y]: Aval[]): Aval => {
    const dtype = requireSameDtype(op, [x, y]);
    return { shape: broadcastShapes(op, x.shape, y.shape), dtype: outBool ? "bool" : dtype };
  };
}

/** Gives a tangent the output's shape (a tangent of a broadcast operand may be smaller). */
const fit = (t: Tensor, shape: readonly number[]) => L.broadcast(t, shape);

/** Sum of tangent terms, treating `null` as a symbolic zero. */
function sumTangents(shape: readonly number[], ...terms: (Tensor | null)[]): Tensor | null {
  const live = terms.filter((t): t is Tensor => t !== null);
  if (live.length === 0) return null;
  return fit(
    live.reduce((a, b) => L.add(a, b)),
    shape,
  );
}

/** A smooth binary primitive: d f(x, y) = ∂x f · dx + ∂y f · dy. */
function smooth(
  prim: BinaryPrim,
  partials: (x: Tensor, y: Tensor, out: Tensor) => [Tensor, Tensor],
  transpose: TransposeRule<BinaryPrim> | "nonlinear" = "nonlinear",
): PrimRule<BinaryPrim> {
  return {
    impl: ([x, y]) => binaryKernel(prim, x, y, broadcastShapes(prim, x.shape, y.shape), x.dtype),
    shape: binaryShape(prim, false),
    jvp: ([x, y], [dx, dy]) => {
      const out = bind(prim, [x, y], NONE);
      if (dx === null && dy === null) return [out, null];
      const [px, py] = partials(x, y, out);
      return [out, sumTangents(out.aval.shape, dx && L.mul(dx, px), dy && L.mul(dy, py))];
    },
    transpose,
    batch: broadcastingBatch(prim),
  };
}

/** Cotangent for operand i of a broadcasting op whose cotangent contribution is `ct`. */
const ctFor = (arg: Tensor | LinearArg, ct: Tensor) =>
  arg instanceof LinearArg ? L.unbroadcast(ct, arg.aval.shape) : null;

/** The weight of x in d max(x, y): 1 where x wins, 0.5 on ties (JAX's convention), 0 elsewhere. */
function winnerWeight(x: Tensor, y: Tensor, wins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const one = c(x, 1);
  return L.select(wins(x, y), one, L.select(L.eq(x, y), c(x, 0.5), c(x, 0)));
}

export const binaryRules: { [P in BinaryPrim]: PrimRule<P> } = {
  // d(x + y) = dx + dy; transpose sums the cotangent back to each operand's shape.
  add: {
    impl: ([x, y]) => binaryKernel("add", x, y, broadcastShapes("add", x.shape, y.shape), x.dtype),
    shape: binaryShape("add", false),
    jvp: ([x, y], [dx, dy]) => {
      const out = L.add(x, y);
      return [out, sumTangents(out.aval.shape, dx, dy)];
    },
    transpose: (ct, [x, y]) => [ctFor(x, ct), ctFor(y, ct)],
    batch: broadcastingBatch("add"),
  },
  // d(x − y) = dx − dy
  sub: {
    impl: ([x, y]) => binaryKernel("sub", x, y, broadcastShapes("sub", x.shape, y.shape), x.dtype),
    shape: binaryShape("sub", false),
    jvp: ([x, y], [dx, dy]) => {
      const out = L.sub(x, y);
      return [out, sumTangents(out.aval.shape, dx, dy && L.neg(dy))];
    },
    transpose: (ct, [x, y]) => [
      ctFor(x, ct),
      y instanceof LinearArg ? L.unbroadcast(L.neg(ct), y.aval.shape) : null,
    ],
    batch: broadcastingBatch("sub"),
  },
  // d(x·y) = y dx + x dy; linear in whichever operand is the tangent.
  mul: smooth(
    "mul",
    (x, y) => [y, x],
    (ct, [x, y]) => [
      x instanceof LinearArg ? L.unbroadcast(L.mul(ct, y as Tensor), x.aval.shape) : null,
      y instanceof LinearArg ? L.unbroadcast(L.mul(x as Tensor, ct), y.aval.shape) : null,
    ],
  ),
  // d(x/y) = dx/y − (x/y) dy/y; linear in x only.
  div: smooth(
    "div",
    (_x, y, out) => [L.div(c(y, 1), y), L.neg(L.div(out, y))],
    (ct, [x, y]) => {
      if (y instanceof LinearArg) throw new DTypeError("div: not linear in its denominator (internal error)");
      return [ctFor(x, L.div(ct, y)), null];
    },
  ),
  // d(xʸ) = y xʸ⁻¹ dx + log(x) xʸ dy, with JAX's choices at 0: the dx term is 0 when y = 0
  // and the dy term is 0 when x = 0 (instead of 0·∞ = NaN).
  pow: {
    ...smooth("pow", (x, y, out) => {
      const zero = c(x, 0);
      const dxFactor = L.select(L.eq(y, zero), zero, L.mul(y, L.pow(x, L.sub(y, c(y, 1)))));
      const safeX = L.select(L.eq(x, zero), c(x, 1), x);
      const dyFactor = L.select(L.eq(x, zero), zero, L.mul(L.log(safeX), out));
      return [dxFactor, dyFactor];
    }),
    // An int32 result cannot hold 2⁻¹; NumPy refuses rather than truncating it to 0.
    impl: ([x, y]) => {
      if (x.dtype === "int32" && (y.data as Int32Array).some((v) => v < 0))
        throw new ValueError("pow: integers to negative integer powers are not allowed (use float inputs)");
      return binaryKernel("pow", x, y, broadcastShapes("pow", x.shape, y.shape), x.dtype);
    },
  },
  // Each operand's weight from its own comparison (not 1 − the other's), so that with a NaN
  // operand both are 0, as JAX's _balanced_eq gives, instead of all of it going to y.
  max: smooth("max", (x, y) => [winnerWeight(x, y, L.gt), winnerWeight(y, x, L.gt)]),
  min: smooth("min", (x, y) => [winnerWeight(x, y, L.lt), winnerWeight(y, x, L.lt)]),
  // d atan2(a, b) = (b da − a db) / (a² + b²)
  atan2: smooth("atan2", (a, b) => {
    const r2 = L.add(L.mul(a, a), L.mul(b, b));
    return [L.div(b, r2), L.neg(L.div(a, r2))];
  }),
};

/**
 * A family of bool-valued binary primitives, the operation a parameter: `compare` (eq ne lt le
 * gt ge) and `logical` (and or). Rules written once per family; piecewise constant, so the
 * tangent is a symbolic zero.
 */
function predicateRule<P extends "compare" | "logical">(prim: P): PrimRule<P> {
  return {
    impl: ([x, y], { op }) => binaryKernel(op, x, y, broadcastShapes(op, x.shape, y.shape), "bool"),
    shape: (args, { op }) => binaryShape(op, true)(args),
    jvp: ([x, y], _tangents, params) => [bind(prim, [x, y], params), null],
    transpose: "nonlinear",
    batch: broadcastingBatch(prim),
  };
}

/** `compare(x, y, { op })`: x op y element-wise (eq ne lt le gt ge), broadcasting, bool out. */
export const compareRule = predicateRule("compare");
/** `logical(x, y, { op })`: x and / or y element-wise on bools, broadcasting. */
export const logicalRule = predicateRule("logical");

/** `select(c, x, y)`: c ? x : y, broadcasting all three; linear in x and y. */
export const selectRule: PrimRule<"select"> = {
  impl: ([cond, x, y]) => selectKernel(cond, x, y, broadcastShapes("where", cond.shape, x.shape, y.shape)),
  shape: ([cond, x, y]) => {
    if (cond.dtype !== "bool") throw new DTypeError(`where: condition must be bool, got ${cond.dtype}`);
    return {
      shape: broadcastShapes("where", cond.shape, x.shape, y.shape),
      dtype: requireSameDtype("where", [x, y]),
    };
  },
  jvp: ([cond, x, y], [, dx, dy]) => {
    const out = L.select(cond, x, y);
    if (dx === null && dy === null) return [out, null];
    return [out, fit(L.select(cond, dx ?? L.zerosLike(x), dy ?? L.zerosLike(y)), out.aval.shape)];
  },
  // ct flows to x where the condition holds and to y elsewhere.
  transpose: (ct, [cond, x, y]) => {
    const zero = L.scalarLike(ct, 0);
    return [
      null,
      x instanceof LinearArg ? L.unbroadcast(L.select(cond as Tensor, ct, zero), x.aval.shape) : null,
      y instanceof LinearArg ? L.unbroadcast(L.select(cond as Tensor, zero, ct), y.aval.shape) : null,
    ];
  },
  batch: broadcastingBatch("select"),
};
