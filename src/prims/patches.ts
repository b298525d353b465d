import { ShapeError } from "../core/errors.js";
import { shapesEqual } from "../core/shape.js";
import {
  patches as patchesKernel,
  patchesTranspose,
  windowOutputShape,
  type WindowGeometry,
} from "../kernels/patches.js";
import * as L from "./lax.js";
import { toFront } from "./helpers.js";
import type { Aval, Tensor } from "./tensor.js";
import type { PrimRule } from "./types.js";

const fmt = (s: readonly number[]) => `[${s.join(",")}]`;

function checkGeometry(op: string, spatialRank: number, g: WindowGeometry): void {
  const fields = [g.kernel, g.strides, g.padLo, g.padHi, g.rhsDilation, g.lhsDilation];
  if (spatialRank < 1 || fields.some((f) => f.length !== spatialRank))
    throw new ShapeError(
      `${op}: window geometry must have ${spatialRank} entries per field for ${spatialRank} spatial dims`,
    );
  if (
    [...g.kernel, ...g.strides, ...g.rhsDilation, ...g.lhsDilation].some(
      (v) => !(Number.isInteger(v) && v >= 1),
    )
  )
    throw new ShapeError(`${op}: kernel size, strides and dilations must be positive integers`);
  if ([...g.padLo, ...g.padHi].some((v) => !(Number.isInteger(v) && v >= 0)))
    throw new ShapeError(`${op}: padding must be non-negative integers`);
}

function patchShape(x: readonly number[], g: WindowGeometry): number[] {
  const D = x.length - 2;
  return [x[0], ...windowOutputShape(x.slice(1, D + 1), g), ...g.kernel, x[D + 1]];
}

/** Folds a leading batch dim into the sample dim N and back, so window ops batch for free. */
function foldBatch(x: Tensor, d: number | null, f: (flat: Tensor) => Tensor, size: number): Tensor {
  const x0 = toFront(x, d);
  const s = x0.aval.shape;
  const out = f(L.reshape(x0, [s[0] * s[1], ...s.slice(2)]));
  const o = out.aval.shape;
  return L.reshape(out, [size, o[0] / size, ...o.slice(1)]);
}

/** im2col: [N, S.., C] → [N, O.., K.., C]. Linear; its transpose is col2im (`patches_t`). */
export const patchesRule: PrimRule<"patches"> = {
  impl: ([x], g) => patchesKernel(x, g),
  shape: ([x], g): Aval => {
    checkGeometry("patches", x.shape.length - 2, g);
    return { shape: patchShape(x.shape, g), dtype: x.dtype };
  },
  jvp: ([x], [dx], g) => [L.patches(x, g), dx && L.patches(dx, g)],
  transpose: (ct, [x], g) => [L.patchesT(ct, g, [...x.aval.shape])],
  batch: ([x], [d], g, size) => [foldBatch(x, d, (f) => L.patches(f, g), size), 0],
};

export const patchesTRule: PrimRule<"patches_t"> = {
  impl: ([p], g) => patchesTranspose(p, g.inShape, g),
  shape: ([p], g): Aval => {
    checkGeometry("patches_t", g.inShape.length - 2, g);
    const want = patchShape(g.inShape, g);
    if (!shapesEqual(want, p.shape))
      throw new ShapeError(`patches_t: expected patches of shape ${fmt(want)}, got ${fmt(p.shape)}`);
    return { shape: g.inShape, dtype: p.dtype };
  },
  jvp: ([p], [dp], g) => [L.patchesT(p, g, g.inShape), dp && L.patchesT(dp, g, g.inShape)],
  transpose: (ct, _p, { inShape: _s, ...g }) => [L.patches(ct, g)],
  batch: ([p], [d], { inShape, ...g }, size) => [
    foldBatch(p, d, (f) => L.patchesT(f, g, [f.aval.shape[0], ...inShape.slice(1)]), size),
    0,
  ],
};
