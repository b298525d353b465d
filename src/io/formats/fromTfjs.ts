/**
 * A live TensorFlow.js `tf.LayersModel` → a gradlens `Model`, without files: its topology from
 * `model.toJSON()` and its weights from `model.getWeights()`, named by `model.weights` (tfjs-layers
 * `LayerVariable.originalName`, as tfjs writes them into `model.json`). gradlens does not depend on
 * TF.js; anything with this shape works.
 */
import { ValueError } from "../../core/errors.js";
import { array } from "../../ops/index.js";
import type { Model } from "../../nn/model.js";
import { asFormatError, buildModel } from "../build/build.js";
import { normalizeModelConfig } from "../config/index.js";
import { ModelFormatError, UnsupportedLayerError } from "../errors.js";
import { parseJsonSafe } from "../containers/json.js";
import type { ModelFileInfo } from "../load.js";
import type { LayerBuilder } from "../build/registry.js";
import { assignTfjsWeights } from "./tfjs.js";
import type { StoredArray } from "./weights.js";

/**
 * The parts of a `tf.LayersModel` that `fromTfjs` uses.
 *
 * @example const like: TfjsLayersModelLike = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 */
export interface TfjsLayersModelLike {
  /** tfjs-layers `LayersModel.toJSON(unused, returnString)`: the Keras-style topology. */
  toJSON(unused?: unknown, returnString?: boolean): unknown;
  /** The model's variables, in `getWeights()` order. */
  weights: readonly { name: string; originalName?: string; shape: readonly (number | null)[] }[];
  /** The variables' values. */
  getWeights(): readonly { shape: readonly number[]; dtype: string; dataSync(): ArrayLike<number> }[];
}

/**
 * Converts a live TF.js layers model. The result computes in float64 from the model's float32
 * weights, so predictions agree with TF.js to float32 precision.
 *
 * @example
 * import * as tf from "@tensorflow/tfjs";
 * const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
 * const model = fromTfjs(tfModel);
 * model.call(array([[1, 2, 3]]));
 */
export function fromTfjs(
  layersModel: TfjsLayersModelLike,
  opts: { label?: string; overrides?: Record<string, LayerBuilder> } = {},
): Model {
  const label = opts.label ?? "tf.LayersModel";
  if (
    layersModel === null ||
    typeof layersModel !== "object" ||
    typeof layersModel.toJSON !== "function" ||
    typeof layersModel.getWeights !== "function"
  )
    throw new ValueError(
      `fromTfjs: expected a tf.LayersModel (with toJSON and getWeights), got ${typeof layersModel}`,
    );
  try {
    const json = layersModel.toJSON(null, false);
    const topology = typeof json === "string" ? parseJsonSafe(json, label) : json;
    const canonical = normalizeModelConfig({ modelTopology: topology, weightsManifest: [] }, { label });
    const model = buildModel(canonical, {
      label,
      kerasMajor: canonical.kerasMajor,
      source: canonical.source,
      activationFlavor: "keras2",
      overrides: opts.overrides,
    });
    const values = layersModel.getWeights();
    const vars = layersModel.weights;
    if (values.length !== vars.length)
      throw new ModelFormatError(`${label}: ${vars.length} weights but ${values.length} values`);
    const arrays: StoredArray[] = vars.map((v, i) => {
      const value = values[i];
      const name = v.originalName ?? v.name;
      const shape = value.shape.slice();
      return {
        name,
        where: `${label}: weights[${i}] '${name}'`,
        shape,
        read: () => {
          const data = value.dataSync();
          return array(value.dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data), { shape });
        },
      };
    });
    assignTfjsWeights(model, arrays, label);
    const info: ModelFileInfo = {
      format: "tfjs-live",
      kerasMajor: canonical.kerasMajor,
      activationFlavor: "keras2",
    };
    if (canonical.kerasVersion !== undefined) info.kerasVersion = canonical.kerasVersion;
    if (canonical.backend !== undefined) info.backend = canonical.backend;
    model.fileInfo = info;
    return model;
  } catch (e) {
    if (e instanceof ModelFormatError || e instanceof UnsupportedLayerError) throw e;
    throw asFormatError(e, label, "converting the TF.js model");
  }
}
