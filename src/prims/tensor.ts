import type { DataArray, DType } from "../core/dtype.js";
import { GradlensError, TracerError, ValueError } from "../core/errors.js";
import { formatNDArray } from "../core/format.js";
import { toNested, type NDArray, type NestedArray } from "../core/ndarray.js";
import type { Shape } from "../core/shape.js";
import type { ReduceOptions, SliceSpec, VarOptions } from "./opOptions.js";
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
 * Anything an op accepts where a tensor is expected: JS numbers act as "weak" scalars.
 *
 * @example
 * const double = (x: TensorLike) => mul(x, 2);
 * double(3); double([[1, 2]]); double(new Float64Array([1, 2])); double(array([1, 2]));
 */
export type TensorLike = Tensor | number | boolean | NestedArray | DataArray;

/**
 * The ops that are also Tensor methods, each taking the tensor first (`add(x, other)` is
 * `x.add(other)`). The op layer fills this table once (ops/methods.ts, through `setTensorOps`);
 * a method missing from what it passes is a compile error there.
 *
 * @example
 * const ops: Pick<TensorOps, "add"> = { add: (x, other) => add(x, other) };
 */
export interface TensorOps {
  add(x: Tensor, other: TensorLike): Tensor;
  sub(x: Tensor, other: TensorLike): Tensor;
  mul(x: Tensor, other: TensorLike): Tensor;
  div(x: Tensor, other: TensorLike): Tensor;
  pow(x: Tensor, other: TensorLike): Tensor;
  maximum(x: Tensor, other: TensorLike): Tensor;
  minimum(x: Tensor, other: TensorLike): Tensor;
  equal(x: Tensor, other: TensorLike): Tensor;
  notEqual(x: Tensor, other: TensorLike): Tensor;
  less(x: Tensor, other: TensorLike): Tensor;
  lessEqual(x: Tensor, other: TensorLike): Tensor;
  greater(x: Tensor, other: TensorLike): Tensor;
  greaterEqual(x: Tensor, other: TensorLike): Tensor;
  matmul(x: Tensor, other: TensorLike): Tensor;
  dot(x: Tensor, other: TensorLike): Tensor;
  neg(x: Tensor): Tensor;
  abs(x: Tensor): Tensor;
  sign(x: Tensor): Tensor;
  square(x: Tensor): Tensor;
  sqrt(x: Tensor): Tensor;
  rsqrt(x: Tensor): Tensor;
  reciprocal(x: Tensor): Tensor;
  exp(x: Tensor): Tensor;
  expm1(x: Tensor): Tensor;
  log(x: Tensor): Tensor;
  log1p(x: Tensor): Tensor;
  sin(x: Tensor): Tensor;
  cos(x: Tensor): Tensor;
  tan(x: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  sinh(x: Tensor): Tensor;
  cosh(x: Tensor): Tensor;
  asin(x: Tensor): Tensor;
  acos(x: Tensor): Tensor;
  atan(x: Tensor): Tensor;
  erf(x: Tensor): Tensor;
  erfc(x: Tensor): Tensor;
  floor(x: Tensor): Tensor;
  ceil(x: Tensor): Tensor;
  round(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  relu(x: Tensor): Tensor;
  softplus(x: Tensor): Tensor;
  ravel(x: Tensor): Tensor;
  clip(x: Tensor, lo: TensorLike | null, hi: TensorLike | null): Tensor;
  softmax(x: Tensor, axis?: number): Tensor;
  logSoftmax(x: Tensor, axis?: number): Tensor;
  sum(x: Tensor, opts?: ReduceOptions): Tensor;
  mean(x: Tensor, opts?: ReduceOptions): Tensor;
  prod(x: Tensor, opts?: ReduceOptions): Tensor;
  max(x: Tensor, opts?: ReduceOptions): Tensor;
  min(x: Tensor, opts?: ReduceOptions): Tensor;
  variance(x: Tensor, opts?: VarOptions): Tensor;
  std(x: Tensor, opts?: VarOptions): Tensor;
  logsumexp(x: Tensor, opts?: ReduceOptions): Tensor;
  argmax(x: Tensor, axis?: number | null, keepdims?: boolean): Tensor;
  argmin(x: Tensor, axis?: number | null, keepdims?: boolean): Tensor;
  reshape(x: Tensor, shape: Shape): Tensor;
  transpose(x: Tensor, axes?: readonly number[]): Tensor;
  expandDims(x: Tensor, axis: number): Tensor;
  squeeze(x: Tensor, axis?: number | readonly number[]): Tensor;
  broadcastTo(x: Tensor, shape: Shape): Tensor;
  slice(x: Tensor, specs: readonly SliceSpec[]): Tensor;
  flip(x: Tensor, axis?: number | readonly number[]): Tensor;
  take(x: Tensor, indices: TensorLike, axis?: number): Tensor;
  cumsum(x: Tensor, axis?: number, opts?: { reverse?: boolean }): Tensor;
  astype(x: Tensor, dtype: DType): Tensor;
}

let ops: TensorOps | null = null;

/**
 * Installs the op layer's implementations of the Tensor methods (called once, by ops/methods.ts,
 * as `setDispatcher` is by the interpreter).
 *
 * @example
 * setTensorOps({ add, sub, ... }); // ops/methods.ts, with every op in TensorOps
 */
export function setTensorOps(table: TensorOps): void {
  ops = table;
}

function tensorOps(): TensorOps {
  if (ops === null)
    throw new GradlensError(
      "gradlens: the Tensor methods are not installed (this bundle left out the op layer); " +
        "create tensors with array()/zeros()/… from 'gradlens', or call the ops as functions",
    );
  return ops;
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

  /** Nested JS arrays (booleans for bool). */
  toArray(): NestedArray {
    return toNested(concreteValue(this, "toArray"));
  }
  /** A copy of the data as a typed array (Float64Array for float64, …). */
  data(): DataArray {
    return concreteValue(this, "data").data.slice();
  }
  /** The value of a one-element tensor as a JS number. */
  item(): number {
    const v = concreteValue(this, "item");
    if (v.size !== 1)
      throw new ValueError(`item(): tensor has ${v.size} elements (shape [${v.shape}]), expected 1`);
    return v.data[0];
  }
  toString(): string {
    return this instanceof Concrete
      ? formatNDArray(this.value)
      : `Tensor(${this.dtype}, [${this.shape.join(",")}], traced)`;
  }

  // The ops as methods, each forwarding to the op of the same name in the table the op layer
  // fills (`TensorOps`): this class stays below the ops and needs none of them to load.
  add(other: TensorLike): Tensor {
    return tensorOps().add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return tensorOps().sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return tensorOps().mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return tensorOps().div(this, other);
  }
  pow(other: TensorLike): Tensor {
    return tensorOps().pow(this, other);
  }
  maximum(other: TensorLike): Tensor {
    return tensorOps().maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return tensorOps().minimum(this, other);
  }
  equal(other: TensorLike): Tensor {
    return tensorOps().equal(this, other);
  }
  notEqual(other: TensorLike): Tensor {
    return tensorOps().notEqual(this, other);
  }
  less(other: TensorLike): Tensor {
    return tensorOps().less(this, other);
  }
  lessEqual(other: TensorLike): Tensor {
    return tensorOps().lessEqual(this, other);
  }
  greater(other: TensorLike): Tensor {
    return tensorOps().greater(this, other);
  }
  greaterEqual(other: TensorLike): Tensor {
    return tensorOps().greaterEqual(this, other);
  }
  matmul(other: TensorLike): Tensor {
    return tensorOps().matmul(this, other);
  }
  dot(other: TensorLike): Tensor {
    return tensorOps().dot(this, other);
  }
  neg(): Tensor {
    return tensorOps().neg(this);
  }
  abs(): Tensor {
    return tensorOps().abs(this);
  }
  sign(): Tensor {
    return tensorOps().sign(this);
  }
  square(): Tensor {
    return tensorOps().square(this);
  }
  sqrt(): Tensor {
    return tensorOps().sqrt(this);
  }
  rsqrt(): Tensor {
    return tensorOps().rsqrt(this);
  }
  reciprocal(): Tensor {
    return tensorOps().reciprocal(this);
  }
  exp(): Tensor {
    return tensorOps().exp(this);
  }
  expm1(): Tensor {
    return tensorOps().expm1(this);
  }
  log(): Tensor {
    return tensorOps().log(this);
  }
  log1p(): Tensor {
    return tensorOps().log1p(this);
  }
  sin(): Tensor {
    return tensorOps().sin(this);
  }
  cos(): Tensor {
    return tensorOps().cos(this);
  }
  tan(): Tensor {
    return tensorOps().tan(this);
  }
  tanh(): Tensor {
    return tensorOps().tanh(this);
  }
  sinh(): Tensor {
    return tensorOps().sinh(this);
  }
  cosh(): Tensor {
    return tensorOps().cosh(this);
  }
  asin(): Tensor {
    return tensorOps().asin(this);
  }
  acos(): Tensor {
    return tensorOps().acos(this);
  }
  atan(): Tensor {
    return tensorOps().atan(this);
  }
  erf(): Tensor {
    return tensorOps().erf(this);
  }
  erfc(): Tensor {
    return tensorOps().erfc(this);
  }
  floor(): Tensor {
    return tensorOps().floor(this);
  }
  ceil(): Tensor {
    return tensorOps().ceil(this);
  }
  round(): Tensor {
    return tensorOps().round(this);
  }
  sigmoid(): Tensor {
    return tensorOps().sigmoid(this);
  }
  relu(): Tensor {
    return tensorOps().relu(this);
  }
  softplus(): Tensor {
    return tensorOps().softplus(this);
  }
  ravel(): Tensor {
    return tensorOps().ravel(this);
  }
  clip(lo: TensorLike | null, hi: TensorLike | null): Tensor {
    return tensorOps().clip(this, lo, hi);
  }
  softmax(axis?: number): Tensor {
    return tensorOps().softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return tensorOps().logSoftmax(this, axis);
  }
  sum(opts?: ReduceOptions): Tensor {
    return tensorOps().sum(this, opts);
  }
  mean(opts?: ReduceOptions): Tensor {
    return tensorOps().mean(this, opts);
  }
  prod(opts?: ReduceOptions): Tensor {
    return tensorOps().prod(this, opts);
  }
  max(opts?: ReduceOptions): Tensor {
    return tensorOps().max(this, opts);
  }
  min(opts?: ReduceOptions): Tensor {
    return tensorOps().min(this, opts);
  }
  variance(opts?: VarOptions): Tensor {
    return tensorOps().variance(this, opts);
  }
  std(opts?: VarOptions): Tensor {
    return tensorOps().std(this, opts);
  }
  logsumexp(opts?: ReduceOptions): Tensor {
    return tensorOps().logsumexp(this, opts);
  }
  argmax(axis?: number | null, keepdims?: boolean): Tensor {
    return tensorOps().argmax(this, axis, keepdims);
  }
  argmin(axis?: number | null, keepdims?: boolean): Tensor {
    return tensorOps().argmin(this, axis, keepdims);
  }
  reshape(shape: Shape): Tensor {
    return tensorOps().reshape(this, shape);
  }
  transpose(axes?: readonly number[]): Tensor {
    return tensorOps().transpose(this, axes);
  }
  expandDims(axis: number): Tensor {
    return tensorOps().expandDims(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return tensorOps().squeeze(this, axis);
  }
  broadcastTo(shape: Shape): Tensor {
    return tensorOps().broadcastTo(this, shape);
  }
  slice(specs: readonly SliceSpec[]): Tensor {
    return tensorOps().slice(this, specs);
  }
  flip(axis?: number | readonly number[]): Tensor {
    return tensorOps().flip(this, axis);
  }
  take(indices: TensorLike, axis?: number): Tensor {
    return tensorOps().take(this, indices, axis);
  }
  cumsum(axis?: number, opts?: { reverse?: boolean }): Tensor {
    return tensorOps().cumsum(this, axis, opts);
  }
  astype(dtype: DType): Tensor {
    return tensorOps().astype(this, dtype);
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
  constructor(readonly value: NDArray) {
    super();
  }
  get aval(): Aval {
    return this.value;
  }
}

/**
 * The numbers of a concrete tensor, or a clear error for a tensor that is being traced. The array
 * is the tensor's own (not a copy); `what` names the caller in the error.
 *
 * @example
 * const { shape, data } = concreteValue(array([[1, 2]]), "toCsv"); // [1, 2], Float64Array [1, 2]
 */
export function concreteValue(t: Tensor, what: string): NDArray {
  if (t instanceof Concrete) return t.value;
  throw new TracerError(
    `${what}() needs concrete values, but this tensor is being traced by a transform (${String(t)}). ` +
      `Inside grad/vmap/jacrev code, keep values as tensors; read them after the transform returns.`,
  );
}
