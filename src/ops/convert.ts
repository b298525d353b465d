/**
 * How op arguments become tensors: the one module every op reaches (through `asTensor`), so it is
 * also where the interpreter's dispatcher is installed (ops evaluate through it). It imports no
 * op, so ops importing it make no circle; the Tensor methods are registered by ops/methods.ts,
 * which ops/creation.ts imports (see docs/ARCHITECTURE.md, "Tensor methods").
 */
import {
  allocData,
  assertDType,
  dtypeOfData,
  promoteWithScalar,
  type DataArray,
  type DType,
} from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { fillFromNested, inferShape, NDArray, nestedIsBoolean } from "../core/ndarray.js";
import { assertValidShape, sizeOf, type Shape } from "../core/shape.js";
import { cast } from "../kernels/elementwise.js";
import { convert } from "../prims/lax.js";
import { Concrete, Tensor, type TensorLike } from "../prims/tensor.js";
// Ops evaluate through the interpreter's dispatcher; it is listed in package.json's "sideEffects",
// so bundlers keep it whenever an op is used.
import "../interp/dispatch.js";

export type { TensorLike } from "../prims/tensor.js";

const isTyped = (x: unknown): x is DataArray =>
  x instanceof Float64Array ||
  x instanceof Float32Array ||
  x instanceof Int32Array ||
  x instanceof Uint8Array;

/**
 * The conversion behind `array` (ops/creation.ts), for the ops themselves: nested JS arrays, a
 * number or a typed array (copied) become a concrete tensor; a tensor is returned (converted to
 * `dtype` if given).
 *
 * @example
 * toTensor([0, 2], { dtype: "int32" }); // int32 [0, 2]
 */
export function toTensor(data: TensorLike, opts: { dtype?: DType; shape?: Shape } = {}): Tensor {
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
  return toTensor(x);
}
