/**
 * Counting non-finite numbers (NaN, ±Infinity) in every section an entry point touches, so a NaN
 * that slipped into the data is never silent: NaN in gives NaN out, and the result says how many.
 */
import type { BatchConsumer, DerivativeBatch } from "./batch.js";
import { forEachBatch, type RowSource } from "./rows.js";

/**
 * How many numbers were not finite (NaN or ±Infinity), per section.
 *
 * @example
 * const r = derivatives(({ x }) => x.log().sum({ axis: 1 }), { x: [[1, 2], [0, NaN]] });
 * r.nonFinite; // { inputRows: 1, inputValues: 1, outputValues: 1, derivativeValues: 2 }
 */
export interface NonFiniteCounts {
  /** Data rows with at least one non-finite cell (in any input). */
  inputRows: number;
  /** Non-finite cells of the data, over all inputs. */
  inputValues: number;
  /** Non-finite output values (over all rows and output components). */
  outputValues: number;
  /** Non-finite first (and, when computed, second) derivatives of the per-sample pass. */
  derivativeValues: number;
}

/** The data's share of `NonFiniteCounts`. */
export interface NonFiniteInputs {
  rows: number;
  values: number;
}

const countIn = (a: ArrayLike<number>): number => {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) c++;
  return c;
};

/**
 * Non-finite cells of the data, and the rows that hold them, in one pass over the rows. Integer
 * and bool columns are always finite.
 */
export function countNonFiniteInputs(src: RowSource): NonFiniteInputs {
  let rows = 0;
  let values = 0;
  const float = src.columns.map((c) => c.dtype === "float64" || c.dtype === "float32");
  forEachBatch(src, (arrays, _start, count) => {
    const bad = new Uint8Array(count);
    src.columns.forEach((c, i) => {
      if (!float[i]) return;
      const a = arrays[i];
      for (let j = 0; j < a.length; j++)
        if (!Number.isFinite(a[j])) {
          values++;
          bad[Math.floor(j / c.size)] = 1;
        }
    });
    for (let r = 0; r < count; r++) rows += bad[r];
  });
  return { rows, values };
}

/** Counts non-finite outputs and derivatives as the derivative pass goes by. */
export class NonFiniteCounter implements BatchConsumer {
  outputValues = 0;
  derivativeValues = 0;

  add(b: DerivativeBatch): void {
    this.outputValues += countIn(b.values);
    this.derivativeValues += countIn(b.jac) + (b.hess ? countIn(b.hess) : 0);
  }

  /** The full counts, with the data's share from `prepare`. */
  finish(inputs: NonFiniteInputs): NonFiniteCounts {
    return {
      inputRows: inputs.rows,
      inputValues: inputs.values,
      outputValues: this.outputValues,
      derivativeValues: this.derivativeValues,
    };
  }
}
