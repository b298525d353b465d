import { broadcastStrides, shapesEqual, stridesOf } from "../core/shape.js";
import { collapse } from "../kernels/strided.js";
import * as own from "../kernels/transcendental/index.js";
import {
  compileChain,
  fusedSimdAvailable,
  type ArgKind,
  type ChainRunner,
  type ChainStep,
} from "../kernels/wasm/fused.js";
import type { Eqn, Program, Var } from "./program.js";

/**
 * Each fusible primitive's arithmetic on one element, written exactly as the element-wise
 * kernels write it (src/kernels/elementwise.ts), so a fused loop returns the same bits as the
 * chain of kernels: float64 values are rounded to float64 after every operation either way,
 * whether they pass through a Float64Array or a local variable. Only IEEE operators,
 * Math.max/min/abs and our own transcendentals (`T`, src/kernels/transcendental: the scalar
 * form runs the array kernel's own loop, so the bits are the unfused kernel's) are listed; a
 * `Math.*` transcendental is engine-defined and keeps its own kernel.
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
  exp: ([x]) => `T_exp(${x})`,
  expm1: ([x]) => `T_expm1(${x})`,
  log: ([x]) => `T_log(${x})`,
  log1p: ([x]) => `T_log1p(${x})`,
  tanh: ([x]) => `T_tanh(${x})`,
  logistic: ([x]) => `T_sigmoid(${x})`,
  erf: ([x]) => `T_erf(${x})`,
};

const SCALARS = ["T_exp", "T_expm1", "T_log", "T_log1p", "T_tanh", "T_sigmoid", "T_erf"];

type Kernel = (ins: ArrayLike<number>[], out: Float64Array) => void;
/** A group's loop over output elements [start, end) only (flat, row-major). */
export type RangeKernel = (ins: ArrayLike<number>[], out: Float64Array, start: number, end: number) => void;
/**
 * How a group's loop reads an input: one value throughout ("scalar"), element i at i ("dense"),
 * a row repeating along the output ("periodic", a broadcast bias), or through other strides.
 */
export type InputKind = "scalar" | "dense" | "periodic" | "strided";

/** A chain (tree) of element-wise equations run as one loop writing one float64 output. */
export interface FusedGroup {
  eqns: Eqn[];
  /** Values read from outside the group, in the order the kernel takes them (one may repeat). */
  inputs: Var[];
  out: Var;
  /** The loop that runs: the WebAssembly SIMD one when there is one and the backend allows it, else `jsKernel`. */
  kernel: Kernel;
  /** The generated JS loop (the fallback; the same bits). */
  jsKernel: Kernel;
  /** The WebAssembly SIMD loop, or null (no SIMD, no transcendental worth it, or a step it lacks). Falls back to `jsKernel` by itself when WebAssembly is switched off. */
  wasmKernel: Kernel | null;
  /** How the loop reads each of `inputs`. */
  kinds: InputKind[];
  /**
   * The same loop over a range of output elements (SIMD when `wasmKernel` is, with the JS range
   * loop as its fallback), for running the group block by block as a GEMM epilogue; null when an
   * input is read through strides other than a broadcast row. Safe in place: `out` may be a
   * dense input (each element is read before it is written).
   */
  range: RangeKernel | null;
}

const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1);

/**
 * A reshape that only inserts or removes size-1 dims: the elements keep their row-major order
 * and the loop nest over the other dims is the same, so it joins a fused loop as a renaming.
 */
const isRelabel = (e: Eqn) =>
  e.prim === "reshape" &&
  e.out.aval.dtype === "float64" &&
  shapesEqual(squeeze(e.inputs[0].aval.shape), squeeze(e.out.aval.shape));

/** Our transcendentals in EXPR: fused only where WebAssembly SIMD runs the chains (see below). */
const TRANSCENDENTAL: ReadonlySet<string> = new Set([
  "exp",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "logistic",
  "erf",
]);

/**
 * Without WebAssembly SIMD a chain with a transcendental would run as a JS loop calling the scalar
 * function per element, which measured slower than the array kernel plus separate arithmetic
 * loops (the call costs ~5 ns); there the transcendental keeps its own (threaded) kernel.
 */
const fusible = (e: Eqn) =>
  isRelabel(e) ||
  (Object.hasOwn(EXPR, e.prim) &&
    (!TRANSCENDENTAL.has(e.prim) || fusedSimdAvailable()) &&
    e.out.aval.dtype === "float64" &&
    e.inputs.every((v, i) => v.aval.dtype === (e.prim === "select" && i === 0 ? "bool" : "float64")));

interface Pending {
  eqns: Eqn[];
  /** The group's shape without its size-1 dims: the loop nest every member shares. */
  core: readonly number[];
}

/**
 * Strides with which equation `e` reads its external input `v`, over the group's core dims:
 * broadcast strides into e's output for an element-wise equation, v's own strides for a
 * relabelling reshape; the size-1 dims of e's shape are dropped (the loop never walks them).
 */
function readStrides(e: Eqn, v: Var): number[] {
  if (e.prim === "reshape") {
    const own = stridesOf(v.aval.shape);
    return own.filter((_, d) => v.aval.shape[d] !== 1);
  }
  const out = e.out.aval.shape;
  return broadcastStrides(v.aval.shape, out).filter((_, d) => out[d] !== 1);
}

const kernelCache = new Map<string, Kernel | RangeKernel | null>();

/** `new Function` over the loop source (cached by source), or null where code generation is not allowed (a strict CSP). */
function compileJs(src: string): Kernel | null;
function compileJs(src: string, ranged: true): RangeKernel | null;
function compileJs(src: string, ranged = false): Kernel | RangeKernel | null {
  const params = ranged ? "ins, out, start, end" : "ins, out";
  const key = `${params}\n${src}`;
  let fn = kernelCache.get(key);
  if (fn === undefined) {
    try {
      // The scalar functions as closure constants (a module namespace lookup per element is slow).
      const make = new Function(...SCALARS, `return function (${params}) {\n${src}\n};`) as (
        ...f: ((x: number) => number)[]
      ) => Kernel;
      fn = make(own.exp, own.expm1, own.log, own.log1p, own.tanh, own.sigmoid, own.erf);
    } catch {
      fn = null;
    }
    // Loops are shared between programs with the same chain; the bound only keeps a long-lived
    // process that compiles many different programs from growing this without limit.
    if (kernelCache.size >= 1024) kernelCache.clear();
    kernelCache.set(key, fn);
  }
  return fn;
}

/**
 * Generates the loop nest for a group, or null where code generation is not allowed (a strict
 * CSP). External inputs broadcast NumPy-style: each is read through its own strides over the
 * group's dims (0 along broadcast dims), dims every operand walks contiguously are merged as the
 * kernels merge them, and an input that is one element throughout is read once, before the loops.
 */
function generate(g: Pending): {
  jsKernel: Kernel;
  wasmKernel: Kernel | null;
  inputs: Var[];
  kinds: InputKind[];
  range: RangeKernel | null;
} | null {
  const inside = new Set(g.eqns.map((e) => e.out));
  // One kernel argument per (value, strides) pair, in first-use order.
  const args: { v: Var; st: number[]; key: string }[] = [];
  const argOf = new Map<string, number>();
  const argFor = (e: Eqn, v: Var) => {
    const st = readStrides(e, v);
    const key = `${v.id}:${st.join(",")}`;
    let k = argOf.get(key);
    if (k === undefined) {
      argOf.set(key, (k = args.length));
      args.push({ v, st, key });
    }
    return k;
  };
  const reads = g.eqns.map((e) => e.inputs.map((v) => (inside.has(v) ? -1 : argFor(e, v))));
  const [dims, strides] = collapse(
    g.core,
    args.map((a) => a.st),
  );
  const depth = dims.length;
  // The output's own (contiguous) strides: an input laid out the same way is read at `i`.
  const dense = dims.map((_, d) => dims.slice(d + 1).reduce((a, b) => a * b, 1));
  const kind = strides.map((st) =>
    st.every((x) => x === 0) ? "scalar" : st.every((x, d) => x === dense[d]) ? "dense" : "strided",
  );
  const argName = kind.map((kd, k) =>
    kd === "scalar" ? `s${k}` : kd === "dense" ? `a${k}[i]` : `a${k}[p${k}_${depth - 1}]`,
  );
  const head: string[] = [];
  args.forEach((_, k) => {
    head.push(`const a${k} = ins[${k}];`);
    if (kind[k] === "scalar") head.push(`const s${k} = a${k}[0];`);
  });
  /** One element's statements, reading argument k as `names[k]`, ending with the store to out[i]. */
  const statements = (names: string[]) => {
    const name = new Map<Var, string>();
    const lines: string[] = [];
    g.eqns.forEach((e, t) => {
      const xs = e.inputs.map((v, j) => (reads[t][j] === -1 ? name.get(v)! : names[reads[t][j]]));
      if (e.prim === "reshape") {
        name.set(e.out, xs[0]);
        return;
      }
      lines.push(`const t${t} = ${EXPR[e.prim](xs)};`);
      name.set(e.out, `t${t}`);
    });
    lines.push(`out[i] = ${name.get(g.eqns[g.eqns.length - 1].out)!};`);
    return lines;
  };
  const body = [...statements(argName), "i++;"];
  // Offsets into each strided input, advanced one loop level at a time.
  const walked = args.map((_, k) => k).filter((k) => kind[k] === "strided");
  const nest = (inner: string) => {
    let src = inner;
    for (let d = depth - 1; d >= 0; d--) {
      const offsets = walked.map((k) => {
        const prev = d === 0 ? "" : `p${k}_${d - 1} + `;
        return `const p${k}_${d} = ${prev}j${d} * ${strides[k][d]};`;
      });
      src = `for (let j${d} = 0; j${d} < ${dims[d]}; j${d}++) {\n${offsets.join("\n")}\n${src}\n}`;
    }
    return `${head.join("\n")}\nlet i = 0;\n${src}`;
  };
  const jsKernel = compileJs(nest(body.join("\n")));
  if (jsKernel === null) return null;
  const period = periodOf(strides, dims, dense);
  const kinds: InputKind[] = kind.map((kd, k) =>
    kd === "strided" ? (period[k] > 0 ? "periodic" : "strided") : (kd as InputKind),
  );
  const wasm = wasmFor(g, reads, kind, argName, nest, jsKernel, period);
  return {
    jsKernel,
    wasmKernel: wasm?.kernel ?? null,
    inputs: args.map((a) => a.v),
    kinds,
    range: rangeFor(kinds, period, head, statements, wasm?.runner ?? null),
  };
}

/**
 * The group's loop over output elements [start, end): one flat loop in which a dense input is
 * read at i, a scalar once, and a broadcast row through a counter that wraps at its period. The
 * statements are the whole-array loop's, so are the bits. With a SIMD runner (and no input
 * needing a dense copy first) the range runs as the WebAssembly kernel, the JS loop as fallback.
 */
function rangeFor(
  kinds: InputKind[],
  period: number[],
  head: string[],
  statements: (names: string[]) => string[],
  runner: ChainRunner | null,
): RangeKernel | null {
  if (kinds.includes("strided")) return null;
  const periodic = kinds.map((_, k) => k).filter((k) => kinds[k] === "periodic");
  const names = kinds.map((kd, k) =>
    kd === "scalar" ? `s${k}` : kd === "dense" ? `a${k}[i]` : `a${k}[q${k}]`,
  );
  const src = [
    ...head,
    ...periodic.map((k) => `let q${k} = start % ${period[k]};`),
    "for (let i = start; i < end; i++) {",
    ...statements(names),
    ...periodic.map((k) => `if (++q${k} === ${period[k]}) q${k} = 0;`),
    "}",
  ].join("\n");
  const js = compileJs(src, true);
  if (js === null || runner === null) return js;
  return (ins, out, start, end) => {
    if (!runner(ins, out, end, period, start)) js(ins, out, start, end);
  };
}

/**
 * Per input, the period with which it repeats along the output (0: it does not): strides 0 over
 * the leading dims and the output's own strides over the rest, as a bias row broadcast over rows.
 */
function periodOf(strides: number[][], dims: number[], dense: number[]): number[] {
  return strides.map((st) => {
    const t = st.findIndex((x) => x !== 0);
    if (t <= 0 || !st.every((x, d) => (d < t ? x === 0 : x === dense[d]))) return 0;
    return dims.slice(t).reduce((a, b) => a * b, 1);
  });
}

/**
 * Transcendentals whose chains run faster as f64x2 kernels than as the JS loop (measured on
 * bias-add + abs + f over 512×64 float64, ns per element, loaded 2-core machine:
 * tanh 14 vs 20, sigmoid 10 vs 19, exp 12 vs 17, log 13 vs 18, expm1 18 vs 21, log1p 15 vs 21).
 * erf is left out (42 vs 33): its lane-wise form computes four rational fits and two exps per
 * pair where the scalar loop computes the one its argument needs.
 */
const WASM_WORTH: ReadonlySet<string> = new Set(["tanh", "logistic", "exp", "log", "expm1", "log1p"]);

/**
 * The WebAssembly SIMD loop for a group whose every step has an f64x2 statement and which holds
 * a transcendental in WASM_WORTH (for pure arithmetic the JS loop, which needs no copies into
 * linear memory, is as fast). A broadcast row is expanded while it is copied into linear memory
 * (its period); any other strided (broadcast) input is first laid out densely by a generated JS
 * copy loop into a buffer the kernel keeps.
 */
function wasmFor(
  g: Pending,
  reads: number[][],
  kind: string[],
  argName: string[],
  nest: (inner: string) => string,
  jsKernel: Kernel,
  period: number[],
): { kernel: Kernel; runner: ChainRunner | null } | null {
  const steps: ChainStep[] = [];
  const valOf = new Map<Var, ChainStep["args"][number]>();
  g.eqns.forEach((e, t) => {
    const xs = e.inputs.map((v, j) => (reads[t][j] === -1 ? valOf.get(v)! : { input: reads[t][j] }));
    if (e.prim === "reshape") {
      valOf.set(e.out, xs[0]); // a renaming
      return;
    }
    valOf.set(e.out, { step: steps.length });
    steps.push({ prim: e.prim, args: xs });
  });
  if (!steps.some((s) => WASM_WORTH.has(s.prim))) return null;
  const kinds: ArgKind[] = kind.map((kd) => (kd === "scalar" ? "scalar" : "dense"));
  const runner = compileChain(steps, kinds);
  if (runner === null) return null;
  const copies = kind.map((kd, k) =>
    kd === "strided" && period[k] === 0 ? compileJs(nest(`out[i] = ${argName[k]};\ni++;`)) : null,
  );
  if (copies.some((c, k) => kind[k] === "strided" && period[k] === 0 && c === null)) return null;
  const dense: Float64Array[] = [];
  const ins2: ArrayLike<number>[] = [];
  const n = g.core.reduce((a, b) => a * b, 1);
  // Ranges are run straight on the inputs only when none needs a dense copy first.
  const ranged = copies.every((c) => c === null) ? runner : null;
  const kernel: Kernel = (ins, out) => {
    for (let k = 0; k < ins.length; k++) {
      const copy = copies[k];
      if (copy === null) ins2[k] = ins[k];
      else {
        if (dense[k]?.length !== n) dense[k] = new Float64Array(n);
        copy(ins, dense[k]);
        ins2[k] = dense[k];
      }
    }
    if (!runner(ins2, out, n, period)) jsKernel(ins, out); // WebAssembly switched off, or out of memory
  };
  return { kernel, runner: ranged };
}

/**
 * Groups the program's element-wise float64 equations into fused loops. An equation joins the
 * group of an input when it is that input's only reader and has the same shape up to size-1
 * dims, so each group is a tree whose inner values never leave it: they become locals of one
 * loop instead of arrays written and read back. Reshapes that only add or drop size-1 dims join
 * as renamings. External inputs may broadcast (NumPy rules, as the kernels do). Returns the
 * groups with at least two arithmetic equations, keyed by the equation that writes the group's
 * output (where the fused loop runs). With `products`, a group of one equation is returned too
 * when it is the only reader of one of those values (a GEMM product it may finish as an
 * epilogue, see epilogue.ts).
 */
export function fuseElementwise(
  prog: Program,
  opts: { products?: ReadonlySet<Var> } = {},
): Map<Eqn, FusedGroup> {
  const uses = new Map<Var, number>();
  const bump = (v: Var) => uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const e of prog.eqns) e.inputs.forEach(bump);
  for (const v of prog.outs) if (v !== null) bump(v);
  const groupOf = new Map<Var, Pending>();
  const order = new Map<Eqn, number>();
  prog.eqns.forEach((e, i) => order.set(e, i));
  for (const e of prog.eqns) {
    if (!fusible(e)) continue;
    const core = squeeze(e.out.aval.shape);
    const merged: Pending[] = [];
    for (const v of new Set(e.inputs)) {
      const g = groupOf.get(v);
      const readsHere = e.inputs.filter((u) => u === v).length;
      if (g !== undefined && uses.get(v) === readsHere && shapesEqual(g.core, core)) merged.push(g);
    }
    const eqns = [...merged.flatMap((g) => g.eqns), e].sort((x, y) => order.get(x)! - order.get(y)!);
    groupOf.set(e.out, { eqns, core });
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
  const readsProduct = (g: Pending) =>
    g.eqns.some((e) =>
      e.inputs.some(
        (v) =>
          opts.products?.has(v) === true &&
          uses.get(v) === g.eqns.reduce((n, u) => n + u.inputs.filter((w) => w === v).length, 0),
      ),
    );
  for (const g of roots) {
    const arithmetic = g.eqns.filter((e) => e.prim !== "reshape").length;
    if (absorbed.has(g) || arithmetic === 0 || (arithmetic < 2 && !readsProduct(g))) continue;
    const generated = generate(g);
    if (generated === null) continue;
    const root = g.eqns[g.eqns.length - 1];
    const { jsKernel, wasmKernel, inputs, kinds, range } = generated;
    result.set(root, {
      eqns: g.eqns,
      inputs,
      out: root.out,
      kernel: wasmKernel ?? jsKernel,
      jsKernel,
      wasmKernel,
      kinds,
      range,
    });
  }
  return result;
}
