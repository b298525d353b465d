import { isFloat, type DType } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { broadcast, expandTo, moveaxis, reshape } from "./lax.js";
import { bind, type Aval, type Tensor } from "./tensor.js";
import type { BatchRule, PrimName, PrimParams } from "./types.js";

/** Throws unless every aval has the same dtype (the ops layer promotes before binding). */
export function requireSameDtype(op: string, avals: readonly Aval[]): DType {
  const d = avals[0].dtype;
  for (const a of avals)
    if (a.dtype !== d)
      throw new DTypeError(
        `${op}: operands must share a dtype, got ${avals.map((x) => x.dtype).join(" and ")}`,
      );
  return d;
}

export function requireFloat(op: string, a: Aval): void {
  if (!isFloat(a.dtype)) throw new DTypeError(`${op}: expected a float64 or float32 input, got ${a.dtype}`);
}

/** Per-example rank of a possibly batched value. */
export const exampleRank = (x: Tensor, d: number | null) => x.ndim - (d === null ? 0 : 1);

/** Moves the batch dim to the front (a no-op when it is already there). */
export const toFront = (x: Tensor, d: number | null) => (d === null || d === 0 ? x : moveaxis(x, d, 0));

/** Gives an unbatched value a leading batch dim of `size` (others are moved to the front). */
export function batchedAtFront(x: Tensor, d: number | null, size: number): Tensor {
  if (d !== null) return toFront(x, d);
  return broadcast(reshape(x, [1, ...x.aval.shape]), [size, ...x.aval.shape]);
}

/** Batch rule of primitives that act element by element on one input. */
export function elementwiseBatch<P extends PrimName>(prim: P): BatchRule<P> {
  return (args, dims, params) => [bind(prim, args, params), dims[0]];
}

/**
 * Batch rule of broadcasting n-ary primitives: batched operands get their batch dim in front
 * and size-1 axes so their per-example dims line up on the right with the unbatched operands'.
 */
export function broadcastingBatch<P extends PrimName>(prim: P): BatchRule<P> {
  return (args, dims, params: PrimParams<P>) => {
    const rank = Math.max(...args.map((x, i) => exampleRank(x, dims[i])));
    const moved = args.map((x, i) => (dims[i] === null ? x : expandTo(toFront(x, dims[i]), rank + 1, 1)));
    return [bind(prim, moved, params), 0];
  };
}

/** Shifts per-example axes past a leading batch dim. */
export const shiftAxes = (axes: readonly number[]) => axes.map((a) => a + 1);
