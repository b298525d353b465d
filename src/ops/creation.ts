import { allocData, checkInt32, type DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { assertValidShape, sizeOf, type Shape } from "../core/shape.js";
import { Concrete, type Tensor } from "../prims/tensor.js";
import { toTensor, type TensorLike } from "./convert.js";
// The functions users make tensors with live here, so this is where the Tensor methods
// (`a.add(b)`, `t.sum()`) are registered: ops/methods.ts fills the method table of prims/tensor.ts
// with the ops. No op imports this module, so that makes no circle; ops/methods.ts is listed in
// package.json's "sideEffects", so bundlers keep it whenever a tensor is created here.
import "./methods.js";

export { asTensor, type TensorLike } from "./convert.js";

/**
 * The `dtype` option of the creation functions (default float64).
 *
 * @example
 * zeros([2, 3], { dtype: "float32" });
 */
export interface DTypeOption {
  dtype?: DType;
}

/**
 * Makes a tensor from nested JS arrays, a number, or a typed array. Numbers give float64 unless
 * `dtype` says otherwise; `Float32Array` gives float32, `Int32Array` int32, `Uint8Array` bool.
 * The data is copied.
 *
 * @example
 * array([[1, 2], [3, 4]]);                       // float64, shape [2, 2]
 * array(new Float32Array([1, 2]));               // float32
 * array([1, 2, 3], { dtype: "int32" });
 * array(new Float64Array(6), { shape: [2, 3] }); // typed array with a shape
 */
export function array(data: TensorLike, opts: DTypeOption & { shape?: Shape } = {}): Tensor {
  // Defined here, not re-exported from ./convert.js, so that a bundle using `array` keeps this
  // module and with it the Tensor methods it registers.
  return toTensor(data, opts);
}

/** @example full([2, 3], 7) */
export function full(shape: Shape, value: number, opts: DTypeOption = {}): Tensor {
  const s = assertValidShape(shape, "full");
  const dtype = opts.dtype ?? "float64";
  const data = allocData(dtype, sizeOf(s));
  // Object.is: −0 must be written (a fresh buffer holds +0); int32 values are range-checked.
  if (!Object.is(value, 0))
    data.fill(
      dtype === "bool" ? (value !== 0 ? 1 : 0) : dtype === "int32" ? checkInt32(value, "full") : value,
    );
  return new Concrete(new NDArray(dtype, s.slice(), data));
}

/** @example zeros([2, 3]) */
export const zeros = (shape: Shape, opts: DTypeOption = {}) => full(shape, 0, opts);
/** @example ones([3]) */
export const ones = (shape: Shape, opts: DTypeOption = {}) => full(shape, 1, opts);
/** @example zerosLike(x) */
export const zerosLike = (x: Tensor, opts: DTypeOption = {}) =>
  full(x.shape, 0, { dtype: opts.dtype ?? x.dtype });
/** @example onesLike(x) */
export const onesLike = (x: Tensor, opts: DTypeOption = {}) =>
  full(x.shape, 1, { dtype: opts.dtype ?? x.dtype });
/** @example fullLike(x, 0.5) */
export const fullLike = (x: Tensor, value: number, opts: DTypeOption = {}) =>
  full(x.shape, value, { dtype: opts.dtype ?? x.dtype });

/**
 * Identity matrix (or ones on the k-th diagonal of an n×m matrix).
 *
 * @example eye(3); eye(2, 3, { k: 1 })
 */
export function eye(n: number, m = n, opts: DTypeOption & { k?: number } = {}): Tensor {
  const dtype = opts.dtype ?? "float64";
  const k = opts.k ?? 0;
  const data = allocData(dtype, n * m);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) data[i * m + i + k] = 1;
  return new Concrete(new NDArray(dtype, [n, m], data));
}

/**
 * Evenly spaced values in [start, stop) with `step`, like NumPy (`arange(5)` is 0..4).
 *
 * @example arange(5); arange(1, 2, 0.25)
 */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOption = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new ValueError("arange: step must not be zero");
  // NaN or ±Infinity would give an empty or an unallocatable range without saying why (NumPy raises).
  if (![start, stop, step].every(Number.isFinite))
    throw new ValueError(`arange: start, stop and step must be finite, got ${start}, ${stop}, ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(step);
  const dtype =
    opts.dtype ?? (integral && stop !== undefined && Number.isInteger(stop) ? "int32" : "float64");
  const data = allocData(dtype, n);
  if (dtype === "int32" && n > 0) checkInt32(start + (n - 1) * step, "arange");
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Concrete(new NDArray(dtype, [n], data));
}

/**
 * `num` evenly spaced values from start to stop (inclusive unless `endpoint: false`).
 *
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: DTypeOption & { endpoint?: boolean } = {},
): Tensor {
  // 0·∞ = NaN would make the first value NaN (NumPy returns it with a warning): refuse instead.
  if (!Number.isFinite(start) || !Number.isFinite(stop))
    throw new ValueError(`linspace: start and stop must be finite, got ${start} and ${stop}`);
  const endpoint = opts.endpoint ?? true;
  const dtype = opts.dtype ?? "float64";
  if (dtype === "int32") [start, stop].forEach((v) => checkInt32(Math.trunc(v), "linspace"));
  const data = allocData(dtype, num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (endpoint && num > 1) data[num - 1] = stop;
  return new Concrete(new NDArray(dtype, [num], data));
}
