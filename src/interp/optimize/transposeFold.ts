import type { PrimParams } from "../../prims/types.js";
import type { Eqn, Program, Var } from "../program.js";

type DotParams = PrimParams<"dot_general">;
type Perm = readonly number[];

const increasing = (xs: readonly number[]) => xs.every((x, i) => i === 0 || xs[i - 1] < x);

/**
 * Renames one operand's dims through the transpose that produced it: dim d of the transposed
 * value is dim perm[d] of the original. Allowed only when the operand's free dims keep their
 * relative order, because dot_general lays its output out as [batch, x free, y free] in dim order.
 */
function foldOperand(perm: Perm, contract: number[], batch: number[]): [number[], number[]] | null {
  const free = perm.map((_, d) => d).filter((d) => !contract.includes(d) && !batch.includes(d));
  if (!increasing(free.map((d) => perm[d]))) return null;
  return [contract.map((d) => perm[d]), batch.map((d) => perm[d])];
}

/**
 * Folds a transpose feeding dot_general into the dot's dimension numbers, so GEMM reads the
 * untransposed operand with the layout it already has (its packing absorbs the permutation)
 * instead of a permuted copy being written first. The transpose itself goes if nothing else
 * reads it (dead-code elimination runs after). A pure relabelling: the same products are summed
 * in the same order, so results are bit-identical.
 */
export function foldTransposes(prog: Program): Program {
  const transposeOf = new Map<Var, { src: Var; perm: Perm }>();
  const eqns: Eqn[] = prog.eqns.map((e) => {
    if (e.prim === "transpose") {
      transposeOf.set(e.out, { src: e.inputs[0], perm: (e.params as PrimParams<"transpose">).perm });
      return e;
    }
    if (e.prim !== "dot_general") return e;
    const p = e.params as DotParams;
    let [x, y] = e.inputs;
    let contract: [number[], number[]] = [p.contract[0], p.contract[1]];
    let batch: [number[], number[]] = [p.batch[0], p.batch[1]];
    const tx = transposeOf.get(x);
    const fx = tx && foldOperand(tx.perm, contract[0], batch[0]);
    if (tx && fx) {
      x = tx.src;
      contract = [fx[0], contract[1]];
      batch = [fx[1], batch[1]];
    }
    const ty = transposeOf.get(y);
    const fy = ty && foldOperand(ty.perm, contract[1], batch[1]);
    if (ty && fy) {
      y = ty.src;
      contract = [contract[0], fy[0]];
      batch = [batch[0], fy[1]];
    }
    if (x === e.inputs[0] && y === e.inputs[1]) return e;
    return { ...e, inputs: [x, y], params: { contract, batch } };
  });
  return { ...prog, eqns };
}
