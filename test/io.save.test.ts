/**
 * `model.save()` writes Keras 3 `.keras` files: round trips (save → load gives the same outputs to
 * 1e-15 and the same config) for models built in code and for every loadable real fixture, the
 * layout checked against the real Keras 3 files (config keys per layer, `layers/<key>/vars/<i>`
 * groups, zip entries), and the weights file read back by libhdf5 itself (h5wasm).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { File as H5File, Group as H5Group, ready as h5Ready } from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Input,
  Model,
  Sequential,
  layers,
  random,
  resetNames,
  setWarningHandler,
  type SymbolicTensor,
  type Tensor,
  type WarningHandler,
} from "../src/index.js";
import { keras3VarsGroups, keras3WeightKeys, normalizeModelConfig } from "../src/io/config/index.js";
import { openHdf5 } from "../src/io/containers/hdf5.js";
import { loadModel, saveKerasBytes, serializeModel, SAVED_KERAS_VERSION } from "../src/io/index.js";
import { readZip, listZip } from "../src/io/containers/zip.js";
import { fixtureCases, fixturePath, loadCase, runModel, seededInputs } from "./helpers/realModels.js";

let previous: WarningHandler;
const warnings: string[] = [];
beforeAll(() => (previous = setWarningHandler((m) => warnings.push(m))));
afterAll(() => setWarningHandler(previous));

/** Sets every weight to seeded random values (so moving statistics, biases etc. are not trivial). */
function randomize(model: Model, seed: number): void {
  random.seed(seed);
  for (const w of model.weights)
    w.value = random.uniform(w.shape, { low: 0.1, high: 0.9 }).astype(w.value.dtype);
}

const json = (bytes: Uint8Array, name: string) =>
  JSON.parse(new TextDecoder().decode(readZip(bytes, "saved.keras").get(name))) as Record<string, unknown>;

async function roundTrip(model: Model, seed = 5): Promise<Model> {
  const bytes = await model.save({ bytes: true });
  const again = await loadModel(bytes, { label: "saved.keras" });
  const xs = seededInputs(model, seed);
  const a = runModel(model, xs);
  const b = runModel(again, xs);
  expect(b.length).toBe(a.length);
  a.forEach((t, i) => {
    expect(b[i].shape).toEqual(t.shape);
    const x = t.data();
    const y = b[i].data();
    for (let k = 0; k < x.length; k++)
      expect(Math.abs(x[k] - y[k])).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(x[k])));
  });
  // Same config: saving the reloaded model writes the same config.json.
  expect(serializeModel(again)).toEqual(json(bytes, "config.json"));
  expect(again.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
  return again;
}

describe("save → load round trips of models built in code", () => {
  it("Sequential MLP with Dropout and BatchNormalization", async () => {
    resetNames();
    const m = new Sequential(
      [
        new layers.Dense({ units: 8, activation: "relu", inputShape: [4] }),
        new layers.BatchNormalization({}),
        new layers.Dropout({ rate: 0.3 }),
        new layers.Dense({ units: 2, activation: "tanh" }),
      ],
      { name: "mlp" },
    );
    randomize(m, 1);
    const again = await roundTrip(m);
    expect(again).toBeInstanceOf(Sequential);
    expect(again.fileInfo).toMatchObject({
      format: "keras",
      kerasMajor: 3,
      kerasVersion: SAVED_KERAS_VERSION,
    });
  });

  it("functional: two inputs, a shared layer, merge, two outputs", async () => {
    resetNames();
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [3], name: "b" });
    const shared = new layers.Dense({ units: 4, activation: "sigmoid", name: "shared" });
    const merged = new layers.Concatenate({}).apply([shared.apply(a), shared.apply(b)]);
    const y1 = new layers.Dense({ units: 1, name: "y1" }).apply(merged);
    const y2 = new layers.Multiply({ name: "y2" }).apply([shared.apply(a), shared.apply(b)]);
    const m = new Model({ inputs: [a, b], outputs: [y1, y2], name: "two_heads" });
    randomize(m, 2);
    const bytes = await m.save({ bytes: true });
    const config = json(bytes, "config.json") as {
      config: { layers: { name: string; inbound_nodes: unknown[] }[] };
    };
    // The shared layer records each of its four calls, with Keras 3's keras tensors.
    const sharedEntry = config.config.layers.find((l) => l.name === "shared")!;
    expect(sharedEntry.inbound_nodes).toHaveLength(4);
    expect(sharedEntry.inbound_nodes[1]).toEqual({
      args: [
        {
          class_name: "__keras_tensor__",
          config: { shape: [null, 3], dtype: "float32", keras_history: ["b", 0, 0] },
        },
      ],
      kwargs: {},
    });
    const again = await roundTrip(m);
    expect(again.inputNames).toEqual(["a", "b"]);
    expect(again.outputNames).toEqual(["y1", "y2"]);
  });

  it("convolution, pooling, flatten", async () => {
    resetNames();
    const m = new Sequential([
      new layers.Conv2D({
        filters: 3,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        inputShape: [6, 6, 2],
      }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.SeparableConv2D({ filters: 2, kernelSize: 2 }),
      new layers.Flatten({}),
      new layers.Dense({ units: 3, activation: "softmax" }),
    ]);
    randomize(m, 3);
    await roundTrip(m);
  });

  it("recurrent: Bidirectional LSTM, TimeDistributed Dense, GRU, Embedding", async () => {
    resetNames();
    const ids = Input({ shape: [5], name: "ids" });
    let x: SymbolicTensor = new layers.Embedding({ inputDim: 7, outputDim: 3 }).apply(ids);
    x = new layers.Bidirectional({ layer: new layers.LSTM({ units: 4, returnSequences: true }) }).apply(x);
    x = new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }).apply(x);
    const y = new layers.GRU({ units: 3 }).apply(x);
    const m = new Model({ inputs: ids, outputs: y });
    randomize(m, 4);
    const bytes = await m.save({ bytes: true });
    const h5 = openHdf5(readZip(bytes, "m").get("model.weights.h5")!, "m");
    expect(h5.has("layers/bidirectional/forward_layer/cell/vars/2")).toBe(true);
    expect(h5.has("layers/bidirectional/backward_layer/cell/vars/2")).toBe(true);
    expect(h5.has("layers/time_distributed/layer/vars/1")).toBe(true);
    expect(h5.dataset("layers/gru/cell/vars/2").shape).toEqual([2, 9]);
    await roundTrip(m);
  });

  it("nested models: a Sequential and a functional model inside a functional model", async () => {
    resetNames();
    const innerIn = Input({ shape: [4], name: "inner_in" });
    const inner = new Model({
      inputs: innerIn,
      outputs: new layers.Dense({ units: 3, name: "inner_dense" }).apply(innerIn),
      name: "inner_fn",
    });
    const seq = new Sequential([new layers.Dense({ units: 4, inputShape: [4], name: "s1" })], {
      name: "inner_seq",
    });
    const x = Input({ shape: [4], name: "x" });
    const m = new Model({ inputs: x, outputs: inner.apply(seq.apply(x)), name: "outer" });
    randomize(m, 6);
    const bytes = await m.save({ bytes: true });
    const config = json(bytes, "config.json") as { config: { output_layers: unknown } };
    // Keras 3 numbers a nested Functional's calls from 1 (its own first node links inputs to outputs).
    expect(config.config.output_layers).toEqual([["inner_fn", 1, 0]]);
    await roundTrip(m);
  });

  it("model.save(path) writes the file; Keras 2's hard_sigmoid is recorded and warned about", async () => {
    const src = await loadModel(fixturePath("dl4j/tfkeras/act_2.h5"));
    expect(src.fileInfo?.activationFlavor).toBe("keras2");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-save-"));
    try {
      const file = path.join(dir, "act_2.keras");
      warnings.length = 0;
      await src.save(file);
      expect(warnings.join("\n")).toMatch(/Keras 2's hard_sigmoid/);
      const bytes = new Uint8Array(fs.readFileSync(file));
      expect(json(bytes, "metadata.json")).toMatchObject({
        keras_version: "3.x-compatible",
        gradlens: { activation_flavor: "keras2" },
      });
      expect(String(json(bytes, "metadata.json").date_saved)).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
      const again = await loadModel(file);
      expect(again.fileInfo?.activationFlavor).toBe("keras2");
      const x = random.normal([3, 2]);
      expect((again.call(x) as Tensor).data()).toEqual((src.call(x) as Tensor).data());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses subclassed models (their call() is code)", async () => {
    class Sub extends Model {
      override call(x: Tensor) {
        return x;
      }
    }
    await expect(new Sub().save({ bytes: true })).rejects.toThrow(/subclassed model's call\(\) is code/);
  });
});

describe("the layout of real Keras 3 files", () => {
  const real = [
    "keras3/flownet/final_model.keras",
    "keras3/flownet/model_25-06.keras",
    "keras3/lstmpractice/lstm_model.keras",
    "keras3/mnist-moonflower/mnist_model.keras",
  ];

  for (const rel of real)
    it(`${rel}: same entries, config keys and weight groups`, async () => {
      const original = new Uint8Array(fs.readFileSync(fixturePath(rel)));
      const model = await loadModel(original);
      const saved = saveKerasBytes(model);
      expect(listZip(saved, "saved").map((e) => [e.name, e.method])).toEqual(
        listZip(original, rel).map((e) => [e.name, "stored"]),
      );
      const a = json(original, "config.json") as { config: { layers: Record<string, unknown>[] } } & Record<
        string,
        unknown
      >;
      const b = json(saved, "config.json") as typeof a;
      const keys = (o: object) => Object.keys(o).sort();
      // Keras adds compile_config only for compiled models.
      expect(keys(b)).toEqual(keys(a).filter((k) => k !== "compile_config"));
      expect(keys(b.config)).toEqual(keys(a.config));
      a.config.layers.forEach((la, i) => {
        const lb = b.config.layers[i];
        expect([lb.module, lb.class_name, lb.registered_name]).toEqual([
          la.module,
          la.class_name,
          la.registered_name,
        ]);
        // Version differences: Keras 3.9 writes InputLayer `ragged` (3.1–3.3 refuse it) and no
        // build_config for classes without build(); gradlens writes the 3.1–3.3 form.
        const ca = keys(la.config as object).filter((k) => k !== "ragged");
        expect(keys(lb.config as object), `${String(la.class_name)} config keys`).toEqual(ca);
        expect(keys(lb).filter((k) => k !== "build_config")).toEqual(
          keys(la).filter((k) => k !== "build_config"),
        );
        if ("build_config" in la) expect(lb.build_config).toEqual(la.build_config);
      });
      // The same vars groups, each with the same datasets and shapes.
      const h5a = openHdf5(readZip(original, rel).get("model.weights.h5")!, rel);
      const h5b = openHdf5(readZip(saved, "saved").get("model.weights.h5")!, "saved");
      const canonical = normalizeModelConfig(a, { label: rel });
      for (const g of keras3VarsGroups(keras3WeightKeys(canonical))) {
        const da = h5a.group(g).keys();
        expect(h5b.group(g).keys(), g).toEqual(da);
        for (const d of da) expect(h5b.dataset(`${g}/${d}`).shape).toEqual(h5a.dataset(`${g}/${d}`).shape);
      }
    });

  it("libhdf5 (h5wasm) reads the weights file gradlens writes", async () => {
    await h5Ready;
    const model = await loadModel(fixturePath("keras3/lstmpractice/lstm_model.keras"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-h5-"));
    try {
      const file = path.join(dir, "w.h5");
      fs.writeFileSync(file, readZip(saveKerasBytes(model), "saved").get("model.weights.h5")!);
      const f = new H5File(file, "r");
      try {
        const cell = f.get("layers/lstm/cell/vars") as H5Group;
        expect(cell.keys()).toEqual(["0", "1", "2"]);
        expect((cell.attrs as Record<string, { value: unknown }>).name.value).toBe("lstm_cell");
        const kernel = f.get("layers/lstm/cell/vars/0") as unknown as {
          shape: number[];
          value: Float64Array;
        };
        expect(kernel.shape).toEqual([24, 200]);
        const lstm = model.getLayer("lstm") as unknown as { cell: { kernel: { value: Tensor } } };
        expect(Array.from(kernel.value.slice(0, 5))).toEqual(
          Array.from(lstm.cell.kernel.value.data().slice(0, 5)),
        );
      } finally {
        f.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("every loadable real model survives save → load", () => {
  const models = fixtureCases().filter(
    (c) =>
      (c.kind === "model" || c.kind === "json+h5") &&
      !["dl4j/weights/space_to_depth_graph_tensorflow_2.h5", "keras3/kdp/test_model.keras"].includes(c.file),
  );
  it(`${models.length} models: same outputs to 1e-15, same config`, async () => {
    for (const c of models) {
      resetNames();
      const m = await loadCase(c);
      try {
        await roundTrip(m, 9);
      } catch (e) {
        throw new Error(`${c.file}: ${(e as Error).message}`);
      }
    }
  });
});
