import { isFloat } from "../core/dtype.js";
import { normalizeAxes, normalizeAxis } from "../core/shape.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { Axis, ReduceOptions, VarOptions } from "../prims/opOptions.js";
import type { ReducePrim } from "../prims/types.js";
import { asTensor, type TensorLike } from "./convert.js";
import { toFloat } from "./promote.js";

export type { Axis, ReduceOptions, VarOptions } from "../prims/opOptions.js";

/** Reduces over the normalized axes and restores them as size-1 dims when `keepdims`. */
function reduceWith(prim: ReducePrim, x: Tensor, opts: ReduceOptions, op: string): Tensor {
  const axes = normalizeAxes(opts.axis, x.ndim, op);
  const y = L.reduce(prim, x, axes);
  return opts.keepdims
    ? L.reshape(
        y,
        x.shape.map((n, d) => (axes.includes(d) ? 1 : n)),
      )
    : y;
}

const sumDtype = (x: Tensor) => (x.dtype === "bool" ? L.convert(x, "int32") : x);

/** @example sum(x, { axis: -1, keepdims: true }) */
export const sum = (x: TensorLike, opts: ReduceOptions = {}) =>
  reduceWith("reduce_sum", sumDtype(asTensor(x)), opts, "sum");
/** @example prod(x, { axis: 0 }) */
export const prod = (x: TensorLike, opts: ReduceOptions = {}) =>
  reduceWith("reduce_prod", sumDtype(asTensor(x)), opts, "prod");
/** Maximum; ties share the derivative equally (JAX). @example max(x, { axis: 1 }) */
export const max = (x: TensorLike, opts: ReduceOptions = {}) =>
  reduceWith("reduce_max", asTensor(x), opts, "max");
/** @example min(x) */
export const min = (x: TensorLike, opts: ReduceOptions = {}) =>
  reduceWith("reduce_min", asTensor(x), opts, "min");

const countOf = (x: Tensor, axis: Axis) =>
  normalizeAxes(axis, x.ndim, "mean").reduce((n, a) => n * x.shape[a], 1);

/** Arithmetic mean. @example mean(x, { axis: 0 }) */
export function mean(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = toFloat(x);
  return L.div(sum(t, opts), L.scalarLike(t, countOf(t, opts.axis)));
}

/** Variance (NumPy semantics, `ddof` 0 by default). @example variance(x, { axis: 0, ddof: 1 }) */
export function variance(x: TensorLike, opts: VarOptions = {}): Tensor {
  const t = toFloat(x);
  const n = countOf(t, opts.axis) - (opts.ddof ?? 0);
  const centered = L.sub(t, mean(t, { axis: opts.axis, keepdims: true }));
  return L.div(sum(L.mul(centered, centered), opts), L.scalarLike(t, n));
}

/** Standard deviation. @example std(x, { axis: 0 }) */
export const std = (x: TensorLike, opts: VarOptions = {}) => L.sqrt(variance(x, opts));

/**
 * log Σ exp(x), stable for large x: the max is subtracted first (and held constant, which does
 * not change the value or the derivative).
 *
 * @example logsumexp(logits, { axis: -1 })
 */
export function logsumexp(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = toFloat(x);
  const m = L.stopGradient(max(t, { axis: opts.axis, keepdims: true }));
  const finiteM = L.select(L.unary("isfinite", m), m, L.scalarLike(m, 0));
  const s = sum(L.exp(L.sub(t, finiteM)), { axis: opts.axis, keepdims: true });
  const out = L.add(L.log(s), finiteM);
  return opts.keepdims
    ? out
    : L.reshape(
        out,
        out.shape.filter((_, d) => !normalizeAxes(opts.axis, t.ndim, "logsumexp").includes(d)),
      );
}

function argReduce(prim: "argmax" | "argmin", x: TensorLike, axis?: number | null, keepdims = false): Tensor {
  let t = asTensor(x);
  if (axis === undefined || axis === null) {
    t = L.reshape(t, [t.size]);
    axis = 0;
  }
  const a = normalizeAxis(axis, t.ndim, prim);
  if (!isFloat(t.dtype) && t.dtype !== "int32") t = L.convert(t, "int32");
  const y = prim === "argmax" ? L.argmax(t, a) : L.argmin(t, a);
  return keepdims
    ? L.reshape(
        y,
        t.shape.map((n, d) => (d === a ? 1 : n)),
      )
    : y;
}

/** Index of the (first) maximum; over the flattened array when axis is omitted. @example argmax(x, 1) */
export const argmax = (x: TensorLike, axis?: number | null, keepdims = false) =>
  argReduce("argmax", x, axis, keepdims);
/** @example argmin(x, 0) */
export const argmin = (x: TensorLike, axis?: number | null, keepdims = false) =>
  argReduce("argmin", x, axis, keepdims);
