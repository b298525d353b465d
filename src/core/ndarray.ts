import { allocData, checkInt32, dtypeOfData, type DataArray, type DType } from "./dtype.js";
import { ShapeError, ValueError } from "./errors.js";
import { sizeOf, type Shape } from "./shape.js";

/**
 * A dense, row-major, immutable n-dimensional array backed by a typed array. This is the value
 * type the kernels compute on; users see it wrapped in a `Tensor`. Nothing mutates an NDArray
 * after it is made, so results may share buffers safely (reshape shares, for instance).
 */
export class NDArray {
  readonly size: number;
  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly data: DataArray,
  ) {
    this.size = sizeOf(shape);
    if (data.length !== this.size)
      throw new ShapeError(
        `NDArray: buffer of ${data.length} elements does not fit shape [${shape.join(",")}]`,
      );
  }

  static zeros(dtype: DType, shape: Shape): NDArray {
    return new NDArray(dtype, shape.slice(), allocData(dtype, sizeOf(shape)));
  }

  /** A 0-d array; an int32 scalar must be an integer int32 can hold (it is never wrapped). */
  static scalar(value: number, dtype: DType): NDArray {
    const data = allocData(dtype, 1);
    data[0] =
      dtype === "bool" ? (value ? 1 : 0) : dtype === "int32" ? checkInt32(value, "int32 scalar") : value;
    return new NDArray(dtype, [], data);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Same buffer, new shape (sizes must agree). */
  reshape(shape: Shape): NDArray {
    return new NDArray(this.dtype, shape.slice(), this.data);
  }
}

/**
 * Nested JS arrays of numbers or booleans, any depth.
 *
 * @example
 * const rows: NestedArray = array([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
 */
export type NestedArray = number | boolean | NestedArray[];

/** Infers the shape of a rectangular nested array, or throws naming the ragged position. */
export function inferShape(value: NestedArray, where = "array"): number[] {
  const shape: number[] = [];
  let cur: NestedArray = value;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  checkRectangular(value, shape, 0, where, []);
  return shape;
}

function checkRectangular(
  v: NestedArray,
  shape: number[],
  depth: number,
  where: string,
  path: number[],
): void {
  if (depth === shape.length) {
    if (Array.isArray(v))
      throw new ShapeError(`${where}: ragged nested array at index [${path.join("][")}] (expected a number)`);
    if (typeof v !== "number" && typeof v !== "boolean")
      throw new ValueError(
        `${where}: element at [${path.join("][")}] is ${typeof v}, expected a number or boolean`,
      );
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[depth])
    throw new ShapeError(
      `${where}: ragged nested array at index [${path.join("][")}]: expected length ${shape[depth]}, got ` +
        (Array.isArray(v) ? v.length : "a scalar"),
    );
  for (let i = 0; i < v.length; i++) checkRectangular(v[i], shape, depth + 1, where, [...path, i]);
}

/** Flattens a rectangular nested array into `out` in row-major order. */
export function fillFromNested(value: NestedArray, out: DataArray): void {
  let k = 0;
  const walk = (v: NestedArray): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else out[k++] = typeof v === "boolean" ? (v ? 1 : 0) : v;
  };
  walk(value);
}

/** Whether a nested array holds only booleans (then it becomes a `bool` array by default). */
export function nestedIsBoolean(value: NestedArray): boolean {
  let cur: NestedArray = value;
  while (Array.isArray(cur)) {
    if (cur.length === 0) return false;
    cur = cur[0];
  }
  return typeof cur === "boolean";
}

/** Converts an NDArray to nested JS arrays (booleans for `bool`). */
export function toNested(a: NDArray): NestedArray {
  const { data, shape } = a;
  const isBool = a.dtype === "bool";
  if (shape.length === 0) return isBool ? data[0] !== 0 : data[0];
  let k = 0;
  const build = (depth: number): NestedArray[] => {
    const n = shape[depth];
    const out = new Array<NestedArray>(n);
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = isBool ? data[k++] !== 0 : data[k++];
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}

export function typedArrayDType(data: DataArray): DType {
  return dtypeOfData(data);
}
