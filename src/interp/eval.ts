import { Concrete, type Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";

/** Eager evaluation: validate the call with the shape rule, then run the kernel. */
export function evalPrim<P extends PrimName>(
  prim: P,
  args: readonly Tensor[],
  params: PrimParams<P>,
): Concrete {
  const rule = RULES[prim] as PrimRule<P>;
  const values = args.map((a) => (a as Concrete).value);
  rule.shape(values, params);
  return new Concrete(rule.impl(values, params));
}
