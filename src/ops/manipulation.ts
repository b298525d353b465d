import { ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, type Shape } from "../core/shape.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { SliceSpec } from "../prims/opOptions.js";
import { asTensor, toTensor, type TensorLike } from "./convert.js";
import { promoteAll } from "./promote.js";

const fmt = (s: Shape) => `[${s.join(",")}]`;

/**
 * New shape with the same data; one dimension may be -1 (inferred).
 *
 * @example reshape(x, [-1, 2])
 */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const t = asTensor(x);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError(`reshape: only one dimension can be -1, got ${fmt(shape)}`);
  let s = shape.slice();
  if (unknown === 1) {
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (known === 0 || t.size % known !== 0)
      throw new ShapeError(
        `reshape: cannot reshape array of shape ${fmt(t.shape)} (size ${t.size}) into ${fmt(shape)}`,
      );
    s = shape.map((d) => (d === -1 ? t.size / known : d));
  }
  return L.reshape(t, s);
}

/** Flattens to 1-D. @example ravel(x) */
export const ravel = (x: TensorLike) => reshape(x, [-1]);

/**
 * Permutes axes (reverses them when `axes` is omitted, like NumPy).
 *
 * @example transpose(x, [0, 2, 1])
 */
export function transpose(x: TensorLike, axes?: readonly number[]): Tensor {
  const t = asTensor(x);
  const perm =
    axes === undefined
      ? t.shape.map((_, i) => t.ndim - 1 - i)
      : axes.map((a) => normalizeAxis(a, t.ndim, "transpose"));
  if (perm.length !== t.ndim)
    throw new ShapeError(`transpose: axes ${fmt(axes ?? [])} do not match an array of rank ${t.ndim}`);
  return L.transpose(t, perm);
}

/** Keras's name for transpose (axes given without the batch dim are the caller's concern). @example permute(x, [1, 0]) */
export const permute = transpose;

/** @example moveaxis(x, 0, -1) */
export function moveaxis(x: TensorLike, source: number, destination: number): Tensor {
  const t = asTensor(x);
  return L.moveaxis(
    t,
    normalizeAxis(source, t.ndim, "moveaxis"),
    normalizeAxis(destination, t.ndim, "moveaxis"),
  );
}

/** Swaps two axes. @example swapaxes(x, 0, 1) */
export function swapaxes(x: TensorLike, a: number, b: number): Tensor {
  const t = asTensor(x);
  const perm = t.shape.map((_, i) => i);
  const i = normalizeAxis(a, t.ndim, "swapaxes");
  const j = normalizeAxis(b, t.ndim, "swapaxes");
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return L.transpose(t, perm);
}

/** Inserts a size-1 axis at `axis`. @example expandDims(x, -1) */
export function expandDims(x: TensorLike, axis: number): Tensor {
  const t = asTensor(x);
  const a = normalizeAxis(axis, t.ndim + 1, "expandDims");
  const s = t.shape;
  s.splice(a, 0, 1);
  return L.reshape(t, s);
}

/** Removes size-1 axes (all of them, or those given). @example squeeze(x, -1) */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = asTensor(x);
  const axes =
    axis === undefined
      ? t.shape.map((n, i) => (n === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, t.ndim, "squeeze"));
  for (const a of axes)
    if (t.shape[a] !== 1)
      throw new ShapeError(`squeeze: cannot squeeze axis ${a} of size ${t.shape[a]} (shape ${fmt(t.shape)})`);
  return L.reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** NumPy `broadcast_to`. @example broadcastTo(bias, [n, 64]) */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = asTensor(x);
  return L.broadcast(t, shape);
}

/** Broadcasts several tensors against each other. @example broadcastArrays(a, b) */
export function broadcastArrays(...xs: TensorLike[]): Tensor[] {
  const ts = xs.map((x) => asTensor(x));
  const shape = broadcastShapes("broadcastArrays", ...ts.map((t) => t.shape));
  return ts.map((t) => L.broadcast(t, shape));
}

/** Joins tensors along an existing axis. @example concatenate([a, b], -1) */
export function concatenate(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("concatenate: need at least one array");
  const ts = promoteAll(xs);
  return L.concatenate(ts, normalizeAxis(axis, ts[0].ndim, "concatenate"));
}

/** Joins tensors along a new axis. @example stack([a, b], 0) */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("stack: need at least one array");
  const ts = promoteAll(xs);
  const a = normalizeAxis(axis, ts[0].ndim + 1, "stack");
  for (const t of ts)
    if (t.ndim !== ts[0].ndim || t.shape.some((n, i) => n !== ts[0].shape[i]))
      throw new ShapeError(
        `stack: all arrays must have the same shape, got ${ts.map((u) => fmt(u.shape)).join(", ")}`,
      );
  return L.concatenate(
    ts.map((t) => expandDims(t, a)),
    a,
  );
}

/**
 * Splits into equal sections (a number) or at the given indices, like NumPy.
 *
 * @example const [a, b] = split(x, 2, -1)
 */
export function split(x: TensorLike, sections: number | readonly number[], axis = 0): Tensor[] {
  const t = asTensor(x);
  const a = normalizeAxis(axis, t.ndim, "split");
  const n = t.shape[a];
  let cuts: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0)
      throw new ShapeError(`split: axis ${a} of size ${n} cannot be split into ${sections} equal sections`);
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * n) / sections);
  } else cuts = sections.map((c) => Math.min(n, Math.max(0, c < 0 ? c + n : c)));
  const bounds = [0, ...cuts, n];
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    out.push(sliceAxis(t, a, bounds[i], Math.max(bounds[i], bounds[i + 1]), 1));
  return out;
}

/** `x[start:stop:step]` along one axis (normalized, positive step). */
function sliceAxis(t: Tensor, axis: number, start: number, stop: number, step: number): Tensor {
  const s = t.shape;
  const st = s.map(() => 0);
  const sp = s.slice();
  const stepArr = s.map(() => 1);
  st[axis] = start;
  sp[axis] = stop;
  stepArr[axis] = step;
  return L.slice(t, st, sp, stepArr);
}

export type { SliceSpec } from "../prims/opOptions.js";

/**
 * NumPy basic indexing: `slice(x, [null, [0, 3]])` is `x[:, 0:3]`, `slice(x, [0])` is `x[0]`,
 * `slice(x, [[null, null, -1]])` is `x[::-1]`. Trailing axes are kept whole.
 *
 * @example slice(x, [null, [1, null, 2]]) // x[:, 1::2]
 */
export function slice(x: TensorLike, specs: readonly SliceSpec[]): Tensor {
  let t = asTensor(x);
  if (specs.length > t.ndim)
    throw new ShapeError(
      `slice: ${specs.length} indices for an array of rank ${t.ndim} (shape ${fmt(t.shape)})`,
    );
  const start: number[] = [];
  const stop: number[] = [];
  const step: number[] = [];
  const flips: number[] = [];
  const drop: number[] = [];
  t.shape.forEach((n, d) => {
    const spec = d < specs.length ? specs[d] : null;
    if (spec === null) {
      start.push(0);
      stop.push(n);
      step.push(1);
    } else if (typeof spec === "number") {
      const i = spec < 0 ? spec + n : spec;
      if (!Number.isInteger(i) || i < 0 || i >= n)
        throw new ValueError(`slice: index ${spec} is out of bounds for axis ${d} with size ${n}`);
      start.push(i);
      stop.push(i + 1);
      step.push(1);
      drop.push(d);
    } else {
      const k = spec[2] ?? 1;
      if (!Number.isInteger(k) || k === 0)
        throw new ValueError(`slice: step must be a non-zero integer, got ${k}`);
      const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number) => {
        if (v === null || v === undefined) return dflt;
        const w = v < 0 ? v + n : v;
        return Math.min(hi, Math.max(lo, w));
      };
      if (k > 0) {
        const a = norm(spec[0], 0, 0, n);
        const b = norm(spec[1], n, 0, n);
        start.push(a);
        stop.push(Math.max(a, b));
        step.push(k);
      } else {
        // Walk backwards from a down to (exclusive) b: flip the axis and slice forwards.
        const a = norm(spec[0], n - 1, -1, n - 1);
        const b = norm(spec[1], -1, -1, n - 1);
        const fa = n - 1 - a;
        const fb = n - 1 - b;
        start.push(fa);
        stop.push(Math.max(fa, fb));
        step.push(-k);
        flips.push(d);
      }
    }
  });
  if (flips.length > 0) t = L.rev(t, flips);
  const out = L.slice(t, start, stop, step);
  return drop.length > 0
    ? L.reshape(
        out,
        out.shape.filter((_, d) => !drop.includes(d)),
      )
    : out;
}

/**
 * Constant padding: `padWidth` is one `[before, after]` per axis (or one number for all sides).
 *
 * @example pad(x, [[0, 0], [1, 1]]) ; pad(x, 2, { value: -Infinity })
 */
export function pad(
  x: TensorLike,
  padWidth: number | readonly (readonly [number, number])[],
  opts: { value?: number } = {},
): Tensor {
  const t = asTensor(x);
  const widths = typeof padWidth === "number" ? t.shape.map(() => [padWidth, padWidth] as const) : padWidth;
  if (widths.length !== t.ndim)
    throw new ShapeError(`pad: ${widths.length} pad widths for an array of rank ${t.ndim}`);
  return L.pad(
    t,
    widths.map((w) => w[0]),
    widths.map((w) => w[1]),
    t.shape.map(() => 0),
    opts.value ?? 0,
  );
}

/** Reverses the order of elements along the axes (all when omitted). @example flip(x, 1) */
export function flip(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = asTensor(x);
  return L.rev(t, normalizeAxes(axis, t.ndim, "flip"));
}

/** Repeats the whole array `reps` times along each axis (NumPy `tile`). @example tile(x, [2, 1]) */
export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  let t = asTensor(x);
  const r = typeof reps === "number" ? [reps] : reps.slice();
  while (t.ndim < r.length) t = L.reshape(t, [1, ...t.shape]);
  while (r.length < t.ndim) r.unshift(1);
  const interleaved = t.shape.flatMap((n) => [1, n]);
  const target = t.shape.flatMap((n, i) => [r[i], n]);
  return L.reshape(
    L.broadcast(L.reshape(t, interleaved), target),
    t.shape.map((n, i) => n * r[i]),
  );
}

/**
 * Repeats each element `repeats` times along `axis` (flattened when omitted), NumPy `repeat`.
 *
 * @example repeat(x, 2, 0)
 */
export function repeat(x: TensorLike, repeats: number | readonly number[], axis?: number): Tensor {
  let t = asTensor(x);
  if (axis === undefined) {
    t = L.reshape(t, [t.size]);
    axis = 0;
  }
  const a = normalizeAxis(axis, t.ndim, "repeat");
  const n = t.shape[a];
  if (typeof repeats === "number") {
    const s = t.shape;
    const expanded = [...s.slice(0, a + 1), 1, ...s.slice(a + 1)];
    const target = [...s.slice(0, a + 1), repeats, ...s.slice(a + 1)];
    const out = s.slice();
    out[a] = n * repeats;
    return L.reshape(L.broadcast(L.reshape(t, expanded), target), out);
  }
  if (repeats.length !== n)
    throw new ShapeError(`repeat: ${repeats.length} repeat counts for axis ${a} of size ${n}`);
  const idx: number[] = [];
  repeats.forEach((k, i) => {
    for (let j = 0; j < k; j++) idx.push(i);
  });
  return L.gather(t, toTensor(idx, { dtype: "int32" }), a);
}

/** Index arguments as int32 (JS numbers and nested arrays of integers are accepted). */
const toIndices = (indices: TensorLike): Tensor => L.convert(asTensor(indices, "int32"), "int32");

/**
 * Picks entries along `axis` by integer index (NumPy `take`; the flattened array when axis is
 * omitted). Differentiable in `x`; the derivative scatters back (repeated indices add up).
 *
 * @example take(embeddings, ids, 0)
 */
export function take(x: TensorLike, indices: TensorLike, axis?: number): Tensor {
  let t = asTensor(x);
  if (axis === undefined) {
    t = L.reshape(t, [t.size]);
    axis = 0;
  }
  return L.gather(t, toIndices(indices), normalizeAxis(axis, t.ndim, "take"));
}

/** Alias of `take`. @example gather(table, ids, 0) */
export const gather = take;

/**
 * Adds `updates` into a copy of `x` at `indices` along `axis` (repeated indices accumulate).
 *
 * @example scatterAdd(zeros([5]), array([0, 0, 3], { dtype: "int32" }), array([1, 2, 3]), 0) // [3, 0, 0, 3, 0]
 */
export function scatterAdd(x: TensorLike, indices: TensorLike, updates: TensorLike, axis = 0): Tensor {
  const [t, u] = promoteAll([x, updates]);
  return L.scatterAdd(t, toIndices(indices), u, normalizeAxis(axis, t.ndim, "scatterAdd"));
}

/** Running sum along `axis` (flattened when omitted); `reverse` sums from the end. @example cumsum(x, 0) */
export function cumsum(x: TensorLike, axis?: number, opts: { reverse?: boolean } = {}): Tensor {
  let t = asTensor(x);
  if (t.dtype === "bool") t = L.convert(t, "int32");
  if (axis === undefined) {
    t = L.reshape(t, [t.size]);
    axis = 0;
  }
  return L.cumsum(t, normalizeAxis(axis, t.ndim, "cumsum"), opts.reverse ?? false);
}

/** Casts to another dtype (float→int truncates toward zero). @example astype(x, "float32") */
export const astype = (x: TensorLike, dtype: import("../core/dtype.js").DType) =>
  L.convert(asTensor(x), dtype);
