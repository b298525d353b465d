import { dtypeOfData, type DataArray } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { Concrete, Tensor } from "../prims/tensor.js";

/**
 * What the transforms accept and return: tensors, JS numbers (float64 scalars), typed arrays
 * (1-D tensors), and arrays/tuples or plain objects of these, nested. `null`/`undefined` are
 * empty subtrees. Note that a nested JS array is a *tree* (a tuple), as in JAX; use `array()`
 * to make a tensor from nested numbers.
 *
 * @example
 * const params: PyTree = { dense: { kernel: w, bias: b }, scale: 2 };
 * grad(loss)(params); // { dense: { kernel, bias }, scale }: gradients in the same structure
 */
export type PyTree =
  Tensor | number | DataArray | null | undefined | readonly PyTree[] | { readonly [key: string]: PyTree };

/**
 * The structure of a tree without its leaves, as `flatten` records it and `unflatten` reads it.
 *
 * @example
 * const [, def]: [Tensor[], TreeDef] = flatten({ w: array([1, 2]), b: 0.5 });
 * def; // { kind: "object", keys: ["w", "b"], children: [{ kind: "leaf" }, { kind: "leaf" }] }
 */
export type TreeDef =
  | { kind: "leaf" }
  | { kind: "none"; value: null | undefined }
  | { kind: "array"; children: TreeDef[] }
  | { kind: "object"; keys: string[]; children: TreeDef[] };

const isTypedArray = (x: unknown): x is DataArray =>
  x instanceof Float64Array ||
  x instanceof Float32Array ||
  x instanceof Int32Array ||
  x instanceof Uint8Array;

/** Whether `x` is a plain `{...}` object (not a class instance such as a Model or a Date). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Converts a leaf to a tensor: numbers become float64 scalars, typed arrays 1-D tensors. */
export function toTensorLeaf(x: unknown, where: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return new Concrete(NDArray.scalar(x, "float64"));
  if (isTypedArray(x)) return new Concrete(new NDArray(dtypeOfData(x), [x.length], x.slice()));
  throw new ValueError(
    `${where}: expected a Tensor, a number, an array or a plain object of them, got ${describe(x)}`,
  );
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return (x as object).constructor?.name ?? "object";
}

/**
 * Flattens a tree into its leaves (as tensors) and a description of its structure.
 *
 * @example
 * const [leaves, def] = flatten({ w: array([1, 2]), b: 0.5 }); // leaves: [array([1, 2]), array(0.5)]
 */
export function flatten(tree: unknown, where = "argument"): [Tensor[], TreeDef] {
  const [leaves, def] = flattenWithPaths(tree, where);
  return [leaves, def];
}

/** `flatten`, also returning each leaf's path (`where` followed by `[i]` / `.key` steps). */
export function flattenWithPaths(tree: unknown, where = "argument"): [Tensor[], TreeDef, string[]] {
  const leaves: Tensor[] = [];
  const paths: string[] = [];
  const walk = (t: unknown, path: string): TreeDef => {
    if (t === null || t === undefined) return { kind: "none", value: t };
    if (Array.isArray(t)) return { kind: "array", children: t.map((c, i) => walk(c, `${path}[${i}]`)) };
    if (isPlainObject(t)) {
      const keys = Object.keys(t);
      return { kind: "object", keys, children: keys.map((k) => walk(t[k], `${path}.${k}`)) };
    }
    leaves.push(toTensorLeaf(t, path));
    paths.push(path);
    return { kind: "leaf" };
  };
  const def = walk(tree, where);
  return [leaves, def, paths];
}

/**
 * Rebuilds a tree of the given structure from its leaves.
 *
 * @example
 * const [leaves, def] = flatten({ w: array([1, 2]), b: 0.5 });
 * unflatten(def, leaves.map((l) => l.mul(2))); // { w: array([2, 4]), b: array(1) }
 */
export function unflatten<T = PyTree>(def: TreeDef, leaves: readonly T[]): unknown {
  let k = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[k++];
      case "none":
        return d.value;
      case "array":
        return d.children.map(build);
      case "object": {
        const out: Record<string, unknown> = {};
        d.keys.forEach((key, i) => (out[key] = build(d.children[i])));
        return out;
      }
    }
  };
  const out = build(def);
  if (k !== leaves.length) throw new ValueError(`internal: tree expects ${k} leaves, got ${leaves.length}`);
  return out;
}

/**
 * A hint for the commonest pytree surprise: a JS array of numbers is a *list of scalars* (as a
 * Python list is to JAX), not one array. Returns the hint when the arguments hold a list whose
 * items are all scalars, else "".
 */
export function scalarListHint(def: TreeDef, leaves: readonly Tensor[], where: string): string {
  let k = 0;
  let found = "";
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === "leaf") {
      k++;
      return;
    }
    if (d.kind === "none") return;
    const start = k;
    d.children.forEach((c, i) => walk(c, d.kind === "array" ? `${path}[${i}]` : `${path}.${d.keys[i]}`));
    const scalars =
      d.kind === "array" &&
      d.children.length > 0 &&
      d.children.every((c) => c.kind === "leaf") &&
      leaves.slice(start, k).every((l) => l.aval.shape.length === 0);
    if (scalars && found === "") found = path;
  };
  walk(def, "");
  if (found === "") return "";
  const arg = /^\[(\d+)\]/.exec(found);
  return (
    ` (${arg ? `argument ${arg[1]}` : "an argument"} is a JS array of numbers, which ${where} treats as a ` +
    `list of scalars — as JAX treats a Python list; pass array([...]) to give one tensor)`
  );
}

export function leafCount(def: TreeDef): number {
  switch (def.kind) {
    case "leaf":
      return 1;
    case "none":
      return 0;
    default:
      return def.children.reduce((s, c) => s + leafCount(c), 0);
  }
}

/**
 * Expands a prefix spec (e.g. vmap's `inAxes`) to one entry per leaf of `def`: a spec leaf
 * applies to the whole subtree under it.
 */
export function broadcastPrefix<S>(
  prefix: unknown,
  def: TreeDef,
  isSpecLeaf: (s: unknown) => boolean,
  where: string,
): S[] {
  const out: S[] = [];
  const walk = (spec: unknown, d: TreeDef, path: string): void => {
    if (isSpecLeaf(spec)) {
      for (let i = 0; i < leafCount(d); i++) out.push(spec as S);
      return;
    }
    if (d.kind === "array" && Array.isArray(spec) && spec.length === d.children.length) {
      d.children.forEach((c, i) => walk(spec[i], c, `${path}[${i}]`));
      return;
    }
    if (d.kind === "object" && isPlainObject(spec)) {
      d.children.forEach((c, i) => walk(spec[d.keys[i]], c, `${path}.${d.keys[i]}`));
      return;
    }
    throw new ValueError(`${where}: the spec at ${path} does not match the structure of the arguments`);
  };
  walk(prefix, def, where);
  return out;
}
