import { DTypeError, ValueError } from "./errors.js";

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

/**
 * Where kernels get their buffers while a compiled program runs (its arena), or null for fresh
 * zero-filled arrays. Must return a zero-filled array of exactly that dtype and length.
 *
 * @example
 * const source: BufferSource = (dtype, n) => freshData(dtype, n);
 */
export type BufferSource = (dtype: DType, size: number) => DataArray;

let source: BufferSource | null = null;
let freshBuffers = 0;

/**
 * Routes every `allocData` call to `s` until the returned function is called, which restores
 * the previous source (sources nest). Used by `jit`'s executor to hand kernels buffers from its
 * arena instead of new ones.
 *
 * @example
 * const restore = setBufferSource((dtype, n) => arena.take(dtype, n));
 * try { kernel(x); } finally { restore(); }
 */
export function setBufferSource(s: BufferSource | null): () => void {
  const prev = source;
  source = s;
  return () => {
    source = prev;
  };
}

/**
 * How many typed arrays `allocData` has created so far (process-wide, never reset; buffers an
 * arena handed out again are not counted). For tests and profiles: take the difference.
 *
 * @example
 * const before = freshBufferCount();
 * f(x);
 * freshBufferCount() - before; // buffers f allocated
 */
export function freshBufferCount(): number {
  return freshBuffers;
}

/** Allocates a zero-filled typed array for `size` elements of `dtype` (from the current buffer source, if any). */
export function allocData(dtype: DType, size: number): DataArray {
  return source === null ? freshData(dtype, size) : source(dtype, size);
}

/**
 * A new zero-filled typed array, counted by `freshBufferCount` (bypasses the buffer source).
 *
 * @example
 * freshData("float64", 3); // Float64Array [0, 0, 0]
 */
export function freshData(dtype: DType, size: number): DataArray {
  freshBuffers++;
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

/** The range of `int32`: results outside it are refused, never wrapped. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * Checks that `value` is an integer `int32` can hold, throwing a ValueError naming `where`
 * otherwise. gradlens never wraps silently (an Int32Array stores 3e9 as −1294967296): NumPy 2
 * raises OverflowError for an out-of-range Python int, and a dtype that depended on the values
 * (promotion) could not be known while tracing, so refusing is the one rule.
 */
export function checkInt32(value: number, where: string): number {
  if (!(value >= INT32_MIN && value <= INT32_MAX) || !Number.isInteger(value))
    throw new ValueError(
      `${where}: ${value} ${Number.isFinite(value) ? (Number.isInteger(value) ? "is out of the int32 range" : "is not an integer") : "has no int32 value"} ` +
        `(int32 holds integers ${INT32_MIN}…${INT32_MAX}, results never wrap); use float64`,
    );
  return value;
}

/**
 * Narrows exact int32 arithmetic computed in float64 to an Int32Array, refusing any result
 * outside int32's range (the kernels compute int32 sums and products in float64 so an overflow
 * is seen, not wrapped).
 */
export function narrowToInt32(wide: ArrayLike<number>, where: string): Int32Array {
  const n = wide.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = wide[i];
    if (v < INT32_MIN || v > INT32_MAX)
      throw new ValueError(
        `${where}: int32 result ${v} (element ${i}) overflows int32 (range ${INT32_MIN}…${INT32_MAX}); ` +
          `results never wrap: compute in float64 (astype("float64")) instead`,
      );
    out[i] = v;
  }
  return out;
}
