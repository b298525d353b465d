import { Concrete, type Tensor } from "../../prims/tensor.js";
import type { Eqn, Program, Var } from "../program.js";
import { applySubst, resolve } from "./rename.js";

/** Constants at most this large are compared by value (literals such as 1, 0.5, -1 come in many copies). */
const SMALL_CONST = 64;

/** A key identifying a small concrete constant by dtype, shape and exact bits (Object.is: -0 ≠ 0, NaN = NaN). */
function constKey(t: Tensor): string | null {
  if (!(t instanceof Concrete) || t.value.size > SMALL_CONST) return null;
  const bits = Array.from(t.value.data as ArrayLike<number>, (x) =>
    Object.is(x, -0) ? "-0" : Number.isNaN(x) ? "NaN" : String(x),
  );
  return `${t.value.dtype}[${t.value.shape.join(",")}]:${bits.join(",")}`;
}

/** Parameters as a string that tells -0 from 0 and keeps NaN (JSON would print both as 0 / null). */
const paramsKey = (params: unknown) =>
  JSON.stringify(params, (_, x: unknown) =>
    typeof x === "number" ? (Object.is(x, -0) ? "#-0" : `#${x}`) : x,
  );

/**
 * Common-subexpression elimination: an equation with the same primitive, the same inputs and
 * equal parameters as an earlier one computes the same value (primitives are pure and
 * deterministic), so its uses are redirected to the first. Small constants with identical bits
 * are merged first so that, e.g., two separately created `1`s let their users match.
 */
export function cse(prog: Program): Program {
  const subst = new Map<Var, Var>();
  const byBits = new Map<string, Var>();
  const constVars: Var[] = [];
  const consts: Tensor[] = [];
  prog.constVars.forEach((v, i) => {
    const key = constKey(prog.consts[i]);
    const first = key === null ? undefined : byBits.get(key);
    if (first !== undefined) {
      subst.set(v, first);
      return;
    }
    if (key !== null) byBits.set(key, v);
    constVars.push(v);
    consts.push(prog.consts[i]);
  });
  const seen = new Map<string, Var>();
  const eqns: Eqn[] = [];
  for (const e of prog.eqns) {
    const inputs = e.inputs.map((v) => resolve(subst, v));
    const key = `${e.prim}(${inputs.map((v) => v.id).join(",")})${paramsKey(e.params)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      subst.set(e.out, first);
      continue;
    }
    seen.set(key, e.out);
    eqns.push({ ...e, inputs });
  }
  return applySubst({ inVars: prog.inVars, constVars, consts, eqns, outs: prog.outs }, subst);
}
