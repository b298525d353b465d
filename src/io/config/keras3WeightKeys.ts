/**
 * Where Keras 3 puts each layer's variables in a `.keras` archive's `model.weights.h5`.
 *
 * Keras 3 (keras/src/saving/saving_lib.py) walks the model as a tree of "saveables":
 * - `_save_state(obj, inner_path)` writes the object's own variables (`save_own_variables`:
 *   trainable then non-trainable, as datasets `0, 1, …`) into the group `<inner_path>/vars` — the
 *   group exists even when empty — and then visits the object's attributes (`_walk_saveable`): for a
 *   Sequential or Functional model first its `layers` list, then every public attribute, sorted, not
 *   on the base `Layer`'s skip list. A saveable attribute `a` is visited at `<inner_path>/a`.
 * - A list (such as `layers`) is visited by `_save_container_state`: each element is keyed by
 *   `naming.to_snake_case(type(obj).__name__)`, made unique within that list in order of appearance
 *   (`dense`, `dense_1`, `dense_2`, …) — never by the layer's name.
 * - Already-visited objects are skipped (their key is still consumed).
 *
 * Hence: top-level layers live at `layers/<key>`; `Sequential.layers` omits the model's InputLayer
 * (keras/src/models/sequential.py) while a functional model's `layers` include theirs
 * (`layers/input_layer`); a nested model's layers live at `<key>/layers/<key>`; RNN layers keep their
 * weights in `<key>/cell`; `Bidirectional` in `<key>/forward_layer` and `<key>/backward_layer`
 * (keras/src/layers/rnn/bidirectional.py keeps no `layer` attribute); wrappers such as
 * `TimeDistributed` in `<key>/layer` (keras/src/layers/core/wrapper.py); `StackedRNNCells` in
 * `<key>/cells/<key>`. Sub-layers of custom classes (and of Keras composites such as
 * `MultiHeadAttention`) are keyed by Python attribute names that no config records; such nodes are
 * marked `opaque`.
 */
import { isCustomLayer, type CanonicalLayer, type CanonicalModel } from "./types.js";
import { nameTable } from "../../core/table.js";

/** One saveable object and the HDF5 group of its variables. */
export interface Keras3WeightNode {
  /**
   * Name of the canonical layer these variables belong to: a layer of the model, a wrapper's inner
   * layer (from its config) or, for an RNN's implicit cell, the RNN layer itself.
   */
  layer: string;
  /** Python class of the saved object (`LSTMCell` for an LSTM's cell). */
  className: string;
  /** The attribute Keras reached it through (`cell`, `forward_layer`, `backward_layer`, `layer`), if not a list entry. */
  attribute?: string;
  /** Group path, e.g. `layers/lstm` or `layers/bidirectional/forward_layer/cell`. */
  path: string;
  /** `${path}/vars`: datasets `0…n-1` are the object's own variables in `get_weights()` order. */
  vars: string;
  /** Saveable sub-objects (cells, wrapped layers, a nested model's layers). */
  children: Keras3WeightNode[];
  /**
   * True for custom classes and Keras composites whose sub-layers sit under `path` at
   * attribute-named keys not derivable from the config (e.g. `layers/my_encoder/projection/vars`).
   */
  opaque: boolean;
}

/**
 * Keras' `naming.to_snake_case` (keras/src/utils/naming.py): `LeakyReLU` → `leaky_re_lu`,
 * `Conv2D` → `conv2d`, `InputLayer` → `input_layer`, `LSTM` → `lstm`.
 *
 * @example kerasSnakeCase("BatchNormalization"); // "batch_normalization"
 */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/[^\p{L}\p{N}_]+/gu, "") // Python's Unicode \W
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** The cell class Keras 3 builds inside each RNN layer (keras/src/layers/rnn/*.py). */
const RNN_CELLS: Record<string, string> = nameTable({
  SimpleRNN: "SimpleRNNCell",
  LSTM: "LSTMCell",
  GRU: "GRUCell",
  ConvLSTM1D: "ConvLSTMCell",
  ConvLSTM2D: "ConvLSTMCell",
  ConvLSTM3D: "ConvLSTMCell",
});
/** Keras 3 built-ins whose sub-layers are private attributes (`_query_dense`, …). */
const COMPOSITES = new Set([
  "MultiHeadAttention",
  "GroupedQueryAttention",
  "Pipeline",
  "TorchModuleWrapper",
  "JaxLayer",
  "FlaxLayer",
]);

function isLayer(value: unknown): value is CanonicalLayer {
  return (
    typeof value === "object" && value !== null && typeof (value as CanonicalLayer).className === "string"
  );
}

function isOpaque(layer: CanonicalLayer): boolean {
  return COMPOSITES.has(layer.className) || isCustomLayer(layer);
}

/** Keys a list of saveables (`_save_container_state`). */
function listNodes(
  items: CanonicalLayer[],
  prefix: string,
  describeItem: (l: CanonicalLayer, path: string) => Keras3WeightNode,
): Keras3WeightNode[] {
  const used = new Map<string, number>();
  return items.map((item) => {
    const base = kerasSnakeCase(item.className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return describeItem(item, `${prefix}/${count === undefined ? base : `${base}_${count + 1}`}`);
  });
}

function node(layer: string, className: string, path: string, attribute?: string): Keras3WeightNode {
  const out: Keras3WeightNode = { layer, className, path, vars: `${path}/vars`, children: [], opaque: false };
  if (attribute !== undefined) out.attribute = attribute;
  return out;
}

function describeLayer(layer: CanonicalLayer, path: string, attribute?: string): Keras3WeightNode {
  const out = node(layer.name, layer.className, path, attribute);
  const config = layer.config;
  if (layer.nested) {
    out.children = modelNodes(layer.nested, `${path}/layers`);
  } else if (layer.className === "Bidirectional" && isLayer(config.layer)) {
    const backward = isLayer(config.backward_layer) ? config.backward_layer : config.layer;
    out.children = [
      describeLayer(config.layer, `${path}/forward_layer`, "forward_layer"),
      describeLayer(backward, `${path}/backward_layer`, "backward_layer"),
    ];
  } else if (RNN_CELLS[layer.className]) {
    out.children = [node(layer.name, RNN_CELLS[layer.className], `${path}/cell`, "cell")];
  } else if (layer.className === "RNN" && isLayer(config.cell)) {
    out.children = [describeLayer(config.cell, `${path}/cell`, "cell")];
  } else if (layer.className === "StackedRNNCells" && Array.isArray(config.cells)) {
    out.children = listNodes(config.cells.filter(isLayer), `${path}/cells`, (c, p) => describeLayer(c, p));
  } else if (isLayer(config.layer)) {
    // keras/src/layers/core/wrapper.py: Wrapper (TimeDistributed, …) keeps `self.layer`.
    out.children = [describeLayer(config.layer, `${path}/layer`, "layer")];
  } else {
    out.opaque = isOpaque(layer);
  }
  return out;
}

function modelNodes(model: CanonicalModel, prefix: string): Keras3WeightNode[] {
  const saved =
    model.kind === "sequential" && model.layers[0]?.className === "InputLayer"
      ? model.layers.slice(1)
      : model.layers;
  return listNodes(saved, prefix, (l, p) => describeLayer(l, p));
}

/**
 * The weight groups of every layer of a model as Keras 3 saves them, one node per saved layer in
 * `model.layers` order (the leading InputLayer of a Sequential model is not saved).
 *
 * @example
 * const keys = keras3WeightKeys(model);
 * keys.map((k) => k.path); // ["layers/lstm", "layers/dropout", "layers/lstm_1", …]
 * keys[0].children[0].vars; // "layers/lstm/cell/vars" (kernel, recurrent_kernel, bias)
 */
export function keras3WeightKeys(model: CanonicalModel): Keras3WeightNode[] {
  return modelNodes(model, "layers");
}

/**
 * Every `vars` group path of a tree from `keras3WeightKeys`, depth-first.
 *
 * @example keras3VarsGroups(keras3WeightKeys(model)); // ["layers/dense/vars", "layers/dense_1/vars"]
 */
export function keras3VarsGroups(nodes: Keras3WeightNode[]): string[] {
  return nodes.flatMap((n) => [n.vars, ...keras3VarsGroups(n.children)]);
}
