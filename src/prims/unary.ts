import { unary as unaryKernel } from "../kernels/elementwise.js";
import * as L from "./lax.js";
import { elementwiseBatch, requireFloat } from "./helpers.js";
import { bind, type Tensor } from "./tensor.js";
import type { PrimRule, UnaryPrim } from "./types.js";

type Derivative = (x: Tensor, y: Tensor) => Tensor;
const NONE = {} as Record<string, never>;
const c = L.scalarLike;

/** A smooth unary primitive: dy = f'(x) · dx, with f' written in primitives (so it differentiates again). */
function smooth(prim: UnaryPrim, derivative: Derivative, floatOnly = true): PrimRule<UnaryPrim> {
  return {
    impl: ([x]) => unaryKernel(prim, x, x.dtype),
    shape: ([x]) => {
      if (floatOnly) requireFloat(prim, x);
      return x;
    },
    jvp: ([x], [dx]) => {
      const y = bind(prim, [x], NONE);
      return [y, dx === null ? null : L.mul(dx, derivative(x, y))];
    },
    transpose: "nonlinear",
    batch: elementwiseBatch(prim),
  };
}

/** A piecewise-constant primitive (sign, floor, …): zero derivative everywhere it exists, as in JAX. */
function flat(prim: UnaryPrim, outBool = false): PrimRule<UnaryPrim> {
  return {
    impl: ([x]) => unaryKernel(prim, x, outBool ? "bool" : x.dtype),
    shape: ([x]) => ({ shape: x.shape, dtype: outBool ? "bool" : x.dtype }),
    jvp: ([x]) => [bind(prim, [x], NONE), null],
    transpose: "nonlinear",
    batch: elementwiseBatch(prim),
  };
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const oneMinusSq = (x: Tensor) => L.sub(c(x, 1), L.mul(x, x));

export const unaryRules: { [P in UnaryPrim]: PrimRule<P> } = {
  // Linear: d(-x) = -dx, and the transpose of negation is negation.
  neg: {
    impl: ([x]) => unaryKernel("neg", x, x.dtype),
    shape: ([x]) => x,
    jvp: ([x], [dx]) => [L.neg(x), dx === null ? null : L.neg(dx)],
    transpose: (ct) => [L.neg(ct)],
    batch: elementwiseBatch("neg"),
  },
  // d|x| = sign(x) dx; at 0 the derivative is 0, as JAX.
  abs: smooth("abs", (x) => L.sign(x), false),
  sign: flat("sign"),
  floor: flat("floor"),
  ceil: flat("ceil"),
  round: flat("round"),
  // d√x = dx / (2√x)
  sqrt: smooth("sqrt", (_x, y) => L.div(c(y, 0.5), y)),
  // d eˣ = eˣ dx
  exp: smooth("exp", (_x, y) => y),
  // d(eˣ − 1) = eˣ dx
  expm1: smooth("expm1", (_x, y) => L.add(y, c(y, 1))),
  // d log x = dx / x
  log: smooth("log", (x) => L.div(c(x, 1), x)),
  // d log(1 + x) = dx / (1 + x)
  log1p: smooth("log1p", (x) => L.div(c(x, 1), L.add(c(x, 1), x))),
  sin: smooth("sin", (x) => L.cos(x)),
  cos: smooth("cos", (x) => L.neg(L.sin(x))),
  // d tan x = (1 + tan² x) dx
  tan: smooth("tan", (_x, y) => L.add(c(y, 1), L.mul(y, y))),
  // d tanh x = (1 − tanh² x) dx
  tanh: smooth("tanh", (_x, y) => oneMinusSq(y)),
  sinh: smooth("sinh", (x) => L.cosh(x)),
  cosh: smooth("cosh", (x) => L.sinh(x)),
  // d asin x = dx / √(1 − x²)
  asin: smooth("asin", (x) => L.div(c(x, 1), L.sqrt(oneMinusSq(x)))),
  acos: smooth("acos", (x) => L.div(c(x, -1), L.sqrt(oneMinusSq(x)))),
  // d atan x = dx / (1 + x²)
  atan: smooth("atan", (x) => L.div(c(x, 1), L.add(c(x, 1), L.mul(x, x)))),
  // d asinh x = dx / √(x² + 1)
  asinh: smooth("asinh", (x) => L.div(c(x, 1), L.sqrt(L.add(L.mul(x, x), c(x, 1))))),
  // d acosh x = dx / (√(x − 1) √(x + 1))
  acosh: smooth("acosh", (x) => L.div(c(x, 1), L.mul(L.sqrt(L.sub(x, c(x, 1))), L.sqrt(L.add(x, c(x, 1)))))),
  // d atanh x = dx / (1 − x²)
  atanh: smooth("atanh", (x) => L.div(c(x, 1), oneMinusSq(x))),
  // d erf x = 2/√π e^{−x²} dx
  erf: smooth("erf", (x) => L.mul(c(x, TWO_OVER_SQRT_PI), L.exp(L.neg(L.mul(x, x))))),
  erfc: smooth("erfc", (x) => L.mul(c(x, -TWO_OVER_SQRT_PI), L.exp(L.neg(L.mul(x, x))))),
  // d σ(x) = σ(x)(1 − σ(x)) dx
  logistic: smooth("logistic", (_x, y) => L.mul(y, L.sub(c(y, 1), y))),
  not: flat("not", true),
  isfinite: flat("isfinite", true),
  isnan: flat("isnan", true),
};
