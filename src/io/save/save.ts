/**
 * `model.save(...)`: a Keras 3 `.keras` archive — `metadata.json`, `config.json` (serialize.ts) and
 * `model.weights.h5` with every object's variables in `layers/<key>/vars/<i>` exactly where
 * `keras3WeightKeys` (and so Keras 3's saving_lib.py) puts them. Zip entries are STORED, as Keras
 * writes them. Weights are written in float64, so a save → load round trip is exact.
 */
import { ValueError } from "../../core/errors.js";
import { importNode, isNode } from "../../core/platform.js";
import type { Layer } from "../../nn/layer.js";
import { Model, registerModelWriter, type SaveTarget } from "../../nn/model.js";
import { warn } from "../../nn/warnings.js";
import { normalizeModelConfig, type Keras3WeightNode, keras3WeightKeys } from "../config/index.js";
import { camelToSnake } from "../build/convert.js";
import { writeHdf5, type H5WriteDataset, type H5WriteGroup } from "../containers/hdf5.js";
import { ownWeights } from "../formats/weights.js";
import { serializeModel } from "./serialize.js";
import { Sequential } from "../../nn/sequential.js";
import { writeZip } from "../containers/zip.js";

/**
 * What `metadata.json` says wrote the file.
 *
 * @example JSON.parse(metadataText).keras_version === SAVED_KERAS_VERSION
 */
export const SAVED_KERAS_VERSION = "3.x-compatible";

const group = (attrs?: Record<string, string>): H5WriteGroup => ({
  kind: "group",
  children: {},
  ...(attrs ? { attrs } : {}),
});

/** `a/b/c` → the group at that path, made on the way. */
function groupAt(root: H5WriteGroup, path: string): H5WriteGroup {
  let g = root;
  for (const part of path.split("/")) {
    const next = (g.children[part] ??= group());
    if (next.kind !== "group") throw new ValueError(`model.save: internal: '${path}' is a dataset`);
    g = next;
  }
  return g;
}

function dataset(w: {
  value: { dtype: string; shape: number[]; data(): ArrayLike<number> };
}): H5WriteDataset {
  const t = w.value;
  const data = t.dtype === "int32" ? Int32Array.from(t.data()) : Float64Array.from(t.data());
  return { kind: "dataset", shape: t.shape.slice(), data };
}

function writeOwn(root: H5WriteGroup, layer: Layer, path: string): void {
  const vars = groupAt(root, `${path}/vars`);
  vars.attrs = { name: layer.name };
  ownWeights(layer).forEach((w, i) => (vars.children[String(i)] = dataset(w)));
}

/** The sub-layer of `layer` that `node` (its `index`-th child) saves. */
function child(layer: Layer, node: Keras3WeightNode, index = 0): Layer {
  if (node.attribute !== undefined) {
    const prop = node.attribute.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = (layer as unknown as Record<string, unknown>)[prop];
    if (v !== null && typeof v === "object" && "weights" in v) return v as Layer;
  } else if (layer instanceof Model) {
    const found =
      layer instanceof Sequential && layer.inputLayer?.name === node.layer
        ? layer.inputLayer
        : layer.layers.find((l) => l.name === node.layer);
    if (found) return found;
  } else {
    // A list entry of a layer (StackedRNNCells.cells): the sub-layer at the same position.
    const found = layer.subLayers[index] as Layer | undefined;
    if (found) return found;
  }
  throw new ValueError(
    `model.save: internal: no sub-layer for '${node.path}' in ${layer.className} '${layer.name}'`,
  );
}

/** A custom layer's sub-layers, keyed by their TS property names in snake_case (keras3.ts reads them back so). */
function writeOpaque(root: H5WriteGroup, layer: Layer, path: string): void {
  const subs = new Set(layer.subLayers);
  const seen = new Set<Layer>();
  for (const [prop, value] of Object.entries(layer)) {
    if (!(value instanceof Object) || !subs.has(value as Layer) || seen.has(value as Layer)) continue;
    seen.add(value as Layer);
    const p = `${path}/${camelToSnake(prop)}`;
    writeOwn(root, value as Layer, p);
    writeOpaque(root, value as Layer, p);
  }
  for (const s of subs)
    if (!seen.has(s)) {
      const p = `${path}/${camelToSnake(s.name)}`;
      writeOwn(root, s, p);
      writeOpaque(root, s, p);
    }
}

function writeNode(root: H5WriteGroup, node: Keras3WeightNode, layer: Layer): void {
  writeOwn(root, layer, node.path);
  if (node.opaque) return writeOpaque(root, layer, node.path);
  node.children.forEach((c, i) => writeNode(root, c, child(layer, c, i)));
}

function usesKeras2HardSigmoid(model: Model): boolean {
  if (model.fileInfo?.activationFlavor !== "keras2") return false;
  return JSON.stringify(serializeModel(model)).includes('"hard_sigmoid"');
}

/**
 * The bytes of a Keras 3 `.keras` file for `model` (what `model.save({ bytes: true })` returns).
 *
 * @example fs.writeFileSync("model.keras", saveKerasBytes(model));
 */
export function saveKerasBytes(model: Model, now: Date = new Date()): Uint8Array {
  const config = serializeModel(model);
  const canonical = normalizeModelConfig(config, {
    label: `model '${model.name}' (config.json)`,
    kerasVersion: "3.0.0",
  });
  const root = group();
  root.children.layers = group();
  root.children.vars = group({ name: model.name });
  for (const node of keras3WeightKeys(canonical)) writeNode(root, node, child(model, node));
  const flavor = model.fileInfo?.activationFlavor ?? "keras3";
  if (usesKeras2HardSigmoid(model))
    warn(
      `model '${model.name}': saved with Keras 2's hard_sigmoid (clip(0.2x + 0.5, 0, 1)); Keras 3 reads ` +
        `'hard_sigmoid' as relu6(x + 3) / 6, so Keras would compute differently. gradlens records the flavor ` +
        `in metadata.json and reloads it exactly.`,
    );
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const metadata = {
    keras_version: SAVED_KERAS_VERSION,
    date_saved: date,
    gradlens: { activation_flavor: flavor },
  };
  const enc = new TextEncoder();
  return writeZip([
    ["metadata.json", enc.encode(JSON.stringify(metadata))],
    ["config.json", enc.encode(JSON.stringify(config))],
    ["model.weights.h5", writeHdf5(root)],
  ]);
}

/**
 * Saves `model` as a Keras 3 `.keras` file: to a path (Node), or `{ bytes: true }` for the bytes
 * alone. Resolves to the bytes written. `model.save(target)` calls this.
 *
 * @example
 * await saveModel(model, "model.keras");
 * const bytes = await saveModel(model, { bytes: true });
 */
export async function saveModel(model: Model, target: SaveTarget): Promise<Uint8Array> {
  if (typeof target === "object" && target !== null && target.bytes === true) return saveKerasBytes(model);
  if (typeof target !== "string")
    throw new ValueError(
      `model.save: expected a file path or { bytes: true }, got ${JSON.stringify(target)}`,
    );
  // Refused before encoding, so a browser does not serialize (and warn about) a model for nothing.
  if (!isNode)
    throw new ValueError(
      `model.save('${target}'): writing files needs Node; use model.save({ bytes: true })`,
    );
  const bytes = saveKerasBytes(model);
  const fs = await importNode("node:fs/promises", "model.save(path)");
  await fs.writeFile(target, bytes);
  return bytes;
}

// nn's `model.save` writes through this (nn cannot import io, which sits above it).
registerModelWriter(saveModel);
