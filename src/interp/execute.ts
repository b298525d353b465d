import {
  allocData,
  dtypeOfData,
  freshData,
  setBufferSource,
  type DataArray,
  type DType,
} from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { binaryRules } from "../prims/binary.js";
import { dotWithEpilogue } from "../prims/dot.js";
import { unaryRules } from "../prims/unary.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { findEpilogues, gemmProducts, type Epilogue } from "./epilogue.js";
import { fuseElementwise, type FusedGroup } from "./fuse.js";
import type { Eqn, Program, Var } from "./program.js";

interface Step {
  /** Computes the step's value from its inputs; kernels get their buffers through `allocData`. */
  run: (vals: NDArray[]) => NDArray;
  ins: number[];
  out: number;
  /** Slots read for the last time by this step, released after it. */
  release: number[];
  /** The step's kernel writes every element of every buffer it allocates (no zero fill needed). */
  overwrites: boolean;
}

/**
 * Primitives whose kernels write every element of each buffer they allocate (element-wise loops,
 * strided copies, GEMM), so a recycled buffer need not be zeroed first. Every other kernel gets
 * a recycled buffer zero-filled, as a fresh one would be (pad, reductions and scatter-add
 * accumulate into zeros).
 */
const OVERWRITES = new Set<string>([
  ...Object.keys(unaryRules),
  ...Object.keys(binaryRules),
  "compare",
  "logical",
  "select",
  "transpose",
  "broadcast",
  "slice",
  "rev",
  "reshape",
  "dot_general",
]);

/**
 * A staged program prepared for repeated concrete runs: values live in numbered slots, each
 * equation calls its primitive's kernel directly (shapes were checked once, at staging), chains
 * of element-wise equations run as one fused loop, and a slot is released right after its last
 * reader, its buffer going back to the executable's arena.
 */
export interface Executable {
  readonly program: Program;
  /** Equations run as fused loops, and how many loops they make. */
  readonly fusion: { eqns: number; loops: number };
  /** GEMMs whose product a fused loop finishes block by block, in place (epilogue.ts). */
  readonly epilogues: number;
  /** How many times a kernel got a recycled buffer from the arena instead of a new one. */
  readonly buffersReused: number;
  run(args: readonly NDArray[]): NDArray[];
}

/** The whole typed array a buffer belongs to, if `d` is all of it (so it can be handed out again). */
const whole = (d: DataArray): boolean => d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;

/**
 * Memory plan. Liveness is computed once, when the program is prepared: each slot is released
 * right after its last reader. While the program runs, every buffer a kernel asks for
 * (`allocData`) comes from the executable's arena, which keeps released buffers by dtype and
 * length across calls and allocates only when it has none of that size free. A buffer goes back
 * when no live slot refers to it any more (counted per ArrayBuffer, since a kernel may return a
 * view of its input, as reshape does, or the input itself), and a kernel's scratch buffers go
 * back as soon as it returns (kernels are pure: what they do not return, they do not keep).
 * Inputs, constants and outputs are never recycled, so outputs leave the arena with the caller:
 * after the first call, a call allocates exactly one buffer per output it did not get from its
 * inputs or constants, and the arena holds one call's peak of intermediates.
 */
class Arena {
  private readonly free = new Map<DType, Map<number, DataArray[]>>();
  /** Buffers handed out during the current step. */
  readonly lent: DataArray[] = [];
  /** Whether the current step's kernel overwrites what it allocates. */
  overwrites = false;
  /** Buffers handed out again instead of allocated (for tests and profiles). */
  reused = 0;
  readonly source = (dtype: DType, n: number): DataArray => {
    const list = this.free.get(dtype)?.get(n);
    let a: DataArray;
    if (list !== undefined && list.length > 0) {
      a = list.pop()!;
      this.reused++;
      if (!this.overwrites) a.fill(0);
    } else a = freshData(dtype, n);
    this.lent.push(a);
    return a;
  };
  give(a: DataArray): void {
    const dtype = dtypeOfData(a);
    let byLength = this.free.get(dtype);
    if (byLength === undefined) this.free.set(dtype, (byLength = new Map()));
    const list = byLength.get(a.length);
    if (list === undefined) byLength.set(a.length, [a]);
    else list.push(a);
  }
}

/** A buffer the current run allocated: the array to give back and how many slots refer to it. */
interface Owned {
  array: DataArray | null;
  refs: number;
}

/**
 * Prepares `prog` for repeated runs. `fuse: false` runs every equation as its own kernel;
 * `epilogue: false` keeps fused loops but runs them after their GEMM instead of inside it;
 * `arena: false` lets every kernel allocate. All give the same bits.
 */
export function prepare(
  prog: Program,
  opts: { fuse?: boolean; arena?: boolean; epilogue?: boolean } = {},
): Executable {
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
  const withEpilogues = opts.fuse !== false && opts.epilogue !== false;
  const groups =
    opts.fuse === false
      ? new Map<Eqn, FusedGroup>()
      : fuseElementwise(prog, withEpilogues ? { products: gemmProducts(prog) } : {});
  const epilogues = withEpilogues ? findEpilogues(prog, groups) : new Map<Eqn, Epilogue>();
  const arithmetic = (g: FusedGroup) => g.eqns.filter((e) => e.prim !== "reshape").length;
  // A one-equation group exists only to finish a product; without its GEMM it runs as its kernel.
  for (const [root, g] of groups) if (!epilogues.has(root) && arithmetic(g) < 2) groups.delete(root);
  const intoEpilogue = new Set<Eqn>([...epilogues.values()].map((ep) => ep.dot));
  const fusedAway = new Set([...groups.values()].flatMap((g) => g.eqns));
  const steps: Step[] = [];
  for (const e of prog.eqns) {
    if (intoEpilogue.has(e)) continue; // runs with the group that finishes its product
    const ep = epilogues.get(e);
    if (ep !== undefined) {
      steps.push(epilogueStep(ep, slot));
      continue;
    }
    const g = groups.get(e);
    if (g !== undefined) {
      const { kernel } = g;
      const shape = e.out.aval.shape;
      const n = shape.reduce((a, b) => a * b, 1);
      steps.push({
        run: (vals) => {
          const out = allocData("float64", n) as Float64Array;
          kernel(
            vals.map((v) => v.data),
            out,
          );
          return new NDArray("float64", shape, out);
        },
        ins: g.inputs.map(slot),
        out: slot(e.out),
        release: [],
        overwrites: true,
      });
      continue;
    }
    if (fusedAway.has(e)) continue;
    const rule = RULES[e.prim] as PrimRule<PrimName>;
    const params = e.params as PrimParams<PrimName>;
    steps.push({
      run: (vals) => rule.impl(vals, params),
      ins: e.inputs.map(slot),
      out: slot(e.out),
      release: [],
      overwrites: OVERWRITES.has(e.prim),
    });
  }
  const lastUse = new Map<number, number>();
  steps.forEach((st, i) => st.ins.forEach((s) => lastUse.set(s, i)));
  const keep = new Set([...outSlots, ...constSlots, ...inSlots]);
  for (const [s, i] of lastUse) if (!keep.has(s)) steps[i].release.push(s);
  const nSlots = slotOf.size;
  const arena = opts.arena === false ? null : new Arena();
  const multi = [...groups.values()].filter((g) => arithmetic(g) >= 2);
  const fusion = { eqns: multi.reduce((n, g) => n + g.eqns.length, 0), loops: multi.length };

  /** Runs the steps; with an arena, kernels allocate from it and released buffers go back to it. */
  const runSteps = (env: (NDArray | undefined)[], external: Set<ArrayBufferLike>) => {
    const owned = new Map<ArrayBufferLike, Owned>();
    for (const st of steps) {
      const vals = st.ins.map((s) => env[s]!);
      let out: NDArray;
      if (arena === null) out = st.run(vals);
      else {
        arena.lent.length = 0;
        arena.overwrites = st.overwrites;
        out = st.run(vals);
      }
      env[st.out] = out;
      const buf = out.data.buffer;
      if (!external.has(buf)) {
        const o = owned.get(buf);
        if (o !== undefined) o.refs++;
        else {
          // Only buffers the arena lent are recycled: a kernel that allocated on its own (not
          // through allocData) might keep its array, so it is left to the garbage collector.
          const lent = arena?.lent.find((a) => a.buffer === buf && whole(a));
          owned.set(buf, { array: lent ?? null, refs: 1 });
        }
      }
      // Scratch buffers the kernel did not return are dead now.
      if (arena !== null) for (const a of arena.lent) if (a.buffer !== buf) arena.give(a);
      for (const s of st.release) {
        const d = env[s]!.data;
        env[s] = undefined;
        const o = owned.get(d.buffer);
        if (o === undefined) continue;
        if (--o.refs === 0) {
          owned.delete(d.buffer);
          if (arena !== null && o.array !== null) arena.give(o.array);
        }
      }
    }
  };

  return {
    program: prog,
    fusion,
    epilogues: epilogues.size,
    get buffersReused() {
      return arena?.reused ?? 0;
    },
    run(args) {
      const env: (NDArray | undefined)[] = new Array(nSlots);
      // Buffers of inputs and constants: never counted, never recycled.
      const external = new Set<ArrayBufferLike>();
      for (let i = 0; i < inSlots.length; i++) {
        env[inSlots[i]] = args[i];
        external.add(args[i].data.buffer);
      }
      for (let i = 0; i < constSlots.length; i++) {
        env[constSlots[i]] = constValues[i];
        external.add(constValues[i].data.buffer);
      }
      if (arena === null) runSteps(env, external);
      else {
        const restore = setBufferSource(arena.source);
        try {
          runSteps(env, external);
        } finally {
          restore();
          arena.lent.length = 0;
        }
      }
      return outSlots.map((s) => env[s]!);
    },
  };
}

/** Fewest elements an epilogue block is run on (16 KiB of float64: the block stays in L1/L2). */
const EPILOGUE_MIN = 2048;

/**
 * The step that runs a GEMM and the fused loop finishing its product: the loop runs over each
 * block of rows as soon as GEMM has written it (src/kernels/matmul.ts), in place in the
 * product's buffer, which becomes the group's output (its shape may differ by size-1 dims).
 * Reads the dot's two operands, then the group's other inputs.
 */
function epilogueStep({ dot, group, arg }: Epilogue, slot: (v: Var) => number): Step {
  const range = group.range!;
  const others = group.inputs.map((_, k) => k).filter((k) => k !== arg);
  const shape = group.out.aval.shape;
  return {
    run: (vals) => {
      const ins: ArrayLike<number>[] = new Array(group.inputs.length);
      others.forEach((k, j) => (ins[k] = vals[2 + j].data));
      // Blocks arrive in order from 0; small ones (a batch item of a batched product) are
      // gathered up to EPILOGUE_MIN elements so the loop's per-call cost stays negligible.
      let from = 0;
      const c = dotWithEpilogue(vals[0], vals[1], dot.params, (data, _start, end) => {
        if (end - from < EPILOGUE_MIN) return;
        ins[arg] = data;
        range(ins, data, from, end);
        from = end;
      });
      if (from < c.data.length) {
        ins[arg] = c.data;
        range(ins, c.data as Float64Array, from, c.data.length);
      }
      return new NDArray("float64", shape, c.data);
    },
    ins: [...dot.inputs.map(slot), ...others.map((k) => slot(group.inputs[k]))],
    out: slot(group.out),
    release: [],
    overwrites: true,
  };
}
