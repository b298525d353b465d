import { isFloat, promoteTypes, promoteWithScalar, type DType } from "../core/dtype.js";
import { convert } from "../prims/lax.js";
import { Tensor } from "../prims/tensor.js";
import { asTensor, type TensorLike } from "./convert.js";

const isScalarLike = (x: TensorLike): x is number | boolean =>
  typeof x === "number" || typeof x === "boolean";

/** The dtype two operands compute in (NumPy promotion, JS numbers weak). */
export function resultDtype(a: TensorLike, b: TensorLike): DType {
  if (isScalarLike(a) && isScalarLike(b))
    return typeof a === "boolean" && typeof b === "boolean" ? "bool" : "float64";
  if (isScalarLike(a)) return promoteWithScalar(asTensor(b).dtype, a);
  if (isScalarLike(b)) return promoteWithScalar(asTensor(a).dtype, b);
  return promoteTypes(asTensor(a).dtype, asTensor(b).dtype);
}

/** Both operands as tensors of their common dtype. */
export function promote(a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  const dtype = resultDtype(a, b);
  return [convert(asTensor(a, dtype), dtype), convert(asTensor(b, dtype), dtype), dtype];
}

/** All operands as tensors of their common dtype. */
export function promoteAll(xs: readonly TensorLike[]): Tensor[] {
  let dtype: DType | null = null;
  for (const x of xs)
    if (x instanceof Tensor) dtype = dtype === null ? x.dtype : promoteTypes(dtype, x.dtype);
  if (dtype === null) dtype = "float64";
  const d = dtype;
  return xs.map((x) => convert(asTensor(x, d), d));
}

/** A float version of `x` (ints and bools become float64, as NumPy's ufuncs do). */
export function toFloat(x: TensorLike): Tensor {
  const t = asTensor(x);
  return isFloat(t.dtype) ? t : convert(t, "float64");
}
