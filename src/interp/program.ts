import type { Aval, Tensor } from "../prims/tensor.js";
import { bind } from "../prims/tensor.js";
import type { PrimName, PrimParams } from "../prims/types.js";

/** A value in a staged program. */
export class Var {
  private static counter = 0;
  readonly id = Var.counter++;
  constructor(readonly aval: Aval) {}
}

export interface Eqn<P extends PrimName = PrimName> {
  prim: P;
  inputs: Var[];
  params: PrimParams<P>;
  out: Var;
}

/**
 * A straight-line program staged out by partial evaluation. For `linearize` it is the linear
 * map from input tangents to output tangents; `consts` are the known values (residuals) it
 * closes over. An output of `null` is a symbolic zero.
 */
export interface Program {
  inVars: Var[];
  constVars: Var[];
  consts: Tensor[];
  eqns: Eqn[];
  outs: (Var | null)[];
}

/** Runs a program on concrete (or traced) inputs by binding each equation in order. */
export function evalProgram(prog: Program, args: Tensor[]): (Tensor | null)[] {
  const env = new Map<Var, Tensor>();
  prog.constVars.forEach((v, i) => env.set(v, prog.consts[i]));
  prog.inVars.forEach((v, i) => env.set(v, args[i]));
  for (const e of prog.eqns)
    env.set(
      e.out,
      bind(
        e.prim,
        e.inputs.map((v) => env.get(v)!),
        e.params,
      ),
    );
  return prog.outs.map((v) => (v === null ? null : env.get(v)!));
}
