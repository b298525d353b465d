import type { Program, Var } from "../program.js";

/**
 * Dead-code elimination: keeps only the equations some output depends on, and only the
 * constants those equations (or the outputs) read. Primitives are pure, so nothing else is
 * observable.
 */
export function dce(prog: Program): Program {
  const live = new Set<Var>();
  for (const v of prog.outs) if (v !== null) live.add(v);
  const kept = [];
  for (let i = prog.eqns.length - 1; i >= 0; i--) {
    const e = prog.eqns[i];
    if (!live.has(e.out)) continue;
    kept.push(e);
    for (const v of e.inputs) live.add(v);
  }
  kept.reverse();
  const constVars: Var[] = [];
  const consts = [];
  for (let i = 0; i < prog.constVars.length; i++)
    if (live.has(prog.constVars[i])) {
      constVars.push(prog.constVars[i]);
      consts.push(prog.consts[i]);
    }
  return { inVars: prog.inVars, constVars, consts, eqns: kept, outs: prog.outs };
}
