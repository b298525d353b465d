import { TracerError } from "../core/errors.js";
import { Concrete, Tensor, type Aval } from "../prims/tensor.js";
import type { PrimName, PrimParams } from "../prims/types.js";

/**
 * One active transform on the trace stack. `level` is its depth (eager evaluation is level 0,
 * outside the stack); nested transforms get higher levels, which is what keeps a derivative
 * inside another derivative from confusing their perturbations.
 */
export interface MainTrace {
  readonly level: number;
  readonly kind: string;
  /** Size of the mapped axis, for vmap. */
  readonly axisSize?: number;
}

/** The one mutable global of the engine: the stack of active transforms. */
const stack: MainTrace[] = [];

/** Runs `fn` with a new transform of `kind` pushed on the stack, popping it however `fn` exits. */
export function withMain<T>(kind: string, fn: (main: MainTrace) => T, axisSize?: number): T {
  const main: MainTrace = { level: stack.length + 1, kind, axisSize };
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
  }
}

export function isActive(main: MainTrace): boolean {
  return stack[main.level - 1] === main;
}

/** An interpreter for one transform. */
export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from a lower level (or a concrete value) as a tracer of this trace. */
  abstract lift(x: Tensor): Tracer;
  /** Applies a primitive to tracers of this trace. */
  abstract process<P extends PrimName>(prim: P, tracers: Tracer[], params: PrimParams<P>): Tensor;
}

/** A tensor flowing through a transform: it carries that transform's extra data. */
export abstract class Tracer extends Tensor {
  abstract readonly trace: Trace;
  /** The plainest equivalent value: a lower-level value when this tracer adds nothing. */
  fullLower(): Tensor {
    return this;
  }
  override toString(): string {
    return `Tracer<${this.aval.dtype}[${this.aval.shape.join(",")}]> (${this.trace.main.kind}, level ${this.trace.main.level})`;
  }
}

export function fullLower(x: Tensor): Tensor {
  return x instanceof Tracer ? x.fullLower() : x;
}

/** Brings `x` up to `trace`'s level, refusing tracers that escaped their transform. */
export function fullRaise(trace: Trace, x: Tensor): Tracer {
  if (!(x instanceof Tracer)) return trace.lift(x);
  const main = x.trace.main;
  if (main === trace.main) return x;
  if (!isActive(main))
    throw new TracerError(
      `a tensor traced by an outer ${main.kind} transform that has already finished was used here ` +
        `(did a function store a traced value in a variable outside the transform?)`,
    );
  if (main.level < trace.main.level) return trace.lift(x);
  throw new TracerError(
    `internal: cannot lift a ${main.kind} tracer (level ${main.level}) to level ${trace.main.level}`,
  );
}

/** The innermost transform among the arguments, or null when all are concrete. */
export function topTrace(args: readonly Tensor[]): Trace | null {
  let top: Trace | null = null;
  for (const a of args)
    if (a instanceof Tracer) {
      if (!isActive(a.trace.main))
        throw new TracerError(
          `a tensor traced by a ${a.trace.main.kind} transform was used after that transform finished ` +
            `(a traced value escaped, for example through a variable outside the function)`,
        );
      if (top === null || a.trace.main.level > top.main.level) top = a.trace;
    }
  return top;
}

export const isConcrete = (x: Tensor): x is Concrete => x instanceof Concrete;
export type { Aval };
