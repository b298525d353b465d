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
import { beforeAll, describe, expect, it } from "vitest";
import { resetNames, setWarningHandler, type Model, type Tensor } from "../src/index.js";
import { loadModel } from "../src/io/index.js";
import { fixtureTensor } from "./helpers/kerasjs.js";
import { allKerasJsKeys, kerasJsModel } from "./helpers/kerasjsModels.js";

const KEYS = allKerasJsKeys();
const enc = new TextEncoder();

beforeAll(() => {
  setWarningHandler(() => {});
});

function maxExcess(got: ArrayLike<number>, want: readonly number[], rtol: number, atol: number) {
  let worst = { i: -1, excess: -Infinity };
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (excess > worst.excess) worst = { i, excess };
  }
  return worst;
}

/** The most layers with weights on any path from an input to the output. */
function weightedDepth(model: Model, json: Record<string, unknown>): number {
  const layers = (
    json.config as { layers: { name: string; inbound_nodes: [string, number, number, object][][] }[] }
  ).layers;
  const depth = new Map<string, number>();
  for (const l of layers) {
    const ins = (l.inbound_nodes[0] ?? []).map(([n]) => depth.get(n) ?? 0);
    const own = l.inbound_nodes.length > 0 && model.getLayer(l.name).weights.length > 0 ? 1 : 0;
    depth.set(l.name, Math.max(0, ...ins) + own);
  }
  return Math.max(...depth.values());
}

/** Sets the fixture's weights, in Keras 2.1's layer order and each layer's trainable-then-other order. */
function setKerasWeights(model: Model, order: string[], weights: { data: number[]; shape: number[] }[]) {
  const targets = order.flatMap((n) => {
    const l = model.getLayer(n);
    return [...l.trainableWeights, ...l.nonTrainableWeights];
  });
  expect(targets.length, "number of weights").toBe(weights.length);
  targets.forEach((w, i) => {
    expect(weights[i].shape, `weight ${i} (${w.path})`).toEqual(w.shape);
    w.value = fixtureTensor(weights[i], false);
  });
}

describe("keras-js goldens through loadModel", () => {
  it("covers all 334 fixtures", () => expect(KEYS.length).toBe(334));

  for (const key of KEYS)
    it(key, async () => {
      resetNames();
      const m = kerasJsModel(key);
      const model = await loadModel(enc.encode(JSON.stringify(m.json)), {
        withoutWeights: true,
        label: `${key}.json`,
      });
      expect(model.fileInfo).toMatchObject({ format: "json", kerasMajor: 2, kerasVersion: "2.1.6" });
      setKerasWeights(model, m.layerOrder, m.weights);
      const xs = m.inputs.map((a) => fixtureTensor(a));
      let y: Tensor;
      if (m.statefulLayers.length > 0) {
        // Keras ran predict twice on a stateful layer: the second run starts from the first run's final states.
        const rnn = model.getLayer(m.statefulLayers[0]) as unknown as {
          cell: { stateShapes: (s: number[]) => number[][] };
          call: (x: Tensor, k?: object) => Tensor | Tensor[];
        };
        const twin = await loadModel(
          enc.encode(
            JSON.stringify(m.json).replace('"stateful":true', '"stateful":true,"return_state":true'),
          ),
          { withoutWeights: true, label: `${key}.json` },
        );
        setKerasWeights(twin, m.layerOrder, m.weights);
        const [, ...states] = twin.getLayer(m.statefulLayers[0]).call(xs[0]) as Tensor[];
        y = rnn.call(xs[0], { initialState: states }) as Tensor;
      } else y = model.call(xs.length === 1 ? xs[0] : xs) as Tensor;
      expect(y.shape).toEqual([1, ...m.expected.shape]);
      const depth = weightedDepth(model, m.json);
      const atol = depth > 0 ? 1e-5 * depth : 1.000001e-6;
      const worst = maxExcess(y.data(), m.expected.data, 1e-5, atol);
      expect(
        worst.excess,
        `${m.title}\nworst element ${worst.i}: got ${y.data()[worst.i]}, want ${m.expected.data[worst.i]}`,
      ).toBeLessThanOrEqual(0);
    });
});
