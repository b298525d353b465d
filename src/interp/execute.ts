import type { NDArray } from "../core/ndarray.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import type { Program, Var } from "./program.js";

interface Step {
  impl: (args: NDArray[], params: PrimParams<PrimName>) => NDArray;
  ins: number[];
  params: PrimParams<PrimName>;
  out: number;
  /** Slots read for the last time by this step, cleared after it so their buffers can be collected. */
  release: number[];
}

/**
 * A staged program prepared for repeated concrete runs: values live in numbered slots, each
 * equation calls its primitive's kernel directly (shapes were checked once, at staging), and a
 * slot is dropped right after its last reader, so intermediates die as early as possible
 * instead of living until the whole program returns.
 */
export interface Executable {
  readonly program: Program;
  run(args: readonly NDArray[]): NDArray[];
}

export function prepare(prog: Program): Executable {
  const slotOf = new Map<Var, number>();
  const slot = (v: Var) => {
    let s = slotOf.get(v);
    if (s === undefined) slotOf.set(v, (s = slotOf.size));
    return s;
  };
  const inSlots = prog.inVars.map(slot);
  const constSlots = prog.constVars.map(slot);
  const constValues = prog.consts.map((c) => (c as unknown as { value: NDArray }).value);
  const outSlots = prog.outs.map((v) => slot(v!));
  const lastUse = new Map<number, number>();
  const steps: Step[] = prog.eqns.map((e, i) => {
    const ins = e.inputs.map(slot);
    for (const s of ins) lastUse.set(s, i);
    const rule = RULES[e.prim] as PrimRule<PrimName>;
    return { impl: rule.impl, ins, params: e.params, out: slot(e.out), release: [] };
  });
  const keep = new Set([...outSlots, ...constSlots]);
  for (const [s, i] of lastUse) if (!keep.has(s)) steps[i].release.push(s);
  const nSlots = slotOf.size;
  return {
    program: prog,
    run(args) {
      const env: (NDArray | undefined)[] = new Array(nSlots);
      for (let i = 0; i < inSlots.length; i++) env[inSlots[i]] = args[i];
      for (let i = 0; i < constSlots.length; i++) env[constSlots[i]] = constValues[i];
      for (const st of steps) {
        const vals = st.ins.map((s) => env[s]!);
        env[st.out] = st.impl(vals, st.params);
        for (const s of st.release) env[s] = undefined;
      }
      return outSlots.map((s) => env[s]!);
    },
  };
}
