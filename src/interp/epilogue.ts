import type { FusedGroup } from "./fuse.js";
import type { Eqn, Program, Var } from "./program.js";

/** A GEMM whose product is finished, block by block, by the fused loop that alone reads it. */
export interface Epilogue {
  dot: Eqn<"dot_general">;
  group: FusedGroup;
  /** Where the product sits in `group.inputs`. */
  arg: number;
}

/** The outputs of float64 dot_general equations: the values an epilogue may finish. */
export function gemmProducts(prog: Program): Set<Var> {
  const out = new Set<Var>();
  for (const e of prog.eqns)
    if (e.prim === "dot_general" && e.inputs.every((v) => v.aval.dtype === "float64")) out.add(e.out);
  return out;
}

/**
 * Pairs each float64 dot_general with the fused group that is the only reader of its product,
 * when the group reads it densely (element i at i, which is how GEMM lays it out), at one
 * argument, and can run over ranges of elements (every other input dense, scalar or a broadcast
 * row). Keyed by the group's root equation, where the pair runs: by then the group's other inputs
 * exist, and the dot's operands, computed before the dot, still do.
 *
 * The group then runs over each block of rows right after GEMM writes it, while the block is in
 * cache, in place in the product's buffer: the same operations on the same values in the same
 * order as the separate loop, so the same bits.
 */
export function findEpilogues(prog: Program, groups: ReadonlyMap<Eqn, FusedGroup>): Map<Eqn, Epilogue> {
  const readers = new Map<Var, number>();
  for (const e of prog.eqns) for (const v of e.inputs) readers.set(v, (readers.get(v) ?? 0) + 1);
  for (const v of prog.outs) if (v !== null) readers.set(v, (readers.get(v) ?? 0) + 1);
  const dotOf = new Map<Var, Eqn<"dot_general">>();
  const products = gemmProducts(prog);
  for (const e of prog.eqns) if (products.has(e.out)) dotOf.set(e.out, e as Eqn<"dot_general">);
  const result = new Map<Eqn, Epilogue>();
  for (const [root, group] of groups) {
    if (group.range === null) continue;
    for (let k = 0; k < group.inputs.length; k++) {
      const v = group.inputs[k];
      const dot = dotOf.get(v);
      if (dot === undefined || group.kinds[k] !== "dense") continue;
      if (group.inputs.some((u, j) => j !== k && u === v)) continue; // also read through other strides
      const inside = group.eqns.reduce((n, e) => n + e.inputs.filter((u) => u === v).length, 0);
      if (readers.get(v) !== inside) continue; // someone else needs the product as it is
      result.set(root, { dot, group, arg: k });
      break;
    }
  }
  return result;
}
