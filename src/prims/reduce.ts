import { ValueError } from "../core/errors.js";
import { argReduce, reduce as reduceKernel, type ReduceOp } from "../kernels/reduce.js";
import * as L from "./lax.js";
import { toFront, shiftAxes } from "./helpers.js";
import { bind, type Aval, type Tensor } from "./tensor.js";
import { LinearArg, type PrimRule, type ReducePrim } from "./types.js";

function reducedShape(op: string, x: Aval, axes: readonly number[]): number[] {
  for (const a of axes)
    if (!Number.isInteger(a) || a < 0 || a >= x.shape.length)
      throw new ValueError(`${op}: axis ${a} is out of range for an array of rank ${x.shape.length}`);
  return x.shape.filter((_, d) => !axes.includes(d));
}

/** `x` reduced over `axes`, reshaped so it broadcasts against `x` (keepdims). */
export function keepDims(y: Tensor, xShape: readonly number[], axes: readonly number[]): Tensor {
  return L.reshape(
    y,
    xShape.map((n, d) => (axes.includes(d) ? 1 : n)),
  );
}

const KERNEL_OP: Record<ReducePrim, ReduceOp> = {
  reduce_sum: "sum",
  reduce_max: "max",
  reduce_min: "min",
  reduce_prod: "prod",
};

function reduceBase(prim: ReducePrim, requireNonEmpty: boolean) {
  return {
    impl: ([x]: import("../core/ndarray.js").NDArray[], { axes }: { axes: number[] }) =>
      reduceKernel(KERNEL_OP[prim], x, axes, x.dtype),
    shape: ([x]: Aval[], { axes }: { axes: number[] }): Aval => {
      const shape = reducedShape(prim, x, axes);
      if (requireNonEmpty && axes.some((a) => x.shape[a] === 0))
        throw new ValueError(
          `${prim}: cannot reduce an empty axis (shape [${x.shape.join(",")}]) with no identity`,
        );
      return { shape, dtype: x.dtype };
    },
    batch: ([x]: Tensor[], [d]: (number | null)[], { axes }: { axes: number[] }): [Tensor, number] => [
      bind(prim, [toFront(x, d)], { axes: shiftAxes(axes) }),
      0,
    ],
  };
}

/**
 * d max = dx at the location of the maximum; ties share it equally (JAX's convention), so the
 * derivative of max over [a, a] is the mean of the tangents.
 */
function extremumRule<P extends "reduce_max" | "reduce_min">(prim: P): PrimRule<P> {
  return {
    ...reduceBase(prim, true),
    jvp: ([x], [dx], { axes }) => {
      const y = bind(prim, [x], { axes });
      if (dx === null) return [y, null];
      const hit = L.convert(L.eq(x, keepDims(y, x.aval.shape, axes)), x.dtype);
      const count = L.reduceSum(hit, axes);
      return [y, L.div(L.reduceSum(L.mul(dx, hit), axes), count)];
    },
    transpose: "nonlinear",
  };
}

export const reduceRules: { [P in ReducePrim]: PrimRule<P> } = {
  // Linear: d Σx = Σdx; the transpose broadcasts the cotangent back over the reduced axes.
  reduce_sum: {
    ...reduceBase("reduce_sum", false),
    jvp: ([x], [dx], { axes }) => [L.reduceSum(x, axes), dx && L.reduceSum(dx, axes)],
    transpose: (ct, [x], { axes }) => {
      const shape = (x as LinearArg).aval.shape;
      return [L.broadcast(keepDims(ct, shape, axes), shape)];
    },
  },
  reduce_max: extremumRule("reduce_max"),
  reduce_min: extremumRule("reduce_min"),
  // d Πx = Σᵢ (Π_{j≠i} xⱼ) dxᵢ. The products of the others are computed without dividing by xᵢ
  // (so zeros are fine) and with differentiable primitives, so higher derivatives follow.
  reduce_prod: {
    ...reduceBase("reduce_prod", false),
    jvp: ([x], [dx], { axes }) => {
      const y = bind("reduce_prod", [x], { axes });
      if (dx === null) return [y, null];
      return [y, L.reduceSum(L.mul(dx, productOfOthers(x, axes)), axes)];
    },
    transpose: "nonlinear",
  },
};

/**
 * For each element, the product of the other elements in its reduction group (same shape as x):
 * (product of those before it) · (product of those after it), like JAX's reduce_prod JVP.
 * (An n×n "all but the diagonal" matrix per group would need O(n²) memory: 3 GB for n = 20000.)
 */
function productOfOthers(x: Tensor, axes: number[]): Tensor {
  const shape = x.aval.shape;
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const perm = [...kept, ...axes];
  const keptShape = kept.map((d) => shape[d]);
  const n = axes.reduce((p, a) => p * shape[a], 1);
  const flat = L.reshape(L.transpose(x, perm), [...keptShape, n]);
  const last = keptShape.length;
  const before = exclusiveCumprod(flat);
  const after = L.rev(exclusiveCumprod(L.rev(flat, [last])), [last]);
  const unflat = L.reshape(L.mul(before, after), [...keptShape, ...axes.map((a) => shape[a])]);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return L.transpose(unflat, inverse);
}

/**
 * out[..., i] = Π_{j<i} x[..., j] along the last axis, by a Hillis–Steele scan: log₂ n rounds of
 * "multiply by a copy shifted s places (padded with ones)", with slice/pad/mul only.
 */
function exclusiveCumprod(x: Tensor): Tensor {
  const shape = x.aval.shape;
  const r = shape.length;
  const n = shape[r - 1];
  const zeros = shape.map(() => 0);
  const ones = shape.map(() => 1);
  const shiftRight = (t: Tensor, s: number) =>
    L.pad(
      L.slice(t, zeros, [...shape.slice(0, -1), n - s], ones),
      [...zeros.slice(0, -1), s],
      zeros,
      zeros,
      1,
    );
  let p = x;
  for (let s = 1; s < n; s *= 2) p = L.mul(p, shiftRight(p, s));
  return n === 0 ? p : shiftRight(p, 1);
}

/** `arg_reduce(x, { op, axis })`: argmax or argmin along one axis, one primitive for the pair. */
export const argReduceRule: PrimRule<"arg_reduce"> = {
  impl: ([x], { op, axis }) => argReduce(op, x, axis),
  shape: ([x], { op, axis }) => {
    const shape = reducedShape(op, x, [axis]);
    if (x.shape[axis] === 0) throw new ValueError(`${op}: attempt to get ${op} of an empty axis`);
    return { shape, dtype: "int32" };
  },
  jvp: ([x], _t, params) => [bind("arg_reduce", [x], params), null],
  transpose: "nonlinear",
  batch: ([x], [d], params) => [bind("arg_reduce", [toFront(x, d)], { ...params, axis: params.axis + 1 }), 0],
};
