/**
 * Whole real model files against the outputs their own Keras / TF.js run wrote down
 * (test/fixtures/real, see PROVENANCE.md; cases in test/helpers/realModels.ts): every dl4j example
 * with `predictions/` in its `*_inputs_and_outputs.h5`, the dl4j CNN+BatchNorm `.npy` case, the
 * Keras 1.1.2 CNN `.txt` case, the TF.js Embedding+GRU `expected.json`, and the Keras 3.9.2
 * FlowNet model over all 2872 rows of its predictions sheet and the 64 rows of `golden.json`.
 *
 * The files hold float32 weights and Keras computed in float32; gradlens computes in float64 from
 * the same weights, so outputs agree to float32 precision: |err| ≤ 1e-5·|y| + atol, atol a few
 * float32 units of the outputs' scale (or half a unit of the last decimal a text file wrote).
 */
import { describe, expect, it } from "vitest";
import { fixtureCases, goldenCases, worstExcess } from "./helpers/realModels.js";

const CASES = goldenCases();

describe("recorded outputs of real models", () => {
  it("covers every dl4j example that recorded predictions, and the other golden files", () => {
    const io = fixtureCases().filter((c) => c.file.endsWith("_inputs_and_outputs.h5"));
    expect(io.length).toBe(50);
    const dl4j = CASES.filter((c) => c.model.startsWith("dl4j/examples/"));
    // simple_lstm_tf_keras_2 records only training targets (outputs/), no predictions.
    expect(io.map((c) => c.file).filter((f) => !dl4j.some((d) => f.includes(`/${d.id}_`)))).toEqual([
      "dl4j/examples/simple_lstm/simple_lstm_tf_keras_2_inputs_and_outputs.h5",
    ]);
    expect(CASES.length).toBe(dl4j.length + 5);
  });

  for (const c of CASES)
    it(`${c.id} (${c.model})`, async () => {
      const results = await c.run();
      results.forEach((r, k) => {
        expect(r.got.length, `output ${k}: number of values`).toBe(r.want.length);
        const w = worstExcess(r);
        expect(
          w.excess,
          `output ${k}, element ${w.i}: got ${r.got[w.i]}, want ${r.want[w.i]}`,
        ).toBeLessThanOrEqual(0);
      });
    });
});
