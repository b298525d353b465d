/**
 * Option types of the ops that are also Tensor methods (`x.sum({ axis })`, `x.slice([...])`).
 * They are plain data, declared here, below both the Tensor class (whose method signatures use
 * them) and the op layer (whose functions take them), so neither has to import the other.
 */

/**
 * Axis argument: one axis, several, or all (undefined/null). Negative axes count from the end.
 *
 * @example
 * sum(x, { axis: -1 }); sum(x, { axis: [0, 1] }); sum(x, { axis: null }); // last, first two, all
 */
export type Axis = number | readonly number[] | null | undefined;

/**
 * Options of the reductions: the axes to reduce, and whether to keep them as size-1 dims.
 *
 * @example
 * sum(array([[1, 2], [3, 4]]), { axis: 1, keepdims: true }); // [[3], [7]]
 */
export interface ReduceOptions {
  axis?: Axis;
  keepdims?: boolean;
}

/**
 * Options of `variance` and `std`: those of the reductions plus `ddof`.
 *
 * @example
 * std(X, { axis: 0, ddof: 1 }); // sample standard deviation of each column
 */
export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: divide by N − ddof (0 = population, NumPy's default). */
  ddof?: number;
}

/**
 * One axis of a NumPy-style index: a number picks one position (and drops the axis), `null`
 * keeps the axis, `[start, stop, step]` slices (any part may be null; negatives count from the
 * end; a negative step walks backwards).
 *
 * @example
 * const spec: SliceSpec[] = [0, null, [null, null, -1]]; // x[0, :, ::-1]
 * slice(array([[[1, 2, 3], [4, 5, 6]]]), spec); // [[3, 2, 1], [6, 5, 4]]
 */
export type SliceSpec = number | null | readonly [(number | null)?, (number | null)?, (number | null)?];
