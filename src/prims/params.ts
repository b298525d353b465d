/**
 * The names of the primitives and the static parameters each takes: plain data with no tensor in
 * it, so that tensor.ts (`bind`) and the rule types (types.ts) can both use it without a circle.
 */
import type { DType } from "../core/dtype.js";
import type { WindowGeometry } from "../kernels/patches.js";

/** Parameters of a primitive that has none. */
export type NoParams = Record<string, never>;

// prettier-ignore
export type UnaryPrim =
  | "neg" | "abs" | "sign" | "floor" | "ceil" | "round" | "sqrt" | "exp" | "expm1" | "log" | "log1p"
  | "sin" | "cos" | "tan" | "tanh" | "sinh" | "cosh" | "asin" | "acos" | "atan" | "asinh" | "acosh"
  | "atanh" | "erf" | "erfc" | "logistic" | "not" | "isfinite" | "isnan";

// prettier-ignore
export type BinaryPrim = "add" | "sub" | "mul" | "div" | "pow" | "max" | "min" | "atan2";

/** The comparisons, one primitive (`compare`) with the relation as its parameter. */
export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/** The binary logical operations on bools, one primitive (`logical`). */
export type LogicalOp = "and" | "or";

export type ReducePrim = "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod";

/**
 * Every primitive and the static parameters it takes. Arrays are passed positionally to `bind`;
 * parameters are plain data, never tensors (so no tracer can hide in them).
 */
export type PrimParamsMap = { [P in UnaryPrim | BinaryPrim]: NoParams } & {
  [P in ReducePrim]: { axes: number[] };
} & {
  /** Element-wise `x op y` with broadcasting; bool out, derivative zero. */
  compare: { op: CompareOp };
  /** Element-wise `x op y` on bools with broadcasting; derivative zero. */
  logical: { op: LogicalOp };
  select: NoParams;
  convert: { dtype: DType };
  stop_gradient: NoParams;
  /** Index of the first extreme (NaN counts as one) along `axis`; int32 out, derivative zero. */
  arg_reduce: { op: "argmax" | "argmin"; axis: number };
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
