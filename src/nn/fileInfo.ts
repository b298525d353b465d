import type { KerasFlavor } from "./activations.js";

/**
 * Which container a model came from.
 *
 * @example if (model.fileInfo?.format === "h5") …
 */
export type ModelFileFormat =
  /** Keras 3 `.keras` zip. */
  | "keras"
  /** Legacy HDF5 full model (Keras 1/2/tf.keras, Keras 3 `save("x.h5")`). */
  | "h5"
  /** Architecture JSON (`model.to_json()`) plus a weights-only `.h5` (`save_weights`). */
  | "json+h5"
  /** Architecture JSON alone, weights from the layers' initializers (`withoutWeights`). */
  | "json"
  /** TensorFlow.js layers model (`model.json` + binary shards). */
  | "tfjs"
  /** A live `tf.LayersModel` converted with `fromTfjs`. */
  | "tfjs-live";

/**
 * What `loadModel` records about the file on `model.fileInfo` (declared on `Model` here in nn,
 * filled in by io's loaders).
 *
 * @example model.fileInfo; // { format: "h5", kerasVersion: "2.2.4-tf", backend: "tensorflow", kerasMajor: 2, activationFlavor: "keras2", path: "m.h5" }
 */
export interface ModelFileInfo {
  format: ModelFileFormat;
  /** `keras_version` as the file wrote it (`"2.2.4-tf"`, `"3.9.2"`, `"tfjs-layers 1.2.7"`). */
  kerasVersion?: string;
  backend?: string;
  /** Keras major version whose math the file follows (TF.js: 2). */
  kerasMajor: 1 | 2 | 3;
  /** Which definition ambiguous activations (`hard_sigmoid`) follow. */
  activationFlavor: KerasFlavor;
  /** The path, URL or file name the model was read from, if any. */
  path?: string;
}
