/**
 * Walks every real file under test/fixtures/real (test/helpers/realModels.ts classifies them by
 * content). Each model — full model files, architecture JSON + weights-only .h5 pairs,
 * architecture JSON alone, TF.js model.json — either
 * - loads, runs a forward pass on seeded inputs of its input shapes (finite outputs), and passes
 *   `checkGrads` (order 1, forward and reverse, at two points; order 2 for a few) with respect to
 *   its inputs; or
 * - fails with a typed error, and is listed in EXPECTED_FAILURES with the error it must give.
 * Weights-only files alone, and data files (golden outputs, inputs, shards, spreadsheets), must be
 * refused with a ModelFormatError.
 *
 * Finite differences use ε = 1e-8: with ~10⁵ ReLU pre-activations (GAPError.h5) a step of 1e-6
 * crosses a kink somewhere at almost every point, which is the difference quotient's fault, not
 * the derivative's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setWarningHandler, type Tensor, type WarningHandler } from "../src/index.js";
import { ModelFormatError, UnsupportedLayerError } from "../src/io/index.js";
import { loadModel } from "../src/io/index.js";
import { checkGrads } from "../src/testing/index.js";
import { fixtureCases, fixturePath, loadCase, runModel, seededInputs } from "./helpers/realModels.js";

/** Models that cannot load, and the error each must give. */
const EXPECTED_FAILURES: Record<string, { error: typeof UnsupportedLayerError; message: RegExp }> = {
  // A Lambda layer holds Python bytecode: never executed; the message says how to supply the layer.
  "dl4j/weights/space_to_depth_graph_tensorflow_2.h5": {
    error: UnsupportedLayerError,
    message: /Unsupported layer class 'Lambda'.*layer 'space_to_depth_x2'.*never executes.*overrides/s,
  },
  // A custom Keras 3 layer (kdp.layers): loads once registered (see io.load.custom.test.ts).
  "keras3/kdp/test_model.keras": {
    error: UnsupportedLayerError,
    message: /Unsupported layer class 'DistributionAwareEncoder'.*registerLayer\("DistributionAwareEncoder"/s,
  },
};

/** Second derivatives too, on a few smooth models. */
const ORDER_2 = new Set([
  "dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_model.h5",
  "dl4j/tfkeras/act_8.h5",
  "tfjs-examples/abalone-node/model.json",
]);

const cases = fixtureCases();
const models = cases.filter((c) => c.kind === "model" || c.kind === "json+h5" || c.kind === "json");
let previous: WarningHandler;

beforeAll(() => (previous = setWarningHandler(() => {})));
afterAll(() => setWarningHandler(previous));

describe("walk: every real model file loads, runs and differentiates", () => {
  it("finds the fixtures of every kind", () => {
    const count = (k: string) => cases.filter((c) => c.kind === k).length;
    expect({
      model: count("model"),
      "json+h5": count("json+h5"),
      json: count("json"),
      weights: count("weights"),
    }).toEqual({ model: 148, "json+h5": 15, json: 44, weights: 15 });
  });

  for (const c of models)
    it(`${c.file}${c.weights ? ` + ${c.weights.split("/").pop()}` : ""}`, async () => {
      const expected = EXPECTED_FAILURES[c.file];
      if (expected) {
        await expect(loadCase(c)).rejects.toThrow(expected.error);
        await expect(loadCase(c)).rejects.toThrow(expected.message);
        return;
      }
      const model = await loadCase(c);
      for (const seed of [1, 2]) {
        const xs = seededInputs(model, seed, c.file);
        const ys = runModel(model, xs);
        for (const y of ys) expect(Array.from(y.data()).every(Number.isFinite), "finite outputs").toBe(true);
        const f = (...a: Tensor[]) => model.call(a.length === 1 ? a[0] : a);
        checkGrads(f, xs, { order: ORDER_2.has(c.file) && seed === 1 ? 2 : 1, eps: 1e-8, seed });
      }
    });

  it("lists exactly the expected failures", () => {
    expect(Object.keys(EXPECTED_FAILURES).every((f) => models.some((c) => c.file === f))).toBe(true);
  });
});

describe("walk: files that are not models are refused with a ModelFormatError", () => {
  for (const c of cases.filter((x) => x.kind === "weights"))
    it(`${c.file} (weights only)`, async () => {
      await expect(loadModel(fixturePath(c.file))).rejects.toThrow(ModelFormatError);
      await expect(loadModel(fixturePath(c.file))).rejects.toThrow(/holds weights only.*\{ weights:/s);
    });

  it("every data file", async () => {
    const data = cases.filter((c) => c.kind === "data");
    expect(data.length).toBeGreaterThan(200);
    for (const c of data) {
      const err = await loadModel(fixturePath(c.file)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, c.file).toBeInstanceOf(ModelFormatError);
    }
  });
});
