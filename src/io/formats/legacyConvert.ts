/**
 * Weight layouts that changed between Keras versions, converted to Keras 2/3's, following Keras's
 * own loader: keras/engine/saving.py `preprocess_weights_for_loading` (Keras 2.2.4; the same code
 * is tf.keras's hdf5_format.py and Keras 3's legacy/saving/legacy_h5_format.py).
 *
 * - Keras 1 recurrent layers stored one kernel/recurrent kernel/bias per gate (LSTM: 12 arrays in
 *   gate order i, c, f, o; GRU: 9 in order z, r, h); Keras 2 concatenates them (LSTM order i, f, c, o).
 * - Keras 1 `dim_ordering='th'` convolutions stored kernels as (filters, in, rows, cols); Keras 1
 *   Conv1D as (length, 1, in, filters).
 * - Kernels trained with the Theano backend are flipped (Theano convolves, TensorFlow correlates):
 *   `conv_utils.convert_kernel` reverses every spatial axis.
 */
import { concatenate, flip, slice, transpose } from "../../ops/index.js";
import type { Tensor } from "../../prims/tensor.js";
import type { Layer } from "../../nn/layer.js";
import { Model } from "../../nn/model.js";
import type { StoredArray } from "./weights.js";

/**
 * What decides the conversions: the Keras major version and backend that wrote the file.
 *
 * @example const info: LegacyInfo = { kerasMajor: 1, backend: "theano" };
 */
export interface LegacyInfo {
  kerasMajor: number;
  backend?: string;
}

interface ConvLike {
  rank?: number;
  dataFormat?: string;
  kernelSize?: number[];
  filters?: number;
}

/** A converted array: a new name and shape, values computed on demand. */
function derived(name: string, where: string, make: () => Tensor, shape: number[]): StoredArray {
  let cache: Tensor | null = null;
  return { name, where, shape, read: () => (cache ??= make()) };
}

function mapArray(a: StoredArray, f: (t: Tensor) => Tensor, shape: number[]): StoredArray {
  return derived(a.name, a.where, () => f(a.read()), shape);
}

const permuted = (shape: number[], perm: number[]) => perm.map((p) => shape[p]);

function transposed(a: StoredArray, perm: number[]): StoredArray {
  return mapArray(a, (t) => transpose(t, perm), permuted(a.shape, perm));
}

/** Concatenates arrays along their last axis (Keras 1 per-gate weights → one Keras 2 weight). */
function joined(parts: StoredArray[], name: string): StoredArray {
  const shape = parts[0].shape.slice();
  shape[shape.length - 1] = parts.reduce((n, p) => n + p.shape[p.shape.length - 1], 0);
  return derived(
    name,
    parts.map((p) => p.where).join(" + "),
    () =>
      concatenate(
        parts.map((p) => p.read()),
        -1,
      ),
    shape,
  );
}

/** `convert_kernel`: every spatial axis reversed (all but the last two axes of a Keras 2 kernel). */
function flipped(a: StoredArray): StoredArray {
  const axes = a.shape.slice(0, -2).map((_, i) => i);
  return mapArray(a, (t) => flip(t, axes), a.shape.slice());
}

function keras1Recurrent(layer: Layer, arrays: StoredArray[]): StoredArray[] {
  if (layer.className === "LSTM" && arrays.length === 12) {
    // old: i, c, f, o; new: i, f, c, o (each W, U, b)
    const pick = (k: number) => [0, 6, 3, 9].map((g) => arrays[g + k]);
    return [joined(pick(0), "kernel"), joined(pick(1), "recurrent_kernel"), joined(pick(2), "bias")];
  }
  if (layer.className === "GRU" && arrays.length === 9) {
    const pick = (k: number) => [0, 3, 6].map((g) => arrays[g + k]);
    return [joined(pick(0), "kernel"), joined(pick(1), "recurrent_kernel"), joined(pick(2), "bias")];
  }
  return arrays;
}

function keras1Conv(layer: Layer & ConvLike, arrays: StoredArray[]): StoredArray[] {
  if (arrays.length === 0) return arrays;
  const [k, ...rest] = arrays;
  const first = layer.dataFormat === "channels_first";
  switch (layer.className) {
    case "Conv1D": {
      let kernel = k;
      const s = k.shape;
      if (s.length === 4 && !(s[0] === layer.kernelSize?.[0] && s[1] === 1 && s[3] === layer.filters))
        kernel = transposed(k, [2, 3, 1, 0]); // Keras 1.1: (filters, in, length, 1)
      if (kernel.shape.length !== 4) return arrays;
      const ks = kernel.shape;
      const squeezed = mapArray(kernel, (t) => slice(t, [null, 0]), [ks[0], ks[2], ks[3]]);
      return [squeezed, ...rest];
    }
    case "Conv2D":
      return first && k.shape.length === 4 ? [transposed(k, [2, 3, 1, 0]), ...rest] : arrays;
    case "Conv2DTranspose":
      if (k.shape.length !== 4) return arrays;
      return [transposed(k, first ? [2, 3, 0, 1] : [0, 1, 3, 2]), ...rest];
    case "Conv3D":
      return first && k.shape.length === 5 ? [transposed(k, [2, 3, 4, 1, 0]), ...rest] : arrays;
    default:
      return arrays;
  }
}

const CONV = new Set(["Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "ConvLSTM2D"]);

/** Splits `arrays` among sub-layers, each taking as many as `count(sub)`. */
function split<T>(subs: T[], arrays: StoredArray[], count: (s: T) => number): [T, StoredArray[]][] {
  let at = 0;
  return subs.map((s) => {
    const n = count(s);
    const part = arrays.slice(at, at + n);
    at += n;
    return [s, part];
  });
}

/**
 * Converts one layer's arrays (in `_legacy_weights` order) from the file's layout to the layer's,
 * recursing into Bidirectional halves, TimeDistributed and nested models as Keras does.
 *
 * @example preprocessLegacyWeights(lstm, arrays, { kerasMajor: 1, backend: "tensorflow" });
 */
export function preprocessLegacyWeights(
  layer: Layer,
  arrays: StoredArray[],
  info: LegacyInfo,
): StoredArray[] {
  if (info.kerasMajor !== 1 && info.backend !== "theano") return arrays;
  const l = layer as Layer & ConvLike & { forwardLayer?: Layer; backwardLayer?: Layer; layer?: Layer };
  if (l.className === "Bidirectional" && l.forwardLayer && l.backwardLayer) {
    const half = arrays.length / 2;
    return [
      ...preprocessLegacyWeights(l.forwardLayer, arrays.slice(0, half), info),
      ...preprocessLegacyWeights(l.backwardLayer, arrays.slice(half), info),
    ];
  }
  if (l.className === "TimeDistributed" && l.layer) return preprocessLegacyWeights(l.layer, arrays, info);
  if (layer instanceof Model) {
    // Nested models store all trainable weights (layer by layer), then all the others.
    const subs = layer.layers;
    const trainable = split(subs, arrays, (s) => s.trainableWeights.length);
    const used = trainable.reduce((n, [, a]) => n + a.length, 0);
    const other = split(subs, arrays.slice(used), (s) => s.nonTrainableWeights.length);
    const converted = subs.map((s, i) =>
      preprocessLegacyWeights(s, [...trainable[i][1], ...other[i][1]], info),
    );
    return [
      ...converted.flatMap((c, i) => c.slice(0, trainable[i][1].length)),
      ...converted.flatMap((c, i) => c.slice(trainable[i][1].length)),
    ];
  }
  let out = arrays;
  if (info.kerasMajor === 1) {
    out = keras1Recurrent(layer, out);
    out = keras1Conv(l, out);
  }
  if (CONV.has(layer.className) && out.length > 0) {
    const lstm = layer.className === "ConvLSTM2D" && out.length > 1;
    if (info.backend === "theano")
      out = [flipped(out[0]), ...(lstm ? [flipped(out[1])] : [out[1]]), ...out.slice(2)];
    // Kernels still not in the layer's shape were saved (filters, in, rows, cols): Keras transposes (3, 2, 0, 1).
    const want = layer.weights[0]?.shape;
    const same = (a: number[], b: number[] | undefined) =>
      b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
    if (
      out[0].shape.length === 4 &&
      !same(out[0].shape, want) &&
      same(permuted(out[0].shape, [3, 2, 0, 1]), want)
    ) {
      out = [
        transposed(out[0]!, [3, 2, 0, 1]),
        ...(lstm ? [transposed(out[1], [3, 2, 0, 1])] : [out[1]]),
        ...out.slice(2),
      ];
    }
  }
  return out.filter((a) => a !== undefined);
}
