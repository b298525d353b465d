import { ShapeError, ValueError } from "./errors.js";

/**
 * A tensor shape: non-negative integer dimensions, outermost first.
 *
 * @example
 * const shape: Shape = zeros([2, 3]).shape; // [2, 3]
 */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/** Broadcasts shapes by NumPy's rules; the error names the operation and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const off = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[off + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[off + i] = d;
      else
        throw new ShapeError(
          `${op}: shapes ${shapes.map(formatShape).join(" and ")} cannot be broadcast together ` +
            `(dimension ${off + i - ndim} is ${o} in one and ${d} in another)`,
        );
    }
  }
  return out;
}

/** Strides (in elements) for reading an array of `shape` as if it had `outShape` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const off = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Resolves a possibly negative axis against `ndim`, naming the op when it is out of range. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim)
    throw new ValueError(`${op}: axis ${axis} is out of range for an array of rank ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes an axis argument (one, several, or all when undefined/null) to a sorted unique list. */
export function normalizeAxes(
  axis: number | readonly number[] | null | undefined,
  ndim: number,
  op: string,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  if (new Set(out).size !== out.length)
    throw new ValueError(`${op}: repeated axis in ${JSON.stringify(list)}`);
  return out.sort((a, b) => a - b);
}

export function assertValidShape(shape: readonly unknown[], op: string): number[] {
  for (const d of shape)
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0)
      throw new ShapeError(
        `${op}: invalid shape ${JSON.stringify(shape)}; dimensions must be non-negative integers`,
      );
  return shape as number[];
}
