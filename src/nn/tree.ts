/**
 * Walking the trees layers take and return — one value, a list, or values by name — keeping their
 * structure: tensors (`mapTree`), shapes (`mapShapes`) and shape-and-dtype specs (`mapSpecs`).
 */
import type { DType } from "../core/dtype.js";
import type { SymbolicShape } from "./symbolic.js";

/**
 * A shape and dtype (the structure of `computeOutputSpec`).
 *
 * @example
 * const spec: Spec = { shape: [null, 3], dtype: "float64" };
 * new layers.Dense({ units: 4 }).computeOutputSpec(spec); // { shape: [null, 4], dtype: "float64" }
 */
export interface Spec {
  shape: SymbolicShape;
  dtype: DType;
}

/** A plain object (a tree node holding values by name), not an array, tensor or class instance. */
const isPlain = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;

/** Applies `f` to every leaf of a tree of arrays and plain objects, keeping its structure. */
export function mapLeaves<A, B>(tree: unknown, isLeaf: (x: unknown) => boolean, f: (leaf: A) => B): unknown {
  if (isLeaf(tree)) return f(tree as A);
  if (Array.isArray(tree)) return tree.map((t) => mapLeaves(t, isLeaf, f));
  if (isPlain(tree))
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, mapLeaves(v, isLeaf, f)]));
  return f(tree as A);
}

/** Maps the tensors (or symbolic tensors) of a tree of inputs. */
export const mapTree = <A, B>(tree: unknown, f: (leaf: A) => B): unknown => mapLeaves(tree, () => false, f);

/** A shape leaf: an array of dims (numbers or null). */
export const isShape = (x: unknown): boolean =>
  Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
/** Maps the shapes of a shape tree (one shape, a list of shapes, or named shapes). */
export const mapShapes = <B>(tree: unknown, f: (s: SymbolicShape) => B): unknown =>
  mapLeaves(tree, isShape, f);
const isSpec = (x: unknown): boolean => isPlain(x) && Array.isArray(x.shape) && typeof x.dtype === "string";
/** Maps the specs of a spec tree. */
export const mapSpecs = <B>(tree: unknown, f: (s: Spec) => B): unknown => mapLeaves(tree, isSpec, f);
