/**
 * `predict`: the target's outputs for every row, batch by batch, on the same engine as
 * `analyze` and `derivatives` — the same data forms, the same row-independence check (a target
 * that mixes rows would give answers that depend on the batch size) and non-finite counts.
 */
import { array } from "../../ops/creation.js";
import type { Tensor } from "../../prims/tensor.js";
import { createContext, type CommonOptions } from "./context.js";
import type { InputData } from "./data.js";
import type { NonFiniteCounts } from "./nonfinite.js";
import { pointsFromRange } from "./prepare.js";
import type { OutputsSection } from "../result/schema.js";
import type { Target } from "./target.js";

/**
 * What `predict` returns.
 *
 * @example
 * const p: Prediction = predict(model, { price, features });
 * p.values[p.outputNames[0]]; // [N, ...outputShape]
 */
export interface Prediction {
  inputNames: string[];
  /** Output names, unique (`name`, `name_1`, … as tf.keras makes them). */
  outputNames: string[];
  /** Outputs and their scalar components, as in the sensitivity schema. */
  outputs: OutputsSection;
  /** Each output, batch-first, float64. */
  values: Record<string, Tensor>;
  /** Non-finite data cells/rows and outputs (`derivativeValues` is 0: none are computed). */
  nonFinite: NonFiniteCounts;
}

/**
 * The outputs of a row-independent target for every row of the data, in batches of `batchSize`.
 *
 * @example
 * const p = predict(({ x }) => x.square().sum({ axis: 1 }), { x: [[1, 2], [3, NaN]] });
 * p.values.output.toArray(); // [5, NaN]
 * p.nonFinite;               // { inputRows: 1, inputValues: 1, outputValues: 1, derivativeValues: 0 }
 */
export function predict(target: Target, data: InputData, opts: CommonOptions = {}): Prediction {
  const ctx = createContext(target, data, opts, "predict");
  const { prep, engine } = ctx;
  const { n, k } = prep;
  const all = new Float64Array(n * k);
  for (let start = 0; start < n; start += engine.batchSize) {
    const count = Math.min(engine.batchSize, n - start);
    all.set(engine.values(pointsFromRange(prep, start, count)), start * k);
    ctx.progress("predict", start + count, n);
  }
  let outputValues = 0;
  for (const v of all) if (!Number.isFinite(v)) outputValues++;
  const values = Object.fromEntries(
    prep.outputs.items.map((o) => {
      const buf = new Float64Array(n * o.size);
      for (let r = 0; r < n; r++)
        buf.set(all.subarray(r * k + o.offset, r * k + o.offset + o.size), r * o.size);
      return [o.name, array(buf, { shape: [n, ...o.shape] })];
    }),
  );
  return {
    inputNames: [...prep.inputs.names],
    outputNames: [...prep.outputs.names],
    outputs: prep.outputs,
    values,
    nonFinite: {
      inputRows: prep.nonFiniteInputs.rows,
      inputValues: prep.nonFiniteInputs.values,
      outputValues,
      derivativeValues: 0,
    },
  };
}
