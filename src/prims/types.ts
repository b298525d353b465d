import type { DType } from "../core/dtype.js";
import type { NDArray } from "../core/ndarray.js";
import type { WindowGeometry } from "../kernels/patches.js";
import type { Aval, Tensor } from "./tensor.js";

/** Parameters of a primitive that has none. */
export type NoParams = Record<string, never>;

// prettier-ignore
export type UnaryPrim =
  | "neg" | "abs" | "sign" | "floor" | "ceil" | "round" | "sqrt" | "exp" | "expm1" | "log" | "log1p"
  | "sin" | "cos" | "tan" | "tanh" | "sinh" | "cosh" | "asin" | "acos" | "atan" | "asinh" | "acosh"
  | "atanh" | "erf" | "erfc" | "logistic" | "not" | "isfinite" | "isnan";

// prettier-ignore
export type BinaryPrim =
  | "add" | "sub" | "mul" | "div" | "pow" | "max" | "min" | "atan2"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "and" | "or";

export type ReducePrim = "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod";

/**
 * Every primitive and the static parameters it takes. Arrays are passed positionally to `bind`;
 * parameters are plain data, never tensors (so no tracer can hide in them).
 */
export type PrimParamsMap = { [P in UnaryPrim | BinaryPrim]: NoParams } & {
  [P in ReducePrim]: { axes: number[] };
} & {
  select: NoParams;
  convert: { dtype: DType };
  stop_gradient: NoParams;
  argmax: { axis: number };
  argmin: { axis: number };
  /** Contracting and batch dimension pairs, as in XLA's DotGeneral: out = [batch, x free, y free]. */
  dot_general: { contract: [number[], number[]]; batch: [number[], number[]] };
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  /** NumPy `broadcast_to` semantics. */
  broadcast: { shape: number[] };
  slice: { start: number[]; stop: number[]; step: number[] };
  pad: { lo: number[]; hi: number[]; interior: number[]; value: number };
  concatenate: { axis: number };
  rev: { axes: number[] };
  /** args: x, indices (int32). */
  gather: { axis: number };
  /** args: operand, indices (int32), updates. */
  scatter_add: { axis: number };
  cumsum: { axis: number; reverse: boolean };
  patches: WindowGeometry;
  patches_t: WindowGeometry & { inShape: number[] };
};

export type PrimName = keyof PrimParamsMap;
export type PrimParams<P extends PrimName> = PrimParamsMap[P];

/**
 * Marks the linear input of a primitive in a transpose rule: its value is unknown (it is what we
 * solve for), only its aval is.
 */
export class LinearArg {
  constructor(readonly aval: Aval) {}
}

/** Forward-mode rule: primal outputs and the tangent (`null` is a symbolic zero). */
export type JvpRule<P extends PrimName> = (
  primals: Tensor[],
  tangents: (Tensor | null)[],
  params: PrimParams<P>,
) => [Tensor, Tensor | null];

/** Cotangent of each input given the output cotangent (`null` where the input is not linear). */
export type TransposeRule<P extends PrimName> = (
  ct: Tensor,
  args: (Tensor | LinearArg)[],
  params: PrimParams<P>,
) => (Tensor | null)[];

/** vmap rule: values with batch dims (`null` = unbatched) → value with its batch dim. */
export type BatchRule<P extends PrimName> = (
  args: Tensor[],
  dims: (number | null)[],
  params: PrimParams<P>,
  axisSize: number,
) => [Tensor, number | null];

/** Everything gradlens knows about one primitive, declared side by side. */
export interface PrimRule<P extends PrimName> {
  /** Computes on concrete arrays (after `shape` validated the call). */
  impl: (args: NDArray[], params: PrimParams<P>) => NDArray;
  /** Output aval; throws a ShapeError/DTypeError naming the op and shapes when the call is invalid. */
  shape: (args: Aval[], params: PrimParams<P>) => Aval;
  jvp: JvpRule<P>;
  /** How to transpose when linear in some input; "nonlinear" primitives never appear in linear programs. */
  transpose: TransposeRule<P> | "nonlinear";
  batch: BatchRule<P>;
}

/** The rule table's type: leaving out a primitive, or one of its rules, is a compile error. */
export type RuleTable = { [P in PrimName]: PrimRule<P> };
