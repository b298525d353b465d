import { GradlensError } from "../core/errors.js";
import { bind, type Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { fullLower, Trace, Tracer, withMain, type MainTrace } from "./stack.js";

/** A batch of values stacked along `bdim` (`null`: the same value for every example). */
export class BatchTracer extends Tracer {
  constructor(
    readonly trace: BatchTrace,
    readonly val: Tensor,
    readonly bdim: number | null,
  ) {
    super();
  }
  get aval() {
    const { shape, dtype } = this.val.aval;
    return { shape: this.bdim === null ? shape : shape.filter((_, i) => i !== this.bdim), dtype };
  }
  override fullLower(): Tensor {
    return this.bdim === null ? fullLower(this.val) : this;
  }
}

/** vmap: each primitive sees the whole batch at once through its batching rule. */
export class BatchTrace extends Trace {
  lift(x: Tensor): BatchTracer {
    return new BatchTracer(this, x, null);
  }
  process<P extends PrimName>(prim: P, tracers: Tracer[], params: PrimParams<P>): Tensor {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const [out, d] = (RULES[prim] as PrimRule<P>).batch(vals, dims, params, this.main.axisSize!);
    if (d !== null && out.aval.shape[d] !== this.main.axisSize)
      throw new GradlensError(
        `internal: batching rule of '${prim}' put a batch dim of size ${out.aval.shape[d]} at ${d}`,
      );
    return new BatchTracer(this, out, d);
  }
}

/**
 * Runs `f` once on whole batches: `inDims[i]` is the mapped axis of input i (null: not mapped).
 * Returns each output with its batch dim (null when an output does not depend on the batch).
 */
export function batchFlat(
  f: (xs: Tensor[]) => Tensor[],
  args: Tensor[],
  inDims: (number | null)[],
  axisSize: number,
): [Tensor[], (number | null)[]] {
  return withMain(
    "vmap",
    (main: MainTrace) => {
      const trace = new BatchTrace(main);
      const ins = args.map((a, i) => (inDims[i] === null ? a : new BatchTracer(trace, a, inDims[i])));
      const outs = f(ins);
      const vals: Tensor[] = [];
      const dims: (number | null)[] = [];
      for (const o of outs) {
        if (o instanceof BatchTracer && o.trace.main === main) {
          vals.push(o.val);
          dims.push(o.bdim);
        } else {
          vals.push(o);
          dims.push(null);
        }
      }
      return [vals, dims];
    },
    axisSize,
  );
}
