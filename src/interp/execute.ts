import { NDArray } from "../core/ndarray.js";
import { RULES } from "../prims/table.js";
import type { PrimName, PrimParams, PrimRule } from "../prims/types.js";
import { fuseElementwise, type FusedGroup } from "./fuse.js";
import type { Program, Var } from "./program.js";

interface Step {
  /** Computes the step's value from its inputs; `take` lends a dead buffer of that length, if any. */
  run: (vals: NDArray[], take: (n: number) => Float64Array) => NDArray;
  ins: number[];
  out: number;
  /** Slots read for the last time by this step, released after it. */
  release: number[];
}

/**
 * A staged program prepared for repeated concrete runs: values live in numbered slots, each
 * equation calls its primitive's kernel directly (shapes were checked once, at staging), chains
 * of element-wise equations run as one fused loop, and a slot is released right after its last
 * reader.
 */
export interface Executable {
  readonly program: Program;
  /** Equations run as fused loops, and how many loops they make. */
  readonly fusion: { eqns: number; loops: number };
  /** How many times a fused loop wrote into a recycled buffer instead of a new one. */
  readonly buffersReused: number;
  run(args: readonly NDArray[]): NDArray[];
}

/**
 * Memory plan: a float64 buffer this program allocated for an intermediate goes back to an
 * arena when its last reader has run (liveness), and fused loops write into buffers from the
 * arena before allocating. Buffers are counted by their ArrayBuffer, since a kernel may return a
 * view of its input (reshape) or the input itself; inputs, constants and anything an output
 * shares memory with are never released. The arena belongs to the executable and lives across
 * calls, so in steady state fused loops allocate nothing; outputs are always fresh.
 */
class Arena {
  private readonly free = new Map<number, Float64Array[]>();
  /** @param cap how many buffers of each length one run can take (more would only pile up). */
  constructor(private readonly cap: Map<number, number>) {}
  /** Buffers handed out again instead of allocated (for tests and profiles). */
  reused = 0;
  take(n: number): Float64Array {
    const list = this.free.get(n);
    if (list === undefined || list.length === 0) return new Float64Array(n);
    this.reused++;
    return list.pop()!;
  }
  give(a: Float64Array): void {
    const list = this.free.get(a.length);
    if (list === undefined) {
      if ((this.cap.get(a.length) ?? 0) > 0) this.free.set(a.length, [a]);
    } else if (list.length < this.cap.get(a.length)!) list.push(a);
  }
}

const poolable = (d: NDArray["data"]): d is Float64Array =>
  d instanceof Float64Array && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;

export function prepare(prog: Program, opts: { fuse?: boolean } = {}): Executable {
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
  const groups = opts.fuse === false ? new Map<never, FusedGroup>() : fuseElementwise(prog);
  const fusedAway = new Set([...groups.values()].flatMap((g) => g.eqns));
  const steps: Step[] = [];
  for (const e of prog.eqns) {
    const g = groups.get(e);
    if (g !== undefined) {
      const { kernel } = g;
      const shape = e.out.aval.shape;
      const n = shape.reduce((a, b) => a * b, 1);
      steps.push({
        run: (vals, take) => {
          const out = take(n);
          kernel(
            vals.map((v) => v.data),
            out,
          );
          return new NDArray("float64", shape, out);
        },
        ins: g.inputs.map(slot),
        out: slot(e.out),
        release: [],
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
    });
  }
  const lastUse = new Map<number, number>();
  steps.forEach((st, i) => st.ins.forEach((s) => lastUse.set(s, i)));
  const keep = new Set([...outSlots, ...constSlots, ...inSlots]);
  for (const [s, i] of lastUse) if (!keep.has(s)) steps[i].release.push(s);
  const nSlots = slotOf.size;
  const demand = new Map<number, number>();
  for (const g of groups.values()) {
    const n = g.out.aval.shape.reduce((a: number, b: number) => a * b, 1);
    demand.set(n, (demand.get(n) ?? 0) + 1);
  }
  const arena = new Arena(demand);
  const take = (n: number) => arena.take(n);
  const fusedEqns = fusedAway.size;
  return {
    program: prog,
    fusion: { eqns: fusedEqns, loops: groups.size },
    get buffersReused() {
      return arena.reused;
    },
    run(args) {
      const env: (NDArray | undefined)[] = new Array(nSlots);
      // Live references per buffer this run allocated; external buffers are never counted.
      const external = new Set<ArrayBufferLike>();
      const refs = new Map<ArrayBufferLike, number>();
      for (let i = 0; i < inSlots.length; i++) {
        env[inSlots[i]] = args[i];
        external.add(args[i].data.buffer);
      }
      for (let i = 0; i < constSlots.length; i++) {
        env[constSlots[i]] = constValues[i];
        external.add(constValues[i].data.buffer);
      }
      for (const st of steps) {
        const vals = st.ins.map((s) => env[s]!);
        const out = st.run(vals, take);
        env[st.out] = out;
        const buf = out.data.buffer;
        if (!external.has(buf)) refs.set(buf, (refs.get(buf) ?? 0) + 1);
        for (const s of st.release) {
          const d = env[s]!.data;
          env[s] = undefined;
          const left = (refs.get(d.buffer) ?? 0) - 1;
          if (left > 0) refs.set(d.buffer, left);
          else if (left === 0) {
            refs.delete(d.buffer);
            if (poolable(d)) arena.give(d);
          }
        }
      }
      return outSlots.map((s) => env[s]!);
    },
  };
}
