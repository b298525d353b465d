/**
 * Loaders that forgive what Keras forgets: files Keras or TF.js write but cannot read back, each
 * derived from a real Keras 3 model (test/fixtures/derived/PROVENANCE.md) and checked to predict
 * bit for bit what the original predicts, and within float32 rounding what Keras predicted
 * (golden.json). Every mapping is announced by a warning; a mapping with two candidates is refused.
 */
import * as tf from "@tensorflow/tfjs";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { array, type Tensor } from "../src/index.js";
import { loadModel, ModelFormatError } from "../src/io/index.js";
import { openHdf5, writeHdf5, type H5Group, type H5WriteGroup } from "../src/io/containers/hdf5.js";
import { readZip, writeZip } from "../src/io/containers/zip.js";
import { setWarningHandler, type WarningHandler } from "../src/nn/warnings.js";
import { fixturePath } from "./helpers/realModels.js";
import { kerasParts, tf213Keras, tfjsPrefixed } from "./helpers/tolerantFixtures.js";

const derived = (rel: string) => path.join(path.dirname(fixturePath("x")), "..", "derived", "flownet", rel);
const golden = JSON.parse(fs.readFileSync(fixturePath("keras3/flownet/golden.json"), "utf8")) as {
  input: { data: number[][] };
  expected: { data: number[][] };
};
const original = () => loadModel(fixturePath("keras3/flownet/final_model.keras"));
const predict = (m: Awaited<ReturnType<typeof loadModel>>) =>
  Array.from((m.call(array(golden.input.data)) as Tensor).data());

beforeAll(async () => {
  await tf.setBackend("cpu");
});

let warnings: string[] = [];
let previous: WarningHandler;
beforeEach(() => {
  warnings = [];
  previous = setWarningHandler((m) => warnings.push(m));
});
afterEach(() => setWarningHandler(previous));

/** The derived model predicts exactly what the real file predicts, and what Keras predicted. */
async function expectSameAsOriginal(m: Awaited<ReturnType<typeof loadModel>>) {
  const got = predict(m);
  expect(got).toEqual(predict(await original()));
  const want = golden.expected.data.flat();
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2e-6 + 1e-5 * Math.abs(want[i])));
}

/** A `.keras` file with its weights file replaced by `root`. */
function withWeights(kerasFile: string, root: H5WriteGroup): Uint8Array {
  const files = readZip(fs.readFileSync(kerasFile), kerasFile);
  files.set("model.weights.h5", writeHdf5(root));
  return writeZip([...files]);
}

/** A writable copy of an HDF5 group. */
function copy(g: H5Group): H5WriteGroup {
  const out: H5WriteGroup = { kind: "group", children: {} };
  for (const k of g.keys()) {
    const c = g.get(k);
    out.children[k] =
      c.kind === "group" ? copy(c) : { kind: "dataset", shape: c.shape, data: c.read() as Float32Array };
  }
  return out;
}

const weightsOf = (kerasFile: string) =>
  openHdf5(readZip(fs.readFileSync(kerasFile), kerasFile).get("model.weights.h5")!, kerasFile);

describe(".keras saved on Windows (groups named 'layers\\dense')", () => {
  it("loads, predicts what the original predicts, and says what it mapped", async () => {
    const m = await loadModel(derived("windows.keras"));
    await expectSameAsOriginal(m);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Windows separators");
    expect(warnings[0]).toContain("'layers\\dense/vars' as 'layers/dense/vars'");
  });

  it("refuses a group the file spells two ways instead of guessing", async () => {
    const root = copy(weightsOf(derived("windows.keras")));
    const twin = copy(weightsOf(derived("windows.keras")).group("layers\\dense"));
    root.children.layers = { kind: "group", children: { "dense\\vars": twin.children.vars } };
    // Now 'layers/dense/vars' is both 'layers\dense/vars' and 'layers/dense\vars'.
    const bytes = withWeights(derived("windows.keras"), root);
    const err = await loadModel(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFormatError);
    const msg = (err as Error).message;
    expect(msg).toContain("'layers/dense/vars' is spelled 2 ways in the file");
    expect(msg).toContain("'layers\\dense/vars'");
    expect(msg).toContain("'layers/dense\\vars'");
    expect(msg).toContain("does not guess");
  });
});

describe(".keras written by tf.keras 2.13 (_layer_checkpoint_dependencies)", () => {
  it("loads with 2.13's own keys (a layer with weights uses two), which Keras 3's fallback misses", async () => {
    const m = await loadModel(derived("tf213.keras"));
    expect(m.fileInfo).toMatchObject({ kerasVersion: "2.13.1", kerasMajor: 2 });
    await expectSameAsOriginal(m);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("tf.keras 2.13");
    expect(warnings[0]).toContain("'dense_1' from '_layer_checkpoint_dependencies/dense_2'");
    expect(warnings[0]).toContain("'dense_3' from '_layer_checkpoint_dependencies/dense_6'");
  });

  it("finds an LSTM's cell under 2.13's keys (real LSTMPractice model: lstm, lstm_2, dense, dense_2)", async () => {
    const file = fixturePath("keras3/lstmpractice/lstm_model.keras");
    const bytes = tf213Keras(kerasParts(fs.readFileSync(file), file));
    const x = array(
      Float64Array.from({ length: 2 * 12 * 24 }, (_, i) => Math.cos(i)),
      { shape: [2, 12, 24] },
    );
    const want = Array.from(((await loadModel(file)).call(x) as Tensor).data());
    const m = await loadModel(bytes);
    expect(Array.from((m.call(x) as Tensor).data())).toEqual(want);
    expect(warnings.join("\n")).toContain(
      "'lstm' from '_layer_checkpoint_dependencies/lstm/cell', 'lstm_1' from '_layer_checkpoint_dependencies/lstm_2/cell', " +
        "'dense' from '_layer_checkpoint_dependencies/dense', 'dense_1' from '_layer_checkpoint_dependencies/dense_2'",
    );
  });

  it("also reads the keys Keras 3's fallback expects, when only those fit", async () => {
    const src = weightsOf(derived("tf213.keras")).group("_layer_checkpoint_dependencies");
    const keys: Record<string, string> = {
      dense: "dense",
      dense_2: "dense_1",
      dense_4: "dense_2",
      dense_6: "dense_3",
      dropout: "dropout",
      leaky_re_lu: "leaky_re_lu",
      leaky_re_lu_1: "leaky_re_lu_1",
    };
    const deps: H5WriteGroup = { kind: "group", children: {} };
    for (const [from, to] of Object.entries(keys)) deps.children[to] = copy(src.group(from));
    const bytes = withWeights(derived("tf213.keras"), {
      kind: "group",
      children: { _layer_checkpoint_dependencies: deps },
    });
    await expectSameAsOriginal(await loadModel(bytes));
    expect(warnings.join("\n")).toContain("Keras 3's 2.13 fallback");
  });

  it("refuses a file that fits both readings differently", async () => {
    // Two Dense(2→2) layers and three same-shaped groups: 2.13's keys say dense + dense_2,
    // Keras 3's fallback says dense + dense_1. Nothing tells which is right.
    const config = {
      module: "keras",
      class_name: "Sequential",
      config: {
        name: "sequential",
        layers: [
          {
            module: "keras.layers",
            class_name: "InputLayer",
            config: { batch_input_shape: [null, 2], name: "in" },
          },
          { module: "keras.layers", class_name: "Dense", config: { name: "dense", units: 2 } },
          { module: "keras.layers", class_name: "Dense", config: { name: "dense_1", units: 2 } },
        ],
      },
    };
    const vars = (v: number): H5WriteGroup => ({
      kind: "group",
      children: {
        vars: {
          kind: "group",
          children: {
            "0": { kind: "dataset", shape: [2, 2], data: new Float32Array(4).fill(v) },
            "1": { kind: "dataset", shape: [2], data: new Float32Array(2).fill(v) },
          },
        },
      },
    });
    const deps: H5WriteGroup = {
      kind: "group",
      children: { dense: vars(1), dense_1: vars(2), dense_2: vars(3) },
    };
    const enc = new TextEncoder();
    const bytes = writeZip([
      ["metadata.json", enc.encode(JSON.stringify({ keras_version: "2.13.1" }))],
      ["config.json", enc.encode(JSON.stringify(config))],
      ["model.weights.h5", writeHdf5({ kind: "group", children: { _layer_checkpoint_dependencies: deps } })],
    ]);
    await expect(loadModel(bytes)).rejects.toThrow(
      /fit the model two ways: layer 'dense_1' could be '_layer_checkpoint_dependencies\/dense_2' \(tf.keras 2.13 keys\) or '_layer_checkpoint_dependencies\/dense_1' \(Keras 3's 2.13 fallback\); gradlens does not guess/,
    );
  });

  it("says what it tried when no reading fits", async () => {
    const src = weightsOf(derived("tf213.keras")).group("_layer_checkpoint_dependencies");
    const deps: H5WriteGroup = { kind: "group", children: { dense: copy(src.group("dense")) } };
    const bytes = withWeights(derived("tf213.keras"), {
      kind: "group",
      children: { _layer_checkpoint_dependencies: deps },
    });
    const err = await loadModel(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFormatError);
    expect((err as Error).message).toContain("has no group 'layers/dense/vars'");
    expect((err as Error).message).toContain("no reading of that layout fits the model");
    expect((err as Error).message).toContain("tf.keras 2.13 keys:");
    expect((err as Error).message).toContain("Keras 3's 2.13 fallback:");
  });
});

describe("TF.js model.json from the 4.x converter (weights named 'sequential/dense/kernel')", () => {
  it("loads, predicts what the original predicts, and says what it mapped", async () => {
    const m = await loadModel(derived("tfjs-prefixed/model.json"));
    expect(m.fileInfo).toMatchObject({ format: "tfjs", kerasVersion: "3.9.2" });
    await expectSameAsOriginal(m);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("start with the model's name");
    expect(warnings[0]).toContain("'sequential/dense/kernel' → layer 'dense'");
  });

  it("is the file TF.js 4.x rejects ('no target variable'), and gradlens predicts what TF.js predicts once the names are fixed", async () => {
    const json = JSON.parse(fs.readFileSync(derived("tfjs-prefixed/model.json"), "utf8")) as {
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const bin = fs.readFileSync(derived("tfjs-prefixed/group1-shard1of1.bin"));
    const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
    // TF.js cannot read Keras 3's config dialect either; give it the same model in Keras 2's, so
    // that the weight names are the only difference.
    const files = readZip(fs.readFileSync(derived("tf213.keras")), "tf213.keras");
    const modelTopology = JSON.parse(new TextDecoder().decode(files.get("config.json")!)) as tf.io.ModelJSON;
    const load = (weightSpecs: tf.io.WeightsManifestEntry[]) =>
      tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
    const specs = json.weightsManifest[0].weights;
    await expect(load(specs)).rejects.toThrow(
      /Provided weight data has no target variable: sequential\/dense\/kernel/,
    );
    const fixed = await load(specs.map((w) => ({ ...w, name: w.name.replace(/^sequential\//, "") })));
    const want = (fixed.predict(tf.tensor(golden.input.data)) as tf.Tensor).dataSync();
    const got = predict(await loadModel(derived("tfjs-prefixed/model.json")));
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want[i])));
  });

  it("maps an LSTM's 'sequential/lstm/lstm_cell/kernel' to layer 'lstm' (real LSTMPractice model)", async () => {
    const file = fixturePath("keras3/lstmpractice/lstm_model.keras");
    const bytes = fs.readFileSync(file);
    const model = await loadModel(file);
    const { json, shard } = tfjsPrefixed(kerasParts(bytes, file), model);
    const names = (json.weightsManifest as { weights: { name: string }[] }[])[0].weights.map((w) => w.name);
    expect(names.slice(0, 3)).toEqual([
      "sequential/lstm/lstm_cell/kernel",
      "sequential/lstm/lstm_cell/recurrent_kernel",
      "sequential/lstm/lstm_cell/bias",
    ]);
    const m = await loadModel(new TextEncoder().encode(JSON.stringify(json)), {
      weights: { "group1-shard1of1.bin": shard },
    });
    const x = array(
      Float64Array.from({ length: 2 * 12 * 24 }, (_, i) => Math.sin(i)),
      { shape: [2, 12, 24] }, // the file's input: batch_shape [null, 12, 24]
    );
    expect(Array.from((m.call(x) as Tensor).data())).toEqual(Array.from((model.call(x) as Tensor).data()));
  });

  it("is not ambiguous when both readings fill the same weights (a nested model named like its parent)", async () => {
    const inner = {
      class_name: "Sequential",
      config: {
        name: "m",
        layers: [{ class_name: "Dense", config: { name: "d", units: 1, batch_input_shape: [null, 2] } }],
      },
    };
    const json = {
      modelTopology: {
        class_name: "Sequential",
        config: { name: "m", layers: [inner] },
        keras_version: "tfjs-layers 4.22.0",
      },
      weightsManifest: [
        {
          paths: ["w.bin"],
          weights: [
            { name: "m/d/kernel", shape: [2, 1], dtype: "float32" },
            { name: "m/d/bias", shape: [1], dtype: "float32" },
          ],
        },
      ],
    };
    const m = await loadModel(new TextEncoder().encode(JSON.stringify(json)), {
      weights: { "w.bin": new Uint8Array(new Float32Array([2, 3, 0.5]).buffer) },
    });
    expect(Array.from((m.call(array([[1, 1]])) as Tensor).data())).toEqual([5.5]);
    expect(warnings).toEqual([]);
  });

  it("does not strip a prefix that is not the model's name", async () => {
    const json = JSON.parse(fs.readFileSync(derived("tfjs-prefixed/model.json"), "utf8")) as {
      weightsManifest: { weights: { name: string }[] }[];
    };
    for (const w of json.weightsManifest[0].weights) w.name = w.name.replace(/^sequential\//, "other/");
    const shard = fs.readFileSync(derived("tfjs-prefixed/group1-shard1of1.bin"));
    await expect(
      loadModel(new TextEncoder().encode(JSON.stringify(json)), {
        weights: { "group1-shard1of1.bin": shard },
      }),
    ).rejects.toThrow(/weights for a layer 'other'/);
  });

  it("says why when neither reading fits", async () => {
    const json = JSON.parse(fs.readFileSync(derived("tfjs-prefixed/model.json"), "utf8")) as {
      weightsManifest: { weights: { name: string }[] }[];
    };
    json.weightsManifest[0].weights[0].name = "sequential/nope/kernel";
    const shard = fs.readFileSync(derived("tfjs-prefixed/group1-shard1of1.bin"));
    await expect(
      loadModel(new TextEncoder().encode(JSON.stringify(json)), {
        weights: { "group1-shard1of1.bin": shard },
      }),
    ).rejects.toThrow(
      /neither by their first name \(no layer 'sequential'.*\) nor without the model's name 'sequential' in front \(no layer 'nope'/,
    );
  });
});

describe("openHdf5", () => {
  it("reads an HDF5 file that is a view into a larger Node Buffer (a zip entry)", () => {
    const zip = fs.readFileSync(fixturePath("keras3/flownet/final_model.keras")); // a Buffer
    const entry = readZip(zip, "final_model.keras").get("model.weights.h5")!;
    const view = zip.subarray(
      entry.byteOffset - zip.byteOffset,
      entry.byteOffset - zip.byteOffset + entry.length,
    );
    expect(openHdf5(view, "entry").group("layers").keys()).toContain("dense");
  });
});

describe("TF.js manifest naming layers with a suffix added ('dense_Dense1_1/kernel' for layer 'dense_Dense1')", () => {
  // The real abalone-node model.json (tfjs-layers 1.3.2), its weight names edited in memory.
  const dir = "tfjs-examples/abalone-node";
  const shard = () => fs.readFileSync(fixturePath(`${dir}/weights.bin`));
  const renamed = (rename: (name: string) => string) => {
    const json = JSON.parse(fs.readFileSync(fixturePath(`${dir}/model.json`), "utf8")) as {
      weightsManifest: { paths: string[]; weights: { name: string }[] }[];
    };
    for (const w of json.weightsManifest[0].weights) w.name = rename(w.name);
    return loadModel(new TextEncoder().encode(JSON.stringify(json)), {
      weights: { [json.weightsManifest[0].paths[0]]: shard() },
    });
  };
  const x = array(
    Float64Array.from({ length: 3 * 8 }, (_, i) => Math.cos(i)),
    { shape: [3, 8] },
  );

  it("maps each to the one layer it names, predicts what the original predicts, and says so", async () => {
    const want = Array.from(((await loadModel(fixturePath(`${dir}/model.json`))).call(x) as Tensor).data());
    expect(warnings).toEqual([]);
    const m = await renamed((n) => n.replace(/^(dense_Dense\d)\//, "$1_1/"));
    expect(Array.from((m.call(x) as Tensor).data())).toEqual(want);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("'dense_Dense1_1/…' as layer 'dense_Dense1'");
  });

  it("refuses two names that both could be one layer", async () => {
    await expect(
      renamed((n) =>
        n
          .replace("dense_Dense1/kernel", "dense_Dense1_1/kernel")
          .replace("dense_Dense1/bias", "dense_Dense1_2/bias"),
      ),
    ).rejects.toThrow(
      /'dense_Dense1_1' and 'dense_Dense1_2', no such layers; both could be layer 'dense_Dense1'/,
    );
  });

  it("does not rename onto a layer that already has its weights", async () => {
    await expect(renamed((n) => n.replace("dense_Dense1/bias", "dense_Dense1_1/bias"))).rejects.toThrow(
      ModelFormatError,
    );
    expect(warnings).toEqual([]);
  });
});

describe(".keras whose groups are not where Keras keys them, but carry the layer's name (Keras ≥ 3.9)", () => {
  const src = fixturePath("keras3/flownet/final_model.keras");
  /** The real weights file with the `layers/<key>` groups rearranged by `move` (from → to). */
  const rearranged = (move: Record<string, string>, rename: Record<string, string> = {}) => {
    const root = copyWithAttrs(weightsOf(src));
    const layers = root.children.layers as H5WriteGroup;
    const old = { ...layers.children };
    for (const [from, to] of Object.entries(move)) layers.children[to] = old[from];
    for (const [key, name] of Object.entries(rename))
      ((layers.children[key] as H5WriteGroup).children.vars as H5WriteGroup).attrs = { name };
    return withWeights(src, root);
  };

  it("reads two swapped layers by their names (Keras would fail on the shapes), and says so", async () => {
    const m = await loadModel(rearranged({ dense: "dense_1", dense_1: "dense" }));
    await expectSameAsOriginal(m);
    expect(warnings).toContain(
      "<bytes>/model.weights.h5: read layer 'dense' from 'layers/dense_1/vars', the group named after it: the one " +
        "Keras keys it by, 'layers/dense/vars', holds layer 'dense_1'",
    );
  });

  it("refuses two groups named after one layer", async () => {
    // Layer dense's own group says "x"; two others say "dense".
    await expect(
      loadModel(rearranged({}, { dense: "x", dense_1: "dense", dense_2: "dense" })),
    ).rejects.toThrow(
      /dense \(Dense\): .* has 2 groups named 'dense' \('layers\/dense_1\/vars', 'layers\/dense_2\/vars'\); gradlens does not guess/,
    );
  });

  it("loads by key, as Keras does, when no group carries the name, and says so", async () => {
    await expectSameAsOriginal(await loadModel(rearranged({}, { dense_3: "renamed" })));
    expect(warnings.join("\n")).toContain("'layers/dense_3/vars' is named 'renamed', not 'dense_3'");
  });
});

/** A writable copy of an HDF5 group, string attributes included. */
function copyWithAttrs(g: H5Group): H5WriteGroup {
  const out = copy(g);
  const attrs = Object.entries(g.attrs()).filter(([, v]) => typeof v === "string") as [string, string][];
  if (attrs.length > 0) out.attrs = Object.fromEntries(attrs);
  for (const k of g.keys()) {
    const c = g.get(k);
    if (c.kind === "group") out.children[k] = copyWithAttrs(c);
  }
  return out;
}
