/**
 * A live gradlens model → Keras 3's `config.json` (keras/src/saving/serialization_lib.py
 * `serialize_keras_object`, keras/src/models/functional.py and sequential.py `get_config`):
 * `{module, class_name, config, registered_name, build_config}` per object, snake_case arguments,
 * initializers as Keras objects, and for functional models `inbound_nodes` whose arguments are
 * `__keras_tensor__` records with node indices renumbered per model, as Keras does.
 */
import { ValueError } from "../../core/errors.js";
import { Layer } from "../../nn/layer.js";
import { InputLayer } from "../../nn/layers/core/inputLayer.js";
import { StackedRNNCells } from "../../nn/layers/recurrent/rnn.js";
import { Model } from "../../nn/model.js";
import { Sequential } from "../../nn/sequential.js";
import type { Node, SymbolicTensor } from "../../nn/layer.js";
import { camelToSnake } from "../build/convert.js";
import { customOrigin, isBuiltinClass } from "../build/registry.js";
import { nameTable } from "../../core/table.js";

type Json = Record<string, unknown>;

/** Keys of gradlens configs that are not Keras 3 arguments. */
const DROPPED = new Set(["batchInputShape"]);
/** tf.keras-only arguments Keras 3 refuses (kept on loaded layers so their configs stay complete). */
const TF_KERAS_ONLY: Record<string, string[]> = nameTable({
  BatchNormalization: [
    "fused",
    "renorm",
    "renorm_clipping",
    "renorm_momentum",
    "adjustment",
    "virtual_batch_size",
  ],
  Embedding: ["input_length"],
});
/**
 * Arguments written only when not at their default, because Keras 3 configs omit them (Dense's
 * `get_config` has no activity_regularizer) or older Keras 3 releases refuse them (`use_cudnn`
 * arrived in 3.4: an LSTM config with it does not load in 3.3).
 */
const OMIT_DEFAULT: Record<string, [string, unknown][]> = nameTable({
  Dense: [["activity_regularizer", null]],
  LSTM: [["use_cudnn", "auto"]],
  GRU: [["use_cudnn", "auto"]],
});
/** Config keys that hold a nested layer, and where the live sub-layer is. */
const NESTED: Record<string, (l: Layer) => unknown> = {
  layer: (l) =>
    (l as unknown as { forwardLayer?: Layer }).forwardLayer ?? (l as unknown as { layer?: Layer }).layer,
  backwardLayer: (l) => (l as unknown as { backwardLayer?: Layer }).backwardLayer,
  cell: (l) => (l as unknown as { cell?: Layer }).cell,
};

/** A gradlens `{className, config}` initializer spec → a Keras 3 object. */
function kerasObject(value: unknown, module: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value;
  const v = value as { className?: unknown; class_name?: unknown; config?: unknown; module?: unknown };
  const className = v.className ?? v.class_name;
  if (typeof className !== "string") return structuredClone(value);
  return {
    module: typeof v.module === "string" ? v.module : module,
    class_name: className,
    config: structuredClone(v.config ?? {}),
    registered_name: null,
  };
}

const isSpecLike = (v: unknown): boolean =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as Json).className === "string";

/**
 * A layer's Keras 3 `config`: its `getConfig()` with snake_case keys, dtype `float32`, Keras objects
 * for initializers/regularizers/constraints and nested layers serialized in full.
 *
 * @example kerasLayerConfig(new layers.Dense({ units: 2 })).units; // 2
 */
export function kerasLayerConfig(layer: Layer): Json {
  if (layer instanceof InputLayer)
    return { batch_shape: layer.batchInputShape!.slice(), dtype: "float32", sparse: false, name: layer.name };
  const out: Json = {};
  for (const [key, value] of Object.entries(layer.getConfig())) {
    if (DROPPED.has(key)) continue;
    const snake = camelToSnake(key);
    if (snake === "dtype") out.dtype = "float32";
    else if (key in NESTED && isSpecLike(value)) {
      const sub = NESTED[key](layer);
      out[snake] = sub instanceof Layer ? serializeLayer(sub) : null;
    } else if (key === "cells" && layer instanceof StackedRNNCells)
      out.cells = layer.cells.map(serializeLayer);
    else if (snake.endsWith("_initializer")) out[snake] = kerasObject(value, "keras.initializers");
    else if (snake.endsWith("_regularizer")) out[snake] = kerasObject(value, "keras.regularizers");
    else if (snake.endsWith("_constraint")) out[snake] = kerasObject(value, "keras.constraints");
    else out[snake] = value === undefined ? null : structuredClone(value);
  }
  for (const k of TF_KERAS_ONLY[layer.className] ?? []) delete out[k];
  for (const [k, v] of OMIT_DEFAULT[layer.className] ?? []) if (out[k] === v) delete out[k];
  return out;
}

/**
 * `build_config: {input_shape}` for every built layer but the InputLayer, as Keras 3.0–3.3 write
 * it (3.9 leaves it out for layers whose class has no `build`, e.g. Dropout; every Keras 3 reads both).
 */
function buildConfig(layer: Layer): Json | undefined {
  if (!layer.built || layer.buildInputShape === null || layer instanceof InputLayer) return undefined;
  return { input_shape: structuredClone(layer.buildInputShape) };
}

/**
 * One layer as Keras 3 serializes it: `{module, class_name, config, registered_name, build_config}`.
 * Built-in classes live in `keras.layers`; custom ones keep the module and registered name of the
 * file they came from (or `gradlens.custom` for layers written in TS).
 *
 * @example serializeLayer(new layers.Dense({ units: 1 })).module; // "keras.layers"
 */
export function serializeLayer(layer: Layer): Json {
  if (layer instanceof Model) return serializeModel(layer);
  const origin = customOrigin.get(layer);
  const builtin = origin === undefined && isBuiltinClass(layer.className);
  const out: Json = {
    module: builtin ? "keras.layers" : (origin?.module ?? "gradlens.custom"),
    class_name: layer.className,
    config: kerasLayerConfig(layer),
    registered_name: builtin ? null : (origin?.registeredName ?? layer.className),
  };
  const bc = buildConfig(layer);
  if (bc !== undefined) out.build_config = bc;
  return out;
}

/** Keras numbers a layer's calls per model; a nested Functional starts at 1 (functional.py `get_config`). */
function nodeIndexer(nodes: readonly Node[]): (n: Node) => number {
  const inModel = new Set(nodes);
  return (n) => {
    const l = n.layer;
    const offset = l instanceof Model && !(l instanceof Sequential) && l.isFunctional ? 1 : 0;
    return offset + l.inboundNodes.filter((m) => inModel.has(m)).indexOf(n);
  };
}

function kerasTensor(t: SymbolicTensor, index: (n: Node) => number): Json {
  return {
    class_name: "__keras_tensor__",
    config: {
      shape: t.shape.slice(),
      dtype: "float32",
      keras_history: [t.node.layer.name, index(t.node), t.index],
    },
  };
}

const RNN_LIKE = /^(RNN|SimpleRNN|LSTM|GRU|ConvLSTM[123]D|Bidirectional)$/;

/**
 * A recurrent layer's initial states as Keras 3 passes them: a flat list, but one list per cell for
 * a StackedRNNCells (keras/src/layers/rnn/stacked_rnn_cells.py `call` zips cells with states).
 */
function initialStates(layer: Layer, states: Json[]): unknown[] {
  const cell = (layer as { cell?: unknown }).cell;
  if (!(cell instanceof StackedRNNCells)) return states;
  let k = 0;
  return cell.cells.map((c) => states.slice(k, (k += c.stateCount)));
}

/** One call of a layer: Keras 3's `{args, kwargs}` with keras tensors. */
function serializeNode(node: Node, index: (n: Node) => number): Json {
  const kt = (t: SymbolicTensor) => kerasTensor(t, index);
  const kwargs: Json = {};
  for (const [k, v] of Object.entries(node.kwargs))
    if (!["training", "mask", "initialState"].includes(k)) kwargs[camelToSnake(k)] = structuredClone(v);
  const inputs = node.inputs;
  let args: unknown[];
  if (inputs === null) args = [];
  else if (!Array.isArray(inputs) && "node" in (inputs as object)) args = [kt(inputs as SymbolicTensor)];
  else if (Array.isArray(inputs)) {
    if (RNN_LIKE.test(node.layer.className) && inputs.length > 1) {
      args = [kt(inputs[0])];
      kwargs.initial_state = initialStates(node.layer, inputs.slice(1).map(kt));
    } else args = [inputs.map(kt)];
  } else {
    const named = inputs as Record<string, SymbolicTensor>;
    if (node.layer.className === "MultiHeadAttention") {
      args = [kt(named.query), kt(named.value)];
      if (named.key) kwargs.key = kt(named.key);
      if (named.attentionMask) kwargs.attention_mask = kt(named.attentionMask);
    } else args = [Object.fromEntries(Object.entries(named).map(([k, t]) => [k, kt(t)]))];
  }
  return { args, kwargs };
}

function functionalConfig(model: Model): Json {
  const graph = model.graphView!;
  const index = nodeIndexer(graph.nodes);
  const history = (t: SymbolicTensor) => [t.node.layer.name, index(t.node), t.index];
  const nodesOf = (l: Layer) => graph.nodes.filter((n) => n.layer === l && n.inputs !== null);
  return {
    name: model.name,
    trainable: model.trainable,
    layers: graph.layers.map((l) => ({
      ...serializeLayer(l),
      name: l.name,
      inbound_nodes: nodesOf(l).map((n) => serializeNode(n, index)),
    })),
    input_layers: graph.inputs.map(history),
    output_layers: graph.outputs.map(history),
  };
}

function sequentialConfig(model: Sequential): Json {
  const head = model.inputLayer;
  const out: Json = {
    name: model.name,
    trainable: model.trainable,
    dtype: "float32",
    layers: [...(head ? [serializeLayer(head)] : []), ...model.layers.map(serializeLayer)],
  };
  if (head) out.build_input_shape = head.batchInputShape!.slice();
  return out;
}

/**
 * A Sequential or functional model as Keras 3 serializes it (the whole `config.json`, or a nested
 * model's entry). Subclassed models hold code and cannot be written as a config.
 *
 * @example JSON.stringify(serializeModel(model)); // config.json of model.save()
 */
export function serializeModel(model: Model): Json {
  if (model instanceof Sequential) {
    const head = model.inputLayer;
    return {
      module: "keras",
      class_name: "Sequential",
      config: sequentialConfig(model),
      registered_name: null,
      build_config: { input_shape: head ? head.batchInputShape!.slice() : null },
    };
  }
  if (!model.isFunctional)
    throw new ValueError(
      `Model '${model.name}' (${model.className}): a subclassed model's call() is code, which a .keras config ` +
        `cannot hold; save a Sequential or functional model (build one with Input() and layer.apply)`,
    );
  return {
    module: "keras.src.models.functional",
    class_name: "Functional",
    config: functionalConfig(model),
    registered_name: "Functional",
    build_config: { input_shape: null },
  };
}
