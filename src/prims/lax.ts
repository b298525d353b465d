/**
 * One thin function per primitive (plus a few helpers), all going through `bind`. Derivative and
 * batching rules are written with these, which is what makes every rule itself differentiable
 * and batchable: Hessians and per-sample Jacobians need no extra rules.
 */
import type { DType } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { shapesEqual } from "../core/shape.js";
import type { WindowGeometry } from "../kernels/patches.js";
import { bind, Concrete, type Tensor } from "./tensor.js";
import type { BinaryPrim, CompareOp, LogicalOp, ReducePrim, UnaryPrim } from "./types.js";

const NONE = {} as Record<string, never>;

export const unary = (prim: UnaryPrim, x: Tensor): Tensor => bind(prim, [x], NONE);
export const binary = (prim: BinaryPrim, x: Tensor, y: Tensor): Tensor => bind(prim, [x, y], NONE);

export const neg = (x: Tensor) => unary("neg", x);
export const sign = (x: Tensor) => unary("sign", x);
export const sqrt = (x: Tensor) => unary("sqrt", x);
export const exp = (x: Tensor) => unary("exp", x);
export const log = (x: Tensor) => unary("log", x);
export const sin = (x: Tensor) => unary("sin", x);
export const cos = (x: Tensor) => unary("cos", x);
export const sinh = (x: Tensor) => unary("sinh", x);
export const cosh = (x: Tensor) => unary("cosh", x);
export const add = (x: Tensor, y: Tensor) => binary("add", x, y);
export const sub = (x: Tensor, y: Tensor) => binary("sub", x, y);
export const mul = (x: Tensor, y: Tensor) => binary("mul", x, y);
export const div = (x: Tensor, y: Tensor) => binary("div", x, y);
export const pow = (x: Tensor, y: Tensor) => binary("pow", x, y);
export const compare = (op: CompareOp, x: Tensor, y: Tensor): Tensor => bind("compare", [x, y], { op });
export const logical = (op: LogicalOp, x: Tensor, y: Tensor): Tensor => bind("logical", [x, y], { op });
export const eq = (x: Tensor, y: Tensor) => compare("eq", x, y);
export const gt = (x: Tensor, y: Tensor) => compare("gt", x, y);
export const lt = (x: Tensor, y: Tensor) => compare("lt", x, y);
export const le = (x: Tensor, y: Tensor) => compare("le", x, y);
export const ge = (x: Tensor, y: Tensor) => compare("ge", x, y);

export const select = (c: Tensor, x: Tensor, y: Tensor) => bind("select", [c, x, y], NONE);
export const convert = (x: Tensor, dtype: DType) => (x.dtype === dtype ? x : bind("convert", [x], { dtype }));
export const stopGradient = (x: Tensor) => bind("stop_gradient", [x], NONE);

export const reduce = (prim: ReducePrim, x: Tensor, axes: number[]) =>
  axes.length === 0 ? x : bind(prim, [x], { axes });
export const reduceSum = (x: Tensor, axes: number[]) => reduce("reduce_sum", x, axes);
export const argmax = (x: Tensor, axis: number) => bind("arg_reduce", [x], { op: "argmax", axis });
export const argmin = (x: Tensor, axis: number) => bind("arg_reduce", [x], { op: "argmin", axis });

export const dotGeneral = (
  x: Tensor,
  y: Tensor,
  contract: [number[], number[]],
  batch: [number[], number[]] = [[], []],
) => bind("dot_general", [x, y], { contract, batch });

export const reshape = (x: Tensor, shape: readonly number[]) =>
  shapesEqual(x.aval.shape, shape) ? x : bind("reshape", [x], { shape: shape.slice() });
export const transpose = (x: Tensor, perm: readonly number[]) =>
  perm.every((p, i) => p === i) ? x : bind("transpose", [x], { perm: perm.slice() });
export const broadcast = (x: Tensor, shape: readonly number[]) =>
  shapesEqual(x.aval.shape, shape) ? x : bind("broadcast", [x], { shape: shape.slice() });
export const slice = (x: Tensor, start: number[], stop: number[], step: number[]) =>
  bind("slice", [x], { start, stop, step });
export const pad = (x: Tensor, lo: number[], hi: number[], interior: number[], value = 0) =>
  bind("pad", [x], { lo, hi, interior, value });
export const concatenate = (xs: Tensor[], axis: number) =>
  xs.length === 1 ? xs[0] : bind("concatenate", xs, { axis });
export const rev = (x: Tensor, axes: number[]) => (axes.length === 0 ? x : bind("rev", [x], { axes }));
export const gather = (x: Tensor, indices: Tensor, axis: number) => bind("gather", [x, indices], { axis });
export const scatterAdd = (operand: Tensor, indices: Tensor, updates: Tensor, axis: number) =>
  bind("scatter_add", [operand, indices, updates], { axis });
export const cumsum = (x: Tensor, axis: number, reverse = false) => bind("cumsum", [x], { axis, reverse });
export const patches = (x: Tensor, g: WindowGeometry) => bind("patches", [x], g);
export const patchesT = (x: Tensor, g: WindowGeometry, inShape: number[]) =>
  bind("patches_t", [x], { ...g, inShape });

/** A concrete scalar of `dtype`; binary primitives broadcast it. */
export function scalar(value: number, dtype: DType): Tensor {
  return new Concrete(NDArray.scalar(value, dtype));
}

/** A scalar with `like`'s dtype. */
export const scalarLike = (like: Tensor, value: number) => scalar(value, like.dtype);

export function zeros(shape: readonly number[], dtype: DType): Tensor {
  return new Concrete(NDArray.zeros(dtype, shape));
}

export const zerosLike = (x: { aval: { shape: readonly number[]; dtype: DType } }) =>
  zeros(x.aval.shape, x.aval.dtype);

/** A concrete int32 range [0, n). */
export function iota(n: number): Tensor {
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  return new Concrete(new NDArray("int32", [n], data));
}

/** Sums `x` down to `shape`: the adjoint of NumPy broadcasting from `shape` to `x.shape`. */
export function unbroadcast(x: Tensor, shape: readonly number[]): Tensor {
  const xs = x.aval.shape;
  if (shapesEqual(xs, shape)) return x;
  const lead = xs.length - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < xs.length; d++) if (d < lead || (shape[d - lead] === 1 && xs[d] !== 1)) axes.push(d);
  return reshape(reduceSum(x, axes), shape);
}

/** Moves axis `from` to position `to`, keeping the others in order. */
export function moveaxis(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = x.aval.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** Inserts size-1 axes so `x` (rank r) can broadcast against rank `ndim` starting at `at`. */
export function expandTo(x: Tensor, ndim: number, at: number): Tensor {
  const s = x.aval.shape.slice();
  while (s.length < ndim) s.splice(at, 0, 1);
  return reshape(x, s);
}
