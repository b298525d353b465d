/**
 * Legacy Keras HDF5: full models (`model.save("x.h5")` in Keras 1, 2, tf.keras and Keras 3) and
 * weights-only files (`save_weights`). Layout (Keras: legacy/saving/legacy_h5_format.py):
 * root attributes `model_config`, `keras_version`, `backend`; weights under `model_weights/`
 * (or at the root of a weights-only file), one group per layer listed in `layer_names`, each with
 * a `weight_names` attribute in the layer's weight order. HDF5 lists groups alphabetically, which
 * is not that order: only `weight_names` is followed.
 */
import { array } from "../../ops/index.js";
import type { Layer } from "../../nn/layer.js";
import { Model } from "../../nn/model.js";
import { Sequential } from "../../nn/sequential.js";
import { ModelFormatError } from "../errors.js";
import type { H5Dataset, H5Group } from "../containers/hdf5.js";
import { preprocessLegacyWeights, type LegacyInfo } from "./legacyConvert.js";
import { assignWeights, legacyWeightOrder, type StoredArray } from "./weights.js";

/**
 * The root attributes of a legacy file that the loader needs.
 *
 * @example const { modelConfig, kerasVersion, weights } = readLegacyHeader(root, "m.h5");
 */
export interface LegacyH5Header {
  /** `model_config` (absent in weights-only files). */
  modelConfig?: string;
  kerasVersion?: string;
  backend?: string;
  /** Where the per-layer groups are: `model_weights` for full models, the root for weights-only files. */
  weights: H5Group;
}

const optionalString = (g: H5Group, name: string): string | undefined => {
  if (!g.hasAttr(name)) return undefined;
  const v = g.attr(name);
  return typeof v === "string" ? v : undefined;
};

/**
 * Reads the header of a legacy file; throws `ModelFormatError` when the file is HDF5 but not a
 * Keras model or weights file.
 *
 * @example const header = readLegacyHeader(openHdf5(bytes, "model.h5"), "model.h5");
 */
export function readLegacyHeader(root: H5Group, label: string): LegacyH5Header {
  const modelConfig = root.hasAttr("model_config") ? root.attrString("model_config") : undefined;
  let weights: H5Group;
  if (root.has("model_weights")) weights = root.group("model_weights");
  else if (root.hasAttr("layer_names")) weights = root;
  else if (modelConfig !== undefined)
    throw new ModelFormatError(`${label}: the file has a model_config but no 'model_weights' group`);
  else
    throw new ModelFormatError(
      `${label}: an HDF5 file, but not a Keras model: expected a 'model_config' attribute (full model) or ` +
        `'layer_names' (save_weights file) at the root; it has attributes [${Object.keys(root.attrs()).join(", ")}] ` +
        `and groups [${root.keys().slice(0, 10).join(", ")}]`,
    );
  return {
    modelConfig,
    kerasVersion: optionalString(root, "keras_version") ?? optionalString(weights, "keras_version"),
    backend: optionalString(root, "backend") ?? optionalString(weights, "backend"),
    weights,
  };
}

function storedArray(ds: H5Dataset, name: string, where: string): StoredArray {
  const shape = ds.shape;
  return { name, where, shape, read: () => array(ds.read(), { shape }) };
}

/** The arrays of one layer group, in its `weight_names` order. */
function layerArrays(group: H5Group, label: string): StoredArray[] {
  const names =
    group.hasAttr("weight_names") || group.hasAttr("weight_names0") ? group.stringList("weight_names") : [];
  return names.map((n) => {
    const path = `${group.path}/${n}`.replace(/^\//, "");
    return storedArray(group.dataset(n), n, `${label}: ${path}`);
  });
}

/** Every layer of a model by name, including a Sequential's input layer. */
function layersByName(model: Model): Map<string, Layer> {
  const out = new Map<string, Layer>();
  if (model instanceof Sequential && model.inputLayer) out.set(model.inputLayer.name, model.inputLayer);
  for (const l of model.layers) out.set(l.name, l);
  return out;
}

/**
 * Loads the weights of `model` from the per-layer groups of a legacy file, matching layers by
 * name, following each group's `weight_names`, converting Keras 1 / Theano layouts and checking
 * every shape. Every model layer with weights must be in the file, and every file layer with
 * weights in the model.
 *
 * @example loadLegacyWeights(model, header.weights, "model.h5", { kerasMajor: 2, backend: "tensorflow" });
 */
export function loadLegacyWeights(model: Model, weights: H5Group, label: string, info: LegacyInfo): void {
  const fileLayers = weights.stringList("layer_names");
  const byName = layersByName(model);
  const seen = new Set<string>();
  for (const name of fileLayers) {
    if (!weights.has(name))
      throw new ModelFormatError(
        `${label}: layer_names lists '${name}', but there is no group '${weights.path}/${name}'`,
      );
    const arrays = layerArrays(weights.group(name), label);
    const layer = byName.get(name);
    if (layer === undefined) {
      if (arrays.length === 0) continue;
      throw new ModelFormatError(
        `${label}: the file has ${arrays.length} weight(s) for a layer '${name}', which the model does not have ` +
          `(model layers: ${[...byName.keys()].join(", ")})`,
      );
    }
    seen.add(name);
    const targets = legacyWeightOrder(layer);
    const converted = preprocessLegacyWeights(layer, arrays, info);
    assignWeights(
      layer,
      targets,
      converted,
      `${label}: ${weights.path === "/" ? "" : weights.path.slice(1) + "/"}${name}`,
    );
  }
  for (const [name, layer] of byName)
    if (!seen.has(name) && layer.weights.length > 0)
      throw new ModelFormatError(
        `${name} (${layer.className}): has ${layer.weights.length} weight(s), but ${label} has no weights for it ` +
          `(file layers: ${fileLayers.join(", ")})`,
      );
}
