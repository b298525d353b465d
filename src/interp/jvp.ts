import { GradlensError } from "../core/errors.js";
import { shapesEqual } from "../core/shape.js";
import { bind, type Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { fullLower, Trace, Tracer, withMain, type MainTrace } from "./stack.js";

/** A primal value with its tangent (`null`: a symbolic zero, never materialised). */
export class JvpTracer extends Tracer {
  constructor(
    readonly trace: JvpTrace,
    readonly primal: Tensor,
    readonly tangent: Tensor | null,
  ) {
    super();
  }
  get aval() {
    return this.primal.aval;
  }
  override fullLower(): Tensor {
    return this.tangent === null ? fullLower(this.primal) : this;
  }
}

/** Forward mode: every primitive pushes tangents through its JVP rule. */
export class JvpTrace extends Trace {
  lift(x: Tensor): JvpTracer {
    return new JvpTracer(this, x, null);
  }
  process<P extends PrimName>(prim: P, tracers: Tracer[], params: PrimParams<P>): Tensor {
    const ts = tracers as JvpTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (tangents.every((t) => t === null)) return bind(prim, primals, params);
    const [out, tangent] = (RULES[prim] as PrimRule<P>).jvp(primals, tangents, params);
    if (tangent !== null && !shapesEqual(tangent.aval.shape, out.aval.shape))
      throw new GradlensError(
        `internal: JVP rule of '${prim}' gave a tangent of shape [${tangent.aval.shape}] for output [${out.aval.shape}]`,
      );
    return new JvpTracer(this, out, tangent);
  }
}

/**
 * Evaluates `f` on primals with tangents attached; returns outputs and output tangents
 * (`null` for outputs that do not depend on the inputs).
 */
export function jvpFlat(
  f: (xs: Tensor[]) => Tensor[],
  primals: Tensor[],
  tangents: (Tensor | null)[],
): [Tensor[], (Tensor | null)[]] {
  return withMain("jvp", (main: MainTrace) => {
    const trace = new JvpTrace(main);
    const ins = primals.map((p, i) => new JvpTracer(trace, p, tangents[i]));
    const outs = f(ins);
    const primalsOut: Tensor[] = [];
    const tangentsOut: (Tensor | null)[] = [];
    for (const o of outs) {
      if (o instanceof JvpTracer && o.trace.main === main) {
        primalsOut.push(o.primal);
        tangentsOut.push(o.tangent);
      } else {
        primalsOut.push(o);
        tangentsOut.push(null);
      }
    }
    return [primalsOut, tangentsOut];
  });
}
