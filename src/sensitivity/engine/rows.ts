/**
 * Where the analyses get their rows from. The engine never needs the whole data at once: the
 * streaming passes (feature moments, non-finite counts, the derivative pass) read rows in order,
 * batch by batch, and the few analyses that look at chosen rows (attribution, verification,
 * expected-gradient backgrounds) gather them. A `RowSource` is that contract; data in memory is
 * one (views over the caller's arrays), and the CLI has one that re-reads its data file per pass,
 * so memory does not grow with the number of rows.
 */
import type { DataArray, DType } from "../../core/dtype.js";

/**
 * One input's layout: name, dtype and per-sample shape.
 *
 * @example
 * const features: ColumnInfo = { name: "features", dtype: "float64", shape: [8], size: 8 };
 */
export interface ColumnInfo {
  name: string;
  dtype: DType;
  /** Shape of one sample. */
  shape: number[];
  /** Numbers per sample. */
  size: number;
}

/**
 * Rows of the data, one array per input (row-major, `count × size` numbers each).
 *
 * Reading `range`s in increasing order is the cheap way (a file source reads on from where it
 * stopped); going back restarts the source. The arrays returned may be views into the source's
 * own memory: read them, do not keep or modify them.
 *
 * @example
 * const src = memoryRowSource([{ name: "x", dtype: "float64", shape: [2], size: 2, data: xs }], n);
 * for (let s = 0; s < src.n; s += 1024) {
 *   const [x] = src.range(s, Math.min(1024, src.n - s)); // rows s…, 2 numbers each
 * }
 */
export interface RowSource {
  /** Marks a row source among the data forms an entry point accepts. */
  readonly rowSource: true;
  /** Number of rows (N). */
  readonly n: number;
  /** The inputs, in the order the arrays come back. */
  readonly columns: readonly ColumnInfo[];
  /** Rows [start, start + count). */
  range(start: number, count: number): DataArray[];
  /** Rows `rows` (any order, repeats allowed), in that order. */
  gather(rows: ArrayLike<number>): DataArray[];
  /**
   * Non-finite cells and the rows holding them, when the source already knows (a file reader
   * that counted them while checking the file); else the analysis counts them in a pass.
   */
  readonly nonFinite?: { rows: number; values: number };
}

/** One input held in memory: its layout and N × size numbers. */
export interface Column extends ColumnInfo {
  data: DataArray;
}

/**
 * Whether `x` is a row source (not a tensor, an array or named data).
 *
 * @example
 * isRowSource(memoryRowSource(columns, n)); // true
 */
export function isRowSource(x: unknown): x is RowSource {
  return typeof x === "object" && x !== null && (x as { rowSource?: unknown }).rowSource === true;
}

/** A zeroed typed array of the same kind as `like`. */
export function allocLike(like: DataArray, length: number): DataArray {
  const Ctor = like.constructor as new (n: number) => DataArray;
  return new Ctor(length);
}

/**
 * A row source over columns in memory. `range` returns views (no copy); `gather` copies the
 * chosen rows.
 *
 * @example
 * const src = memoryRowSource([{ name: "price", dtype: "float64", shape: [], size: 1, data: prices }], prices.length);
 * src.gather([3, 0])[0]; // Float64Array [prices[3], prices[0]]
 */
export function memoryRowSource(
  columns: readonly Column[],
  n: number,
): RowSource & { columns: readonly Column[] } {
  return {
    rowSource: true,
    n,
    columns,
    range: (start, count) => columns.map((c) => c.data.subarray(start * c.size, (start + count) * c.size)),
    gather: (rows) =>
      columns.map((c) => {
        const out = allocLike(c.data, rows.length * c.size);
        for (let r = 0; r < rows.length; r++)
          out.set(c.data.subarray(rows[r] * c.size, (rows[r] + 1) * c.size), r * c.size);
        return out;
      }),
  };
}

/** Rows read per step by `forEachBatch` (bounds the memory of a streaming pass). */
export const SCAN_ROWS = 4096;

/**
 * Calls `f` with consecutive batches of every row of `src`, in order.
 *
 * @example
 * forEachBatch(src, (arrays, start, count) => total += count);
 */
export function forEachBatch(
  src: RowSource,
  f: (arrays: DataArray[], start: number, count: number) => void,
  size = SCAN_ROWS,
): void {
  for (let start = 0; start < src.n; start += size) {
    const count = Math.min(size, src.n - start);
    f(src.range(start, count), start, count);
  }
}
