/**
 * Activation functions as composites of primitives: none needs a derivative rule of its own.
 * Where a naive formula overflows or loses precision, the stable form is used and noted.
 */
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { TensorLike } from "./convert.js";
import { abs, erf, exp, expm1, log1p, tanh, where } from "./elementwise.js";
import { logsumexp, max, sum } from "./reduction.js";
import { toFloat } from "./promote.js";

const c = L.scalarLike;

/** 1/(1+e^{−x}), a primitive so that it is stable for any x. @example sigmoid(x) */
export const sigmoid = (x: TensorLike): Tensor => L.unary("logistic", toFloat(x));

/**
 * max(x, 0); NaN stays NaN and the derivative at 0 is 0 (JAX's convention). See docs/nan-semantics.md.
 *
 * @example relu(x)
 */
export function relu(x: TensorLike): Tensor {
  const t = toFloat(x);
  // where(x <= 0, 0, x): a comparison with NaN is false, so NaN takes the x branch and stays NaN
  // (where(x > 0, x, 0) turned NaN into 0). A select, not maximum(x, 0), so relu'(0) = 0 rather
  // than max's tie value 1/2. One comparison, as before: no slower.
  return L.select(L.le(t, c(t, 0)), c(t, 0), t);
}

/** min(max(x, 0), 6); NaN stays NaN, the derivative is 0 at 0 and at 6 (JAX). @example relu6(x) */
export const relu6 = (x: TensorLike): Tensor => {
  const r = relu(x);
  // where(r >= 6, 6, r) so that NaN (for which every comparison is false) passes through.
  return L.select(L.ge(r, c(r, 6)), c(r, 6), r);
};

/**
 * log(1 + eˣ), finite for any x: x + log1p(e^{−x}) for x > 0 and log1p(eˣ) otherwise, each branch
 * fed only the inputs it is used for, so no exp overflows. (The one-line max(x, 0) + log1p(e^{−|x|})
 * has kinks at 0 in both terms, which made softplus'(0) come out 0 instead of σ(0) = 1/2.)
 *
 * @example softplus(x)
 */
export function softplus(x: TensorLike): Tensor {
  const t = toFloat(x);
  const pos = L.gt(t, c(t, 0));
  const a = L.select(pos, t, c(t, 0));
  const b = L.select(pos, c(t, 0), t);
  return L.select(pos, L.add(a, log1p(exp(L.neg(a)))), log1p(exp(b)));
}

/** x / (1 + |x|). @example softsign(x) */
export const softsign = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.div(t, L.add(c(t, 1), abs(t)));
};

/** x for x > 0, α(eˣ − 1) otherwise. @example elu(x, 1) */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = toFloat(x);
  // The negative branch sees 0 where x > 0, so it never overflows (its derivative would be NaN·0);
  // a select rather than min(x, 0), whose tie at 0 halved the derivative there (JAX: elu'(0) = α).
  const pos = L.gt(t, c(t, 0));
  return where(pos, t, L.mul(c(t, alpha), expm1(L.select(pos, c(t, 0), t))));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Scaled ELU with Klambauer et al.'s constants (Keras's). @example selu(x) */
export const selu = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.mul(c(t, SELU_SCALE), elu(t, SELU_ALPHA));
};

/**
 * GELU: exact x·Φ(x) = x/2·(1 + erf(x/√2)) by default, or the tanh approximation
 * x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) with `approximate: true` (Keras's `approximate` flag).
 *
 * @example gelu(x); gelu(x, { approximate: true })
 */
export function gelu(x: TensorLike, opts: { approximate?: boolean } = {}): Tensor {
  const t = toFloat(x);
  if (opts.approximate) {
    const inner = L.mul(c(t, Math.sqrt(2 / Math.PI)), L.add(t, L.mul(c(t, 0.044715), L.mul(t, L.mul(t, t)))));
    return L.mul(L.mul(c(t, 0.5), t), L.add(c(t, 1), tanh(inner)));
  }
  return L.mul(L.mul(c(t, 0.5), t), L.add(c(t, 1), erf(L.mul(t, c(t, Math.SQRT1_2)))));
}

/** x·σ(x) (also called swish). @example silu(x) */
export const silu = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.mul(t, sigmoid(t));
};
/** Alias of silu. @example swish(x) */
export const swish = silu;

/** Keras 3 / PyTorch hard sigmoid: relu6(x + 3)/6. @example hardSigmoid(x) */
export const hardSigmoid = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.div(relu6(L.add(t, c(t, 3))), c(t, 6));
};

/** x·relu6(x + 3)/6 (Keras 3's hard_silu / hard_swish). @example hardSwish(x) */
export const hardSwish = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.mul(t, hardSigmoid(t));
};

/**
 * x for x ≥ 0, αx otherwise (Keras's default α is 0.2 in Keras 3, 0.3 in Keras 2). The derivative
 * at 0 is 1, as JAX's `where(x >= 0, x, αx)` (TensorFlow and PyTorch give α there).
 *
 * @example leakyRelu(x, 0.2)
 */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toFloat(x);
  return L.select(L.ge(t, c(t, 0)), t, L.mul(c(t, alpha), t));
}

/** x·tanh(softplus(x)). @example mish(x) */
export const mish = (x: TensorLike): Tensor => {
  const t = toFloat(x);
  return L.mul(t, tanh(softplus(t)));
};

/** log σ(x) = −softplus(−x), stable for large |x|. @example logSigmoid(x) */
export const logSigmoid = (x: TensorLike): Tensor => L.neg(softplus(L.neg(toFloat(x))));

/**
 * exp(x − m) / Σ exp(x − m) along `axis` (default last), with m the max held constant (shifting
 * changes neither the value nor the derivative). Not exp(x − logsumexp(x)): rounding m + log Σ
 * costs |m|·ε of relative accuracy (5e-14 for logits near 1000).
 *
 * @example softmax(logits)
 */
export function softmax(x: TensorLike, axis: number | number[] = -1): Tensor {
  const t = toFloat(x);
  const m = L.stopGradient(max(t, { axis, keepdims: true }));
  const finiteM = L.select(L.unary("isfinite", m), m, c(m, 0));
  const e = exp(L.sub(t, finiteM));
  return L.div(e, sum(e, { axis, keepdims: true }));
}

/** x − logsumexp(x) along `axis`, stable for large logits. @example logSoftmax(logits, -1) */
export function logSoftmax(x: TensorLike, axis: number | number[] = -1): Tensor {
  const t = toFloat(x);
  return L.sub(t, logsumexp(t, { axis, keepdims: true }));
}
