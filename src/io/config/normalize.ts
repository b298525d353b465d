/**
 * Entry point: any Keras or TF.js model config → `CanonicalModel`.
 */
import { UnsupportedLayerError } from "../errors.js";
import type { CanonicalModel } from "./types.js";
import { classifyDialect } from "./dialect.js";
import { assertSafeJson, parseConfigJson } from "./guard.js";
import { describe, expectObject, fail, isObject, optionalString, type JsonObject } from "./json.js";
import { isModelClass } from "./layer.js";
import { normalizeModelBody } from "./model.js";

/** Where a config came from; the container's metadata complements what the JSON itself records. */
export interface NormalizeOptions {
  /** Names the source in every error, e.g. `"model.keras (config.json)"` or `"weights/model.h5 (model_config)"`. */
  label: string;
  /** `keras_version` from the container (HDF5 root attribute, `.keras` metadata.json) when the JSON lacks one. */
  kerasVersion?: string;
  /** `backend` from the container when the JSON lacks one. */
  backend?: string;
}

/**
 * Normalises a parsed model config of any dialect:
 * - a legacy HDF5 `model_config` attribute or a `model.to_json()` file: `{class_name, config, keras_version?, backend?}`;
 * - a Keras 3 `.keras` `config.json`: `{module, class_name, config, registered_name, build_config, …}`;
 * - a whole TF.js `model.json` (`{modelTopology, weightsManifest, …}`), whose topology is either
 *   tfjs-layers' own `{class_name, config, keras_version: "tfjs-layers …"}` or the Python converter's
 *   `{keras_version, backend, model_config: {class_name, config}}`.
 *
 * Throws `ModelFormatError` (naming `options.label` and the JSON path) for malformed or hostile
 * input, `UnsupportedLayerError` for things that are well-formed but cannot be loaded (subclassed
 * models, Keras 1 `Merge` with a Python function, quantized dtype policies).
 *
 * @example
 * const raw = JSON.parse(fs.readFileSync("model.json", "utf8"));
 * const model = normalizeModelConfig(raw, { label: "model.json" });
 * model.layers.map((l) => l.className); // ["InputLayer", "Embedding", "GRU"]
 */
export function normalizeModelConfig(raw: unknown, options: NormalizeOptions): CanonicalModel {
  const { label } = options;
  assertSafeJson(raw, label);
  // A private copy: the canonical model shares no objects with the caller's JSON.
  let model = expectObject(structuredClone(raw), { label, path: "" }, "a model config object");
  let tfjs = false;
  let containerVersion = options.kerasVersion;
  let containerBackend = options.backend;
  let pythonKerasVersion: string | undefined;
  if ("modelTopology" in model) {
    tfjs = true;
    if (model.format !== undefined && model.format !== null && model.format !== "layers-model")
      fail(
        label,
        "format",
        `expected "layers-model" (TF.js graph models are not Keras models), got ${describe(model.format)}`,
      );
    model = expectObject(model.modelTopology, { label, path: "modelTopology" }, "a Keras model topology");
  }
  if ("model_config" in model) {
    // The TF.js converter's wrapping of the HDF5 root attributes (tfjs-converter keras_h5_conversion.py).
    const v = optionalString(model.keras_version, { label, path: "keras_version" });
    const b = optionalString(model.backend, { label, path: "backend" });
    if (tfjs) pythonKerasVersion = v;
    containerVersion = v ?? containerVersion;
    containerBackend = b ?? containerBackend;
    const inner =
      typeof model.model_config === "string"
        ? parseConfigJson(model.model_config, label)
        : model.model_config;
    model = expectObject(inner, { label, path: "model_config" }, "a model config {class_name, config}");
  }
  if (tfjs && !("class_name" in model))
    fail(label, "modelTopology", "is not a Keras layers model (TF.js graph models hold a TensorFlow graph)");
  const kerasVersion =
    optionalString(model.keras_version, { label, path: "keras_version" }) ?? containerVersion;
  const backend = optionalString(model.backend, { label, path: "backend" }) ?? containerBackend;
  const dialect = classifyDialect({ kerasVersion, backend, tfjs, pythonKerasVersion, raw: model });
  return topLevel(model, { label, dialect, depth: 0 });
}

function topLevel(model: JsonObject, ctx: Parameters<typeof normalizeModelBody>[2]): CanonicalModel {
  const className = model.class_name;
  if (typeof className !== "string")
    fail(ctx.label, "class_name", `expected a model class name, got ${describe(className)}`);
  if (
    !isModelClass(className) ||
    (isObject(model) && typeof model.registered_name === "string" && model.registered_name !== className)
  )
    throw new UnsupportedLayerError(
      `${ctx.label}: the model class '${className}' is not Sequential or Functional; subclassed models ` +
        "contain Python code and cannot be rebuilt from their config — save a functional or Sequential model instead",
    );
  return normalizeModelBody(className, model.config, ctx, "");
}

/**
 * `JSON.parse` + `normalizeModelConfig`, for configs that arrive as text (HDF5 attributes, zip entries).
 *
 * @example
 * const model = parseModelConfig(h5Attrs.model_config, { label: "model.h5 (model_config)", kerasVersion: h5Attrs.keras_version });
 */
export function parseModelConfig(text: string, options: NormalizeOptions): CanonicalModel {
  return normalizeModelConfig(parseConfigJson(text, options.label), options);
}
