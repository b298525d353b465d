/**
 * Keras 3 `.keras` archives: a zip of `config.json`, `metadata.json` and `model.weights.h5`
 * (Keras: keras/src/saving/saving_lib.py). Weights sit in `layers/<key>/vars/<i>` groups whose
 * keys `keras3WeightKeys` derives from the config; sub-objects (RNN cells, wrapped layers, nested
 * models, a custom layer's sub-layers) nest below their owner's group.
 *
 * Beyond what Keras reads, and each only when one reading fits (said in a warning, refused when two
 * do): Windows-separated group names (keras3Store.ts), tf.keras 2.13's `_layer_checkpoint_dependencies`
 * layout (keras3Layouts.ts), and a layer found by the name Keras ≥ 3.9 writes on `vars` (`byName`).
 */
import { array } from "../../ops/index.js";
import type { Layer } from "../../nn/layer.js";
import { Model } from "../../nn/model.js";
import { Sequential } from "../../nn/sequential.js";
import { keras3WeightKeys, type CanonicalModel, type Keras3WeightNode } from "../config/index.js";
import { ModelFormatError } from "../errors.js";
import type { H5Group } from "../containers/hdf5.js";
import { Keras3Store } from "./keras3Store.js";
import { moved, TF213_ROOT, tf213Layouts } from "./keras3Layouts.js";
import { warn } from "../../nn/warnings.js";
import { assignWeights, ownWeights, type StoredArray } from "./weights.js";
import { camelToSnake } from "../build/convert.js";
import { formatBytes, type EntryBudget, type ZipArchive } from "../containers/zip.js";

/**
 * Most bytes a `.keras` archive's `config.json` may hold. Real configs stay well under 2 MiB (a
 * few KB per layer, even for models with hundreds of layers); anything past this is padding or a
 * bomb, refused before it is inflated.
 */
export const KERAS_CONFIG_MAX_BYTES = 16 * 1024 ** 2;
/** Most bytes of `metadata.json` (Keras writes ~100 bytes: version, date). */
export const KERAS_METADATA_MAX_BYTES = 1024 ** 2;
/**
 * Per stored value: float64 at most, times four for a weight plus up to three optimizer slots
 * (Adam with AMSGrad) that Keras 3 saves beside it in `model.weights.h5`.
 */
const WEIGHT_BYTES_PER_PARAM = 8 * 4;
/**
 * HDF5 bookkeeping (object headers, B-trees, heaps, attributes) per weight array with its optimizer
 * slots, and per layer (its group, and state Keras saves that gradlens has no weight for: a
 * Dropout's seed generator, a lookup layer's vocabulary).
 */
const WEIGHT_OVERHEAD_PER_ITEM = 256 * 1024;
/** HDF5 superblock, root groups and the optimizer's scalars. */
const WEIGHT_OVERHEAD_FIXED = 1024 ** 2;

/**
 * What `model.weights.h5` may hold given the model the config built: its parameter count at the
 * widest dtype with optimizer slots, plus HDF5 bookkeeping per array and per layer. A model not
 * built yet (a Sequential without an input shape) has no shapes yet, so its parameter budget
 * (`maxParams`) stands in, and the archive's total cap is what binds.
 *
 * @example archive.read("model.weights.h5", kerasWeightsBudget(model, 2 ** 27));
 */
export function kerasWeightsBudget(model: Model, maxParams: number): EntryBudget {
  const params = model.built ? model.countParams() : maxParams;
  const arrays = model.built ? model.weights.length : 1024;
  const items = arrays + model.layers.length;
  const maxBytes = params * WEIGHT_BYTES_PER_PARAM + items * WEIGHT_OVERHEAD_PER_ITEM + WEIGHT_OVERHEAD_FIXED;
  const what = model.built
    ? `the weights of a model with ${params} parameters in ${arrays} arrays`
    : `the weights of a model within the ${maxParams}-parameter budget`;
  return { maxBytes, why: `${what} (${formatBytes(maxBytes)} at float64 with optimizer slots)` };
}

/**
 * Reads one entry a `.keras` file needs, under its budget; a missing entry is a `ModelFormatError`
 * that lists what the archive holds. Entries nobody asks for are never decompressed.
 *
 * @example const config = readKerasEntry(zip, "config.json", { maxBytes: KERAS_CONFIG_MAX_BYTES });
 */
export function readKerasEntry(zip: ZipArchive, name: string, budget: EntryBudget): Uint8Array {
  const data = zip.read(name, budget);
  if (data === undefined)
    throw new ModelFormatError(
      `${zip.label}: a zip, but not a Keras 3 .keras file: it has no '${name}' (entries: ${zip.entries
        .slice(0, 10)
        .map((e) => e.name)
        .join(", ")})`,
    );
  return data;
}

/** The datasets `0…n-1` of a `vars` group, in order. */
function varsArrays(g: H5Group, label: string): StoredArray[] {
  const keys = g.keys();
  const out: StoredArray[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (!keys.includes(String(i)))
      throw new ModelFormatError(
        `${label}: '${g.path}' should hold datasets 0…${keys.length - 1}, but has [${keys.join(", ")}]`,
      );
    const ds = g.dataset(String(i));
    const shape = ds.shape;
    out.push({
      name: `${g.path.slice(1)}/${i}`,
      where: `${label}: ${g.path.slice(1)}/${i}`,
      shape,
      read: () => array(ds.read(), { shape }),
    });
  }
  return out;
}

/** Loads a layer's own variables from `<path>/vars` (a missing group is fine for a layer without weights). */
function loadOwn(layer: Layer, h5: Keras3Store, path: string, label: string): void {
  const own = ownWeights(layer);
  const vars = `${path}/vars`;
  const group = h5.group(vars);
  if (group === undefined) {
    if (own.length === 0) return;
    throw new ModelFormatError(
      `${layer.name} (${layer.className}): expects ${own.length} weight(s) [${own.map((w) => w.name).join(", ")}], ` +
        `but ${label} has no group '${vars}'`,
    );
  }
  assignWeights(layer, own, varsArrays(group, label), `${label}: ${group.path.slice(1)}`);
}

/** The sub-layer a saveable attribute names (`cell`, `forward_layer`, `layer`, …). */
function attributeChild(layer: Layer, attribute: string): Layer | undefined {
  const v = (layer as unknown as Record<string, unknown>)[
    attribute.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
  ];
  return v !== null && typeof v === "object" && "weights" in v ? (v as Layer) : undefined;
}

/** A nested model's layer by name (a Sequential's input layer included). */
function modelChild(model: Model, name: string): Layer | undefined {
  if (model instanceof Sequential && model.inputLayer?.name === name) return model.inputLayer;
  return model.layers.find((l) => l.name === name);
}

const normKey = (k: string) => k.replace(/^_+/, "");

/**
 * The sub-layers of a custom layer with the keys Keras would save them under: Keras walks the
 * object's attributes (saving_lib.py `_walk_saveable`), so a Python attribute `projection` or
 * `_query_dense` is the group name. Here the TS property name in snake_case stands for it
 * (`queryDense` → `query_dense`, leading underscores ignored); lists of layers use the list key
 * scheme (`<prop>/<snake class>`, `_1`, …).
 */
function namedSubLayers(layer: Layer): Map<string, Layer> {
  const out = new Map<string, Layer>();
  const subs = new Set(layer.subLayers);
  for (const [prop, value] of Object.entries(layer)) {
    if (value instanceof Object && subs.has(value as Layer)) out.set(camelToSnake(prop), value as Layer);
  }
  for (const s of subs) if (![...out.values()].includes(s)) out.set(camelToSnake(s.name), s);
  return out;
}

/**
 * Walks the groups under a custom (opaque) layer: each child group is matched to a sub-layer by
 * key or by the `name` attribute Keras ≥3.9 writes on `vars`, and loaded the same way, recursively.
 */
function loadOpaque(layer: Layer, h5: Keras3Store, path: string, label: string): void {
  const subs = namedSubLayers(layer);
  const keys = h5.keys(path);
  const used = new Set<Layer>();
  for (const key of keys) {
    if (key === "vars") continue;
    const childPath = `${path}/${key}`;
    let sub = [...subs].find(([k]) => normKey(k) === normKey(key))?.[1];
    const childVars = h5.group(`${childPath}/vars`);
    if (sub === undefined && childVars !== undefined) {
      const attrs = childVars.attrs();
      sub = [...subs.values()].find((s) => s.name === attrs.name);
    }
    if (sub === undefined) {
      if (h5.hasDatasets(childPath))
        throw new ModelFormatError(
          `${layer.name} (${layer.className}): ${label} has weights under '${childPath}', but the layer has no ` +
            `sub-layer for '${key}' (its sub-layers: ${[...subs.keys()].join(", ") || "none"}); name the TS property ` +
            `like the Python attribute`,
        );
      continue;
    }
    used.add(sub);
    loadOwn(sub, h5, childPath, label);
    loadOpaque(sub, h5, childPath, label);
  }
  for (const [key, sub] of subs)
    if (!used.has(sub) && sub.weights.length > 0)
      throw new ModelFormatError(
        `${layer.name} (${layer.className}): its sub-layer '${sub.name}' (property ${key}) has weights, ` +
          `but ${label} has no group for it under '${path}' (groups: ${keys.join(", ")})`,
      );
}

function loadNode(node: Keras3WeightNode, layer: Layer, h5: Keras3Store, label: string): void {
  loadOwn(layer, h5, node.path, label);
  if (node.opaque) {
    if (h5.has(node.path)) loadOpaque(layer, h5, node.path, label);
    else if (layer.weights.length > ownWeights(layer).length)
      throw new ModelFormatError(`${layer.name} (${layer.className}): ${label} has no group '${node.path}'`);
    return;
  }
  node.children.forEach((child, i) => {
    const sub =
      child.attribute !== undefined
        ? attributeChild(layer, child.attribute)
        : layer instanceof Model
          ? modelChild(layer, child.layer)
          : layer.subLayers[i]; // a list entry (StackedRNNCells.cells): the sub-layer at its position
    if (sub === undefined)
      throw new ModelFormatError(
        `${layer.name} (${layer.className}): ${label} stores weights for '${child.path}', which this layer does not have`,
      );
    loadNode(layer instanceof Model ? byName(child, sub, h5, label) : child, sub, h5, label);
  });
}

/** The `name` attribute Keras ≥ 3.9 writes on a layer's `vars` group, if any. */
function nameOn(h5: Keras3Store, vars: string): string | undefined {
  const g = h5.group(vars);
  const name = g?.hasAttr("name") ? g.attr("name") : undefined;
  return typeof name === "string" ? name : undefined;
}

/**
 * Where a model's layer really is. Keras keys a layer's group by class (`layers/dense_1`), not by
 * name, and reads whatever sits there; Keras ≥ 3.9 also writes the layer's name on its `vars`
 * group. When that name is another layer's, or the keyed group is missing, the one sibling group
 * that carries this layer's name is used instead, and said; two such groups are refused.
 */
function byName(node: Keras3WeightNode, layer: Layer, h5: Keras3Store, label: string): Keras3WeightNode {
  if (layer.weights.length === 0) return node;
  const keyed = h5.group(node.vars);
  const named = keyed === undefined ? undefined : nameOn(h5, node.vars);
  if (named === layer.name || (keyed !== undefined && named === undefined)) return node;
  const parent = node.path.slice(0, node.path.lastIndexOf("/"));
  const hits = h5
    .keys(parent)
    .map((k) => `${parent}/${k}`)
    .filter((p) => p !== node.path && nameOn(h5, `${p}/vars`) === layer.name);
  if (hits.length > 1)
    throw new ModelFormatError(
      `${layer.name} (${layer.className}): ${label} has ${hits.length} groups named '${layer.name}' ` +
        `(${hits.map((p) => `'${p}/vars'`).join(", ")}); gradlens does not guess which holds its weights`,
    );
  const said = keyed === undefined ? "is missing" : `holds layer '${named}'`;
  if (hits.length === 0) {
    if (keyed !== undefined)
      h5.notes.push(
        `${label}: '${node.vars}' is named '${named}', not '${layer.name}', and no other group carries that ` +
          `name; loaded it into '${layer.name}' by its key, as Keras does`,
      );
    return node;
  }
  h5.notes.push(
    `${label}: read layer '${layer.name}' from '${hits[0]}/vars', the group named after it: the one Keras ` +
      `keys it by, '${node.vars}', ${said}`,
  );
  return moved(node, node.path, hits[0]);
}

function loadNodes(model: Model, nodes: Keras3WeightNode[], h5: Keras3Store, label: string): void {
  for (const node of nodes) {
    const layer = modelChild(model, node.layer);
    if (layer === undefined)
      throw new ModelFormatError(
        `${label}: the config has a layer '${node.layer}' that the built model lacks`,
      );
    loadNode(byName(node, layer, h5, label), layer, h5, label);
  }
}

/**
 * The weights sit under `_layer_checkpoint_dependencies/` (tf.keras 2.13): tries every reading of
 * that layout (keras3Layouts.ts), keeps the one that fits the whole model, and refuses when none
 * or two different ones fit.
 */
function loadTf213(
  model: Model,
  nodes: Keras3WeightNode[],
  h5: Keras3Store,
  label: string,
  first: ModelFormatError,
): string {
  const layouts = tf213Layouts(nodes, model);
  const fits: typeof layouts = [];
  const failures: string[] = [];
  for (const layout of layouts) {
    try {
      loadNodes(model, layout.nodes, h5, label);
      fits.push(layout);
    } catch (e) {
      if (!(e instanceof ModelFormatError)) throw e;
      failures.push(`${layout.name}: ${e.message}`);
    }
  }
  const distinct = fits.filter((f, i) => fits.findIndex((g) => g.key === f.key) === i);
  if (distinct.length === 0)
    throw new ModelFormatError(
      `${first.message}. The file keeps its weights under '${TF213_ROOT}/' (as tf.keras 2.13 wrote .keras files), ` +
        `but no reading of that layout fits the model: ${failures.join("; ")}`,
    );
  if (distinct.length > 1) {
    const [a, b] = distinct;
    const i = a.mapping.findIndex(([, p], k) => p !== b.mapping[k][1]);
    throw new ModelFormatError(
      `${label}: the weights under '${TF213_ROOT}/' fit the model two ways: layer '${a.mapping[i][0]}' could be ` +
        `'${a.mapping[i][1]}' (${a.name}) or '${b.mapping[i][1]}' (${b.name}); gradlens does not guess`,
    );
  }
  // A later reading that failed half-way may have overwritten some weights: load the winner again.
  if (fits[fits.length - 1] !== layouts[layouts.length - 1]) loadNodes(model, distinct[0].nodes, h5, label);
  const weighted = distinct[0].mapping.filter(
    ([, path]) => (h5.group(`${path}/vars`)?.keys().length ?? 0) > 0,
  );
  const shown = weighted.slice(0, 6).map(([layer, path]) => `'${layer}' from '${path}'`);
  return (
    `${label}: written by tf.keras 2.13, which keeps the weights under '${TF213_ROOT}/' instead of 'layers/' ` +
    `(read as ${distinct[0].name}): ${shown.join(", ")}${weighted.length > 6 ? ", …" : ""}`
  );
}

/**
 * Loads `model.weights.h5` into a model built from `canonical`, group by group as Keras 3 names them
 * (and, with a warning, the layouts described at the top of this file).
 *
 * @example loadKeras3Weights(model, canonical, openHdf5(files.get("model.weights.h5")!, label), label);
 */
export function loadKeras3Weights(model: Model, canonical: CanonicalModel, h5: H5Group, label: string): void {
  const store = new Keras3Store(h5, label);
  const nodes = keras3WeightKeys(canonical);
  let note: string | undefined;
  try {
    loadNodes(model, nodes, store, label);
  } catch (e) {
    if (!(e instanceof ModelFormatError) || !store.has(TF213_ROOT)) throw e;
    note = loadTf213(model, nodes, store, label, e);
  }
  const remapped = store.describeRemapped();
  if (remapped !== undefined) warn(remapped);
  if (note !== undefined) warn(note);
  for (const n of new Set(store.notes)) warn(n);
}
