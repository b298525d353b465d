/**
 * Every op is also a method on Tensor (`a.matmul(b).add(1).mul(p)`). The methods are declared
 * on the Tensor interface by module augmentation and installed on its prototype here, which
 * keeps the Tensor class itself free of any dependency on the op layer above it.
 */
import type { DataArray, DType } from "../core/dtype.js";
import { TracerError, ValueError } from "../core/errors.js";
import { formatNDArray } from "../core/format.js";
import { toNested, type NDArray, type NestedArray } from "../core/ndarray.js";
import { Concrete, Tensor } from "../prims/tensor.js";
import type { Shape } from "../core/shape.js";
import * as A from "./activations.js";
import type { TensorLike } from "./creation.js";
import * as E from "./elementwise.js";
import * as Lin from "./linalg.js";
import * as M from "./manipulation.js";
import * as R from "./reduction.js";

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

declare module "../prims/tensor.js" {
  interface Tensor {
    /** Nested JS arrays (booleans for bool). */
    toArray(): NestedArray;
    /** A copy of the data as a typed array (Float64Array for float64, …). */
    data(): DataArray;
    /** The value of a one-element tensor as a JS number. */
    item(): number;
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    equal(other: TensorLike): Tensor;
    notEqual(other: TensorLike): Tensor;
    less(other: TensorLike): Tensor;
    lessEqual(other: TensorLike): Tensor;
    greater(other: TensorLike): Tensor;
    greaterEqual(other: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    reciprocal(): Tensor;
    exp(): Tensor;
    expm1(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    tanh(): Tensor;
    sinh(): Tensor;
    cosh(): Tensor;
    asin(): Tensor;
    acos(): Tensor;
    atan(): Tensor;
    erf(): Tensor;
    erfc(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    clip(lo: TensorLike | null, hi: TensorLike | null): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    softplus(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    sum(opts?: R.ReduceOptions): Tensor;
    mean(opts?: R.ReduceOptions): Tensor;
    prod(opts?: R.ReduceOptions): Tensor;
    max(opts?: R.ReduceOptions): Tensor;
    min(opts?: R.ReduceOptions): Tensor;
    variance(opts?: R.VarOptions): Tensor;
    std(opts?: R.VarOptions): Tensor;
    logsumexp(opts?: R.ReduceOptions): Tensor;
    argmax(axis?: number | null, keepdims?: boolean): Tensor;
    argmin(axis?: number | null, keepdims?: boolean): Tensor;
    matmul(other: TensorLike): Tensor;
    dot(other: TensorLike): Tensor;
    reshape(shape: Shape): Tensor;
    ravel(): Tensor;
    transpose(axes?: readonly number[]): Tensor;
    expandDims(axis: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    broadcastTo(shape: Shape): Tensor;
    slice(specs: readonly M.SliceSpec[]): Tensor;
    flip(axis?: number | readonly number[]): Tensor;
    take(indices: TensorLike, axis?: number): Tensor;
    cumsum(axis?: number, opts?: { reverse?: boolean }): Tensor;
    astype(dtype: DType): Tensor;
  }
}

const P = Tensor.prototype;

P.toArray = function (this: Tensor) {
  return toNested(concreteValue(this, "toArray"));
};
P.data = function (this: Tensor) {
  return concreteValue(this, "data").data.slice();
};
P.item = function (this: Tensor) {
  const v = concreteValue(this, "item");
  if (v.size !== 1)
    throw new ValueError(`item(): tensor has ${v.size} elements (shape [${v.shape}]), expected 1`);
  return v.data[0];
};
P.toString = function (this: Tensor) {
  return this instanceof Concrete
    ? formatNDArray(this.value)
    : `Tensor(${this.dtype}, [${this.shape.join(",")}], traced)`;
};

type Binary = (a: TensorLike, b: TensorLike) => Tensor;
const binaries: Record<string, Binary> = {
  add: E.add,
  sub: E.sub,
  mul: E.mul,
  div: E.div,
  pow: E.pow,
  maximum: E.maximum,
  minimum: E.minimum,
  equal: E.equal,
  notEqual: E.notEqual,
  less: E.less,
  lessEqual: E.lessEqual,
  greater: E.greater,
  greaterEqual: E.greaterEqual,
  matmul: Lin.matmul,
  dot: Lin.dot,
};
for (const [name, fn] of Object.entries(binaries))
  Object.defineProperty(P, name, {
    value: function (this: Tensor, other: TensorLike) {
      return fn(this, other);
    },
    writable: true,
    configurable: true,
  });

type Unary = (a: TensorLike) => Tensor;
const unaries: Record<string, Unary> = {
  neg: E.neg,
  abs: E.abs,
  sign: E.sign,
  square: E.square,
  sqrt: E.sqrt,
  rsqrt: E.rsqrt,
  reciprocal: E.reciprocal,
  exp: E.exp,
  expm1: E.expm1,
  log: E.log,
  log1p: E.log1p,
  sin: E.sin,
  cos: E.cos,
  tan: E.tan,
  tanh: E.tanh,
  sinh: E.sinh,
  cosh: E.cosh,
  asin: E.asin,
  acos: E.acos,
  atan: E.atan,
  erf: E.erf,
  erfc: E.erfc,
  floor: E.floor,
  ceil: E.ceil,
  round: E.round,
  sigmoid: A.sigmoid,
  relu: A.relu,
  softplus: A.softplus,
  ravel: M.ravel,
};
for (const [name, fn] of Object.entries(unaries))
  Object.defineProperty(P, name, {
    value: function (this: Tensor) {
      return fn(this);
    },
    writable: true,
    configurable: true,
  });

// Methods with extra arguments forward them unchanged.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const withArgs: Record<string, (x: Tensor, ...rest: any[]) => Tensor> = {
  clip: E.clip,
  softmax: A.softmax,
  logSoftmax: A.logSoftmax,
  sum: R.sum,
  mean: R.mean,
  prod: R.prod,
  max: R.max,
  min: R.min,
  variance: R.variance,
  std: R.std,
  logsumexp: R.logsumexp,
  argmax: R.argmax,
  argmin: R.argmin,
  reshape: M.reshape,
  transpose: M.transpose,
  expandDims: M.expandDims,
  squeeze: M.squeeze,
  broadcastTo: M.broadcastTo,
  slice: M.slice,
  flip: M.flip,
  take: M.take,
  cumsum: M.cumsum,
  astype: M.astype,
};
for (const [name, fn] of Object.entries(withArgs))
  Object.defineProperty(P, name, {
    value: function (this: Tensor, ...rest: unknown[]) {
      return fn(this, ...rest);
    },
    writable: true,
    configurable: true,
  });
