import type { Eqn, Program, Var } from "../program.js";

/** Follows a substitution to its end (a var replaced by one that was itself replaced). */
export function resolve(subst: Map<Var, Var>, v: Var): Var {
  let r = v;
  for (let next = subst.get(r); next !== undefined; next = subst.get(r)) r = next;
  return r;
}

/** The program with every use of a substituted var redirected (definitions are left to DCE). */
export function applySubst(prog: Program, subst: Map<Var, Var>): Program {
  if (subst.size === 0) return prog;
  const eqns: Eqn[] = prog.eqns.map((e) => ({ ...e, inputs: e.inputs.map((v) => resolve(subst, v)) }));
  return { ...prog, eqns, outs: prog.outs.map((v) => (v === null ? null : resolve(subst, v))) };
}
