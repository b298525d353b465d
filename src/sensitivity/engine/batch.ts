import type { DataArray } from "../../core/dtype.js";

/**
 * The shape of one batch of the derivative pass and of what consumes it: types only, so the
 * accumulators (summary, DGSM, non-finite counts, …) depend on the batch and not on the pass.
 */

/** One batch of per-sample derivatives: rows [start, start + count). */
export interface DerivativeBatch {
  start: number;
  count: number;
  /** Features [count × D]. */
  z: Float64Array;
  /**
   * The inputs held constant (not differentiated), one array per input [count × size]: with `z`
   * the batch's rows, so a consumer that re-evaluates them (what-if) needs no second read.
   */
  rest: DataArray[];
  /** Outputs [count × K]. */
  values: Float64Array;
  /** ∂y_k/∂x_j [count × K × D]. */
  jac: Float64Array;
  /** ∂²y_k/∂x_i∂x_j [count × K × D × D], or null. */
  hess: Float64Array | null;
}

/** Anything fed batch by batch during the derivative pass. */
export interface BatchConsumer {
  add(batch: DerivativeBatch): void;
}
