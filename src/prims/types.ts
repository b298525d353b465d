import type { NDArray } from "../core/ndarray.js";
import type { PrimName, PrimParams } from "./params.js";
import type { Aval, Tensor } from "./tensor.js";

export type {
  BinaryPrim,
  CompareOp,
  LogicalOp,
  NoParams,
  PrimName,
  PrimParams,
  PrimParamsMap,
  ReducePrim,
  UnaryPrim,
} from "./params.js";

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
