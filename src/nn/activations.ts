/**
 * Keras activations by name, with Keras 3's definitions (keras/src/activations/activations.py).
 * Where Keras 2 defined one differently, both exist and a loaded model records which it uses:
 * `hard_sigmoid` is clip(0.2x + 0.5, 0, 1) in Keras 1/2 and relu6(x + 3)/6 in Keras 3.
 */
import { ValueError } from "../core/errors.js";
import * as ops from "../ops/index.js";
import type { Tensor } from "../prims/tensor.js";
import { nameTable } from "../core/table.js";

/**
 * An activation function with the Keras name it serializes as.
 *
 * @example
 * const act: activations.Activation = activations.get("relu");
 * act(array([-1, 2])); act.name; // [0, 2], "relu"
 */
export interface Activation {
  readonly name: string;
  (x: Tensor): Tensor;
}

function named(name: string, fn: (x: Tensor) => Tensor): Activation {
  const f = (x: Tensor) => fn(x);
  // A function's `name` is read-only for assignment but configurable.
  Object.defineProperty(f, "name", { value: name });
  return f as Activation;
}

/** Keras 1/2 hard sigmoid: clip(0.2x + 0.5, 0, 1). @example activations.hardSigmoidKeras2(x) */
export const hardSigmoidKeras2 = (x: Tensor): Tensor => ops.clip(x.mul(0.2).add(0.5), 0, 1);

/**
 * Which Keras defined an ambiguous activation; models loaded from files record theirs.
 *
 * @example
 * activations.get("hard_sigmoid", "keras2")(array([1])); // [0.7]; Keras 3's gives [0.667]
 */
export type KerasFlavor = "keras2" | "keras3";

const TABLE: Record<string, (flavor: KerasFlavor) => (x: Tensor) => Tensor> = nameTable({
  linear: () => (x) => x,
  relu: () => ops.relu,
  relu6: () => ops.relu6,
  sigmoid: () => ops.sigmoid,
  hard_sigmoid: (f) => (f === "keras2" ? hardSigmoidKeras2 : ops.hardSigmoid),
  tanh: () => ops.tanh,
  softmax: () => (x) => ops.softmax(x, -1),
  log_softmax: () => (x) => ops.logSoftmax(x, -1),
  softplus: () => ops.softplus,
  softsign: () => ops.softsign,
  elu: () => (x) => ops.elu(x, 1),
  selu: () => ops.selu,
  gelu: () => (x) => ops.gelu(x),
  silu: () => ops.silu,
  swish: () => ops.silu,
  hard_silu: () => ops.hardSwish,
  hard_swish: () => ops.hardSwish,
  mish: () => ops.mish,
  exponential: () => ops.exp,
  leaky_relu: () => (x) => ops.leakyRelu(x, 0.2),
});

/**
 * Every activation name `get` accepts.
 *
 * @example activations.ACTIVATION_NAMES.includes("gelu") // true
 */
export const ACTIVATION_NAMES = Object.keys(TABLE);

/**
 * Resolves an activation by Keras name (`"relu"`, `"hard_sigmoid"`), or passes a function
 * through. `null`/`undefined` give `linear`. `flavor` picks Keras 2's definitions where they differ.
 *
 * @example activations.get("gelu")(x); activations.get("hard_sigmoid", "keras2")
 */
export function get(
  id: string | ((x: Tensor) => Tensor) | null | undefined,
  flavor: KerasFlavor = "keras3",
): Activation {
  if (id === null || id === undefined) return named("linear", (x) => x);
  if (typeof id === "function")
    return "name" in id && typeof id.name === "string" && id.name in TABLE
      ? (id as Activation)
      : named(id.name || "custom", id);
  const make = TABLE[id];
  if (make === undefined)
    throw new ValueError(`Unknown activation '${id}'; known: ${ACTIVATION_NAMES.join(", ")}`);
  return named(id, make(flavor));
}

/**
 * The Keras name of an activation (for getConfig).
 *
 * @example activations.serialize(activations.get("swish")) // "swish"
 */
export const serialize = (a: Activation): string => a.name;
