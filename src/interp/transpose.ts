import { GradlensError } from "../core/errors.js";
import { add, zeros } from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import { RULES } from "../prims/table.js";
import { LinearArg, type PrimName, type PrimRule } from "../prims/types.js";
import type { Program, Var } from "./program.js";

/**
 * Transposes a linear program: given cotangents of its outputs, returns the cotangents of its
 * inputs (Jᵀ·ct). Equations run backwards; each linear primitive's transpose rule maps its output
 * cotangent to its linear inputs' cotangents, and fan-out sums. Residual constants enter the
 * rules as ordinary tensors, so the whole backward pass is itself traceable (Hessians work).
 */
export function transposeProgram(prog: Program, cts: (Tensor | null)[]): Tensor[] {
  const constSet = new Set<Var>(prog.constVars);
  const values = new Map<Var, Tensor>();
  prog.constVars.forEach((v, i) => values.set(v, prog.consts[i]));
  const ctEnv = new Map<Var, Tensor>();
  const accumulate = (v: Var, ct: Tensor | null) => {
    if (ct === null || constSet.has(v)) return;
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev === undefined ? ct : add(prev, ct));
  };
  prog.outs.forEach((v, i) => {
    if (v !== null) accumulate(v, cts[i]);
  });
  for (let i = prog.eqns.length - 1; i >= 0; i--) {
    const e = prog.eqns[i];
    const ct = ctEnv.get(e.out);
    if (ct === undefined) continue;
    ctEnv.delete(e.out);
    const rule = RULES[e.prim as PrimName] as PrimRule<PrimName>;
    if (rule.transpose === "nonlinear")
      throw new GradlensError(`internal: '${e.prim}' appeared in a linear program but has no transpose rule`);
    const args = e.inputs.map((v) => (constSet.has(v) ? values.get(v)! : new LinearArg(v.aval)));
    const ctsIn = rule.transpose(ct, args, e.params);
    e.inputs.forEach((v, k) => accumulate(v, ctsIn[k]));
  }
  return prog.inVars.map((v) => ctEnv.get(v) ?? zeros(v.aval.shape, v.aval.dtype));
}
