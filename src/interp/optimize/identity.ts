import { shapesEqual } from "../../core/shape.js";
import { Concrete, type Tensor } from "../../prims/tensor.js";
import type { Eqn, Program, Var } from "../program.js";
import { applySubst, resolve } from "./rename.js";

/** Whether every element of constant `t` is exactly `bits` (Object.is: -0 and 0 differ). */
function allExactly(t: Tensor | undefined, bits: number): boolean {
  if (!(t instanceof Concrete)) return false;
  const d = t.value.data;
  for (let i = 0; i < d.length; i++) if (!Object.is(d[i], bits)) return false;
  return true;
}

const isIota = (perm: readonly number[]) => perm.every((p, i) => p === i);
const allZero = (xs: readonly number[]) => xs.every((x) => x === 0);

/**
 * The input an equation passes through unchanged (bit for bit, for every input value including
 * NaN, ±Inf and −0), or null. Arithmetic identities are the bit-safe ones only: x·1, x/1, x+(−0)
 * and x−(+0) return x exactly, while x+(+0) turns −0 into +0 and x·0 is NaN for x = ±Inf, so
 * those stay. (Symbolic zeros never reach a staged program: JVP and transpose carry them as null.)
 */
function passThrough(e: Eqn, consts: Map<Var, Tensor>): Var | null {
  const [x, y] = e.inputs;
  const xs = x.aval.shape;
  const sameAsOut = (v: Var) =>
    shapesEqual(v.aval.shape, e.out.aval.shape) && v.aval.dtype === e.out.aval.dtype;
  switch (e.prim) {
    case "reshape":
    case "broadcast":
      return shapesEqual(xs, e.out.aval.shape) ? x : null;
    case "transpose":
      return isIota((e.params as { perm: number[] }).perm) ? x : null;
    case "convert":
      return x.aval.dtype === e.out.aval.dtype ? x : null;
    case "rev":
      return (e.params as { axes: number[] }).axes.length === 0 ? x : null;
    case "pad": {
      const p = e.params as { lo: number[]; hi: number[]; interior: number[] };
      return allZero(p.lo) && allZero(p.hi) && allZero(p.interior) ? x : null;
    }
    case "slice": {
      const p = e.params as { start: number[]; stop: number[]; step: number[] };
      return allZero(p.start) && shapesEqual(p.stop, xs) && p.step.every((s) => s === 1) ? x : null;
    }
    case "concatenate":
      return e.inputs.length === 1 ? x : null;
    // Only concrete execution runs an optimized program, where stop_gradient is the identity.
    case "stop_gradient":
      return x;
    case "mul":
      if (sameAsOut(x) && allExactly(consts.get(y), 1)) return x;
      if (sameAsOut(y) && allExactly(consts.get(x), 1)) return y;
      return null;
    case "div":
      return sameAsOut(x) && allExactly(consts.get(y), 1) ? x : null;
    case "add":
      // int32 cannot hold −0, so any zero is neutral there.
      if (
        sameAsOut(x) &&
        (allExactly(consts.get(y), -0) || (isIntZero(consts.get(y)) && x.aval.dtype === "int32"))
      )
        return x;
      if (
        sameAsOut(y) &&
        (allExactly(consts.get(x), -0) || (isIntZero(consts.get(x)) && y.aval.dtype === "int32"))
      )
        return y;
      return null;
    case "sub":
      return sameAsOut(x) && allExactly(consts.get(y), 0) ? x : null;
    default:
      return null;
  }
}

const isIntZero = (t: Tensor | undefined) => allExactly(t, 0);

/**
 * Drops identity operations (reshape to the same shape, identity transpose, same-dtype convert,
 * x·1, …) and double negations, and collapses chains of reshapes into one, redirecting uses to
 * the value passed through.
 */
export function dropIdentities(prog: Program): Program {
  const consts = new Map<Var, Tensor>();
  prog.constVars.forEach((v, i) => consts.set(v, prog.consts[i]));
  const subst = new Map<Var, Var>();
  const negOf = new Map<Var, Var>();
  const reshapeOf = new Map<Var, Var>();
  const eqns: Eqn[] = [];
  for (const e0 of prog.eqns) {
    const e = { ...e0, inputs: e0.inputs.map((v) => resolve(subst, v)) };
    // reshape(reshape(x)) is one reshape of x (a reshape only relabels the row-major order).
    if (e.prim === "reshape") {
      const src = reshapeOf.get(e.inputs[0]);
      if (src !== undefined) e.inputs = [src];
      reshapeOf.set(e.out, e.inputs[0]);
    }
    const through = passThrough(e, consts);
    if (through !== null) {
      subst.set(e.out, through);
      continue;
    }
    if (e.prim === "neg") {
      const inner = negOf.get(e.inputs[0]);
      if (inner !== undefined && e.out.aval.dtype !== "int32") {
        subst.set(e.out, inner);
        continue;
      }
      negOf.set(e.out, e.inputs[0]);
    }
    eqns.push(e);
  }
  return applySubst({ ...prog, eqns }, subst);
}
