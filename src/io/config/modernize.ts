/**
 * Keras 2 / tf.keras / TF.js → Keras 3: argument renames and value conventions, applied to every
 * layer after the Keras 1 upgrade (so a Keras 1 file passes through both steps).
 */
import { at, fail, type JsonObject, type Where } from "./json.js";
import {
  normalizeActivation,
  normalizeDtype,
  normalizeKerasObject,
  normalizePadding,
  normalizeTuple,
} from "./values.js";
import { nameTable } from "../../core/table.js";

const BOOLEAN_ARGS = [
  "use_bias",
  "return_sequences",
  "return_state",
  "go_backwards",
  "stateful",
  "unroll",
  "reset_after",
  "mask_zero",
  "unit_forget_bias",
];
const RECURRENT = /^(SimpleRNN|GRU|LSTM|RNN|CuDNNGRU|CuDNNLSTM|ConvLSTM[123]D)$/;

/**
 * Argument renames and removals between Keras 2 and Keras 3 (in place):
 * - `LeakyReLU.alpha` → `negative_slope` (keras/src/layers/activations/leaky_relu.py keeps `alpha`
 *   only as a deprecated alias);
 * - `axis: [3]` → `axis: 3` (tf.keras wrote BatchNormalization's axis as a list; Keras 3 does the
 *   same conversion in keras/src/legacy/saving/saving_utils.py `model_from_config`);
 * - `DepthwiseConv2D.groups` (always 1, inherited from Conv2D in tf.keras ≥2.5) is dropped — Keras 3
 *   rejects it;
 * - `Embedding.input_length` is dropped (Keras 3 removed it; the input shape lives on the InputLayer);
 * - RNN `implementation` (an execution strategy) and `time_major: false` are dropped; `time_major:
 *   true` is kept because it changes the input layout;
 * - `mask_zero: null` (tfjs-layers 0.x) → `false`; boolean arguments written as 0/1 → booleans.
 */
export function modernizeArgs(className: string, config: JsonObject): void {
  if (className === "LeakyReLU" && "alpha" in config) {
    if (!("negative_slope" in config)) config.negative_slope = config.alpha;
    delete config.alpha;
  }
  if (Array.isArray(config.axis) && config.axis.length === 1) config.axis = config.axis[0];
  // Python truthiness: tf.keras wrote `scale: 1` verbatim when a user passed an int (seen in
  // mlcommons-tiny/str_ww_ref_model.h5, Keras 2.14).
  // `center`/`scale` are booleans only on normalization layers (Rescaling's `scale` is a number).
  const keys = /Normalization$/.test(className) ? [...BOOLEAN_ARGS, "center", "scale"] : BOOLEAN_ARGS;
  for (const key of keys) if (config[key] === 0 || config[key] === 1) config[key] = config[key] === 1;
  if (className === "DepthwiseConv2D" && config.groups === 1) delete config.groups;
  if (className === "Embedding") {
    delete config.input_length;
    if (config.mask_zero === null) config.mask_zero = false;
  }
  if (RECURRENT.test(className) || /Cell$/.test(className)) {
    delete config.implementation;
    if (config.time_major === false) delete config.time_major;
  }
}

/** 1, 2 or 3 for `Conv2D`, `MaxPooling1D`, `Conv2DTranspose`, `ZeroPadding3D`, …; 0 otherwise. */
export function spatialRank(className: string): number {
  const m = /^(?!Global)[A-Za-z]*?([123])D(Transpose|Cell)?$/.exec(className);
  return m ? Number(m[1]) : 0;
}

const TUPLE_MIN: Record<string, number> = nameTable({
  kernel_size: 1,
  strides: 1,
  dilation_rate: 1,
  pool_size: 1,
  output_padding: 0,
});
const HAS_DATA_FORMAT =
  /^(Conv[123]D|Conv[123]DTranspose|SeparableConv[12]D|DepthwiseConv[12]D|(Max|Average)Pooling[123]D|Global(Max|Average)Pooling[123]D|UpSampling[23]D|ZeroPadding[23]D|Cropping[23]D|LocallyConnected[12]D|ConvLSTM[123]D|SpatialDropout[23]D|Flatten)$/;

/**
 * Value conventions (in place): dtype policies → strings, activation names, Keras objects,
 * spatial tuples of the layer's rank, padding/cropping pairs, and an explicit `data_format`
 * (absent or `null` means `channels_last`: Keras 2 resolves `null` from keras.json, whose default is
 * channels_last, and Keras 1 layers without `dim_ordering` — Conv1D, Flatten — never transpose).
 * For `custom` (registered or non-Keras-module) classes only dtype, activations and Keras objects
 * are normalised.
 */
export function normalizeValues(className: string, config: JsonObject, where: Where, custom = false): void {
  const w = (key: string): Where => ({ label: where.label, path: at(where.path, key) });
  if ("dtype" in config) config.dtype = normalizeDtype(config.dtype, w("dtype"));
  for (const key of ["activation", "recurrent_activation"])
    if (key in config) config[key] = normalizeActivation(config[key], w(key));
  for (const key of Object.keys(config))
    if (/_(initializer|regularizer|constraint)$/.test(key))
      config[key] = normalizeKerasObject(config[key], w(key));
  // A custom class's arguments mean whatever its Python code says: only the generic conventions apply.
  if (custom) return;
  const rank = spatialRank(className);
  if (rank > 0) {
    if (/Pooling/.test(className) && config.strides === null) config.strides = config.pool_size;
    for (const [key, min] of Object.entries(TUPLE_MIN))
      if (key in config) config[key] = normalizeTuple(config[key], rank, w(key), min);
    // UpSampling1D keeps an int `size`, as Keras 3 stores it.
    if (/^UpSampling/.test(className) && rank > 1 && "size" in config)
      config.size = normalizeTuple(config.size, rank, w("size"), 1);
    if (/^ZeroPadding/.test(className) && "padding" in config)
      config.padding = normalizePadding(config.padding, rank, w("padding"));
    if (/^Cropping/.test(className) && "cropping" in config)
      config.cropping = normalizePadding(config.cropping, rank, w("cropping"));
  }
  if (HAS_DATA_FORMAT.test(className) && (config.data_format === undefined || config.data_format === null))
    config.data_format = "channels_last";
  if (
    config.data_format !== undefined &&
    config.data_format !== "channels_last" &&
    config.data_format !== "channels_first"
  )
    fail(
      where.label,
      at(where.path, "data_format"),
      `expected channels_last or channels_first, got ${JSON.stringify(config.data_format)}`,
    );
}
