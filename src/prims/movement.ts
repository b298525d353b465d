import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { checkInt32 } from "../core/dtype.js";
import { broadcastShapes, shapesEqual, sizeOf } from "../core/shape.js";
import * as K from "../kernels/movement.js";
import { cumsum as cumsumKernel } from "../kernels/reduce.js";
import * as L from "./lax.js";
import { batchedAtFront, requireSameDtype, shiftAxes, toFront } from "./helpers.js";
import type { Aval, Tensor } from "./tensor.js";
import { LinearArg, type PrimRule } from "./types.js";

const fmt = (s: readonly number[]) => `[${s.join(",")}]`;
const isPerm = (perm: readonly number[], n: number) =>
  perm.length === n && new Set(perm).size === n && perm.every((p) => Number.isInteger(p) && p >= 0 && p < n);
const linearShape = (x: Tensor | LinearArg) => (x as LinearArg).aval.shape;

export const reshapeRule: PrimRule<"reshape"> = {
  impl: ([x], { shape }) => x.reshape(shape),
  shape: ([x], { shape }) => {
    if (sizeOf(shape) !== sizeOf(x.shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new ShapeError(
        `reshape: cannot reshape array of shape ${fmt(x.shape)} (size ${sizeOf(x.shape)}) into ${fmt(shape)}`,
      );
    return { shape, dtype: x.dtype };
  },
  jvp: ([x], [dx], { shape }) => [L.reshape(x, shape), dx && L.reshape(dx, shape)],
  transpose: (ct, [x]) => [L.reshape(ct, linearShape(x))],
  batch: ([x], [d], { shape }, size) => [L.reshape(toFront(x, d), [size, ...shape]), 0],
};

export const transposeRule: PrimRule<"transpose"> = {
  impl: ([x], { perm }) => K.transpose(x, perm),
  shape: ([x], { perm }) => {
    if (!isPerm(perm, x.shape.length))
      throw new ShapeError(`transpose: ${fmt(perm)} is not a permutation of the axes of ${fmt(x.shape)}`);
    return { shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
  },
  jvp: ([x], [dx], { perm }) => [L.transpose(x, perm), dx && L.transpose(dx, perm)],
  transpose: (ct, _x, { perm }) => [
    L.transpose(
      ct,
      perm.map((_, i) => perm.indexOf(i)),
    ),
  ],
  batch: ([x], [d], { perm }) => [L.transpose(toFront(x, d), [0, ...shiftAxes(perm)]), 0],
};

export const broadcastRule: PrimRule<"broadcast"> = {
  impl: ([x], { shape }) => K.broadcastTo(x, shape),
  shape: ([x], { shape }) => {
    const ok =
      x.shape.length <= shape.length && shapesEqual(broadcastShapes("broadcastTo", x.shape, shape), shape);
    if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast shape ${fmt(x.shape)} to ${fmt(shape)}`);
    return { shape, dtype: x.dtype };
  },
  jvp: ([x], [dx], { shape }) => [L.broadcast(x, shape), dx && L.broadcast(dx, shape)],
  // The adjoint of broadcasting is summing over the broadcast dims.
  transpose: (ct, [x]) => [L.unbroadcast(ct, linearShape(x))],
  batch: ([x], [d], { shape }, size) => {
    const x0 = L.expandTo(toFront(x, d), shape.length + 1, 1);
    return [L.broadcast(x0, [size, ...shape]), 0];
  },
};

const sliceLength = (start: number, stop: number, step: number) =>
  Math.max(0, Math.ceil((stop - start) / step));

export const sliceRule: PrimRule<"slice"> = {
  impl: ([x], { start, stop, step }) =>
    K.slice(
      x,
      start,
      step,
      start.map((s, d) => sliceLength(s, stop[d], step[d])),
    ),
  shape: ([x], { start, stop, step }) => {
    const n = x.shape.length;
    if (start.length !== n || stop.length !== n || step.length !== n)
      throw new ShapeError(`slice: expected ${n} start/stop/step entries for shape ${fmt(x.shape)}`);
    for (let d = 0; d < n; d++)
      if (!(start[d] >= 0 && stop[d] <= x.shape[d] && start[d] <= stop[d] && step[d] >= 1))
        throw new ValueError(
          `slice: invalid range ${start[d]}:${stop[d]}:${step[d]} on axis ${d} of ${fmt(x.shape)}`,
        );
    return { shape: start.map((s, d) => sliceLength(s, stop[d], step[d])), dtype: x.dtype };
  },
  jvp: ([x], [dx], p) => [L.slice(x, p.start, p.stop, p.step), dx && L.slice(dx, p.start, p.stop, p.step)],
  // The adjoint of a strided slice pads the cotangent back with zeros (interior padding for steps).
  transpose: (ct, [x], { start, step }) => {
    const shape = linearShape(x);
    const out = ct.aval.shape;
    if (sizeOf(out) === 0) return [L.zeros(shape, ct.dtype)];
    const hi = shape.map((n, d) => n - (start[d] + (out[d] - 1) * step[d] + 1));
    return [
      L.pad(
        ct,
        start.slice(),
        hi,
        step.map((s) => s - 1),
      ),
    ];
  },
  batch: ([x], [d], { start, stop, step }, size) => [
    L.slice(toFront(x, d), [0, ...start], [size, ...stop], [1, ...step]),
    0,
  ],
};

export const padRule: PrimRule<"pad"> = {
  impl: ([x], { lo, hi, interior, value }) => K.pad(x, lo, hi, interior, value),
  shape: ([x], { lo, hi, interior, value }) => {
    const n = x.shape.length;
    // An int32 array cannot hold a NaN, −∞ or fractional pad value (it would be stored as 0 or truncated).
    if (x.dtype === "int32") checkInt32(value, "pad value for an int32 array");
    if (
      lo.length !== n ||
      hi.length !== n ||
      interior.length !== n ||
      [...lo, ...hi, ...interior].some((v) => !(v >= 0))
    )
      throw new ValueError(
        `pad: padding must be ${n} non-negative lo/hi/interior entries for shape ${fmt(x.shape)}`,
      );
    return {
      shape: x.shape.map((s, d) => (s === 0 ? 0 : s + (s - 1) * interior[d]) + lo[d] + hi[d]),
      dtype: x.dtype,
    };
  },
  // The pad value is a constant, so the tangent is padded with zeros.
  jvp: ([x], [dx], { lo, hi, interior, value }) => [
    L.pad(x, lo, hi, interior, value),
    dx && L.pad(dx, lo, hi, interior, 0),
  ],
  transpose: (ct, [x], { lo, interior }) => {
    const shape = linearShape(x);
    const stop = shape.map((n, d) => lo[d] + (n === 0 ? 0 : (n - 1) * (interior[d] + 1) + 1));
    return [
      L.slice(
        ct,
        lo.slice(),
        stop,
        interior.map((i) => i + 1),
      ),
    ];
  },
  batch: ([x], [d], { lo, hi, interior, value }) => [
    L.pad(toFront(x, d), [0, ...lo], [0, ...hi], [0, ...interior], value),
    0,
  ],
};

export const concatenateRule: PrimRule<"concatenate"> = {
  impl: (xs, { axis }) => K.concatenate(xs, axis),
  shape: (xs, { axis }) => {
    const dtype = requireSameDtype("concatenate", xs);
    const first = xs[0].shape;
    if (!(axis >= 0 && axis < first.length))
      throw new ValueError(`concatenate: axis ${axis} is out of range for rank ${first.length}`);
    for (const x of xs)
      if (x.shape.length !== first.length || x.shape.some((s, d) => d !== axis && s !== first[d]))
        throw new ShapeError(
          `concatenate: shapes ${xs.map((a) => fmt(a.shape)).join(", ")} differ outside axis ${axis}`,
        );
    const shape = first.slice();
    shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    return { shape, dtype };
  },
  jvp: (xs, dxs, { axis }) => {
    const out = L.concatenate(xs, axis);
    if (dxs.every((t) => t === null)) return [out, null];
    return [
      out,
      L.concatenate(
        dxs.map((t, i) => t ?? L.zerosLike(xs[i])),
        axis,
      ),
    ];
  },
  // Each linear piece gets its own slice of the cotangent.
  transpose: (ct, xs, { axis }) => {
    const shape = ct.aval.shape;
    let offset = 0;
    return xs.map((x) => {
      const n = x.aval.shape[axis];
      const start = shape.map((_, d) => (d === axis ? offset : 0));
      const stop = shape.map((s, d) => (d === axis ? offset + n : s));
      offset += n;
      return x instanceof LinearArg
        ? L.slice(
            ct,
            start,
            stop,
            shape.map(() => 1),
          )
        : null;
    });
  },
  batch: (xs, ds, { axis }, size) => [
    L.concatenate(
      xs.map((x, i) => batchedAtFront(x, ds[i], size)),
      axis + 1,
    ),
    0,
  ],
};

export const revRule: PrimRule<"rev"> = {
  impl: ([x], { axes }) => K.rev(x, axes),
  shape: ([x], { axes }) => {
    if (axes.some((a) => !(Number.isInteger(a) && a >= 0 && a < x.shape.length)))
      throw new ValueError(`flip: axes ${fmt(axes)} out of range for ${fmt(x.shape)}`);
    // A repeated axis would be flipped twice by the strided kernel's offset, reading out of bounds.
    if (new Set(axes).size !== axes.length) throw new ValueError(`flip: repeated axis in ${fmt(axes)}`);
    return x;
  },
  jvp: ([x], [dx], { axes }) => [L.rev(x, axes), dx && L.rev(dx, axes)],
  transpose: (ct, _x, { axes }) => [L.rev(ct, axes)],
  batch: ([x], [d], { axes }) => [L.rev(toFront(x, d), shiftAxes(axes)), 0],
};

export const cumsumRule: PrimRule<"cumsum"> = {
  impl: ([x], { axis, reverse }) => cumsumKernel(x, axis, reverse),
  shape: ([x], { axis }) => {
    if (!(axis >= 0 && axis < x.shape.length))
      throw new ValueError(`cumsum: axis ${axis} is out of range for ${fmt(x.shape)}`);
    return x;
  },
  jvp: ([x], [dx], { axis, reverse }) => [L.cumsum(x, axis, reverse), dx && L.cumsum(dx, axis, reverse)],
  // The adjoint of a running sum is the running sum taken from the other end.
  transpose: (ct, _x, { axis, reverse }) => [L.cumsum(ct, axis, !reverse)],
  batch: ([x], [d], { axis, reverse }) => [L.cumsum(toFront(x, d), axis + 1, reverse), 0],
};

export function requireIndices(op: string, idx: Aval): void {
  if (idx.dtype !== "int32") throw new DTypeError(`${op}: indices must be int32, got ${idx.dtype}`);
}

export type { Aval };
