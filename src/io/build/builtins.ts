/**
 * Built-in registry entries: one per class in src/nn/layers. Almost every class takes the
 * converted config as is (`plain`); the few exceptions say why next to their entry.
 */
import { Layer } from "../../nn/layer.js";
import * as L from "../../nn/layers/index.js";
import { warn } from "../../nn/warnings.js";
import { UnsupportedLayerError } from "../errors.js";
import { registerBuiltin, type LayerBuildContext, type LayerBuilder } from "./registry.js";
import { nameTable } from "../../core/table.js";

type LayerClass = (new (args: never) => Layer) & { className: string };

/** `new C(config)`: the converted config is the constructor's options object. */
const plain =
  (C: LayerClass): LayerBuilder =>
  (config) =>
    new C(config as never);

/**
 * Recurrent layers: `time_major: true` (Keras 2 only; inputs [time, batch, …]) is refused. A
 * `stateful` layer loads as stateless — every call starts from zero states, which is what Keras
 * does after `reset_states()` — with a warning; carried states go in through `initialState`.
 */
const recurrent =
  (C: LayerClass): LayerBuilder =>
  (config, ctx) => {
    if (config.timeMajor === true) throw unsupportedOption(ctx, "time_major=True");
    if (config.stateful === true) {
      warn(
        `${ctx.label}: layer '${ctx.layerName}' (${ctx.className}) is stateful; gradlens evaluates every call ` +
          `from zero states (Keras after reset_states()); pass carried-over states with the initialState call option`,
      );
      return new C({ ...config, stateful: false } as never);
    }
    return new C(config as never);
  };

function unsupportedOption(ctx: LayerBuildContext, what: string): UnsupportedLayerError {
  return new UnsupportedLayerError(
    `${ctx.label}: layer '${ctx.layerName}' (${ctx.className}): ${what} is not supported`,
  );
}

const ENTRIES: Record<string, LayerBuilder> = nameTable({
  // keras/src/layers/core/input_layer.py: only the shape matters; sparse/ragged inputs are not supported.
  InputLayer: (config, ctx) => {
    if (config.sparse === true || config.ragged === true)
      throw unsupportedOption(ctx, config.sparse === true ? "a sparse input" : "a ragged input");
    return new L.InputLayer({
      name: config.name as string,
      batchShape: config.batchShape as (number | null)[],
    });
  },
  Dense: plain(L.Dense),
  EinsumDense: plain(L.EinsumDense),
  Activation: plain(L.Activation),
  // `input_dim` is Embedding's vocabulary size, but the base Layer also reads `inputDim` as Keras 1's
  // input-shape shorthand and would declare a [null, vocabulary] input; the file's input shape
  // comes from its InputLayer instead.
  Embedding: (config) => {
    const layer = new L.Embedding(config as never);
    (layer as { batchInputShape: unknown }).batchInputShape = null;
    return layer;
  },
  Masking: plain(L.Masking),
  Identity: plain(L.Identity),
  // Recurrent layers and cells (the wrapped cell of a generic RNN is built by the converter).
  RNN: recurrent(L.RNN),
  SimpleRNN: recurrent(L.SimpleRNN),
  LSTM: recurrent(L.LSTM),
  GRU: recurrent(L.GRU),
  SimpleRNNCell: plain(L.SimpleRNNCell),
  LSTMCell: plain(L.LSTMCell),
  GRUCell: plain(L.GRUCell),
  // keras/src/layers/rnn/stacked_rnn_cells.py: `cells` arrive built, in order.
  StackedRNNCells: plain(L.StackedRNNCells),
  ConvLSTM1D: recurrent(L.ConvLSTM1D),
  ConvLSTM2D: recurrent(L.ConvLSTM2D),
  ConvLSTM3D: recurrent(L.ConvLSTM3D),
  // Wrappers: `layer` (and `backwardLayer`) arrive built; without a backward_layer (Keras 2),
  // Bidirectional makes the backward copy itself (keras/src/layers/rnn/bidirectional.py).
  Bidirectional: (config) =>
    new L.Bidirectional({
      ...config,
      backwardLayer: (config.backwardLayer as Layer | null) ?? undefined,
    } as never),
  TimeDistributed: plain(L.TimeDistributed),
  // Convolution
  Conv1D: plain(L.Conv1D),
  Conv2D: plain(L.Conv2D),
  Conv3D: plain(L.Conv3D),
  SeparableConv1D: plain(L.SeparableConv1D),
  SeparableConv2D: plain(L.SeparableConv2D),
  DepthwiseConv1D: plain(L.DepthwiseConv1D),
  DepthwiseConv2D: plain(L.DepthwiseConv2D),
  Conv1DTranspose: plain(L.Conv1DTranspose),
  Conv2DTranspose: plain(L.Conv2DTranspose),
  Conv3DTranspose: plain(L.Conv3DTranspose),
  // Pooling
  MaxPooling1D: plain(L.MaxPooling1D),
  MaxPooling2D: plain(L.MaxPooling2D),
  MaxPooling3D: plain(L.MaxPooling3D),
  AveragePooling1D: plain(L.AveragePooling1D),
  AveragePooling2D: plain(L.AveragePooling2D),
  AveragePooling3D: plain(L.AveragePooling3D),
  GlobalMaxPooling1D: plain(L.GlobalMaxPooling1D),
  GlobalMaxPooling2D: plain(L.GlobalMaxPooling2D),
  GlobalMaxPooling3D: plain(L.GlobalMaxPooling3D),
  GlobalAveragePooling1D: plain(L.GlobalAveragePooling1D),
  GlobalAveragePooling2D: plain(L.GlobalAveragePooling2D),
  GlobalAveragePooling3D: plain(L.GlobalAveragePooling3D),
  // Spatial reshaping
  ZeroPadding1D: plain(L.ZeroPadding1D),
  ZeroPadding2D: plain(L.ZeroPadding2D),
  ZeroPadding3D: plain(L.ZeroPadding3D),
  Cropping1D: plain(L.Cropping1D),
  Cropping2D: plain(L.Cropping2D),
  Cropping3D: plain(L.Cropping3D),
  UpSampling1D: plain(L.UpSampling1D),
  UpSampling2D: plain(L.UpSampling2D),
  UpSampling3D: plain(L.UpSampling3D),
  Flatten: plain(L.Flatten),
  Reshape: plain(L.Reshape),
  Permute: plain(L.Permute),
  RepeatVector: plain(L.RepeatVector),
  // Regularization (identities at inference)
  Dropout: plain(L.Dropout),
  SpatialDropout1D: plain(L.SpatialDropout1D),
  SpatialDropout2D: plain(L.SpatialDropout2D),
  SpatialDropout3D: plain(L.SpatialDropout3D),
  GaussianNoise: plain(L.GaussianNoise),
  GaussianDropout: plain(L.GaussianDropout),
  AlphaDropout: plain(L.AlphaDropout),
  // Merging
  Concatenate: plain(L.Concatenate),
  Add: plain(L.Add),
  Subtract: plain(L.Subtract),
  Multiply: plain(L.Multiply),
  Average: plain(L.Average),
  Maximum: plain(L.Maximum),
  Minimum: plain(L.Minimum),
  Dot: plain(L.Dot),
  // Normalization and preprocessing
  BatchNormalization: plain(L.BatchNormalization),
  LayerNormalization: plain(L.LayerNormalization),
  GroupNormalization: plain(L.GroupNormalization),
  UnitNormalization: plain(L.UnitNormalization),
  Normalization: plain(L.Normalization),
  Rescaling: plain(L.Rescaling),
  // Activation layers
  LeakyReLU: plain(L.LeakyReLU),
  PReLU: plain(L.PReLU),
  ELU: plain(L.ELU),
  ReLU: plain(L.ReLU),
  Softmax: plain(L.Softmax),
  ThresholdedReLU: plain(L.ThresholdedReLU),
  // Attention
  Attention: plain(L.Attention),
  MultiHeadAttention: plain(L.MultiHeadAttention),
});

/** Exported classes that are not layers a file can name (abstract bases, cells needing a rank). */
const NOT_LOADABLE = new Set(["RNNCell", "ConvLSTMCell"]);

/**
 * Every Layer class exported by src/nn/layers that has no entry above (classes added after this
 * table was written) gets a `plain` entry, so new layers load as soon as they exist.
 */
function discovered(): [string, LayerBuilder][] {
  const out: [string, LayerBuilder][] = [];
  for (const value of Object.values(L) as unknown[]) {
    if (typeof value !== "function" || !(value.prototype instanceof Layer)) continue;
    const C = value as LayerClass;
    if (!Object.prototype.hasOwnProperty.call(C, "className")) continue;
    if (C.className in ENTRIES || NOT_LOADABLE.has(C.className)) continue;
    out.push([C.className, plain(C)]);
  }
  return out;
}

/**
 * The classes with a hand-written built-in entry (the rest are `discovered`).
 *
 * @example BUILTIN_CLASSES.includes("Conv2D"); // true
 */
export const BUILTIN_CLASSES: readonly string[] = Object.keys(ENTRIES);

for (const [name, builder] of [...Object.entries(ENTRIES), ...discovered()]) registerBuiltin(name, builder);
