/**
 * `loadModel`: sources (path, bytes, ArrayBuffer, file: URL, File/Blob), detection by content,
 * architecture JSON + weights-only .h5, weights matched by name with shape checks and precise
 * messages, refusals (unknown classes, Lambda, damaged or non-model files), hostile inputs
 * (zip traversal, decompression bombs, absurd sizes, prototype pollution), Keras 1 / Theano weight
 * layouts, Sequential models without a recorded input shape, the registry and `inspectModel`.
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Layer,
  layers,
  random,
  setWarningHandler,
  transpose,
  type ShapeTree,
  type SymbolicShape,
  type Tensor,
  type WarningHandler,
} from "../src/index.js";
import { writeHdf5 } from "../src/io/containers/hdf5.js";
import {
  inspectModel,
  loadModel,
  ModelFormatError,
  registeredLayerClasses,
  registerLayer,
  UnsupportedLayerError,
} from "../src/io/index.js";
import { readZip, writeZip } from "../src/io/containers/zip.js";
import { checkGrads } from "../src/testing/index.js";
import { fixturePath, runModel, seededInputs } from "./helpers/realModels.js";

let previous: WarningHandler;
beforeAll(() => (previous = setWarningHandler(() => {})));
afterAll(() => setWarningHandler(previous));

const enc = new TextEncoder();
const dec = new TextDecoder();
const read = (rel: string) => new Uint8Array(fs.readFileSync(fixturePath(rel)));
const SEPARATED = "tensorspace/keras-separated";
const topology = () => JSON.parse(fs.readFileSync(fixturePath(`${SEPARATED}/topology.json`), "utf8"));
const out = (m: Awaited<ReturnType<typeof loadModel>>, x: Tensor) => (m.call(x) as Tensor).data();
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e as Error,
  );

describe("sources", () => {
  it("path, Uint8Array, ArrayBuffer, file: URL, file: URL string and File give the same model", async () => {
    const rel = "keras3/flownet/final_model.keras";
    const bytes = read(rel);
    const x = random.normal([4, 2]);
    const ref = out(await loadModel(fixturePath(rel)), x);
    const url = pathToFileURL(fixturePath(rel));
    const variants = [
      await loadModel(bytes),
      await loadModel(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      ),
      await loadModel(url),
      await loadModel(url.href),
      await loadModel(new File([bytes], "final_model.keras")),
    ];
    for (const m of variants) expect(out(m, x)).toEqual(ref);
    expect(variants.map((m) => m.fileInfo?.path)).toEqual([
      undefined,
      undefined,
      url.href,
      url.href,
      undefined,
    ]);
  });

  it("detects the format by content, not extension (hls4ml .keras files are HDF5)", async () => {
    const m = await loadModel(fixturePath("hls4ml/mlp_streaming.keras"));
    expect(m.fileInfo).toMatchObject({ format: "h5", kerasVersion: "2.11.0", kerasMajor: 2 });
    const renamed = await loadModel(new File([read("keras3/flownet/final_model.keras")], "weights.bin"));
    expect(renamed.fileInfo?.format).toBe("keras");
  });

  it("architecture JSON + weights-only .h5 (path or bytes) equals the full model file", async () => {
    const dir = "dl4j/examples/simple_rnn";
    const full = await loadModel(fixturePath(`${dir}/simple_rnn_tf_keras_2_model.h5`));
    const a = await loadModel(fixturePath(`${dir}/simple_rnn_tf_keras_2_config.json`), {
      weights: fixturePath(`${dir}/simple_rnn_tf_keras_2_weights.h5`),
    });
    const b = await loadModel(read(`${dir}/simple_rnn_tf_keras_2_config.json`), {
      weights: read(`${dir}/simple_rnn_tf_keras_2_weights.h5`),
    });
    expect(a.fileInfo).toMatchObject({ format: "json+h5", kerasVersion: "2.1.3" });
    const [x] = seededInputs(full, 1);
    expect(out(a, x)).toEqual(out(full, x));
    expect(out(b, x)).toEqual(out(full, x));
  });

  it("a weights-only .h5 alone, or an architecture JSON without weights, says what to pass", async () => {
    const w = await rejection(loadModel(fixturePath(`${SEPARATED}/weights.h5`)));
    expect(w).toBeInstanceOf(ModelFormatError);
    expect(w.message).toMatch(
      /holds weights only \(written by save_weights\).*loadModel\("model.json", \{ weights:/s,
    );
    const j = await rejection(loadModel(fixturePath(`${SEPARATED}/topology.json`)));
    expect(j.message).toMatch(/architecture JSON.*\{ weights: "weights.h5" \}.*withoutWeights: true/s);
  });
});

describe("weights matched by name, shapes checked", () => {
  it("a shape mismatch names the layer, the weight, both shapes and where in the file", async () => {
    const t = topology();
    const dense = t.config.find((l: { config: { name: string } }) => l.config.name === "Dense_1");
    dense.config.units = 64;
    const e = await rejection(
      loadModel(enc.encode(JSON.stringify(t)), {
        weights: fixturePath(`${SEPARATED}/weights.h5`),
        label: "topology.json",
      }),
    );
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toBe(
      `Dense_1 (Dense): weight kernel expects [256,64], file has [256,120] ` +
        `(${fixturePath(`${SEPARATED}/weights.h5`)}: model_weights/Dense_1/Dense_1/kernel:0)`.replace(
          "model_weights/",
          "",
        ),
    );
  });

  it("a model layer the file has no weights for, and file weights for a layer the model lacks", async () => {
    const t = topology();
    t.config.find((l: { config: { name: string } }) => l.config.name === "Dense_2").config.name = "renamed";
    const e = await rejection(
      loadModel(enc.encode(JSON.stringify(t)), { weights: fixturePath(`${SEPARATED}/weights.h5`) }),
    );
    expect(e.message).toMatch(/weight\(s\) for a layer 'Dense_2', which the model does not have/);
  });

  it("follows weight_names, not HDF5's alphabetical order (bias sorts before kernel)", async () => {
    const m = await loadModel(fixturePath("dl4j/weights/dense_tensorflow_2.h5"));
    const dense = m.layers[0] as unknown as { kernel: { shape: number[] }; bias: { shape: number[] } };
    expect([dense.kernel.shape, dense.bias.shape]).toEqual([[4, 6], [6]]);
  });
});

describe("refusals that help", () => {
  it("an unknown class: the class, the layer, the file and the registerLayer call", async () => {
    const t = topology();
    t.config[1].class_name = "FancyConv";
    const e = await rejection(
      loadModel(enc.encode(JSON.stringify(t)), {
        weights: fixturePath(`${SEPARATED}/weights.h5`),
        label: "topology.json",
      }),
    );
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e.message).toBe(
      "Unsupported layer class 'FancyConv' in topology.json (layer 'Conv2D_1'): gradlens has no implementation " +
        "registered for it. Write it as a gradlens Layer and register it before loading: " +
        'registerLayer("FancyConv", (config, ctx) => new FancyConv(config))',
    );
  });

  it("Lambda: refused (its Python code is never run); an override for that layer makes it load", async () => {
    const file = fixturePath("dl4j/weights/space_to_depth_graph_tensorflow_2.h5");
    const e = await rejection(loadModel(file));
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect(e.message).toMatch(/'Lambda'.*'space_to_depth_x2'.*Python code.*never executes.*overrides/s);
    expect(() => registerLayer("Lambda", () => new layers.Identity({}))).toThrow(/hold Python code/);

    /** tf.nn.space_to_depth(x, 2), which the Lambda wrapped. */
    class SpaceToDepth extends Layer {
      static override className = "SpaceToDepth";
      constructor(
        readonly block: number,
        name: string,
      ) {
        super({ name });
      }
      call(x: Tensor): Tensor {
        const [n, h, w, c] = x.shape;
        const b = this.block;
        const y = transpose(x.reshape([n, h / b, b, w / b, b, c]), [0, 1, 3, 2, 4, 5]);
        return y.reshape([n, h / b, w / b, b * b * c]);
      }
      override computeOutputShape(s: ShapeTree): ShapeTree {
        const [n, h, w, c] = s as SymbolicShape;
        return [n, h! / 2, w! / 2, c! * 4];
      }
    }
    const m = await loadModel(file, {
      overrides: { space_to_depth_x2: (config, ctx) => new SpaceToDepth(2, ctx.layerName) },
    });
    const xs = seededInputs(m, 3);
    const [y] = runModel(m, xs);
    expect(y.shape).toEqual([2, 3, 3, 32]);
    // channel (di·2 + dj)·4 + c of the space-to-depth half is x[2i + di, 2j + dj, c]
    expect(y.data()[(1 * 3 + 2) * 32 + (1 * 2 + 0) * 4 + 3]).toBe(xs[0].data()[(3 * 6 + 4) * 4 + 3]);
    checkGrads((a: Tensor, b: Tensor) => m.call([a, b]), xs, { order: 1 });
  });

  it("damaged and non-model bytes: what was expected and where it broke", async () => {
    const keras = read("keras3/flownet/final_model.keras");
    const h5 = read("dl4j/weights/dense_tensorflow_2.h5");
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /not a model file.*an empty file/],
      [
        enc.encode("hello world"),
        /not a model file: expected a Keras 3 .keras zip, a Keras .h5.*bytes starting 68 65 6c/,
      ],
      [keras.subarray(0, keras.length - 30), /zip|truncated/],
      [h5.subarray(0, 2000), /./],
      [enc.encode('{"a": 1}'), /JSON, but not a model.*keys \[a\]/],
      [enc.encode('{"class_name": "Sequential", "config": '), /invalid JSON/],
      [read("dl4j/deconv/mb1_k1_sz8_s1_valid_d1_nchw_W.npy"), /NumPy .npy array, not a model/],
      [
        writeZip([["hello.txt", enc.encode("hi")]]),
        /a zip, but not a Keras 3 .keras file: it has no 'config.json'/,
      ],
    ];
    for (const [bytes, message] of cases) {
      const e = await rejection(loadModel(bytes, { label: "bad.bin" }));
      expect(e, String(message)).toBeInstanceOf(ModelFormatError);
      expect(e.message).toMatch(/^bad\.bin/);
      expect(e.message).toMatch(message);
    }
  });
});

/** A .keras archive with one entry changed. */
function editedKeras(edit: (files: Map<string, Uint8Array>) => void): Uint8Array {
  const files = new Map(readZip(read("keras3/flownet/final_model.keras"), "k"));
  edit(files);
  return writeZip(files);
}

describe("hostile files", () => {
  it("zip entries that escape the folder", async () => {
    const bytes = zipSync({ "../config.json": enc.encode("{}"), "metadata.json": enc.encode("{}") });
    const e = await rejection(loadModel(bytes, { label: "evil.keras" }));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toMatch(/zip entry name "\.\.\/config\.json" is unsafe/);
  });

  it("decompression bombs: the total is capped (maxBytes)", async () => {
    const bomb = zipSync({ "config.json": [new Uint8Array(64 * 1024 ** 2), { level: 9 }] });
    expect(bomb.length).toBeLessThan(200_000);
    const e = await rejection(loadModel(bomb, { label: "bomb.keras", maxBytes: 16 * 1024 ** 2 }));
    expect(e).toBeInstanceOf(ModelFormatError);
  });

  it("absurd sizes fail before anything is allocated (maxParams)", async () => {
    const bytes = editedKeras((files) => {
      const c = JSON.parse(dec.decode(files.get("config.json")));
      c.config.layers[1].config.units = 2 ** 40;
      files.set("config.json", enc.encode(JSON.stringify(c)));
    });
    const e = await rejection(loadModel(bytes, { label: "huge.keras" }));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toMatch(/weight 'kernel' of shape \[2,1099511627776\].*past 134217728 weight values/);
  });

  it("prototype-pollution keys in config.json and model.json are refused; nothing is polluted", async () => {
    const text = dec
      .decode(readZip(read("keras3/flownet/final_model.keras"), "k").get("config.json"))
      .replace('"name": "dense"', '"name": "dense", "__proto__": {"polluted": true}');
    const bytes = editedKeras((files) => files.set("config.json", enc.encode(text)));
    const e = await rejection(loadModel(bytes, { label: "proto.keras" }));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toMatch(/__proto__/);
    const json = fs
      .readFileSync(fixturePath("tfjs/bundle_model_test/bundle_model_test.json"), "utf8")
      .replace('"units": 1', '"units": 1, "constructor": {"prototype": {"polluted": true}}');
    await expect(loadModel(enc.encode(json))).rejects.toThrow(ModelFormatError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("weights written by other Keras versions", () => {
  it("Keras 1 + Theano: 'th' kernels (filters, in, rows, cols) are transposed and flipped (a true convolution)", async () => {
    random.seed(11);
    const W = random.normal([2, 1, 2, 3]);
    const b = random.normal([2]);
    const topo = {
      class_name: "Sequential",
      keras_version: "1.2.2",
      backend: "theano",
      config: [
        {
          class_name: "Convolution2D",
          config: {
            name: "c",
            nb_filter: 2,
            nb_row: 2,
            nb_col: 3,
            dim_ordering: "th",
            border_mode: "valid",
            activation: "linear",
            bias: true,
            batch_input_shape: [null, 1, 4, 5],
          },
        },
      ],
    };
    const f32 = (t: Tensor) => Float32Array.from(t.data());
    const weights = writeHdf5({
      kind: "group",
      attrs: { layer_names: ["c"], backend: "theano", keras_version: "1.2.2" },
      children: {
        c: {
          kind: "group",
          attrs: { weight_names: ["c_W", "c_b"] },
          children: {
            c_W: { kind: "dataset", shape: [2, 1, 2, 3], data: f32(W) },
            c_b: { kind: "dataset", shape: [2], data: f32(b) },
          },
        },
      },
    });
    const m = await loadModel(enc.encode(JSON.stringify(topo)), { weights });
    expect(m.fileInfo).toMatchObject({ kerasMajor: 1, backend: "theano" });
    const x = random.normal([1, 1, 4, 5]);
    const y = (m.call(x) as Tensor).data();
    // Theano's conv2d convolves: y[f,i,j] = b[f] + Σ x[c, i+r, j+s] · W[f, c, 1−r, 2−s]
    const w = Float32Array.from(W.data());
    const xv = x.data();
    for (let f = 0; f < 2; f++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          let s = Math.fround(b.data()[f]);
          for (let r = 0; r < 2; r++)
            for (let q = 0; q < 3; q++) s += xv[(i + r) * 5 + j + q] * w[f * 6 + (1 - r) * 3 + (2 - q)];
          expect(y[(f * 3 + i) * 3 + j]).toBeCloseTo(s, 12);
        }
  });

  it("Keras 1 LSTM: 12 per-gate arrays (i, c, f, o) become Keras 2's kernel/recurrent_kernel/bias (i, f, c, o)", async () => {
    const m = await loadModel(fixturePath("dl4j/weights/lstm_tensorflow_1.h5"));
    const lstm = m.layers[0] as unknown as {
      cell: { kernel: { shape: number[] }; recurrentKernel: { shape: number[] } };
    };
    expect([lstm.cell.kernel.shape, lstm.cell.recurrentKernel.shape]).toEqual([
      [1, 24],
      [6, 24],
    ]);
  });
});

describe("nested models", () => {
  it("Keras 2 numbers a nested model's calls from 1 (its own first node); the graph is rebuilt", async () => {
    const topo = {
      class_name: "Model",
      keras_version: "2.2.4",
      backend: "tensorflow",
      config: {
        name: "outer",
        layers: [
          {
            name: "x",
            class_name: "InputLayer",
            config: { name: "x", batch_input_shape: [null, 4] },
            inbound_nodes: [],
          },
          {
            name: "inner",
            class_name: "Sequential",
            config: {
              name: "inner",
              layers: [
                { class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 4] } },
              ],
            },
            inbound_nodes: [[["x", 0, 0, {}]]],
          },
          {
            name: "out",
            class_name: "Dense",
            config: { name: "out", units: 1 },
            inbound_nodes: [[["inner", 1, 0, {}]]],
          },
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["out", 0, 0]],
      },
    };
    const m = await loadModel(enc.encode(JSON.stringify(topo)), { withoutWeights: true });
    expect(m.layers.map((l) => l.className)).toEqual(["InputLayer", "Sequential", "Dense"]);
    expect((m.call(random.normal([2, 4])) as Tensor).shape).toEqual([2, 1]);
  });
});

describe("a Sequential model that records no input shape", () => {
  it("builds on its first call and gets its weights then", async () => {
    const t = topology();
    delete t.config[0].config.batch_input_shape;
    const m = await loadModel(enc.encode(JSON.stringify(t)), {
      weights: fixturePath(`${SEPARATED}/weights.h5`),
    });
    expect(m.built).toBe(false);
    const ref = await loadModel(fixturePath(`${SEPARATED}/topology.json`), {
      weights: fixturePath(`${SEPARATED}/weights.h5`),
    });
    const x = random.uniform([2, 28, 28]);
    expect(out(m, x)).toEqual(out(ref, x));
    expect(m.built).toBe(true);
  });

  it("weights that do not fit fail its first call and every later one (never the initializers' values)", async () => {
    const t = topology();
    delete t.config[0].config.batch_input_shape;
    t.config[8].config.units = 7; // the file's last Dense has 10 units
    const m = await loadModel(enc.encode(JSON.stringify(t)), {
      label: "unfit.json",
      weights: fixturePath(`${SEPARATED}/weights.h5`),
    });
    const x = random.uniform([2, 28, 28]);
    expect(() => m.call(x)).toThrow(ModelFormatError);
    expect(() => m.call(x)).toThrow(ModelFormatError);
  });

  it("enforces maxParams on the build its first call makes", async () => {
    const t = topology();
    delete t.config[0].config.batch_input_shape;
    const m = await loadModel(enc.encode(JSON.stringify(t)), {
      label: "small.json",
      weights: fixturePath(`${SEPARATED}/weights.h5`),
      maxParams: 1000,
    });
    expect(m.built).toBe(false);
    let error: unknown;
    try {
      m.call(random.uniform([2, 28, 28]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(
      /small\.json: layer .*past 1000 weight values \(option maxParams\)/,
    );
  });
});

describe("the registry and inspectModel", () => {
  it("has an entry for every layer class in src/nn/layers", () => {
    const exported = (Object.values(layers) as unknown[])
      .filter((v) => typeof v === "function" && v.prototype instanceof Layer)
      .map((c) => (c as { className: string }).className)
      .filter((n) => !["RNNCell", "ConvLSTMCell"].includes(n));
    const known = new Set(registeredLayerClasses());
    expect(exported.filter((n) => !known.has(n))).toEqual([]);
  });

  it("inspectModel: format, version, inputs and outputs, the summary and the parameter count", async () => {
    const m = await loadModel(fixturePath("mlcommons-tiny/pretrainedResnet.h5"));
    const text = inspectModel(m);
    expect(text).toMatch(
      /^Functional model "model" — legacy Keras HDF5 file, Keras 2\.4\.0, backend tensorflow/,
    );
    expect(text).toMatch(/Inputs:\n {2}input_1 {2}\(None, 32, 32, 3\)\nOutputs:\n {2}dense {2}\(None, 10\)/);
    expect(text).toContain(m.summary({ print: false }));
    expect(text).toMatch(/Parameters: 78,666 \(trainable 78,186, non-trainable 480\)$/);
  });
});
