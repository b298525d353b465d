import { ShapeError, ValueError } from "../core/errors.js";
import { shapesEqual } from "../core/shape.js";
import { scatterAdd as scatterKernel, take } from "../kernels/gather.js";
import * as L from "./lax.js";
import { batchedAtFront, exampleRank, toFront } from "./helpers.js";
import { requireIndices } from "./movement.js";
import type { Tensor } from "./tensor.js";
import { LinearArg, type PrimRule } from "./types.js";

const fmt = (s: readonly number[]) => `[${s.join(",")}]`;
const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
const gatheredShape = (x: readonly number[], idx: readonly number[], axis: number) => [
  ...x.slice(0, axis),
  ...idx,
  ...x.slice(axis + 1),
];

/** Indices made non-negative and offset by b·n for batch row b, so one flat gather serves all rows. */
function flatIndices(idx: Tensor, size: number, n: number): Tensor {
  const nn = L.scalar(n, "int32");
  const nonNeg = L.select(L.lt(idx, L.scalar(0, "int32")), L.add(idx, nn), idx);
  const rowOffset = L.expandTo(L.mul(L.iota(size), nn), idx.ndim, 1);
  return L.add(nonNeg, rowOffset);
}

/** Moves `axis` (of a batch-first value) to position 1 and merges it with the batch dim. */
function mergeAxisIntoBatch(x: Tensor, axis: number): Tensor {
  const moved = L.moveaxis(x, axis + 1, 1);
  const s = moved.aval.shape;
  return L.reshape(moved, [s[0] * s[1], ...s.slice(2)]);
}

export const gatherRule: PrimRule<"gather"> = {
  impl: ([x, idx], { axis }) => take(x, idx, axis),
  shape: ([x, idx], { axis }) => {
    requireIndices("take", idx);
    if (!(axis >= 0 && axis < x.shape.length))
      throw new ValueError(`take: axis ${axis} is out of range for ${fmt(x.shape)}`);
    return { shape: gatheredShape(x.shape, idx.shape, axis), dtype: x.dtype };
  },
  jvp: ([x, idx], [dx], { axis }) => [L.gather(x, idx, axis), dx && L.gather(dx, idx, axis)],
  // The adjoint of gathering rows is adding the cotangent rows back where they came from.
  transpose: (ct, [x, idx], { axis }) => {
    const shape = (x as LinearArg).aval.shape;
    return [L.scatterAdd(L.zeros(shape, ct.dtype), idx as Tensor, ct, axis), null];
  },
  batch: ([x, idx], [bx, bi], { axis }, size) => {
    if (bi === null) return [L.gather(toFront(x, bx), idx, axis + 1), 0];
    if (bx === null) return [L.gather(x, idx, axis), axis + bi];
    // Both batched: fold the batch into the gathered axis and offset each row's indices.
    const x0 = toFront(x, bx);
    const idx0 = toFront(idx, bi);
    const n = x0.aval.shape[axis + 1];
    const g = L.gather(mergeAxisIntoBatch(x0, axis), flatIndices(idx0, size, n), 0);
    // g: [B, I.., pre.., post..] → [B, pre.., I.., post..]
    const iRank = exampleRank(idx, bi);
    const pre = axis;
    const perm = [
      0,
      ...range(1 + iRank, 1 + iRank + pre),
      ...range(1, 1 + iRank),
      ...range(1 + iRank + pre, g.ndim),
    ];
    return [L.transpose(g, perm), 0];
  },
};

export const scatterAddRule: PrimRule<"scatter_add"> = {
  impl: ([op, idx, upd], { axis }) => scatterKernel(op, idx, upd, axis),
  shape: ([op, idx, upd], { axis }) => {
    requireIndices("scatterAdd", idx);
    if (!(axis >= 0 && axis < op.shape.length))
      throw new ValueError(`scatterAdd: axis ${axis} is out of range for ${fmt(op.shape)}`);
    const want = gatheredShape(op.shape, idx.shape, axis);
    if (!shapesEqual(want, upd.shape))
      throw new ShapeError(
        `scatterAdd: updates must have shape ${fmt(want)} for operand ${fmt(op.shape)} and indices ${fmt(idx.shape)}, got ${fmt(upd.shape)}`,
      );
    if (op.dtype !== upd.dtype)
      throw new ShapeError(`scatterAdd: operand ${op.dtype} and updates ${upd.dtype} differ`);
    return op;
  },
  jvp: ([op, idx, upd], [dop, , dupd], { axis }) => {
    const out = L.scatterAdd(op, idx, upd, axis);
    if (dop === null && dupd === null) return [out, null];
    return [out, L.scatterAdd(dop ?? L.zerosLike(op), idx, dupd ?? L.zerosLike(upd), axis)];
  },
  transpose: (ct, [op, idx, upd], { axis }) => [
    op instanceof LinearArg ? ct : null,
    null,
    upd instanceof LinearArg ? L.gather(ct, idx as Tensor, axis) : null,
  ],
  batch: ([op, idx, upd], [bo, bi, bu], { axis }, size) => {
    const op0 = batchedAtFront(op, bo, size);
    const upd0 = batchedAtFront(upd, bu, size);
    if (bi === null) return [L.scatterAdd(op0, idx, upd0, axis + 1), 0];
    const idx0 = toFront(idx, bi);
    const n = op0.aval.shape[axis + 1];
    const iRank = exampleRank(idx, bi);
    // updates [B, pre.., I.., post..] → [B, I.., pre.., post..], the layout of a gather at axis 0.
    const updT = L.transpose(upd0, [
      0,
      ...range(1 + axis, 1 + axis + iRank),
      ...range(1, 1 + axis),
      ...range(1 + axis + iRank, upd0.ndim),
    ]);
    const flat = L.scatterAdd(mergeAxisIntoBatch(op0, axis), flatIndices(idx0, size, n), updT, 0);
    // flat: [B·n, pre.., post..] → [B, n, pre.., post..] → [B, pre.., n, post..]
    const s = op0.aval.shape;
    const unflat = L.reshape(flat, [size, n, ...s.slice(1, 1 + axis), ...s.slice(2 + axis)]);
    return [L.moveaxis(unflat, 1, 1 + axis), 0];
  },
};
