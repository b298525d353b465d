/**
 * Putting stored arrays into a built model's weights, with the checks every format shares: the
 * count per layer, every shape, and (where the file says it) the weight's name. Errors name the
 * layer, the weight, both shapes and the place in the file:
 * `dense_1 (Dense): weight kernel expects [8,64], file has [8,32] (model.h5: model_weights/dense_1/dense_1/kernel:0)`.
 */
import { sizeOf } from "../../core/shape.js";
import type { Layer } from "../../nn/layer.js";
import type { Weight } from "../../nn/weight.js";
import type { Tensor } from "../../prims/tensor.js";
import { ModelFormatError } from "../errors.js";
import { nameTable } from "../../core/table.js";

/**
 * One array as a file stores it; `read` materialises it (float64 or int32).
 *
 * @example const a: StoredArray = { name: "kernel", where: "m.h5: dense/kernel:0", shape: [2, 1], read: () => zeros([2, 1]) };
 */
export interface StoredArray {
  /** The name the file gives it (`dense_1/kernel:0`, `kernel`, `layers/dense/vars/0`). */
  name: string;
  /** Where it is, for messages: `model.h5: model_weights/dense_1/dense_1/kernel:0`. */
  where: string;
  shape: number[];
  read(): Tensor;
}

/**
 * Most scalars one weight may hold before anything is allocated (2^31, an 8 GiB float32 array).
 *
 * @example sizeOf(shape) <= MAX_WEIGHT_ELEMENTS
 */
export const MAX_WEIGHT_ELEMENTS = 2 ** 31;

const fmtShape = (s: readonly number[]) => `[${s.join(",")}]`;

/** Keras 1 (and old tf.keras) short names of the same weights. */
const NAME_ALIASES: Record<string, string> = nameTable({
  W: "kernel",
  U: "recurrent_kernel",
  b: "bias",
  running_mean: "moving_mean",
  running_std: "moving_variance",
});
/** Names whose mismatch means the file's weights are in a different order than the layer's. */
const CANONICAL_NAMES = new Set([
  "kernel",
  "bias",
  "recurrent_kernel",
  "gamma",
  "beta",
  "moving_mean",
  "moving_variance",
  "embeddings",
  "depthwise_kernel",
  "pointwise_kernel",
]);

/** Keras 2 called a DepthwiseConv kernel `depthwise_kernel`; Keras 3 calls it `kernel`. */
const sameWeight = (a: string, b: string) =>
  a === b ||
  (a.endsWith("kernel") &&
    b.endsWith("kernel") &&
    [a, b].includes("depthwise_kernel") &&
    [a, b].includes("kernel"));

/**
 * The short name of a stored weight: `bidirectional_1/forward_lstm_1/kernel:0` → `kernel`, `dense_1_W:0` → `kernel`.
 *
 * @example shortName("dense_1/bias:0"); // "bias"
 */
export function shortName(name: string): string {
  const last = name.split("/").pop()!.replace(/:\d+$/, "");
  const keras1 = /_(W|U|b)(_[a-z])?$/.exec(last);
  if (keras1) return NAME_ALIASES[keras1[1]];
  return NAME_ALIASES[last] ?? last;
}

/**
 * The weights a layer owns itself (not its sub-layers'), trainable first, in creation order —
 * what Keras 3 saves in a layer's own `vars` group (keras/src/layers/layer.py `save_own_variables`).
 *
 * @example ownWeights(lstm); // [] (its weights live in lstm.cell)
 */
export function ownWeights(layer: Layer): Weight[] {
  const inner = new Set(layer.subLayers.flatMap((l) => l.weights));
  const own = layer.weights.filter((w) => !inner.has(w));
  const trainable = own.filter((w) => w.trainable);
  return [...trainable, ...own.filter((w) => !w.trainable)];
}

/**
 * The weights of a layer in the order legacy files store them: trainable weights, then the
 * others (Keras: legacy/saving/legacy_h5_format.py `_legacy_weights`; TF.js `Layer.weights`).
 *
 * @example legacyWeightOrder(bn).map((w) => w.name); // ["gamma", "beta", "moving_mean", "moving_variance"]
 */
export function legacyWeightOrder(layer: Layer): Weight[] {
  return [...layer.trainableWeights, ...layer.nonTrainableWeights];
}

/**
 * Assigns `arrays` to `targets` one by one, checking the count, each shape and, when both sides
 * use a standard Keras name, that the names agree. `owner` names the layer in errors.
 *
 * @example assignWeights(dense, legacyWeightOrder(dense), arrays, "model.h5: model_weights/dense_1");
 */
export function assignWeights(owner: Layer, targets: Weight[], arrays: StoredArray[], group: string): void {
  const who = `${owner.name} (${owner.className})`;
  if (targets.length !== arrays.length)
    throw new ModelFormatError(
      `${who}: expects ${targets.length} weight(s) [${targets.map((w) => w.name).join(", ")}], ` +
        `file has ${arrays.length} [${arrays.map((a) => a.name).join(", ")}] (${group})`,
    );
  targets.forEach((w, i) => {
    const a = arrays[i];
    const stored = shortName(a.name);
    if (CANONICAL_NAMES.has(stored) && CANONICAL_NAMES.has(w.name) && !sameWeight(stored, w.name))
      throw new ModelFormatError(
        `${who}: weight ${i} should be ${w.name}, file has ${a.name} there (${a.where}); ` +
          `the file's weights are not in the layer's order`,
      );
    assignOne(owner, w, a);
  });
}

/**
 * Checks one array against one weight and stores it (cast to the weight's dtype).
 *
 * @example assignOne(dense, dense.kernel, arrays[0]);
 */
export function assignOne(owner: Layer, w: Weight, a: StoredArray): void {
  const want = w.shape;
  if (a.shape.length !== want.length || a.shape.some((d, k) => d !== want[k]))
    throw new ModelFormatError(
      `${owner.name} (${owner.className}): weight ${w.name} expects ${fmtShape(want)}, file has ${fmtShape(a.shape)} (${a.where})`,
    );
  if (sizeOf(a.shape) > MAX_WEIGHT_ELEMENTS)
    throw new ModelFormatError(
      `${a.where}: ${sizeOf(a.shape)} values are more than gradlens loads into one weight`,
    );
  const t = a.read();
  w.value = t.dtype === w.value.dtype ? t : t.astype(w.value.dtype);
}
