import type { Aval, Tensor } from "../prims/tensor.js";
import { PeTrace, PeTracer } from "./partial.js";
import type { Program } from "./program.js";
import { toProgram } from "./partial.js";
import { withMain, type MainTrace } from "./stack.js";

/**
 * Stages `f` into a program for inputs of the given avals (the tracing half of `jit`): every
 * primitive that depends on an input is recorded; work on constants alone (closed-over weights,
 * literals) is done once, now, and its results captured as the program's constants. This is
 * partial evaluation with every input unknown, so it shares linearize's interpreter.
 */
export function stageFlat(f: (xs: Tensor[]) => Tensor[], avals: readonly Aval[]): Program {
  return withMain("jit", (main: MainTrace) => {
    const trace = new PeTrace(main);
    const ins = avals.map((a) => trace.newInput({ shape: a.shape.slice(), dtype: a.dtype }));
    const outs = f(ins).map((o) => (o instanceof PeTracer && o.trace.main === main ? o : trace.lift(o)));
    return toProgram(ins, outs);
  });
}
