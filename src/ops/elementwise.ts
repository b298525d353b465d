import { isFloat } from "../core/dtype.js";
import { broadcastShapes } from "../core/shape.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { BinaryPrim, CompareOp, UnaryPrim } from "../prims/types.js";
import { asTensor, type TensorLike } from "./convert.js";
import { promote, toFloat } from "./promote.js";

const floatUnary = (prim: UnaryPrim) => (x: TensorLike) => L.unary(prim, toFloat(x));
const arith = (prim: BinaryPrim) => (a: TensorLike, b: TensorLike) => {
  const [x, y] = promote(a, b);
  return L.binary(prim, x, y);
};
const compare = (op: CompareOp) => (a: TensorLike, b: TensorLike) => {
  const [x, y] = promote(a, b);
  return L.compare(op, x, y);
};

/** a + b with NumPy broadcasting. @example add(x, 1) */
export const add = arith("add");
/** a − b. @example sub(x, y) */
export const sub = arith("sub");
/** a · b element-wise. @example mul(x, y) */
export const mul = arith("mul");
/** True division (integers give float64, like NumPy). @example div(x, 2) */
export const div = (a: TensorLike, b: TensorLike): Tensor => {
  const [x, y] = promote(a, b);
  return isFloat(x.dtype) ? L.div(x, y) : L.div(toFloat(x), toFloat(y));
};
/** aᵇ. @example pow(x, 3) */
export const pow = (a: TensorLike, b: TensorLike): Tensor => {
  if (typeof b === "number" && b === 2) return square(a);
  return arith("pow")(a, b);
};
/** Element-wise maximum; ties give each side half the derivative (JAX). @example maximum(x, 0) */
export const maximum = arith("max");
/** Element-wise minimum. @example minimum(x, 6) */
export const minimum = arith("min");
/** atan2(y, x) in radians. @example atan2(y, x) */
export const atan2 = (y: TensorLike, x: TensorLike) =>
  L.binary("atan2", ...(promote(toFloat(y), toFloat(x)).slice(0, 2) as [Tensor, Tensor]));

/** @example equal(x, 0) */
export const equal = compare("eq");
/** @example notEqual(x, 0) */
export const notEqual = compare("ne");
/** @example less(x, 0) */
export const less = compare("lt");
/** @example lessEqual(x, 0) */
export const lessEqual = compare("le");
/** @example greater(x, 0) */
export const greater = compare("gt");
/** @example greaterEqual(x, 0) */
export const greaterEqual = compare("ge");
/** @example logicalAnd(a, b) */
export const logicalAnd = (a: TensorLike, b: TensorLike) =>
  L.logical("and", L.convert(asTensor(a), "bool"), L.convert(asTensor(b), "bool"));
/** @example logicalOr(a, b) */
export const logicalOr = (a: TensorLike, b: TensorLike) =>
  L.logical("or", L.convert(asTensor(a), "bool"), L.convert(asTensor(b), "bool"));
/** @example logicalNot(mask) */
export const logicalNot = (a: TensorLike) => L.unary("not", L.convert(asTensor(a), "bool"));
/** @example isfinite(x) */
export const isfinite = (a: TensorLike) => L.unary("isfinite", asTensor(a));
/** @example isnan(x) */
export const isnan = (a: TensorLike) => L.unary("isnan", asTensor(a));

/**
 * `cond ? x : y` element-wise with broadcasting. Derivatives flow only through the branch taken.
 *
 * @example where(greater(x, 0), x, 0)
 */
export function where(cond: TensorLike, x: TensorLike, y: TensorLike): Tensor {
  const c = L.convert(asTensor(cond), "bool");
  const [a, b] = promote(x, y);
  return L.select(c, a, b);
}

/** @example neg(x) */
export const neg = (x: TensorLike) => L.neg(asTensor(x));
/** |x|; the derivative at 0 is 0 (JAX). @example abs(x) */
export const abs = (x: TensorLike) => L.unary("abs", asTensor(x));
/** −1, 0 or 1 (derivative 0). @example sign(x) */
export const sign = (x: TensorLike) => L.sign(asTensor(x));
/** x². @example square(x) */
export const square = (x: TensorLike) => {
  const t = asTensor(x);
  return L.mul(t, t);
};
/** @example sqrt(x) */
export const sqrt = floatUnary("sqrt");
/** 1/√x. @example rsqrt(x) */
export const rsqrt = (x: TensorLike) => {
  const t = toFloat(x);
  return L.div(L.scalarLike(t, 1), L.sqrt(t));
};
/** 1/x. @example reciprocal(x) */
export const reciprocal = (x: TensorLike) => {
  const t = toFloat(x);
  return L.div(L.scalarLike(t, 1), t);
};
/** @example exp(x) */
export const exp = floatUnary("exp");
/** eˣ − 1, accurate near 0. @example expm1(x) */
export const expm1 = floatUnary("expm1");
/** Natural log. @example log(x) */
export const log = floatUnary("log");
/** log(1 + x), accurate near 0. @example log1p(x) */
export const log1p = floatUnary("log1p");
/** @example sin(x) */
export const sin = floatUnary("sin");
/** @example cos(x) */
export const cos = floatUnary("cos");
/** @example tan(x) */
export const tan = floatUnary("tan");
/** @example tanh(x) */
export const tanh = floatUnary("tanh");
/** @example sinh(x) */
export const sinh = floatUnary("sinh");
/** @example cosh(x) */
export const cosh = floatUnary("cosh");
/** @example asin(x) */
export const asin = floatUnary("asin");
/** @example acos(x) */
export const acos = floatUnary("acos");
/** @example atan(x) */
export const atan = floatUnary("atan");
/** @example asinh(x) */
export const asinh = floatUnary("asinh");
/** @example acosh(x) */
export const acosh = floatUnary("acosh");
/** @example atanh(x) */
export const atanh = floatUnary("atanh");
/** Gauss error function. @example erf(x) */
export const erf = floatUnary("erf");
/** 1 − erf(x), accurate in the tail. @example erfc(x) */
export const erfc = floatUnary("erfc");
/** Derivative 0 (JAX). @example floor(x) */
export const floor = (x: TensorLike) => L.unary("floor", asTensor(x));
/** @example ceil(x) */
export const ceil = (x: TensorLike) => L.unary("ceil", asTensor(x));
/** Rounds half to even, like NumPy. @example round(x) */
export const round = (x: TensorLike) => L.unary("round", asTensor(x));

/**
 * Clamps to [lo, hi]; the derivative is 1 inside and 0 outside (at a bound it is split, like max/min).
 *
 * @example clip(x, 0, 6)
 */
export function clip(x: TensorLike, lo: TensorLike | null, hi: TensorLike | null): Tensor {
  let t = asTensor(x);
  if (lo !== null) t = maximum(t, lo);
  if (hi !== null) t = minimum(t, hi);
  return t;
}

/** The shape operands broadcast to (NumPy's rules). @example broadcastShapesOf(a, b) */
export const broadcastShapesOf = (...xs: Tensor[]) => broadcastShapes("broadcast", ...xs.map((x) => x.shape));
