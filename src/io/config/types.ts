/**
 * The canonical model config: the one dialect the layer registry and the loader read.
 *
 * Keras has written model configs in at least six shapes (Keras 1, Keras 2.0–2.1, Keras 2.2+,
 * tf.keras, Keras 3 `.keras`, TensorFlow.js `model.json`). `normalizeModelConfig` turns every one of
 * them into the types below, so nothing downstream ever branches on the Keras version — except where
 * the *math* differs between versions, which is recorded explicitly (`kerasMajor`, and defaults
 * written into each layer's config).
 *
 * Conventions every canonical config follows:
 * - Class names are Keras 2/3 names (`Convolution2D` → `Conv2D`, Keras 1 `Merge` → `Add`/`Concatenate`/…,
 *   `TimeDistributedDense` → `TimeDistributed` around a `Dense`, `Model` → `Functional`).
 * - Argument names are Keras 3 snake_case names (`units`, `kernel_initializer`, `negative_slope`,
 *   `batch_shape`, …). Arguments that only steer training or execution strategy in older Keras
 *   (`implementation`, `fused`, …) may be dropped or kept as written; they never change inference.
 * - Values follow Keras 3 conventions: `dtype` is a plain string (`"float32"`), activations are
 *   lower-case snake_case names, initializers/regularizers/constraints are `{ class_name, config }`,
 *   spatial tuples (`kernel_size`, `strides`, `pool_size`, `dilation_rate`, `size`) are integer
 *   arrays of the layer's rank, and `data_format` is always present on layers that take one.
 * - Defaults that differ between the Keras version that wrote the file and Keras 3 are written out
 *   (e.g. GRU `reset_after: false` for Keras ≤2.3 and TF.js; see `defaults.ts`).
 * - Nothing is ever evaluated: `Lambda`, `TFOpLambda` and custom classes are kept as data with their
 *   class name so that the loader can refuse them with a precise message.
 */

/** Which family of writers produced the file. */
export type KerasSource = "keras1" | "keras2" | "tf.keras" | "keras3" | "tfjs";

/** Keras major version whose math the file follows (TF.js follows Keras 2). */
export type KerasMajor = 1 | 2 | 3;

/** A symbolic tensor: output `tensor` of call number `node` of the layer named `layer`. */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** A Keras batch shape: the leading entry is the batch size, `null` means "any". */
export type BatchShape = (number | null)[];

/** One call of a layer in a functional graph. */
export interface CanonicalNode {
  /** Every input tensor of the call, flattened depth-first in call order (a merge layer's list of inputs becomes its args). */
  args: TensorRef[];
  /**
   * Keyword arguments of the call. In Keras 3 files, keras tensors inside kwargs are replaced by
   * `TensorRef`s (test with `isTensorRef`); Keras 1/2 files store kwargs as written (they encode
   * tensors as bare `[layer, node, tensor]` lists that cannot be told apart from data).
   */
  kwargs: Record<string, unknown>;
  /**
   * Only present when the positional arguments hold non-tensor values (Keras 3 can record constants
   * there): the original argument nesting with tensors replaced by `TensorRef`s.
   */
  argStructure?: unknown[];
}

/**
 * One layer. For a Sequential model the inbound nodes are derived (each layer consumes the previous
 * layer's output), so Sequential and functional models can be walked the same way.
 */
export interface CanonicalLayer {
  /** Keras 2/3 class name, e.g. `Dense`, `Conv2D`, `Bidirectional`, `Sequential`, `Functional`. */
  className: string;
  /** Unique (within its model) layer name; also stored as `config.name`. */
  name: string;
  /**
   * Keras 3 argument names and value conventions (see the file comment). Wrappers keep their inner
   * layer as a nested `CanonicalLayer` in `config.layer` (and `Bidirectional` in
   * `config.backward_layer` when the file has one); RNN layers built from cells keep them as
   * `CanonicalLayer`s in `config.cell`, and `StackedRNNCells` in `config.cells`.
   */
  config: Record<string, unknown>;
  /** Calls of this layer in the graph; empty for input layers. */
  inboundNodes: CanonicalNode[];
  /** Keras 3 `module` of the class (e.g. `keras.layers`, or a user package for custom layers). */
  module?: string;
  /** Keras 3 `registered_name`, set for custom (registered) classes. */
  registeredName?: string;
  /** Keras 3 `build_config` (e.g. `{ input_shape: [null, 5] }`), kept for custom layers. */
  buildConfig?: Record<string, unknown>;
  /** Set when the layer is itself a Sequential or functional model. */
  nested?: CanonicalModel;
}

/** A whole model in the canonical dialect. */
export interface CanonicalModel {
  kind: "sequential" | "functional";
  name: string;
  /**
   * Layers in file order. A Sequential model starts with an explicit `InputLayer` whenever the file
   * records the input shape (it is synthesised from `batch_input_shape` on the first layer, named
   * `<first layer>_input` as Keras 2 does, when the file has no `InputLayer` entry).
   */
  layers: CanonicalLayer[];
  /** Model inputs; for Sequential models, the `InputLayer` (empty when the file records no input shape). */
  inputs: TensorRef[];
  /** Model outputs; for Sequential models, the last layer. */
  outputs: TensorRef[];
  /** `keras_version` as written by the file or its container (`"2.2.4-tf"`, `"3.9.2"`, `"tfjs-layers 1.2.7"`). */
  kerasVersion?: string;
  /** `backend` as written (`"tensorflow"`, `"theano"`, `"tensor_flow.js"`). */
  backend?: string;
  source: KerasSource;
  /**
   * Keras major version whose math applies where versions disagree. Notably `hard_sigmoid` is
   * `clip(0.2x + 0.5, 0, 1)` in Keras 1/2 and TF.js but `relu6(x + 3) / 6` in Keras 3; activation
   * names are kept as written and this field decides.
   */
  kerasMajor: KerasMajor;
}

/**
 * Tells a `TensorRef` apart from other values in `CanonicalNode.kwargs`.
 *
 * @example
 * const tensors = Object.values(node.kwargs).filter(isTensorRef);
 */
export function isTensorRef(value: unknown): value is TensorRef {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return (
    keys.length === 3 && typeof v.layer === "string" && Number.isInteger(v.node) && Number.isInteger(v.tensor)
  );
}

/**
 * True for a Keras 3 custom class: registered under a `registered_name`, or from a module outside
 * `keras`. Its config is kept as written apart from dtype, activation and Keras-object conventions,
 * and its sub-layers' weight groups are not predictable (`Keras3WeightNode.opaque`).
 *
 * @example isCustomLayer({ module: "kdp.layers", registeredName: "DistributionAwareEncoder" }); // true
 */
export function isCustomLayer(layer: Pick<CanonicalLayer, "module" | "registeredName">): boolean {
  if (layer.registeredName !== undefined) return true;
  return layer.module !== undefined && !/^keras(\.|$)/.test(layer.module);
}
