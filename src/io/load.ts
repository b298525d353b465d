/**
 * `loadModel`: any Keras or TF.js model file → a gradlens `Model`, detected by content (never by
 * extension), built through the layer registry, weights matched by name and shape-checked.
 * Nothing in a file is ever executed.
 */
import type { KerasFlavor } from "../nn/activations.js";
import type { ModelFileFormat, ModelFileInfo } from "../nn/fileInfo.js";
import { Model } from "../nn/model.js";
import {
  asFormatError,
  buildModel,
  DEFAULT_MAX_PARAMS,
  budgetCheck,
  type BuildOptions,
  type ParamBudget,
} from "./build/build.js";
import {
  normalizeModelConfig,
  parseModelConfig,
  type CanonicalModel,
  type KerasMajor,
} from "./config/index.js";
import { ModelFormatError, UnsupportedLayerError } from "./errors.js";
import { openHdf5 } from "./containers/hdf5.js";
import { MAX_MODEL_JSON_LENGTH, parseJsonSafe } from "./containers/json.js";
import {
  KERAS_CONFIG_MAX_BYTES,
  KERAS_METADATA_MAX_BYTES,
  kerasWeightsBudget,
  loadKeras3Weights,
  readKerasEntry,
} from "./formats/keras3.js";
import { loadLegacyWeights, readLegacyHeader } from "./formats/legacyH5.js";
import type { LayerBuilder } from "./build/registry.js";
import { sniffFormat } from "./containers/sniff.js";
import {
  fromFileMap,
  isModelSource,
  readSource,
  type FileMap,
  type ModelSource,
  type ReadOptions,
  type ReadSource,
} from "./source.js";
import { assignTfjsWeights, parseManifest, tfjsArrays } from "./formats/tfjs.js";
import { openZip } from "./containers/zip.js";

export type { ModelFileFormat, ModelFileInfo } from "../nn/fileInfo.js";

/**
 * Options of `loadModel`.
 *
 * @example loadModel("model.json", { weights: "weights.h5", maxParams: 10_000_000 });
 */
export interface LoadOptions extends ReadOptions {
  /**
   * The weights, when the source is an architecture JSON (`model.to_json()`): a weights-only
   * `.h5` written by `save_weights` (path, URL, bytes or File). For a TF.js `model.json` given as
   * bytes or a File: its shard files by name (`{ "group1-shard1of1": bytes }`).
   */
  weights?: ModelSource | FileMap;
  /** Load an architecture JSON without weights (the layers' initializers draw them). */
  withoutWeights?: boolean;
  /**
   * Builders for specific layers, by layer name, used instead of the registry: the way to supply
   * a re-implementation of a `Lambda` layer.
   */
  overrides?: Record<string, LayerBuilder>;
  /** Most weight values the model may create, checked before allocating (default 2^27, 1 GiB in float64). */
  maxParams?: number;
}

const utf8 = (bytes: Uint8Array, label: string): string => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFormatError(`${label}: not valid UTF-8 text`);
  }
};

const flavorOf = (major: KerasMajor): KerasFlavor => (major === 3 ? "keras3" : "keras2");

function buildOptions(
  canonical: CanonicalModel,
  label: string,
  opts: LoadOptions,
  flavor?: KerasFlavor,
): BuildOptions {
  return {
    label,
    kerasMajor: canonical.kerasMajor,
    source: canonical.source,
    activationFlavor: flavor ?? flavorOf(canonical.kerasMajor),
    overrides: opts.overrides,
    budget: { remaining: opts.maxParams ?? DEFAULT_MAX_PARAMS, limit: opts.maxParams ?? DEFAULT_MAX_PARAMS },
  };
}

/**
 * Calls `assign` once the model has weights to assign to: now, or — for a Sequential model whose
 * file records no input shape — right after its first call builds it, with `maxParams` enforced
 * on that build (both through nn's build hooks).
 */
function whenBuilt(model: Model, assign: () => void, budget?: ParamBudget, label = ""): void {
  if (!model.built) model.limitWeights(budgetCheck(budget, label));
  model.whenBuilt(assign);
}

function info(
  format: ModelFileFormat,
  canonical: CanonicalModel,
  flavor: KerasFlavor,
  path: string | undefined,
): ModelFileInfo {
  const out: ModelFileInfo = { format, kerasMajor: canonical.kerasMajor, activationFlavor: flavor };
  if (canonical.kerasVersion !== undefined) out.kerasVersion = canonical.kerasVersion;
  if (canonical.backend !== undefined) out.backend = canonical.backend;
  if (path !== undefined) out.path = path;
  return out;
}

async function loadKerasZip(src: ReadSource, opts: LoadOptions): Promise<Model> {
  // Entries are read one at a time, each under its own cap; others (assets/…) are never inflated.
  const zip = openZip(src.bytes, src.label, { maxTotalBytes: opts.maxBytes });
  const configBytes = readKerasEntry(zip, "config.json", {
    maxBytes: KERAS_CONFIG_MAX_BYTES,
    why: "a Keras config",
  });
  const configText = utf8(configBytes, `${src.label} (config.json)`);
  const metaBytes = zip.read("metadata.json", { maxBytes: KERAS_METADATA_MAX_BYTES, why: "Keras metadata" });
  const meta = metaBytes
    ? (parseJsonSafe(
        utf8(metaBytes, `${src.label} (metadata.json)`),
        `${src.label} (metadata.json)`,
      ) as Record<string, unknown>)
    : {};
  const kerasVersion = typeof meta?.keras_version === "string" ? meta.keras_version : undefined;
  const canonical = parseModelConfig(configText, { label: `${src.label} (config.json)`, kerasVersion });
  const gl = meta?.gradlens as Record<string, unknown> | undefined;
  const flavor =
    gl?.activation_flavor === "keras2" || gl?.activation_flavor === "keras3"
      ? (gl.activation_flavor as KerasFlavor)
      : flavorOf(canonical.kerasMajor);
  const bo = buildOptions(canonical, src.label, opts, flavor);
  const model = buildModel(canonical, bo);
  const weightsLabel = `${src.label}/model.weights.h5`;
  const weightsBytes = readKerasEntry(
    zip,
    "model.weights.h5",
    kerasWeightsBudget(model, opts.maxParams ?? DEFAULT_MAX_PARAMS),
  );
  const h5 = openHdf5(weightsBytes, weightsLabel);
  whenBuilt(model, () => loadKeras3Weights(model, canonical, h5, weightsLabel), bo.budget, src.label);
  model.fileInfo = info("keras", canonical, flavor, src.path);
  return model;
}

async function loadH5(src: ReadSource, opts: LoadOptions): Promise<Model> {
  const root = openHdf5(src.bytes, src.label);
  const header = readLegacyHeader(root, src.label);
  if (header.modelConfig === undefined)
    throw new ModelFormatError(
      `${src.label}: holds weights only (written by save_weights), no architecture. Load the architecture ` +
        `JSON (model.to_json()) and pass this file as its weights: loadModel("model.json", { weights: ${JSON.stringify(src.path ?? "weights.h5")} })`,
    );
  const canonical = parseModelConfig(header.modelConfig, {
    label: `${src.label} (model_config)`,
    kerasVersion: header.kerasVersion,
    backend: header.backend,
  });
  const bo = buildOptions(canonical, src.label, opts);
  const model = buildModel(canonical, bo);
  const legacy = { kerasMajor: canonical.kerasMajor, backend: header.backend };
  whenBuilt(model, () => loadLegacyWeights(model, header.weights, src.label, legacy), bo.budget, src.label);
  model.fileInfo = info("h5", canonical, flavorOf(canonical.kerasMajor), src.path);
  return model;
}

async function readCompanion(
  weights: ModelSource | FileMap,
  name: string,
  src: ReadSource,
  opts: LoadOptions,
): Promise<ReadSource> {
  if (isModelSource(weights))
    return readSource(weights, { ...opts, label: typeof weights === "string" ? weights : name });
  return fromFileMap(weights, name, src.label);
}

async function loadTopologyJson(
  raw: Record<string, unknown>,
  src: ReadSource,
  opts: LoadOptions,
): Promise<Model> {
  const canonical = normalizeModelConfig(raw, { label: src.label });
  const bo = buildOptions(canonical, src.label, opts);
  const model = buildModel(canonical, bo);
  const flavor = flavorOf(canonical.kerasMajor);
  if (opts.weights === undefined || opts.weights === null) {
    if (!opts.withoutWeights)
      throw new ModelFormatError(
        `${src.label}: an architecture JSON (model.to_json()) without weights. Pass the weights file written by ` +
          `save_weights: loadModel(${JSON.stringify(src.path ?? "model.json")}, { weights: "weights.h5" }), ` +
          `or { withoutWeights: true } for the layers' initial weights`,
      );
    model.fileInfo = info("json", canonical, flavor, src.path);
    return model;
  }
  const w = await readCompanion(opts.weights, "weights.h5", src, opts);
  if (sniffFormat(w.bytes) !== "hdf5")
    throw new ModelFormatError(`${w.label}: expected an HDF5 weights file (save_weights) for ${src.label}`);
  const header = readLegacyHeader(openHdf5(w.bytes, w.label), w.label);
  const legacy = { kerasMajor: canonical.kerasMajor, backend: header.backend ?? canonical.backend };
  whenBuilt(model, () => loadLegacyWeights(model, header.weights, w.label, legacy), bo.budget, src.label);
  model.fileInfo = info("json+h5", canonical, flavor, src.path);
  return model;
}

async function loadTfjs(raw: Record<string, unknown>, src: ReadSource, opts: LoadOptions): Promise<Model> {
  const canonical = normalizeModelConfig(raw, { label: src.label });
  const groups = parseManifest(raw.weightsManifest, src.label);
  const flavor = flavorOf(canonical.kerasMajor);
  const bo = buildOptions(canonical, src.label, opts, flavor);
  const model = buildModel(canonical, bo);
  const readShard = async (p: string, maxBytes: number): Promise<Uint8Array> => {
    if (opts.weights !== undefined && !isModelSource(opts.weights))
      return (await fromFileMap(opts.weights, p, src.label)).bytes;
    if (src.sibling === undefined)
      throw new ModelFormatError(
        `${src.label}: the model.json was given as bytes, so its weight file '${p}' cannot be found; ` +
          `pass the shards as { weights: { ${JSON.stringify(p)}: bytes } }`,
      );
    return (await src.sibling(p, maxBytes)).bytes;
  };
  const arrays = await tfjsArrays(groups, readShard, src.label);
  whenBuilt(model, () => assignTfjsWeights(model, arrays, src.label), bo.budget, src.label);
  model.fileInfo = info("tfjs", canonical, flavor, src.path);
  return model;
}

async function loadJson(src: ReadSource, opts: LoadOptions): Promise<Model> {
  // Checked on the bytes, before decoding them into a string several times their size.
  if (src.bytes.length > MAX_MODEL_JSON_LENGTH)
    throw new ModelFormatError(
      `${src.label}: a JSON model of ${src.bytes.length} bytes is over the limit of ${MAX_MODEL_JSON_LENGTH}; ` +
        `model JSON (topology and manifest) is KBs to a few MB, weights belong in the shards`,
    );
  const raw = parseJsonSafe(utf8(src.bytes, src.label), src.label);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ModelFormatError(
      `${src.label}: expected a JSON object (a Keras model config or a TF.js model.json)`,
    );
  const obj = raw as Record<string, unknown>;
  if ("modelTopology" in obj) return loadTfjs(obj, src, opts);
  if ("class_name" in obj || "model_config" in obj) return loadTopologyJson(obj, src, opts);
  throw new ModelFormatError(
    `${src.label}: JSON, but not a model: expected a TF.js model.json (modelTopology, weightsManifest) or a ` +
      `Keras model config (class_name, config); it has keys [${Object.keys(obj).slice(0, 8).join(", ")}]`,
  );
}

function describeBytes(bytes: Uint8Array): string {
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length === 0 ? "an empty file" : `bytes starting ${head}`;
}

/**
 * Loads a Keras or TensorFlow.js model file as a gradlens `Model` (Sequential or functional),
 * ready to run and differentiate. The format is detected from the content:
 * - Keras 3 `.keras` zip (config.json + metadata.json + model.weights.h5);
 * - legacy HDF5 full models from Keras 1.x, 2.x, tf.keras and Keras 3 `save("x.h5")`;
 * - an architecture JSON (`model.to_json()`) with `{ weights }` pointing at a `save_weights` `.h5`;
 * - a TF.js layers `model.json`, its shards read from beside it (or given in `weights`).
 *
 * `source` is a file path (Node), a `URL` or URL string (fetched; `file:` URLs in Node), bytes, or
 * a browser `File`/`Blob`. In a page or worker any other string is a URL relative to
 * `document.baseURI` (or `self.location`), as in `fetch`: `loadModel("./model.keras")`. Failures are `ModelFormatError` (damaged or non-model files, weights
 * that do not fit) or `UnsupportedLayerError` (a layer class gradlens cannot build, naming the
 * `registerLayer` call that would fix it). Lambda layers are never executed.
 *
 * @example
 * const model = await loadModel("mnist_model.keras");
 * model.fileInfo; // { format: "keras", kerasVersion: "3.1.1", kerasMajor: 3, … }
 * const y = model.call(x);
 * const g = grad((x) => (model.call(x) as Tensor).sum())(x);
 *
 * const legacy = await loadModel("topology.json", { weights: "weights.h5" });
 * const tfjs = await loadModel(new URL("https://example.com/model/model.json"));
 */
export async function loadModel(source: ModelSource, opts: LoadOptions = {}): Promise<Model> {
  const src = await readSource(source, opts);
  const format = sniffFormat(src.bytes);
  try {
    switch (format) {
      case "zip":
        return await loadKerasZip(src, opts);
      case "hdf5":
        return await loadH5(src, opts);
      case "json":
        return await loadJson(src, opts);
      case "npy":
        throw new ModelFormatError(
          `${src.label}: a NumPy .npy array, not a model (expected a .keras zip, an .h5 model or a TF.js model.json)`,
        );
      default:
        throw new ModelFormatError(
          `${src.label}: not a model file: expected a Keras 3 .keras zip, a Keras .h5 (HDF5) or a JSON ` +
            `model (TF.js model.json or model.to_json()); got ${describeBytes(src.bytes)}`,
        );
    }
  } catch (e) {
    if (e instanceof ModelFormatError || e instanceof UnsupportedLayerError) throw e;
    throw asFormatError(e, src.label, "loading the model");
  }
}
