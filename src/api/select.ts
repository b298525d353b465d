import { isFloat } from "../core/dtype.js";
import { DTypeError, ValueError } from "../core/errors.js";
import type { Tensor } from "../prims/tensor.js";
import { flatten, flattenWithPaths, isPlainObject, unflatten, type TreeDef } from "./pytree.js";

/**
 * Which arguments a transform differentiates: positions (JAX's argnums) or keys of an object argument.
 *
 * @example
 * jacrev((x, w) => x.matmul(w), { argnums: 1 })(x, w); // d/dw only
 * grad(({ price, qty }) => price.mul(qty).sum(), { argnames: ["price"] })({ price, qty }); // { price: qty }
 */
export interface ArgSelection {
  /** Positions of the arguments to differentiate (default 0). */
  argnums?: number | readonly number[];
  /**
   * Keys of the first argument (a plain object) to differentiate; the other keys are held
   * constant and the derivative is an object with exactly these keys.
   */
  argnames?: readonly string[];
}

/** The differentiated leaves of a call, and how to put them back. */
export interface Selected {
  leaves: Tensor[];
  def: TreeDef;
  /** The full argument list with the selected leaves replaced. */
  rebuild(leaves: readonly Tensor[]): unknown[];
  /** Arranges per-leaf results in the structure of the selection. */
  shape<T>(leaves: readonly T[]): unknown;
}

export function selectArgs(args: readonly unknown[], opts: ArgSelection, where: string): Selected {
  if (opts.argnames !== undefined) {
    const obj = args[0];
    if (!isPlainObject(obj))
      throw new ValueError(
        `${where}: argnames needs the first argument to be a plain object of named inputs`,
      );
    for (const k of opts.argnames)
      if (!(k in obj))
        throw new ValueError(
          `${where}: argname '${k}' is not a key of the first argument (${Object.keys(obj).join(", ")})`,
        );
    const picked: Record<string, unknown> = {};
    for (const k of opts.argnames) picked[k] = obj[k];
    const [leaves, def, paths] = flattenWithPaths(picked, "argument 0");
    return finish(leaves, def, where, paths, (ls) => [
      { ...obj, ...(unflatten(def, ls) as object) },
      ...args.slice(1),
    ]);
  }
  const nums = opts.argnums ?? 0;
  const list = typeof nums === "number" ? [nums] : [...nums];
  for (const n of list)
    if (!Number.isInteger(n) || n < 0 || n >= args.length)
      throw new ValueError(
        `${where}: argnums ${n} is out of range for a call with ${args.length} argument(s)`,
      );
  const picked = typeof nums === "number" ? args[nums] : list.map((n) => args[n]);
  const [leaves, def] = flatten(picked, where);
  const paths = list.flatMap((n) => flattenWithPaths(args[n], `argument ${n}`)[2]);
  return finish(leaves, def, where, paths, (ls) => {
    const tree = unflatten(def, ls);
    const out = args.slice();
    if (typeof nums === "number") out[nums] = tree;
    else list.forEach((n, i) => (out[n] = (tree as unknown[])[i]));
    return out;
  });
}

function finish(
  leaves: Tensor[],
  def: TreeDef,
  where: string,
  paths: readonly string[],
  rebuild: (ls: readonly Tensor[]) => unknown[],
): Selected {
  leaves.forEach((l, i) => {
    if (!isFloat(l.dtype))
      throw new DTypeError(
        `${where}: can only differentiate float inputs, but ${paths[i]} has dtype ${l.dtype} ` +
          `(shape [${l.shape}]); convert it with astype("float64") or leave it out of argnums/argnames`,
      );
  });
  return { leaves, def, rebuild, shape: (ls) => unflatten(def, ls) };
}
