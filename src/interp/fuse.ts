import { shapesEqual, sizeOf } from "../core/shape.js";
import type { Eqn, Program, Var } from "./program.js";

/**
 * Each fusible primitive's arithmetic on one element, written exactly as the element-wise
 * kernels write it (src/kernels/elementwise.ts), so a fused loop returns the same bits as the
 * chain of kernels: float64 values are rounded to float64 after every operation either way,
 * whether they pass through a Float64Array or a local variable. Only IEEE operators and
 * Math.max/min/abs are listed; the transcendentals keep their own kernels (threaded, and
 * being replaced by gradlens's own implementations), so their bits stay theirs by construction.
 */
const EXPR: Record<string, (a: string[]) => string> = {
  neg: ([x]) => `-${x}`,
  abs: ([x]) => `Math.abs(${x})`,
  sign: ([x]) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : ${x})`,
  add: ([x, y]) => `${x} + ${y}`,
  sub: ([x, y]) => `${x} - ${y}`,
  mul: ([x, y]) => `${x} * ${y}`,
  div: ([x, y]) => `${x} / ${y}`,
  max: ([x, y]) => `Math.max(${x}, ${y})`,
  min: ([x, y]) => `Math.min(${x}, ${y})`,
  select: ([c, x, y]) => `(${c} ? ${x} : ${y})`,
};

/** How a fused loop reads one external input: every element, one element, or a repeated row. */
type Access = "full" | "scalar" | "row";

/** A chain (tree) of element-wise equations run as one loop writing one float64 output. */
export interface FusedGroup {
  eqns: Eqn[];
  /** Values read from outside the group, in the order the kernel takes them. */
  inputs: Var[];
  out: Var;
  /** Length of the repeated row (the output's trailing dims) when some input is a row, else the output size. */
  rowLength: number;
  kernel: (ins: ArrayLike<number>[], out: Float64Array, rows: number, rowLength: number) => void;
}

const fusible = (e: Eqn) =>
  Object.hasOwn(EXPR, e.prim) &&
  e.out.aval.dtype === "float64" &&
  e.inputs.every((v, i) => v.aval.dtype === (e.prim === "select" && i === 0 ? "bool" : "float64"));

/** How `v` broadcasts into `shape`, or null when it needs a general odometer (not fused). */
function accessOf(v: Var, shape: readonly number[]): { access: Access; row: number } | null {
  const s = v.aval.shape;
  if (shapesEqual(s, shape)) return { access: "full", row: 0 };
  const n = sizeOf(s);
  if (n === 1) return { access: "scalar", row: 0 };
  let k = 0;
  while (k < s.length && s[k] === 1) k++;
  const trail = s.slice(k);
  if (trail.length <= shape.length && shapesEqual(trail, shape.slice(shape.length - trail.length)))
    return { access: "row", row: n };
  return null;
}

interface Pending {
  eqns: Eqn[];
  shape: readonly number[];
  /** Length of the row the group's row inputs repeat, 0 while it has none. */
  row: number;
}

const kernelCache = new Map<string, FusedGroup["kernel"] | null>();

/** Generates the loop for a group, or null where code generation is not allowed (a strict CSP). */
function generate(g: Pending, inputs: Var[], access: Access[]): FusedGroup["kernel"] | null {
  const name = new Map<Var, string>();
  const lines: string[] = [];
  const head: string[] = [];
  inputs.forEach((v, k) => {
    head.push(`const a${k} = ins[${k}];`);
    if (access[k] === "scalar") head.push(`const s${k} = a${k}[0];`);
    name.set(v, access[k] === "full" ? `a${k}[i]` : access[k] === "scalar" ? `s${k}` : `a${k}[j]`);
  });
  g.eqns.forEach((e, t) => {
    lines.push(`const t${t} = ${EXPR[e.prim](e.inputs.map((v) => name.get(v)!))};`);
    name.set(e.out, `t${t}`);
  });
  lines.push(`out[i] = t${g.eqns.length - 1};`);
  const src =
    `${head.join("\n")}\n` +
    `for (let r = 0, i = 0; r < rows; r++)\n  for (let j = 0; j < rowLength; j++, i++) {\n    ` +
    `${lines.join("\n    ")}\n  }`;
  if (kernelCache.has(src)) return kernelCache.get(src)!;
  let fn: FusedGroup["kernel"] | null;
  try {
    fn = new Function("ins", "out", "rows", "rowLength", src) as FusedGroup["kernel"];
  } catch {
    fn = null;
  }
  // Loops are shared between programs with the same chain; the bound only keeps a long-lived
  // process that compiles many different programs from growing this without limit.
  if (kernelCache.size >= 1024) kernelCache.clear();
  kernelCache.set(src, fn);
  return fn;
}

/**
 * Groups the program's element-wise float64 equations into fused loops. An equation joins the
 * group of an input when it is that input's only reader and has the same shape, so each group
 * is a tree whose inner values never leave it: they become locals of one loop instead of arrays
 * written and read back. External inputs may broadcast when they are scalars or repeat along
 * the trailing dims (a bias row). Returns the groups of two or more equations, keyed by the
 * equation that writes the group's output (where the fused loop runs).
 */
export function fuseElementwise(prog: Program): Map<Eqn, FusedGroup> {
  const uses = new Map<Var, number>();
  const bump = (v: Var) => uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const e of prog.eqns) e.inputs.forEach(bump);
  for (const v of prog.outs) if (v !== null) bump(v);
  const groupOf = new Map<Var, Pending>();
  const order = new Map<Eqn, number>();
  prog.eqns.forEach((e, i) => order.set(e, i));
  for (const e of prog.eqns) {
    if (!fusible(e)) continue;
    const shape = e.out.aval.shape;
    const merged: Pending[] = [];
    let row = 0;
    let ok = true;
    for (const v of new Set(e.inputs)) {
      const g = groupOf.get(v);
      const readsHere = e.inputs.filter((u) => u === v).length;
      if (g !== undefined && uses.get(v) === readsHere && shapesEqual(g.shape, shape)) {
        merged.push(g);
        continue;
      }
      const a = accessOf(v, shape);
      if (a === null) ok = false;
      else if (a.access === "row") row = row === 0 || row === a.row ? a.row : -1;
    }
    for (const g of merged) if (g.row !== 0) row = row === 0 || row === g.row ? g.row : -1;
    if (!ok || row < 0) continue;
    const eqns = [...merged.flatMap((g) => g.eqns), e].sort((x, y) => order.get(x)! - order.get(y)!);
    groupOf.set(e.out, { eqns, shape, row });
  }
  const result = new Map<Eqn, FusedGroup>();
  const roots = new Set<Pending>();
  for (const [v, g] of groupOf) if (g.eqns[g.eqns.length - 1].out === v) roots.add(g);
  // A group is final when its output is not itself merged into a later group.
  const absorbed = new Set<Pending>();
  for (const g of roots)
    for (const e of g.eqns.slice(0, -1)) {
      const inner = groupOf.get(e.out);
      if (inner !== undefined && inner !== g) absorbed.add(inner);
    }
  for (const g of roots) {
    if (absorbed.has(g) || g.eqns.length < 2) continue;
    const inside = new Set(g.eqns.map((e) => e.out));
    const inputs: Var[] = [];
    for (const e of g.eqns)
      for (const v of e.inputs) if (!inside.has(v) && !inputs.includes(v)) inputs.push(v);
    const access = inputs.map((v) => accessOf(v, g.shape)!.access);
    const kernel = generate(g, inputs, access);
    if (kernel === null) continue;
    const root = g.eqns[g.eqns.length - 1];
    result.set(root, {
      eqns: g.eqns,
      inputs,
      out: root.out,
      rowLength: g.row === 0 ? sizeOf(g.shape) : g.row,
      kernel,
    });
  }
  return result;
}
