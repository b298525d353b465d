import { DTypeError } from "./errors.js";

/**
 * Element types gradlens stores. `float64` is the default for everything made from JS numbers.
 *
 * @example
 * const codes = array([0, 2, 1], { dtype: "int32" });
 * const dtype: DType = codes.astype("float64").dtype; // "float64"
 */
export type DType = "float64" | "float32" | "int32" | "bool";

/**
 * The typed array that backs each dtype. `bool` is stored as one byte per element (0 or 1).
 *
 * @example
 * const data: DataArray = array([1, 2]).data(); // Float64Array [1, 2] (a copy)
 */
export type DataArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float64", "float32", "int32", "bool"];

/** Whether values of this dtype can carry derivatives. */
export function isFloat(dtype: DType): boolean {
  return dtype === "float64" || dtype === "float32";
}

/** Allocates a zero-filled typed array for `size` elements of `dtype`. */
export function allocData(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case "float64":
      return new Float64Array(size);
    case "float32":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

/** The dtype a typed array stands for (`Uint8Array` is read as `bool`). */
export function dtypeOfData(data: DataArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

export function assertDType(value: unknown, where: string): DType {
  if (typeof value === "string" && (DTYPES as readonly string[]).includes(value)) return value as DType;
  throw new DTypeError(
    `${where}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(", ")}`,
  );
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * NumPy's promotion for two arrays: bool < int32 < float32 < float64, except that int32 with
 * float32 gives float64 (float32 cannot hold every int32 exactly, NumPy's rule).
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === "int32" && b === "float32") || (a === "float32" && b === "int32")) return "float64";
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Promotion of an array with a JS number (NumPy 2 / NEP 50 "weak" scalars): the array's dtype
 * wins unless the number cannot be represented in it (a fraction with an integer array gives
 * float64; any number with a bool array gives int32 or float64).
 */
export function promoteWithScalar(dtype: DType, value: number | boolean): DType {
  if (typeof value === "boolean") return dtype;
  const integral = Number.isInteger(value);
  if (dtype === "bool") return integral ? "int32" : "float64";
  if (dtype === "int32") return integral ? "int32" : "float64";
  return dtype;
}
