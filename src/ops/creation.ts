import {
  allocData,
  assertDType,
  checkInt32,
  dtypeOfData,
  promoteWithScalar,
  type DataArray,
  type DType,
} from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { fillFromNested, inferShape, NDArray, nestedIsBoolean, type NestedArray } from "../core/ndarray.js";
import { assertValidShape, sizeOf, type Shape } from "../core/shape.js";
import { cast } from "../kernels/elementwise.js";
import { convert } from "../prims/lax.js";
import { Concrete, Tensor } from "../prims/tensor.js";
// Every op reaches this module, so the two installs ops depend on happen here, in the layer that
// needs them, rather than in an entry point a bundler may skip: the interpreter's dispatcher
// (ops evaluate through it) and the Tensor methods (`a.add(b)`, `t.toArray()`). Both modules are
// listed in package.json's "sideEffects", so bundlers keep them whenever ops are used.
import "../interp/dispatch.js";
import "./methods.js";

/**
 * Anything an op accepts where a tensor is expected: JS numbers act as "weak" scalars.
 *
 * @example
 * const double = (x: TensorLike) => mul(x, 2);
 * double(3); double([[1, 2]]); double(new Float64Array([1, 2])); double(array([1, 2]));
 */
export type TensorLike = Tensor | number | boolean | NestedArray | DataArray;

/**
 * The `dtype` option of the creation functions (default float64).
 *
 * @example
 * zeros([2, 3], { dtype: "float32" });
 */
export interface DTypeOption {
  dtype?: DType;
}

const isTyped = (x: unknown): x is DataArray =>
  x instanceof Float64Array ||
  x instanceof Float32Array ||
  x instanceof Int32Array ||
  x instanceof Uint8Array;

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
  const dtype = opts.dtype === undefined ? undefined : assertDType(opts.dtype, "array");
  if (data instanceof Tensor) {
    if (opts.shape !== undefined) throw new ValueError("array: `shape` applies only to typed-array input");
    return dtype === undefined ? data : convert(data, dtype);
  }
  if (isTyped(data)) {
    const shape = opts.shape === undefined ? [data.length] : assertValidShape(opts.shape, "array");
    if (sizeOf(shape) !== data.length)
      throw new ValueError(
        `array: typed array of length ${data.length} does not fit shape [${shape.join(",")}]`,
      );
    const copy = new NDArray(dtypeOfData(data), shape.slice(), data.slice());
    return new Concrete(dtype === undefined ? copy : cast(copy, dtype, "array"));
  }
  if (opts.shape !== undefined) throw new ValueError("array: `shape` applies only to typed-array input");
  const shape = inferShape(data, "array");
  const natural = nestedIsBoolean(data) ? "bool" : "float64";
  const out = allocData(natural, sizeOf(shape));
  fillFromNested(data, out);
  // Converting through `cast` gives NumPy's semantics (bool: nonzero is true), not a typed array's
  // (a Uint8Array would store 2 for `true`-ish 2, and 0 for 0.5).
  const a = new NDArray(natural, shape, out);
  return new Concrete(dtype === undefined ? a : cast(a, dtype, "array"));
}

/**
 * Converts an op argument to a tensor. A JS number becomes a scalar of `like`'s dtype when it
 * fits (NumPy 2's weak scalars), so `x.mul(2)` keeps float32 as float32.
 *
 * @example
 * asTensor(2, "float32").dtype; // "float32"
 * asTensor([[1, 2]]); // as array([[1, 2]])
 */
export function asTensor(x: TensorLike, like?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number" || typeof x === "boolean") {
    const dtype =
      like === undefined ? (typeof x === "boolean" ? "bool" : "float64") : promoteWithScalar(like, x);
    // NumPy 2 (NEP 50) raises OverflowError for a Python int that does not fit the array's dtype.
    if (dtype === "int32" && typeof x === "number" && !(x >= -2147483648 && x <= 2147483647))
      throw new ValueError(
        `the number ${x} does not fit the int32 array it is combined with (int32 holds -2147483648…2147483647; ` +
          `results never wrap); convert the array with astype("float64")`,
      );
    return new Concrete(NDArray.scalar(typeof x === "boolean" ? Number(x) : x, dtype));
  }
  return array(x);
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
