import type { DType } from "../core/dtype.js";
import { GradlensError } from "../core/errors.js";
import type { PrimName, PrimParams } from "./params.js";

/**
 * Abstract value: what every transform knows about a tensor without its numbers.
 *
 * @example
 * const aval: Aval = array([[1, 2, 3]]).aval; // { shape: [1, 3], dtype: "float64" }
 */
export interface Aval {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * The public tensor type. Concrete tensors (holding numbers) and the tracers the transforms pass
 * through user code are both `Tensor`s, so one function body works eagerly, under `grad`, under
 * `vmap`, and nested. Tensors are immutable and garbage-collected: there is nothing to dispose.
 * Operations are available both as functions (`add(a, b)`) and as methods (`a.add(b)`).
 *
 * @example
 * const a = array([[1, 2], [3, 4]]);
 * a.matmul(a).add(1).toArray(); // [[8, 11], [16, 23]]
 */
export abstract class Tensor {
  abstract get aval(): Aval;
  get shape(): number[] {
    return this.aval.shape.slice();
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    let n = 1;
    for (const d of this.aval.shape) n *= d;
    return n;
  }
}

/** How the interpreter stack applies a primitive; installed once by `src/interp`. */
export type Dispatcher = <P extends PrimName>(
  prim: P,
  args: readonly Tensor[],
  params: PrimParams<P>,
) => Tensor;

let dispatcher: Dispatcher | null = null;

/** Installs the interpreter stack's dispatcher (called once, by `src/interp`). */
export function setDispatcher(d: Dispatcher): void {
  dispatcher = d;
}

/**
 * Applies primitive `prim` to `args`: the single entry point from ops and rules into the
 * interpreter stack, which routes it to the innermost active transform.
 */
export function bind<P extends PrimName>(prim: P, args: readonly Tensor[], params: PrimParams<P>): Tensor {
  if (dispatcher === null)
    throw new GradlensError("gradlens: interpreter not initialised (import from 'gradlens')");
  return dispatcher(prim, args, params);
}

/** A tensor with concrete numbers: the values eager code and the bottom of every trace see. */
export class Concrete extends Tensor {
  constructor(readonly value: import("../core/ndarray.js").NDArray) {
    super();
  }
  get aval(): Aval {
    return this.value;
  }
}
