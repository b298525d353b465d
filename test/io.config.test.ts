/**
 * Config normalisation (src/io/config): every real model config in the fixtures normalises, facts
 * per dialect come out right, Keras 3 weight keys match the real `model.weights.h5` groups, and
 * hostile input fails with `ModelFormatError` naming the file and JSON path.
 */
import { describe, expect, it } from "vitest";
import { ModelFormatError, UnsupportedLayerError } from "../src/io/errors.js";
import {
  isTensorRef,
  keras3VarsGroups,
  keras3WeightKeys,
  kerasSnakeCase,
  MAX_JSON_DEPTH,
  normalizeModelConfig,
  parseModelConfig,
  type CanonicalLayer,
  type CanonicalModel,
  type Keras3WeightNode,
} from "../src/io/config/index.js";
import { loadModelConfigs, type ModelConfigFixture } from "./helpers/modelConfigs.js";

const fixtures = await loadModelConfigs();
const byFile = new Map(fixtures.map((f) => [f.file, f]));

function fixture(file: string): ModelConfigFixture {
  const f = byFile.get(file);
  if (!f) throw new Error(`fixture ${file} not collected`);
  return f;
}

function load(file: string): CanonicalModel {
  const f = fixture(file);
  return normalizeModelConfig(f.raw, { label: f.label, kerasVersion: f.kerasVersion, backend: f.backend });
}

/** A deep copy of a fixture's raw JSON, to edit for a variant. */
function rawCopy(file: string): Record<string, unknown> {
  return structuredClone(fixture(file).raw) as Record<string, unknown>;
}

function layer(model: CanonicalModel, name: string): CanonicalLayer {
  const l = model.layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name} in ${model.layers.map((x) => x.name).join(", ")}`);
  return l;
}

const classes = (m: CanonicalModel): string[] => m.layers.map((l) => l.className);
const ref = (layerName: string, node = 0, tensor = 0) => ({ layer: layerName, node, tensor });

/** Every layer of a model including wrapped layers, cells and nested models' layers. */
function allLayers(model: CanonicalModel): CanonicalLayer[] {
  const out: CanonicalLayer[] = [];
  const visit = (l: CanonicalLayer): void => {
    out.push(l);
    for (const key of ["layer", "backward_layer", "cell"]) {
      const v = l.config[key];
      if (Array.isArray(v)) v.forEach((c) => visit(c as CanonicalLayer));
      else if (v && typeof v === "object" && "className" in v) visit(v as CanonicalLayer);
    }
    if (Array.isArray(l.config.cells)) l.config.cells.forEach((c) => visit(c as CanonicalLayer));
    l.nested?.layers.forEach(visit);
  };
  model.layers.forEach(visit);
  return out;
}

/** Argument names no canonical config may contain (they are all renamed or lifted). */
const LEGACY_KEYS = [
  "batch_input_shape",
  "input_dtype",
  "dim_ordering",
  "border_mode",
  "nb_filter",
  "nb_row",
  "nb_col",
  "subsample",
  "init",
  "inner_init",
  "inner_activation",
  "W_regularizer",
  "b_regularizer",
  "U_regularizer",
  "consume_less",
  "forget_bias_init",
  "implementation",
];

function expectThrows(
  fn: () => unknown,
  type: typeof ModelFormatError | typeof UnsupportedLayerError,
  ...parts: string[]
) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "expected an error").toBeInstanceOf(type);
  for (const p of parts) expect((error as Error).message).toContain(p);
}

describe("every model config in the fixtures", () => {
  it("is collected from each container kind", () => {
    const counts: Record<string, number> = {};
    for (const f of fixtures) counts[f.container] = (counts[f.container] ?? 0) + 1;
    // 59 to_json() files, 137 HDF5 models (incl. hls4ml's HDF5-in-.keras), 5 Keras 3 zips, 6 TF.js model.json
    expect(counts).toEqual({ json: 59, h5: 137, keras: 5, tfjs: 6 });
  });

  it.each(fixtures.map((f) => [f.file, f] as const))("%s normalises to the canonical dialect", (_file, f) => {
    const m = normalizeModelConfig(f.raw, {
      label: f.label,
      kerasVersion: f.kerasVersion,
      backend: f.backend,
    });
    expect(m.layers.length).toBeGreaterThan(0);
    expect(m.inputs.length).toBeGreaterThan(0);
    expect(m.outputs.length).toBeGreaterThan(0);
    // Pure JSON: survives a round trip unchanged (no undefined, functions or shared mutable objects).
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    for (const input of m.inputs) expect(layer(m, input.layer).className).toBe("InputLayer");
    for (const l of allLayers(m)) {
      expect(l.config.name).toBe(l.name);
      for (const key of LEGACY_KEYS) expect(l.config, `${l.name}.${key}`).not.toHaveProperty(key);
      if ("dtype" in l.config) expect(typeof l.config.dtype).toBe("string");
      for (const key of ["activation", "recurrent_activation"])
        if (typeof l.config[key] === "string") expect(l.config[key]).toMatch(/^[a-z0-9_]+$/);
      for (const [key, value] of Object.entries(l.config))
        if (/_(initializer|regularizer|constraint)$/.test(key) && value !== null)
          expect(Object.keys(value as object).sort(), `${l.name}.${key}`).toEqual(["class_name", "config"]);
      if (l.className === "InputLayer") expect(Array.isArray(l.config.batch_shape)).toBe(true);
    }
  });
});

describe("dialect detection", () => {
  it.each([
    ["dl4j/weights/lstm_tensorflow_1.h5", "keras1", 1, "1.2.2"],
    ["dl4j/examples/simple_lstm/simple_lstm_tf_keras_1_config.json", "keras1", 1, "1.2.2"],
    ["dl4j/weights/dense_tensorflow_2.h5", "keras2", 2, "2.1.3"],
    ["dl4j/examples/activations/ELU_0_config.json", "keras2", 2, "2.3.1"],
    ["dl4j/tfkeras/rnn_5.h5", "tf.keras", 2, "2.2.4-tf"],
    ["mlcommons-tiny/str_ww_ref_model.h5", "tf.keras", 2, "2.14.0"],
    ["keras3/mnist-moonflower/mnist_model.h5", "keras3", 3, "3.1.1"],
    ["keras3/kdp/test_model.keras", "keras3", 3, "3.9.1"],
    ["tfjs/load_predict_layers_model/model.json", "tfjs", 2, "tfjs-layers 0.0.0"],
    ["tensorspace/helloworld/converted-tfjs/model.json", "tfjs", 2, "2.1.6-tf"],
  ])("%s → %s (Keras %i, version %s)", (file, source, major, version) => {
    const m = load(file);
    expect(m.source).toBe(source);
    expect(m.kerasMajor).toBe(major);
    expect(m.kerasVersion).toBe(version);
  });

  it("infers the dialect from structure when no version is recorded", () => {
    const k1 = rawCopy("dl4j/examples/simple_lstm/simple_lstm_tf_keras_1_config.json");
    delete k1.keras_version;
    expect(normalizeModelConfig(k1, { label: "k1.json" }).source).toBe("keras1");
    const k3 = rawCopy("keras3/kdp/test_model.keras");
    expect(normalizeModelConfig(k3, { label: "k3.json" }).source).toBe("keras3");
    const k2 = rawCopy("dl4j/configs/keras2/simple_add_tf_keras_2.json");
    delete k2.keras_version;
    expect(normalizeModelConfig(k2, { label: "k2.json" }).source).toBe("keras2");
  });
});

describe("Sequential models", () => {
  it("Keras 3 .keras: layer classes, explicit InputLayer and renamed LeakyReLU slope", () => {
    const m = load("keras3/flownet/final_model.keras");
    expect(m.kind).toBe("sequential");
    expect(classes(m)).toEqual([
      "InputLayer",
      "Dense",
      "Dropout",
      "Dense",
      "LeakyReLU",
      "Dense",
      "LeakyReLU",
      "Dense",
    ]);
    expect(m.layers[0].config.batch_shape).toEqual([null, 2]);
    expect(m.inputs).toEqual([ref(m.layers[0].name)]);
    expect(m.outputs).toEqual([ref(m.layers[7].name)]);
    const leaky = m.layers[4];
    expect(typeof leaky.config.negative_slope).toBe("number");
    expect(leaky.config).not.toHaveProperty("alpha");
    // Sequential layers are chained: each consumes the previous layer's output.
    expect(m.layers[2].inboundNodes).toEqual([{ args: [ref(m.layers[1].name)], kwargs: {} }]);
  });

  it("Keras 2.0–2.1 bare-list config: the first layer's batch_input_shape becomes an InputLayer", () => {
    const m = load("dl4j/weights/conv2d_reshape_tensorflow_2.h5");
    expect(classes(m)).toEqual(["InputLayer", "Conv2D", "Reshape", "Conv2D", "Flatten", "Dense"]);
    const input = m.layers[0];
    expect(input.name).toBe(`${m.layers[1].name}_input`); // Keras 2 Sequential.add naming
    expect(input.config).toMatchObject({ batch_shape: [null, 5, 5, 5], dtype: "float32" });
    expect(m.layers[1].config).not.toHaveProperty("batch_input_shape");
    expect(m.layers[1].inboundNodes[0].args).toEqual([ref(input.name)]);
  });

  it("keeps an explicit InputLayer in a bare list (Keras 2.1.6) and in tf.keras {name, layers}", () => {
    const a = load("tensorspace/keras-combined/mnist.h5");
    expect(classes(a).slice(0, 3)).toEqual(["InputLayer", "Reshape", "Conv2D"]);
    expect(a.layers[0]).toMatchObject({ name: "input_1", config: { batch_shape: [null, 28, 28] } });
    const b = load("hls4ml/hostpipe_parallel.keras");
    expect(classes(b)).toEqual(["InputLayer", "Conv1D", "Activation", "GRU"]);
    expect(b.layers[0]).toMatchObject({ name: "conv1d_input", config: { batch_shape: [null, 32, 3] } });
    expect(b.layers[1].config).toMatchObject({
      kernel_size: [3],
      strides: [1],
      dilation_rate: [1],
      padding: "same",
    });
  });

  it("TF.js tfjs-layers topology with a bare-list config", () => {
    const m = load("tensorspace/tfjs-layers-saved/mnist.json");
    expect(classes(m)).toEqual([
      "InputLayer",
      "ZeroPadding2D",
      "Conv2D",
      "MaxPooling2D",
      "Conv2D",
      "MaxPooling2D",
      "Flatten",
      "Dense",
      "Dense",
      "Dense",
    ]);
    expect(m.layers[0].config.batch_shape).toEqual([null, 28, 28, 1]);
    expect(m.layers[1].config.padding).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(m.layers[6].config.data_format).toBe("channels_last"); // absent in tfjs 0.8 → explicit
  });
});

describe("functional models", () => {
  it("merge layers keep their inbound connections (mlcommons ResNet, Keras 2.4)", () => {
    const m = load("mlcommons-tiny/pretrainedResnet.h5");
    expect(m.kind).toBe("functional");
    expect(m.layers).toHaveLength(30);
    expect(classes(m).filter((c) => c === "Add")).toHaveLength(3);
    expect(layer(m, "add").inboundNodes).toEqual([
      { args: [ref("activation"), ref("batch_normalization_2")], kwargs: {} },
    ]);
    expect(m.inputs).toEqual([ref("input_1")]);
    expect(m.outputs).toEqual([ref("dense")]);
    expect(layer(m, "input_1").config.batch_shape).toEqual([null, 32, 32, 3]);
  });

  it("multi-input models list their inputs in file order", () => {
    const m = load("dl4j/configs/keras2/reshape_embedding_concat.json");
    expect(m.inputs).toEqual([ref("input_1"), ref("input_2"), ref("input_3")]);
    expect(layer(m, "concatenate_1").inboundNodes[0].args).toEqual([
      ref("embedding_4"),
      ref("embedding_5"),
      ref("reshape_1"),
    ]);
    const add = load("dl4j/configs/keras2/simple_add_tf_keras_2.json");
    expect(layer(add, "add_2").inboundNodes[0].args).toEqual([ref("dense_4"), ref("dense_5")]);
  });

  it("Keras 2.0 legacy Merge(mode='concat') becomes Concatenate; two outputs", () => {
    const m = load("dl4j/configs/keras2/keras2_mlp_fapi_multiloss_config.json");
    const merge = layer(m, "merge_1");
    expect(merge.className).toBe("Concatenate");
    expect(merge.config).toEqual({ name: "merge_1", axis: -1 });
    expect(merge.inboundNodes[0].args).toEqual([ref("input1"), ref("input2")]);
    expect(m.outputs).toEqual([ref("output1"), ref("output2")]);
    // Non-input layers' batch_input_shape only repeated the inbound shape; it is gone.
    expect(layer(m, "dense_1").config).not.toHaveProperty("batch_input_shape");
  });

  it("Keras 3 inbound nodes: keras tensors → TensorRefs", () => {
    const m = load("keras3/kdp/test_model.keras");
    expect(classes(m)).toEqual(["InputLayer", "DistributionAwareEncoder", "Dense", "Dense"]);
    expect(layer(m, "dense_2").inboundNodes).toEqual([
      { args: [ref("distribution_aware_encoder")], kwargs: {} },
    ]);
    const custom = layer(m, "distribution_aware_encoder");
    expect(custom).toMatchObject({
      module: "kdp.layers.distribution_aware_encoder_layer",
      registeredName: "DistributionAwareEncoder",
      buildConfig: { input_shape: [null, 5] },
    });
  });

  it("Keras 3 merge calls with a list argument and tensors in kwargs", () => {
    const kt = (name: string) => ({
      class_name: "__keras_tensor__",
      config: { shape: [null, 4], dtype: "float32", keras_history: [name, 0, 0] },
    });
    const input = (name: string) => ({
      module: "keras.layers",
      class_name: "InputLayer",
      config: { batch_shape: [null, 4], dtype: "float32", sparse: false, name },
      registered_name: null,
      name,
      inbound_nodes: [],
    });
    const raw = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      registered_name: "Functional",
      config: {
        name: "f",
        layers: [
          input("a"),
          input("b"),
          {
            module: "keras.layers",
            class_name: "Add",
            config: { name: "add", trainable: true, dtype: "float32" },
            registered_name: null,
            name: "add",
            inbound_nodes: [{ args: [[kt("a"), kt("b")]], kwargs: {} }],
          },
          {
            module: "keras.layers",
            class_name: "Dropout",
            config: { name: "drop", rate: 0.5, dtype: "float32" },
            registered_name: null,
            name: "drop",
            inbound_nodes: [{ args: [kt("add"), 2.5], kwargs: { mask: kt("b"), training: false } }],
          },
        ],
        input_layers: [
          ["a", 0, 0],
          ["b", 0, 0],
        ],
        output_layers: [["drop", 0, 0]],
      },
    };
    const m = normalizeModelConfig(raw, { label: "k3.json", kerasVersion: "3.9.2" });
    expect(layer(m, "add").inboundNodes).toEqual([{ args: [ref("a"), ref("b")], kwargs: {} }]);
    const drop = layer(m, "drop").inboundNodes[0];
    expect(drop.args).toEqual([ref("add")]);
    expect(drop.kwargs).toEqual({ mask: ref("b"), training: false });
    expect(isTensorRef(drop.kwargs.mask)).toBe(true);
    expect(isTensorRef(drop.kwargs.training)).toBe(false);
    expect(drop.argStructure).toEqual([ref("add"), 2.5]);
  });

  it("TF.js converter-wrapped topology with seven outputs", () => {
    const m = load("tensorspace/keras-converted-tfjs/model.json");
    expect(m.kind).toBe("functional");
    expect(m.outputs.map((o) => o.layer)).toEqual([
      "Conv2D_1",
      "MaxPooling2D_1",
      "Conv2D_2",
      "MaxPooling2D_2",
      "Dense_1",
      "Dense_2",
      "Softmax",
    ]);
  });
});

describe("Keras 1 renames", () => {
  it("Convolution2D / Dropout(p) / Dense(output_dim) / WeightRegularizer (cnn_tf_model.h5, Keras 1.1.2)", () => {
    const m = load("dl4j/keras-simple/cnn_tf_model.h5");
    expect(classes(m)).toEqual([
      "InputLayer",
      "Conv2D",
      "Conv2D",
      "Activation",
      "MaxPooling2D",
      "Dropout",
      "Flatten",
      "Dense",
      "Activation",
      "Dropout",
      "Dense",
    ]);
    expect(m.layers[0].config).toMatchObject({ batch_shape: [null, 8, 8, 3], dtype: "float32" });
    // nb_filter 2, nb_row 3, nb_col 2, subsample (1,1), border_mode valid, dim_ordering tf, bias True
    expect(layer(m, "convolution2d_1").config).toMatchObject({
      filters: 2,
      kernel_size: [3, 2],
      strides: [1, 1],
      padding: "valid",
      data_format: "channels_last",
      use_bias: true,
      activation: "sigmoid",
      kernel_initializer: { class_name: "GlorotUniform", config: {} },
    });
    const reg = layer(m, "convolution2d_2").config.kernel_regularizer as {
      class_name: string;
      config: { l1: number; l2: number };
    };
    expect(reg.class_name).toBe("L1L2");
    expect(reg.config.l1).toBe(0);
    expect(reg.config.l2).toBeCloseTo(0.1, 7);
    expect(layer(m, "maxpooling2d_1").config).toMatchObject({
      pool_size: [5, 5],
      strides: [5, 5],
      padding: "valid",
    });
    expect(layer(m, "dropout_1").config.rate).toBe(0.25);
    expect(layer(m, "dense_2").config).toMatchObject({ units: 3, activation: "softmax" });
  });

  it("LSTM(output_dim, inner_init, inner_activation, forget_bias_init) (lstm_tensorflow_1.h5, Keras 1.2.2)", () => {
    const m = load("dl4j/weights/lstm_tensorflow_1.h5");
    expect(classes(m)).toEqual(["InputLayer", "LSTM"]);
    expect(m.layers[0].config.batch_shape).toEqual([null, 4, 1]);
    expect(m.layers[1].config).toMatchObject({
      units: 6,
      activation: "tanh",
      recurrent_activation: "hard_sigmoid",
      kernel_initializer: { class_name: "GlorotUniform", config: {} },
      recurrent_initializer: { class_name: "Orthogonal", config: {} },
      unit_forget_bias: true,
      dropout: 0,
      recurrent_dropout: 0,
    });
    expect(m.layers[1].config).not.toHaveProperty("input_dim");
  });

  const keras1 = (layers: unknown[]) => ({
    class_name: "Sequential",
    keras_version: "1.2.2",
    config: layers,
  });

  it("Convolution1D/MaxPooling1D, dim_ordering 'th', TimeDistributedDense, AtrousConvolution2D", () => {
    const m = normalizeModelConfig(
      keras1([
        {
          class_name: "Convolution1D",
          config: {
            name: "c1",
            nb_filter: 4,
            filter_length: 3,
            subsample_length: 2,
            border_mode: "same",
            batch_input_shape: [null, 10, 2],
            input_dtype: "float32",
            init: "uniform",
            bias: false,
          },
        },
        {
          class_name: "MaxPooling1D",
          config: { name: "p1", pool_length: 2, stride: null, border_mode: "valid" },
        },
        {
          class_name: "TimeDistributedDense",
          config: {
            name: "td",
            output_dim: 5,
            init: "glorot_uniform",
            activation: "relu",
            input_dim: 4,
            input_length: 2,
          },
        },
      ]),
      { label: "k1.json" },
    );
    expect(m.layers[0].config).toMatchObject({ batch_shape: [null, 10, 2] });
    expect(layer(m, "c1").config).toMatchObject({
      filters: 4,
      kernel_size: [3],
      strides: [2],
      padding: "same",
      use_bias: false,
      kernel_initializer: { class_name: "RandomUniform", config: {} },
    });
    expect(layer(m, "p1").config).toMatchObject({ pool_size: [2], strides: [2], padding: "valid" });
    const td = layer(m, "td");
    expect(td.className).toBe("TimeDistributed");
    expect(td.config.layer).toMatchObject({
      className: "Dense",
      name: "td",
      config: { units: 5, activation: "relu" },
    });

    const th = normalizeModelConfig(
      keras1([
        {
          class_name: "AtrousConvolution2D",
          config: {
            name: "a",
            nb_filter: 1,
            nb_row: 3,
            nb_col: 3,
            atrous_rate: [2, 2],
            dim_ordering: "th",
            border_mode: "valid",
            batch_input_shape: [null, 1, 9, 9],
          },
        },
      ]),
      { label: "k1.json" },
    );
    expect(layer(th, "a")).toMatchObject({
      className: "Conv2D",
      config: { dilation_rate: [2, 2], data_format: "channels_first", kernel_size: [3, 3] },
    });
  });

  it("a Merge of branch models at the head of a Sequential becomes a functional model", () => {
    const branch = (name: string, dim: number) => ({
      class_name: "Sequential",
      config: [
        {
          class_name: "Dense",
          config: { name, output_dim: 3, batch_input_shape: [null, dim], input_dim: dim },
        },
      ],
    });
    const m = normalizeModelConfig(
      keras1([
        {
          class_name: "Merge",
          config: {
            name: "merge_1",
            mode: "sum",
            mode_type: "raw",
            layers: [branch("d1", 4), branch("d2", 6)],
          },
        },
        { class_name: "Dense", config: { name: "out", output_dim: 1 } },
      ]),
      { label: "k1-merge.json" },
    );
    expect(m.kind).toBe("functional");
    expect(classes(m)).toEqual(["InputLayer", "Dense", "InputLayer", "Dense", "Add", "Dense"]);
    expect(m.inputs).toEqual([ref("d1_input"), ref("d2_input")]);
    expect(layer(m, "d2_input").config.batch_shape).toEqual([null, 6]);
    expect(layer(m, "merge_1").inboundNodes[0].args).toEqual([ref("d1"), ref("d2")]);
    expect(layer(m, "out").inboundNodes[0].args).toEqual([ref("merge_1")]);
    expect(m.outputs).toEqual([ref("out")]);
  });

  it("Merge modes map to Keras 2 classes in a functional graph; cos and Python modes are refused", () => {
    const graph = (merge: Record<string, unknown>) => ({
      class_name: "Model",
      keras_version: "1.2.2",
      config: {
        name: "m",
        layers: [
          {
            class_name: "InputLayer",
            name: "a",
            config: { name: "a", batch_input_shape: [null, 3], input_dtype: "float32" },
            inbound_nodes: [],
          },
          {
            class_name: "InputLayer",
            name: "b",
            config: { name: "b", batch_input_shape: [null, 3], input_dtype: "float32" },
            inbound_nodes: [],
          },
          {
            class_name: "Merge",
            name: "m1",
            config: { name: "m1", ...merge },
            inbound_nodes: [
              [
                ["a", 0, 0],
                ["b", 0, 0],
              ],
            ],
          },
        ],
        input_layers: [
          ["a", 0, 0],
          ["b", 0, 0],
        ],
        output_layers: [["m1", 0, 0]],
      },
    });
    const cases: [Record<string, unknown>, string, Record<string, unknown>][] = [
      [{ mode: "mul" }, "Multiply", {}],
      [{ mode: "ave" }, "Average", {}],
      [{ mode: "max" }, "Maximum", {}],
      [{ mode: "concat", concat_axis: 1 }, "Concatenate", { axis: 1 }],
      [{ mode: "dot", dot_axes: [1, 1] }, "Dot", { axes: [1, 1], normalize: false }],
    ];
    for (const [merge, className, config] of cases) {
      const m = normalizeModelConfig(graph(merge), { label: "k1.json" });
      expect(layer(m, "m1")).toMatchObject({ className, config });
      expect(layer(m, "m1").inboundNodes[0].args).toEqual([ref("a"), ref("b")]);
    }
    expectThrows(
      () => normalizeModelConfig(graph({ mode: "cos" }), { label: "k1.json" }),
      UnsupportedLayerError,
      "k1.json",
      "layers[2].config",
      "'cos'",
    );
    expectThrows(
      () => normalizeModelConfig(graph({ mode: ["code"], mode_type: "lambda" }), { label: "k1.json" }),
      UnsupportedLayerError,
      "Python function",
    );
  });

  it("BatchNormalization modes other than 0 are refused", () => {
    const raw = keras1([
      { class_name: "BatchNormalization", config: { name: "bn", mode: 2, batch_input_shape: [null, 3] } },
    ]);
    expectThrows(
      () => normalizeModelConfig(raw, { label: "bn.json" }),
      UnsupportedLayerError,
      "bn.json",
      "mode=2",
    );
  });
});

describe("version-dependent defaults", () => {
  it("TF.js GRU: reset_after absent ⇒ false, recurrent_activation stays hard_sigmoid", () => {
    const gru = layer(load("tfjs/load_predict_layers_model/model.json"), "gru_GRU1");
    expect(gru.config).toMatchObject({
      reset_after: false,
      recurrent_activation: "hard_sigmoid",
      units: 4,
      go_backwards: true,
    });
    const raw = rawCopy("tfjs/load_predict_layers_model/model.json") as {
      modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
    };
    delete raw.modelTopology.config.layers[1].config.recurrent_activation;
    const m = normalizeModelConfig(raw, { label: "model.json" });
    expect(layer(m, "gru_GRU1").config.recurrent_activation).toBe("hard_sigmoid"); // tfjs DEFAULT_RECURRENT_ACTIVATION
  });

  it("GRU/LSTM defaults per writer, from a real tf.keras 2.11 GRU config with the keys removed", () => {
    const variant = (kerasVersion: string) => {
      const raw = rawCopy("hls4ml/hostpipe_parallel.keras") as {
        config: { layers: { config: Record<string, unknown> }[] };
      };
      const gru = raw.config.layers[3].config;
      delete gru.reset_after;
      delete gru.recurrent_activation;
      const m = normalizeModelConfig(raw, { label: "gru.h5", kerasVersion });
      return layer(m, "gru").config;
    };
    expect(layer(load("hls4ml/hostpipe_parallel.keras"), "gru").config).toMatchObject({
      reset_after: true,
      recurrent_activation: "sigmoid",
    });
    expect(variant("2.2.4")).toMatchObject({ reset_after: false, recurrent_activation: "hard_sigmoid" });
    expect(variant("2.3.1")).toMatchObject({ reset_after: false, recurrent_activation: "sigmoid" });
    expect(variant("2.2.4-tf")).toMatchObject({ reset_after: false, recurrent_activation: "hard_sigmoid" });
    expect(variant("2.4.0")).toMatchObject({ reset_after: true, recurrent_activation: "sigmoid" });
    expect(variant("3.3.3")).toMatchObject({ reset_after: true, recurrent_activation: "sigmoid" });
  });

  it("Keras 1 GRU without inner_activation gets hard_sigmoid and reset_after false", () => {
    const raw = {
      class_name: "Sequential",
      keras_version: "1.2.2",
      config: [{ class_name: "GRU", config: { name: "g", output_dim: 3, batch_input_shape: [null, 5, 2] } }],
    };
    expect(layer(normalizeModelConfig(raw, { label: "g.json" }), "g").config).toMatchObject({
      units: 3,
      recurrent_activation: "hard_sigmoid",
      reset_after: false,
    });
  });

  it("explicit values always win", () => {
    for (const l of allLayers(load("dl4j/tfkeras/rnn_5.h5")).filter((x) => x.className === "LSTM"))
      expect(l.config.recurrent_activation).toBe("hard_sigmoid");
    for (const l of allLayers(load("keras3/lstmpractice/lstm_model.keras")).filter(
      (x) => x.className === "LSTM",
    ))
      expect(l.config.recurrent_activation).toBe("sigmoid");
  });

  it("records kerasMajor so hard_sigmoid can follow Keras 2 or Keras 3", () => {
    expect(load("tfjs/load_predict_layers_model/model.json").kerasMajor).toBe(2);
    expect(load("keras3/lstmpractice/lstm_model.keras").kerasMajor).toBe(3);
  });
});

describe("dtype policies", () => {
  it("Keras 3.9 DTypePolicy objects become plain dtype strings", () => {
    const raw = fixture("keras3/kdp/test_model.keras").raw as {
      config: { layers: { config: { dtype: unknown } }[] };
    };
    expect(raw.config.layers[2].config.dtype).toMatchObject({
      class_name: "DTypePolicy",
      config: { name: "float32" },
    });
    const m = load("keras3/kdp/test_model.keras");
    for (const l of m.layers) expect(l.config.dtype).toBe("float32");
  });

  it("mixed-precision policies give the float32 variable dtype; quantized policies are refused", () => {
    const withDtype = (dtype: unknown) => {
      const raw = rawCopy("keras3/flownet/final_model.keras") as {
        config: { layers: { config: Record<string, unknown> }[] };
      };
      raw.config.layers[1].config.dtype = dtype;
      return normalizeModelConfig(raw, { label: "p.keras", kerasVersion: "3.9.2" });
    };
    const policy = (cls: string, name: string) => ({
      module: "keras",
      class_name: cls,
      config: { name },
      registered_name: null,
    });
    expect(withDtype(policy("DTypePolicy", "mixed_float16")).layers[1].config.dtype).toBe("float32");
    expect(
      withDtype({ class_name: "Policy", config: { name: "mixed_bfloat16" } }).layers[1].config.dtype,
    ).toBe("float32");
    expect(withDtype("float64").layers[1].config.dtype).toBe("float64");
    expect(withDtype(null).layers[1].config.dtype).toBe("float32");
    expectThrows(
      () => withDtype(policy("QuantizedDTypePolicy", "int8_from_float32")),
      UnsupportedLayerError,
      "p.keras",
      "layers[1].config.dtype",
    );
    expectThrows(
      () => withDtype({ class_name: "Bogus", config: {} }),
      ModelFormatError,
      "layers[1].config.dtype",
    );
  });
});

describe("wrappers, cells and nested models", () => {
  it("Bidirectional keeps its LSTM as a nested canonical layer; the wrapper's input shape becomes the InputLayer", () => {
    const m = load("dl4j/weights/bidirectional_lstm_tensorflow_2.h5");
    expect(classes(m)).toEqual(["InputLayer", "Bidirectional"]);
    expect(m.layers[0].config.batch_shape).toEqual([null, 4, 10]);
    const bi = m.layers[1];
    expect(bi.config.merge_mode).toBe("concat");
    expect(bi.config.layer).toMatchObject({
      className: "LSTM",
      name: "lstm_1",
      inboundNodes: [],
      config: { units: 10, return_sequences: true },
    });
  });

  it("Bidirectional in a tf.keras functional model (rnn_5.h5)", () => {
    const m = load("dl4j/tfkeras/rnn_5.h5");
    const bi = layer(m, "bidirectional_2");
    expect(bi.inboundNodes[0].args).toEqual([ref("input_6")]);
    expect((bi.config.layer as CanonicalLayer).config).toMatchObject({ units: 6, dtype: "float32" }); // dtype null → floatx
  });

  it("RNN cells, StackedRNNCells and backward layers become canonical layers", () => {
    const cell = (name: string, units: number) => ({ class_name: "LSTMCell", config: { name, units } });
    const raw = {
      class_name: "Sequential",
      keras_version: "2.2.4",
      config: {
        name: "s",
        layers: [
          {
            class_name: "RNN",
            config: {
              name: "rnn",
              batch_input_shape: [null, 3, 2],
              cell: {
                class_name: "StackedRNNCells",
                config: { name: "stack", cells: [cell("c1", 4), cell("c2", 5)] },
              },
            },
          },
          {
            class_name: "Bidirectional",
            config: {
              name: "bi",
              merge_mode: "sum",
              layer: { class_name: "GRU", config: { name: "fwd", units: 2 } },
              backward_layer: { class_name: "GRU", config: { name: "bwd", units: 2, go_backwards: true } },
            },
          },
        ],
      },
    };
    const m = normalizeModelConfig(raw, { label: "cells.json" });
    const stack = layer(m, "rnn").config.cell as CanonicalLayer;
    expect(stack.className).toBe("StackedRNNCells");
    expect(
      (stack.config.cells as CanonicalLayer[]).map((c) => [
        c.className,
        c.name,
        c.config.recurrent_activation,
      ]),
    ).toEqual([
      ["LSTMCell", "c1", "hard_sigmoid"],
      ["LSTMCell", "c2", "hard_sigmoid"],
    ]);
    expect(layer(m, "bi").config.backward_layer).toMatchObject({
      className: "GRU",
      name: "bwd",
      config: { reset_after: false },
    });
  });

  it("a Sequential nested in a Keras 3 functional model, with its Keras 3 weight keys", () => {
    const seq = rawCopy("keras3/flownet/model_25-06.keras") as Record<string, unknown> & {
      config: { name: string };
    };
    seq.config.name = "inner";
    const outer = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      registered_name: "Functional",
      config: {
        name: "outer",
        layers: [
          {
            module: "keras.layers",
            class_name: "InputLayer",
            registered_name: null,
            name: "x",
            config: { name: "x", batch_shape: [null, 4], dtype: "float32" },
            inbound_nodes: [],
          },
          {
            ...seq,
            name: "inner",
            inbound_nodes: [
              {
                args: [
                  {
                    class_name: "__keras_tensor__",
                    config: { shape: [null, 4], dtype: "float32", keras_history: ["x", 0, 0] },
                  },
                ],
                kwargs: {},
              },
            ],
          },
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["inner", 0, 0]],
      },
    };
    const m = normalizeModelConfig(outer, { label: "nested.keras", kerasVersion: "3.9.2" });
    const inner = layer(m, "inner");
    expect(inner.className).toBe("Sequential");
    expect(inner.nested?.kind).toBe("sequential");
    expect(classes(inner.nested!)).toEqual(["InputLayer", "Dense", "Dense", "Dense", "Dense"]);
    expect(inner.inboundNodes[0].args).toEqual([ref("x")]);
    expect(keras3VarsGroups(keras3WeightKeys(m))).toEqual([
      "layers/input_layer/vars",
      "layers/sequential/vars",
      "layers/sequential/layers/dense/vars",
      "layers/sequential/layers/dense_1/vars",
      "layers/sequential/layers/dense_2/vars",
      "layers/sequential/layers/dense_3/vars",
    ]);
  });

  it("custom classes keep their own arguments; only Keras conventions apply", () => {
    const raw = rawCopy("keras3/kdp/test_model.keras") as {
      config: { layers: { config: Record<string, unknown> }[] };
    };
    Object.assign(raw.config.layers[1].config, {
      kernel_size: 7,
      axis: [3],
      use_bias: 1,
      activation: "hardSigmoid",
    });
    const custom = layer(
      normalizeModelConfig(raw, { label: "c.keras", kerasVersion: "3.9.1" }),
      "distribution_aware_encoder",
    );
    expect(custom.config).toMatchObject({
      kernel_size: 7,
      axis: [3],
      use_bias: 1,
      activation: "hard_sigmoid",
      dtype: "float32",
    });
    // A built-in Rescaling's numeric `scale` is not a boolean (BatchNormalization's is).
    const rescale = rawCopy("keras3/flownet/model_25-06.keras") as {
      config: { layers: Record<string, unknown>[] };
    };
    rescale.config.layers.splice(1, 0, {
      module: "keras.layers",
      class_name: "Rescaling",
      config: { name: "rescale", scale: 1, offset: 0, dtype: "float32" },
      registered_name: null,
    });
    expect(layer(normalizeModelConfig(rescale, { label: "r.keras" }), "rescale").config.scale).toBe(1);
    const bn = load("mlcommons-tiny/str_ww_ref_model.h5");
    expect(layer(bn, "batch_normalization").config).toMatchObject({ scale: true, axis: 3 }); // file: scale 1, axis [3]
  });

  it("nested models deeper than the cap are refused", () => {
    let model: Record<string, unknown> = {
      class_name: "Dense",
      config: { name: "d", units: 1, batch_input_shape: [null, 1] },
    };
    for (let i = 0; i < 20; i++)
      model = { class_name: "Sequential", config: { name: `s${i}`, layers: [model] } };
    expectThrows(
      () => normalizeModelConfig(model, { label: "deep.json", kerasVersion: "2.2.4" }),
      ModelFormatError,
      "deep.json",
      "nested deeper than 16",
    );
  });
});

describe("Keras 3 weight keys", () => {
  const kerasFixtures = fixtures.filter((f) => f.varsGroups);

  it("covers every .keras fixture", () => expect(kerasFixtures.map((f) => f.file).length).toBe(5));

  it.each(kerasFixtures.map((f) => [f.file, f] as const))(
    "%s: predicted vars groups = the h5 groups",
    (_file, f) => {
      const m = normalizeModelConfig(f.raw, { label: f.label, kerasVersion: f.kerasVersion });
      const nodes = keras3WeightKeys(m);
      const predicted = keras3VarsGroups(nodes);
      const actual = [...f.varsGroups!.keys()];
      const opaque: string[] = [];
      const visit = (n: Keras3WeightNode): void => {
        if (n.opaque) opaque.push(n.path + "/");
        n.children.forEach(visit);
      };
      nodes.forEach(visit);
      expect(actual).toEqual(expect.arrayContaining(predicted));
      const unexplained = actual.filter(
        (g) => !predicted.includes(g) && !opaque.some((p) => g.startsWith(p)),
      );
      expect(unexplained).toEqual([]);
      // Keras ≥3.9 writes the layer's config name on each vars group.
      for (const n of nodes) {
        const name = f.varsGroups!.get(n.vars);
        if (name !== undefined) expect(name).toBe(n.layer);
      }
    },
  );

  it("keys are snake_case(class) made unique, not layer names (kdp: dense_2 → layers/dense)", () => {
    const nodes = keras3WeightKeys(load("keras3/kdp/test_model.keras"));
    expect(nodes.map((n) => [n.layer, n.path, n.opaque])).toEqual([
      ["input_layer_35", "layers/input_layer", false],
      ["distribution_aware_encoder", "layers/distribution_aware_encoder", true],
      ["dense_2", "layers/dense", false],
      ["dense_3", "layers/dense_1", false],
    ]);
  });

  it("RNN weights live in the cell; Sequential models save no InputLayer", () => {
    const nodes = keras3WeightKeys(load("keras3/lstmpractice/lstm_model.keras"));
    expect(nodes[0]).toMatchObject({
      layer: "lstm",
      path: "layers/lstm",
      children: [{ layer: "lstm", className: "LSTMCell", attribute: "cell", vars: "layers/lstm/cell/vars" }],
    });
    expect(nodes.map((n) => n.path)).toEqual([
      "layers/lstm",
      "layers/dropout",
      "layers/lstm_1",
      "layers/dropout_1",
      "layers/dense",
      "layers/dense_1",
    ]);
  });

  it("Bidirectional and TimeDistributed sub-objects", () => {
    const m = load("dl4j/configs/keras2/model_concat_embedding_sequences_tf_keras_2.json");
    const bi = keras3WeightKeys(m).find((n) => n.layer === "bidirectional_1")!;
    expect(keras3VarsGroups([bi])).toEqual([
      "layers/bidirectional/vars",
      "layers/bidirectional/forward_layer/vars",
      "layers/bidirectional/forward_layer/cell/vars",
      "layers/bidirectional/backward_layer/vars",
      "layers/bidirectional/backward_layer/cell/vars",
    ]);
    const td = normalizeModelConfig(
      {
        class_name: "Sequential",
        keras_version: "1.2.2",
        config: [
          {
            class_name: "TimeDistributedDense",
            config: { name: "t", output_dim: 2, batch_input_shape: [null, 3, 4] },
          },
        ],
      },
      { label: "td.json" },
    );
    expect(keras3VarsGroups(keras3WeightKeys(td))).toEqual([
      "layers/time_distributed/vars",
      "layers/time_distributed/layer/vars",
    ]);
  });

  it("snake_case follows keras/src/utils/naming.py", () => {
    expect(
      [
        "LeakyReLU",
        "Conv2D",
        "InputLayer",
        "LSTM",
        "BatchNormalization",
        "Conv2DTranspose",
        "GRUCell",
        "PReLU",
      ].map(kerasSnakeCase),
    ).toEqual([
      "leaky_re_lu",
      "conv2d",
      "input_layer",
      "lstm",
      "batch_normalization",
      "conv2d_transpose",
      "gru_cell",
      "p_re_lu",
    ]);
  });
});

describe("security and damaged input", () => {
  const base = () =>
    rawCopy("keras3/flownet/model_25-06.keras") as {
      config: { layers: { config: Record<string, unknown> }[] };
    };

  it.each(["__proto__", "constructor", "prototype"])(
    "refuses the key %s anywhere, as text or parsed",
    (key) => {
      const text = JSON.stringify(base()).replace('"units":64', `"units":64,"${key}":{"polluted":true}`);
      const label = "evil.keras (config.json)";
      const path = `layers[1].config.${key}`;
      expectThrows(
        () => parseModelConfig(text, { label }),
        ModelFormatError,
        label,
        path,
        "prototype pollution",
      );
      // Already-parsed JSON (JSON.parse keeps "__proto__" as an own key) is checked again.
      expectThrows(
        () => normalizeModelConfig(JSON.parse(text), { label }),
        ModelFormatError,
        label,
        path,
        "forbidden key",
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it("refuses absurd JSON nesting without overflowing the stack", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const text = '{"class_name":"Sequential","config":' + deep + "}";
    expectThrows(
      () => parseModelConfig(text, { label: "deep.json" }),
      ModelFormatError,
      "deep.json",
      "deeper than",
    );
    let raw: unknown = [];
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) raw = [raw];
    expectThrows(
      () => normalizeModelConfig({ class_name: "Sequential", config: raw }, { label: "deep.json" }),
      ModelFormatError,
      "deep.json",
      `deeper than ${MAX_JSON_DEPTH}`,
    );
  });

  it("refuses non-JSON values and invalid JSON text", () => {
    const raw = base();
    raw.config.layers[1].config.units = () => 64;
    expectThrows(
      () => normalizeModelConfig(raw, { label: "fn.keras" }),
      ModelFormatError,
      "fn.keras",
      "layers[1].config.units",
      "JSON data",
    );
    expectThrows(
      () => parseModelConfig('{"class_name": "Sequential",', { label: "cut.json" }),
      ModelFormatError,
      "cut.json",
      "invalid JSON",
    );
  });

  it.each([
    [
      "units as a string",
      (r: ReturnType<typeof base>) => (r.config.layers[1].config.units = "64"),
      "layers[1].config.units",
      'expected a positive integer, got "64"',
    ],
    [
      "negative units",
      (r: ReturnType<typeof base>) => (r.config.layers[2].config.units = -1),
      "layers[2].config.units",
      "positive integer",
    ],
    [
      "activation as a number",
      (r: ReturnType<typeof base>) => (r.config.layers[1].config.activation = 7),
      "layers[1].config.activation",
      "activation",
    ],
    [
      "batch_shape with a string",
      (r: ReturnType<typeof base>) => (r.config.layers[0].config.batch_shape = [null, "4"]),
      "layers[0].config.batch_shape",
      "batch shape",
    ],
    [
      "use_bias as a string",
      (r: ReturnType<typeof base>) => (r.config.layers[1].config.use_bias = "yes"),
      "layers[1].config.use_bias",
      "true or false",
    ],
    [
      "config as a list",
      (r: ReturnType<typeof base>) => ((r.config.layers[1] as Record<string, unknown>).config = [1]),
      "layers[1].config",
      "config object",
    ],
    [
      "class_name missing",
      (r: ReturnType<typeof base>) => delete (r.config.layers[1] as Record<string, unknown>).class_name,
      "layers[1].class_name",
      "class name",
    ],
    [
      "layers not a list",
      (r: ReturnType<typeof base>) => ((r.config as Record<string, unknown>).layers = { a: 1 }),
      "layers",
      "an array",
    ],
  ])("%s → ModelFormatError naming the path", (_what, edit, path, message) => {
    const raw = base();
    edit(raw);
    expectThrows(
      () => normalizeModelConfig(raw, { label: "bad.keras (config.json)", kerasVersion: "3.9.2" }),
      ModelFormatError,
      "bad.keras (config.json)",
      path,
      message,
    );
  });

  it("damaged graphs: missing layer, bad node index, duplicate name, cycle, bad keras_history", () => {
    const graph = () =>
      rawCopy("dl4j/configs/keras2/simple_add_tf_keras_2.json") as {
        config: {
          layers: { name: string; inbound_nodes: unknown[]; config: Record<string, unknown> }[];
          output_layers: unknown;
        };
      };
    const missing = graph();
    missing.config.layers[4].inbound_nodes = [
      [
        ["nope", 0, 0, {}],
        ["dense_5", 0, 0, {}],
      ],
    ];
    expectThrows(
      () => normalizeModelConfig(missing, { label: "g.json" }),
      ModelFormatError,
      "layers[4].inbound_nodes[0]",
      "'nope'",
    );
    const node = graph();
    node.config.layers[4].inbound_nodes = [
      [
        ["dense_4", 3, 0, {}],
        ["dense_5", 0, 0, {}],
      ],
    ];
    expectThrows(
      () => normalizeModelConfig(node, { label: "g.json" }),
      ModelFormatError,
      "call 3 of layer 'dense_4'",
    );
    const dup = graph();
    dup.config.layers[3].name = "dense_4";
    dup.config.layers[3].config.name = "dense_4";
    expectThrows(
      () => normalizeModelConfig(dup, { label: "g.json" }),
      ModelFormatError,
      "layers[3]",
      "duplicate layer name 'dense_4'",
    );
    const cycle = graph();
    cycle.config.layers[2].inbound_nodes = [[["dense_6", 0, 0, {}]]];
    expectThrows(() => normalizeModelConfig(cycle, { label: "g.json" }), ModelFormatError, "cycle");
    const out = graph();
    out.config.output_layers = [["dense_6", "0", 0]];
    expectThrows(() => normalizeModelConfig(out, { label: "g.json" }), ModelFormatError, "output_layers");
    const k3 = rawCopy("keras3/kdp/test_model.keras") as {
      config: { layers: { inbound_nodes: { args: { config: Record<string, unknown> }[] }[] }[] };
    };
    k3.config.layers[2].inbound_nodes[0].args[0].config.keras_history = ["distribution_aware_encoder", 0];
    expectThrows(
      () => normalizeModelConfig(k3, { label: "k3.keras" }),
      ModelFormatError,
      "layers[2].inbound_nodes[0].args[0].config.keras_history",
    );
  });

  it("Lambda layers stay data: class name and serialized function kept verbatim, nothing run", () => {
    const m = load("dl4j/weights/space_to_depth_graph_tensorflow_2.h5");
    const lambda = layer(m, "space_to_depth_x2");
    expect(lambda.className).toBe("Lambda");
    const raw = fixture("dl4j/weights/space_to_depth_graph_tensorflow_2.h5").raw as {
      config: { layers: { config: { function: unknown } }[] };
    };
    expect(lambda.config.function).toEqual(raw.config.layers[1].config.function);
    expect(layer(m, "concatenate_1").inboundNodes[0].args).toEqual([
      ref("space_to_depth_x2"),
      ref("input_2"),
    ]);
  });

  it("refuses subclassed top-level models and TF.js graph models", () => {
    const sub = { module: "my_pkg", class_name: "MyModel", registered_name: "my_pkg>MyModel", config: {} };
    expectThrows(
      () => normalizeModelConfig(sub, { label: "sub.keras" }),
      UnsupportedLayerError,
      "sub.keras",
      "'MyModel'",
    );
    const graphModel = { format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] };
    expectThrows(
      () => normalizeModelConfig(graphModel, { label: "g/model.json" }),
      ModelFormatError,
      "g/model.json",
      "format",
    );
    const noFormat = { modelTopology: { node: [] }, weightsManifest: [] };
    expectThrows(
      () => normalizeModelConfig(noFormat, { label: "g/model.json" }),
      ModelFormatError,
      "not a Keras layers model",
    );
  });

  it("does not modify its input", () => {
    const f = fixture("dl4j/keras-simple/cnn_tf_model.h5");
    const before = JSON.stringify(f.raw);
    load(f.file);
    expect(JSON.stringify(f.raw)).toBe(before);
  });
});
