/**
 * Every keras-js golden fixture (334, Keras 2.1.x; test/fixtures/real/keras-js) through the model
 * loader: the notebook's Python lines are replayed into the model JSON Keras would have written
 * (test/helpers/kerasjsModels.ts), which `loadModel` turns into a gradlens model through the
 * config normaliser and the layer registry; the fixture's weights are set in Keras's
 * `model.get_weights()` order, and the output is compared with Keras's.
 *
 * Tolerance: |err| ≤ 1e-5·|y| + atol. Inputs, weights and outputs are rounded to 6 decimals while
 * Keras computed (in float32) from the unrounded values: each rounded term of a sum moves it by up
 * to 5e-7, so one layer with weights of size ~1 summing ≤ 72 products can move by ~1e-5, and later
 * layers carry that error on with a gain of about one. atol is therefore 1e-5 per layer with
 * weights on the longest input→output path (measured worst: 3.3e-5 over 5 convolutions in
 * pipeline_01), and 1e-6 (one unit of the 6th decimal) for weightless models.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetNames, setWarningHandler, type WarningHandler } from "../src/index.js";
import { allKerasJsKeys, kerasJsModel, runKerasJs } from "./helpers/kerasjsModels.js";
import { worstExcess } from "./helpers/realModels.js";

const KEYS = allKerasJsKeys();
let previous: WarningHandler;
const warnings: string[] = [];

beforeAll(() => (previous = setWarningHandler((m) => warnings.push(m))));
afterAll(() => setWarningHandler(previous));

describe("keras-js goldens through loadModel", () => {
  it("covers all 334 fixtures", () => expect(KEYS.length).toBe(334));

  for (const key of KEYS)
    it(key, async () => {
      resetNames();
      const r = await runKerasJs(key);
      expect(r.shape).toEqual(r.wantShape);
      const w = worstExcess(r);
      expect(
        w.excess,
        `${kerasJsModel(key).title}\nelement ${w.i}: got ${r.got[w.i]}, want ${r.want[w.i]}`,
      ).toBeLessThanOrEqual(0);
    });

  it("stateful layers load as stateless, with a warning", () =>
    expect(warnings.some((m) => /is stateful; gradlens evaluates every call from zero states/.test(m))).toBe(
      true,
    ));
});
