/**
 * Keras 1 → Keras 2 argument and class names, following the converters Keras 2 itself shipped for
 * Keras 1 code (keras/legacy/interfaces.py, Keras 2.0–2.3) and the Keras 1.2 layer signatures.
 * Values stay Keras 1's except where Keras 2 changed their spelling (`dim_ordering` 'tf'/'th',
 * `consume_less`). Also converts the Keras 1 / Keras 2.0 `Merge` layer, which any version may hold.
 */
import { UnsupportedLayerError } from "../errors.js";
import { at, describe, fail, isObject, type JsonObject, type Where } from "./json.js";
import { nameTable } from "../../core/table.js";

type Renames = readonly (readonly [string, string])[];

const WEIGHT_ARGS: Renames = [
  ["init", "kernel_initializer"],
  ["W_regularizer", "kernel_regularizer"],
  ["b_regularizer", "bias_regularizer"],
  ["W_constraint", "kernel_constraint"],
  ["b_constraint", "bias_constraint"],
  ["bias", "use_bias"],
];
/** interfaces.legacy_dense_support */
const DENSE: Renames = [["output_dim", "units"], ...WEIGHT_ARGS];
/** interfaces.legacy_conv2d_support / legacy_conv3d_support / legacy_deconv2d_support */
const CONV: Renames = [["nb_filter", "filters"], ["subsample", "strides"], ...WEIGHT_ARGS];
/** interfaces.legacy_conv1d_support */
const CONV1D: Renames = [
  ["nb_filter", "filters"],
  ["filter_length", "kernel_size"],
  ["subsample_length", "strides"],
  ...WEIGHT_ARGS,
];
/** interfaces.legacy_separable_conv2d_support (`init` feeds both kernels, see below) */
const SEPARABLE: Renames = [
  ["nb_filter", "filters"],
  ["subsample", "strides"],
  ["b_regularizer", "bias_regularizer"],
  ["b_constraint", "bias_constraint"],
  ["bias", "use_bias"],
];
/** interfaces.legacy_recurrent_support */
const RECURRENT: Renames = [
  ["output_dim", "units"],
  ["init", "kernel_initializer"],
  ["inner_init", "recurrent_initializer"],
  ["inner_activation", "recurrent_activation"],
  ["W_regularizer", "kernel_regularizer"],
  ["b_regularizer", "bias_regularizer"],
  ["U_regularizer", "recurrent_regularizer"],
  ["dropout_W", "dropout"],
  ["dropout_U", "recurrent_dropout"],
  ["consume_less", "implementation"],
];
/** interfaces.legacy_convlstm2d_support */
const CONVLSTM: Renames = [
  ...CONV,
  ["inner_init", "recurrent_initializer"],
  ["U_regularizer", "recurrent_regularizer"],
  ["inner_activation", "recurrent_activation"],
  ["dropout_W", "dropout"],
  ["dropout_U", "recurrent_dropout"],
];

/** Per Keras 2 class (after the class rename below). */
const RENAMES: Record<string, Renames> = nameTable({
  Dense: DENSE,
  Conv1D: CONV1D,
  LocallyConnected1D: CONV1D,
  Conv2D: CONV,
  Conv3D: CONV,
  Conv2DTranspose: CONV,
  LocallyConnected2D: CONV,
  SeparableConv2D: SEPARABLE,
  SimpleRNN: RECURRENT,
  GRU: RECURRENT,
  LSTM: RECURRENT,
  ConvLSTM2D: CONVLSTM,
  Embedding: [
    ["init", "embeddings_initializer"],
    ["W_regularizer", "embeddings_regularizer"],
    ["W_constraint", "embeddings_constraint"],
  ],
  MaxPooling1D: [
    ["pool_length", "pool_size"],
    ["stride", "strides"],
  ],
  AveragePooling1D: [
    ["pool_length", "pool_size"],
    ["stride", "strides"],
  ],
  UpSampling1D: [["length", "size"]],
  PReLU: [["init", "alpha_initializer"]],
  GaussianNoise: [["sigma", "stddev"]],
  GaussianDropout: [["p", "rate"]],
  Dropout: [["p", "rate"]],
  SpatialDropout1D: [["p", "rate"]],
  SpatialDropout2D: [["p", "rate"]],
  SpatialDropout3D: [["p", "rate"]],
  BatchNormalization: [
    ["beta_init", "beta_initializer"],
    ["gamma_init", "gamma_initializer"],
  ],
});

/** Keras 1 class names that Keras 2 renamed (keras/legacy/layers.py and the layer aliases). */
const CLASS_RENAMES: Record<string, string> = nameTable({
  Convolution1D: "Conv1D",
  Convolution2D: "Conv2D",
  Convolution3D: "Conv3D",
  AtrousConvolution1D: "Conv1D",
  AtrousConvolution2D: "Conv2D",
  Deconvolution2D: "Conv2DTranspose",
  SeparableConvolution2D: "SeparableConv2D",
});

/** `dim_ordering` → `data_format`; Keras 1 'default' meant keras.json, whose default is 'tf'. */
const DIM_ORDERING: Record<string, string> = nameTable({
  tf: "channels_last",
  th: "channels_first",
  default: "channels_last",
});
const CONSUME_LESS: Record<string, number> = nameTable({ cpu: 0, mem: 1, gpu: 2 });

function rename(config: JsonObject, from: string, to: string, where: Where): void {
  if (!(from in config)) return;
  if (to in config && config[to] !== config[from])
    fail(where.label, at(where.path, from), `has both the Keras 1 '${from}' and the Keras 2 '${to}'`);
  config[to] = config[from];
  delete config[from];
}

/**
 * Rewrites one Keras 1 layer to Keras 2 names (in place on a copy). `TimeDistributedDense` becomes a
 * `TimeDistributed` whose `layer` is a raw Keras 2 `Dense` config named like the wrapper (Keras 1
 * stored its weights under that name).
 *
 * @example
 * upgradeKeras1Layer("Convolution2D", { nb_filter: 8, nb_row: 3, nb_col: 3, border_mode: "same" }, where);
 * // → { className: "Conv2D", config: { filters: 8, kernel_size: [3, 3], padding: "same" } }
 */
export function upgradeKeras1Layer(
  className: string,
  source: JsonObject,
  where: Where,
): { className: string; config: JsonObject } {
  const config: JsonObject = { ...source };
  if (className === "TimeDistributedDense") return timeDistributedDense(config, where);
  const target = CLASS_RENAMES[className] ?? className;
  rename(config, "input_dtype", "dtype", where);
  if (typeof config.dim_ordering === "string") {
    const df = DIM_ORDERING[config.dim_ordering];
    if (df === undefined)
      fail(
        where.label,
        at(where.path, "dim_ordering"),
        `expected 'tf' or 'th', got ${describe(config.dim_ordering)}`,
      );
    config.dim_ordering = df;
  }
  rename(config, "dim_ordering", "data_format", where);
  rename(config, "border_mode", "padding", where);
  if (/^Atrous/.test(className)) rename(config, "atrous_rate", "dilation_rate", where);
  for (const [from, to] of RENAMES[target] ?? []) rename(config, from, to, where);
  kernelSize(config, where);
  if (target === "SeparableConv2D" && "init" in config) {
    config.depthwise_initializer = config.init;
    config.pointwise_initializer = config.init;
    delete config.init;
  }
  if (target === "Conv2DTranspose") delete config.output_shape; // Keras 2 infers it
  if (target === "Embedding") delete config.dropout; // removed in Keras 2 (use SpatialDropout1D)
  if (RENAMES[target] === RECURRENT || RENAMES[target] === CONVLSTM) recurrentExtras(config, where);
  if (target === "BatchNormalization" && "mode" in config) {
    if (config.mode !== 0)
      throw new UnsupportedLayerError(
        `${where.label}: ${where.path}: Keras 1 BatchNormalization mode=${JSON.stringify(config.mode)} ` +
          "(sample-wise or batch-statistics-at-test-time normalisation) is not supported; only mode=0 is",
      );
    delete config.mode;
  }
  // The input shape already sits in batch_input_shape; input_dim/input_length only built it.
  if (target !== "Embedding") {
    delete config.input_dim;
    delete config.input_length;
  }
  return { className: target, config };
}

/** `nb_row`/`nb_col` (2D) and `kernel_dim1..3` (3D) → `kernel_size` (conv2d/conv3d_args_preprocessor). */
function kernelSize(config: JsonObject, where: Where): void {
  const dims = ["nb_row", "nb_col"].every((k) => k in config)
    ? ["nb_row", "nb_col"]
    : ["kernel_dim1", "kernel_dim2", "kernel_dim3"].every((k) => k in config)
      ? ["kernel_dim1", "kernel_dim2", "kernel_dim3"]
      : undefined;
  if (!dims) return;
  if ("kernel_size" in config)
    fail(where.label, at(where.path, dims[0]), "has both Keras 1 kernel dimensions and 'kernel_size'");
  config.kernel_size = dims.map((k) => config[k]);
  for (const k of dims) delete config[k];
}

/** recurrent_args_preprocessor: `forget_bias_init='one'` is `unit_forget_bias=True`; `consume_less` → `implementation`. */
function recurrentExtras(config: JsonObject, where: Where): void {
  if ("forget_bias_init" in config) {
    config.unit_forget_bias = config.forget_bias_init === "one";
    delete config.forget_bias_init;
  }
  if (typeof config.implementation === "string") {
    const mode = CONSUME_LESS[config.implementation];
    if (mode === undefined)
      fail(
        where.label,
        at(where.path, "consume_less"),
        `expected cpu/mem/gpu, got ${describe(config.implementation)}`,
      );
    config.implementation = mode;
  }
}

const WRAPPER_KEYS = new Set([
  "name",
  "trainable",
  "batch_input_shape",
  "input_dtype",
  "input_dim",
  "input_length",
]);

function timeDistributedDense(config: JsonObject, where: Where): { className: string; config: JsonObject } {
  const wrapper: JsonObject = {};
  const dense: JsonObject = {};
  for (const [k, v] of Object.entries(config)) (WRAPPER_KEYS.has(k) ? wrapper : dense)[k] = v;
  const inner = upgradeKeras1Layer("Dense", dense, where);
  inner.config.name = config.name;
  if ("input_dtype" in wrapper) {
    wrapper.dtype = wrapper.input_dtype;
    delete wrapper.input_dtype;
  }
  delete wrapper.input_dim;
  delete wrapper.input_length;
  wrapper.layer = { class_name: "Dense", config: inner.config };
  return { className: "TimeDistributed", config: wrapper };
}

const MERGE_CLASSES: Record<string, string> = nameTable({
  sum: "Add",
  mul: "Multiply",
  ave: "Average",
  max: "Maximum",
  concat: "Concatenate",
  dot: "Dot",
});

/**
 * The Keras 1 (and Keras 2.0 legacy) `Merge` layer → the Keras 2 merge class for its `mode`
 * (keras 1.2 engine/topology.py `Merge.call`): sum→Add, mul→Multiply, ave→Average, max→Maximum,
 * concat→Concatenate(axis=concat_axis), dot→Dot(axes=dot_axes). `cos` (its own epsilon and output
 * shape) and Python-function modes are refused.
 *
 * @example convertMerge({ name: "m", mode: "concat", concat_axis: -1 }, where); // { className: "Concatenate", config: { name: "m", axis: -1 } }
 */
export function convertMerge(config: JsonObject, where: Where): { className: string; config: JsonObject } {
  const refuse = (why: string): never => {
    throw new UnsupportedLayerError(
      `${where.label}: ${where.path}: Keras 1 Merge layer '${String(config.name)}' ${why}; re-save the model with a Keras 2 merge layer (Add, Concatenate, …)`,
    );
  };
  if (config.mode_type !== undefined && config.mode_type !== "raw")
    refuse(
      `merges with a Python function (mode_type '${String(config.mode_type)}') that gradlens never executes`,
    );
  const mode = config.mode ?? "sum";
  if (typeof mode !== "string") return refuse(`has mode ${describe(mode)}`);
  const className = MERGE_CLASSES[mode];
  if (!className) return refuse(`uses mode '${mode}', which has no Keras 2 equivalent`);
  const out: JsonObject = { name: config.name };
  if ("trainable" in config) out.trainable = config.trainable;
  if (mode === "concat") out.axis = config.concat_axis ?? -1;
  if (mode === "dot") {
    out.axes = config.dot_axes ?? -1;
    out.normalize = false;
  }
  if (isObject(config.arguments) && Object.keys(config.arguments).length > 0)
    refuse("passes arguments to a Python function");
  return { className, config: out };
}
