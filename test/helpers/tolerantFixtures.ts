/**
 * Derives the files that Keras and TF.js write but cannot read back, from a real Keras 3 `.keras`
 * file, with gradlens's own zip and HDF5 writers. Every float32 weight is copied bit for bit, so a
 * derived file must predict exactly what its source predicts. Used by
 * scripts/derive-tolerant-fixtures.ts (which writes test/fixtures/derived/, see PROVENANCE.md
 * there) and by test/io.load.tolerant.test.ts for in-memory variants.
 *
 * - `windowsKeras`: the `model.weights.h5` groups as Keras wrote them on Windows before it
 *   normalised paths: `h5py.create_group("layers\\dense")` makes one root group named
 *   `layers\dense` (HDF5 splits paths at `/` only), with `vars` inside.
 * - `tf213Keras`: the layout of tf.keras 2.13 (`_layer_checkpoint_dependencies/<key>/vars`, where a
 *   layer with weights uses two keys; src/io/formats/keras3Layouts.ts has the derivation) and its config
 *   dialect (`batch_input_shape`, `alpha`, plain dtype strings), metadata `keras_version: 2.13.1`.
 * - `tfjsPrefixed`: a TF.js `model.json` as the TF.js 4.x converter writes a Keras 3 model: the
 *   Keras 3 config as `model_config`, and weights named by Keras 3 variable path, the model's name
 *   in front (`sequential/dense/kernel`, `sequential/lstm/lstm_cell/kernel`).
 */
import { kerasSnakeCase } from "../../src/io/config/index.js";
import { openHdf5, writeHdf5, type H5Group, type H5WriteGroup } from "../../src/io/containers/hdf5.js";
import { legacyWeightOrder } from "../../src/io/formats/weights.js";
import { readZip, writeZip } from "../../src/io/containers/zip.js";
import type { Model } from "../../src/nn/model.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

type Json = Record<string, unknown>;

/** A `.keras` file's three entries. */
export interface KerasParts {
  config: Json;
  metadata: Json;
  weights: H5Group;
}

export function kerasParts(bytes: Uint8Array, label: string): KerasParts {
  const files = readZip(bytes, label);
  return {
    config: JSON.parse(dec.decode(files.get("config.json")!)) as Json,
    metadata: JSON.parse(dec.decode(files.get("metadata.json")!)) as Json,
    weights: openHdf5(files.get("model.weights.h5")!, `${label}/model.weights.h5`),
  };
}

/** A copy of a group (float32 datasets stay float32, string attributes kept). */
function copy(g: H5Group): H5WriteGroup {
  const out: H5WriteGroup = { kind: "group", children: {} };
  const attrs = g.attrs();
  if (Object.keys(attrs).length > 0)
    out.attrs = Object.fromEntries(Object.entries(attrs).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
  for (const k of g.keys()) {
    const c = g.get(k);
    if (c.kind === "group") out.children[k] = copy(c);
    else {
      const data = c.read();
      if (!(data instanceof Float32Array)) throw new Error(`${c.path}: expected float32`);
      out.children[k] = { kind: "dataset", shape: c.shape, data };
    }
  }
  return out;
}

/** Every group below `g` that holds a `vars` group, as `[relative path, vars group]`. */
function varsGroups(g: H5Group, prefix: string): [string, H5Group][] {
  const out: [string, H5Group][] = [];
  for (const k of g.keys()) {
    const c = g.get(k);
    if (c.kind !== "group") continue;
    if (k === "vars") out.push([prefix, c]);
    else out.push(...varsGroups(c, prefix === "" ? k : `${prefix}/${k}`));
  }
  return out;
}

function zip(config: Json, metadata: Json, root: H5WriteGroup): Uint8Array {
  return writeZip([
    ["metadata.json", enc.encode(JSON.stringify(metadata))],
    ["config.json", enc.encode(JSON.stringify(config))],
    ["model.weights.h5", writeHdf5(root)],
  ]);
}

/**
 * The `.keras` file with every weight group named as on Windows (`layers\dense` at the root, `vars`
 * inside); the optimizer's variables are left out.
 */
export function windowsKeras(src: KerasParts): Uint8Array {
  const root: H5WriteGroup = { kind: "group", children: { vars: { kind: "group", children: {} } } };
  for (const [path, vars] of varsGroups(src.weights.group("layers"), "layers"))
    root.children[path.replaceAll("/", "\\")] = { kind: "group", children: { vars: copy(vars) } };
  return zip(src.config, src.metadata, root);
}

/** A Keras 3 layer config in tf.keras 2.13's dialect. */
function tf213Layer(layer: Json): Json {
  const config = { ...(layer.config as Json) };
  if (typeof config.dtype === "object" && config.dtype !== null) config.dtype = "float32";
  if ("batch_shape" in config) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  if ("negative_slope" in config) {
    config.alpha = config.negative_slope;
    delete config.negative_slope;
  }
  return { ...layer, config };
}

/** The group without attributes (the `name` on each `vars` came with Keras 3.9). */
function withoutAttrs(g: H5WriteGroup): H5WriteGroup {
  const children = Object.fromEntries(
    Object.entries(g.children).map(([k, c]) => [k, c.kind === "group" ? withoutAttrs(c) : c]),
  );
  return { kind: "group", children };
}

const hasData = (g: H5WriteGroup): boolean =>
  Object.values(g.children).some((c) => c.kind === "dataset" || hasData(c));

/**
 * The `.keras` file of a Sequential model (no nested models) as tf.keras 2.13 writes it: config in 2.13's
 * dialect, weights at `_layer_checkpoint_dependencies/<key>/vars` with 2.13's keys.
 */
export function tf213Keras(src: KerasParts): Uint8Array {
  const cfg = src.config.config as Json;
  const layers = (cfg.layers as Json[]).map(tf213Layer);
  const config = { ...src.config, config: { name: cfg.name, layers } };
  const deps: H5WriteGroup = { kind: "group", children: {} };
  const used = new Map<string, number>();
  const take = (base: string) => {
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  };
  const srcKeys = new Map<string, number>();
  for (const layer of layers.slice(1)) {
    // The Keras 3 key the source file used for this layer, to find its variables.
    const base = kerasSnakeCase(layer.class_name as string);
    const n = srcKeys.get(base);
    srcKeys.set(base, n === undefined ? 0 : n + 1);
    const group = withoutAttrs(
      copy(src.weights.group(`layers/${n === undefined ? base : `${base}_${n + 1}`}`)),
    );
    const key = take(base);
    if (hasData(group)) take(base); // `layer_with_weights-k` and `layer-i`
    deps.children[key] = group;
  }
  const root: H5WriteGroup = {
    kind: "group",
    children: { _layer_checkpoint_dependencies: deps, vars: { kind: "group", children: {} } },
  };
  return zip(config, { keras_version: "2.13.1", date_saved: src.metadata.date_saved }, root);
}

/**
 * A TF.js `model.json` and its one shard for `model` (loaded from `src`), with weights named as
 * Keras 3 variable paths, as the TF.js 4.x converter names them.
 */
export function tfjsPrefixed(src: KerasParts, model: Model): { json: Json; shard: Uint8Array } {
  const weights: Json[] = [];
  const values: number[] = [];
  for (const layer of model.layers) {
    const cell = (layer as unknown as { cell?: { className: string } }).cell;
    const inner = cell !== undefined ? `${kerasSnakeCase(cell.className)}/` : "";
    for (const w of legacyWeightOrder(layer)) {
      weights.push({
        name: `${model.name}/${layer.name}/${inner}${w.name}`,
        shape: w.shape,
        dtype: "float32",
      });
      values.push(...w.value.data());
    }
  }
  const shard = new Uint8Array(Float32Array.from(values).buffer);
  const version = String(src.metadata.keras_version);
  const json = {
    format: "layers-model",
    generatedBy: `keras v${version}`,
    convertedBy: "TensorFlow.js Converter v4.22.0",
    modelTopology: { keras_version: version, backend: "tensorflow", model_config: src.config },
    weightsManifest: [{ paths: ["group1-shard1of1.bin"], weights }],
  };
  return { json, shard };
}
