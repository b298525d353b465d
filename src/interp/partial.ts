import { GradlensError } from "../core/errors.js";
import { bind, type Aval, type Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { Var, type Eqn, type Program } from "./program.js";
import { fullLower, Trace, Tracer, withMain, type MainTrace } from "./stack.js";

/** How an unknown value came to be: a program input, or the output of a staged equation. */
type Recipe =
  | { kind: "input" }
  | { kind: "const"; value: Tensor }
  | { kind: "eqn"; prim: PrimName; inputs: PeTracer[]; params: PrimParams<PrimName> };

/**
 * Partial evaluation tracer: either known (a value computed now, at a lower level) or unknown
 * (to be computed later by the staged program, with only its aval known now).
 */
export class PeTracer extends Tracer {
  constructor(
    readonly trace: PeTrace,
    readonly known: Tensor | null,
    private readonly abstract: Aval,
    readonly recipe: Recipe,
  ) {
    super();
  }
  get aval() {
    return this.abstract;
  }
  override fullLower(): Tensor {
    return this.known !== null ? fullLower(this.known) : this;
  }
}

/**
 * Splits a computation into what can be done now (all inputs known: evaluated immediately) and
 * what depends on unknown inputs (staged into a program). Under `linearize` the unknowns are the
 * tangents, so the staged program is exactly the linear map, and the primal work is done once.
 */
export class PeTrace extends Trace {
  lift(x: Tensor): PeTracer {
    return new PeTracer(this, x, x.aval, { kind: "const", value: x });
  }
  newInput(aval: Aval): PeTracer {
    return new PeTracer(this, null, aval, { kind: "input" });
  }
  process<P extends PrimName>(prim: P, tracers: Tracer[], params: PrimParams<P>): Tensor {
    const ts = tracers as PeTracer[];
    if (ts.every((t) => t.known !== null))
      return bind(
        prim,
        ts.map((t) => t.known!),
        params,
      );
    const aval = (RULES[prim] as PrimRule<P>).shape(
      ts.map((t) => t.aval),
      params,
    );
    return new PeTracer(this, null, aval, {
      kind: "eqn",
      prim,
      inputs: ts,
      params: params as PrimParams<PrimName>,
    });
  }
}

/** Collects the equations that produce `outs` from `ins`, in dependency order, into a Program. */
export function toProgram(ins: PeTracer[], outs: (PeTracer | null)[]): Program {
  const vars = new Map<PeTracer, Var>();
  const constByValue = new Map<Tensor, Var>();
  const constVars: Var[] = [];
  const consts: Tensor[] = [];
  const eqns: Eqn[] = [];
  const inVars = ins.map((t) => {
    const v = new Var(t.aval);
    vars.set(t, v);
    return v;
  });
  const varOf = (t: PeTracer): Var => {
    const v = vars.get(t);
    if (v !== undefined) return v;
    if (t.recipe.kind === "const") {
      const value = t.recipe.value;
      let cv = constByValue.get(value);
      if (cv === undefined) {
        cv = new Var(t.aval);
        constByValue.set(value, cv);
        constVars.push(cv);
        consts.push(value);
      }
      vars.set(t, cv);
      return cv;
    }
    throw new GradlensError("internal: partial evaluation reached an unknown value with no recipe");
  };
  // Iterative post-order walk, so long chains (unrolled RNNs) cannot overflow the JS stack.
  const done = new Set<PeTracer>();
  const stack: [PeTracer, boolean][] = outs.filter((t): t is PeTracer => t !== null).map((t) => [t, false]);
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (done.has(t) || vars.has(t)) continue;
    if (t.recipe.kind !== "eqn") {
      varOf(t);
      done.add(t);
      continue;
    }
    if (!expanded) {
      stack.push([t, true]);
      for (const i of t.recipe.inputs) if (!done.has(i) && !vars.has(i)) stack.push([i, false]);
      continue;
    }
    const out = new Var(t.aval);
    eqns.push({ prim: t.recipe.prim, inputs: t.recipe.inputs.map(varOf), params: t.recipe.params, out });
    vars.set(t, out);
    done.add(t);
  }
  return { inVars, constVars, consts, eqns, outs: outs.map((t) => (t === null ? null : varOf(t))) };
}

/**
 * Partially evaluates `f` with `known` inputs (values) and `unknownAvals` inputs (staged).
 * Returns the known outputs' values (or null where unknown) and the program for the unknown ones.
 */
export function partialEvalFlat(
  f: (known: Tensor[], unknown: Tensor[]) => { knownOuts: Tensor[]; stagedOuts: (Tensor | null)[] },
  known: Tensor[],
  unknownAvals: Aval[],
): { knownOuts: Tensor[]; program: Program } {
  return withMain("linearize", (main: MainTrace) => {
    const trace = new PeTrace(main);
    const ins = unknownAvals.map((a) => trace.newInput(a));
    const { knownOuts, stagedOuts } = f(known, ins);
    for (const k of knownOuts)
      if (k instanceof PeTracer && k.trace.main === main && k.known === null)
        throw new GradlensError("internal: a primal output depends on the tangents");
    const outs = stagedOuts.map((o) => {
      if (o === null) return null;
      if (o instanceof PeTracer && o.trace.main === main) return o;
      return trace.lift(o);
    });
    return { knownOuts: knownOuts.map(fullLower), program: toProgram(ins, outs) };
  });
}
