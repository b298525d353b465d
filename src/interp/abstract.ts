import type { Aval, Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { Trace, Tracer, withMain, type MainTrace } from "./stack.js";

/** A value known only by its shape and dtype. */
export class ShapeTracer extends Tracer {
  constructor(
    readonly trace: ShapeTrace,
    private readonly abstract: Aval,
  ) {
    super();
  }
  get aval() {
    return this.abstract;
  }
}

/** Abstract evaluation: runs only the shape rules, so no numbers are computed or allocated. */
export class ShapeTrace extends Trace {
  lift(x: Tensor): ShapeTracer {
    return new ShapeTracer(this, x.aval);
  }
  process<P extends PrimName>(prim: P, tracers: Tracer[], params: PrimParams<P>): Tensor {
    const rule = RULES[prim] as PrimRule<P>;
    return new ShapeTracer(
      this,
      rule.shape(
        tracers.map((t) => t.aval),
        params,
      ),
    );
  }
}

/** Output avals of `f` for inputs of the given avals, without computing anything. */
export function evalShapeFlat(f: (xs: Tensor[]) => Tensor[], avals: Aval[]): Aval[] {
  return withMain("evalShape", (main: MainTrace) => {
    const trace = new ShapeTrace(main);
    const outs = f(avals.map((a) => new ShapeTracer(trace, a)));
    return outs.map((o) => ({ shape: o.aval.shape.slice(), dtype: o.aval.dtype }));
  });
}
