/**
 * Where `.keras` files written by tf.keras 2.13 keep their weights, as candidate `Keras3WeightNode`
 * trees for the loader to try.
 *
 * tf.keras 2.13's saving_lib visited a model's attributes in `dir()` order, with no special case
 * for `layers`, so it reached the layers first through the private `_layer_checkpoint_dependencies`
 * (sorted before `layers`): an ordered dict that lists every layer as `layer-<i>` and, before
 * that, each layer *with weights* again as `layer_with_weights-<k>`
 * (keras/engine/functional.py). `_save_container_state` keys a container's entries by snake-cased
 * class name, counting every entry — so a layer with weights consumes two keys (the second visit
 * is skipped, nothing is written) and a Sequential `[Dense, Dense]` is saved at
 * `_layer_checkpoint_dependencies/dense` and `_layer_checkpoint_dependencies/dense_2`.
 *
 * Keras 3 (keras/src/saving/saving_lib.py `H5Entry`, "Fix for 2.13 compatibility") only replaces
 * `layers` by `_layer_checkpoint_dependencies` in the path it looks for, which finds the first
 * layer of each class but not the second (the failure reported in keras-team/keras#18830: two
 * Conv2D layers saved by 2.13 do not load in 2.14+). Both readings are offered; the loader keeps
 * the one that fits every weight of the model and refuses when two different ones do.
 */
import type { Layer } from "../../nn/layer.js";
import { Model } from "../../nn/model.js";
import { Sequential } from "../../nn/sequential.js";
import { kerasSnakeCase, type Keras3WeightNode } from "../config/index.js";

/**
 * The group tf.keras 2.13 put the layers' weights under.
 *
 * @example store.has(TF213_ROOT) // a .keras written by tf.keras 2.13
 */
export const TF213_ROOT = "_layer_checkpoint_dependencies";

/**
 * One reading of the layout: the node tree to load, a name for messages, and the top-level
 * mapping (layer name → group) that identifies it.
 *
 * @example const { name, nodes, mapping } = tf213Layouts(nodes, model)[0];
 */
export interface WeightLayout {
  name: string;
  nodes: Keras3WeightNode[];
  /** `[layer name, group path]` for every node, depth-first. */
  mapping: [string, string][];
  /** `mapping` as one string, to tell two layouts apart. */
  key: string;
}

/**
 * `node` and everything below it moved from the path prefix `from` to `to`.
 *
 * @example moved(node, "layers/dense_1", "layers/dense_3").vars; // "layers/dense_3/vars"
 */
export function moved(node: Keras3WeightNode, from: string, to: string): Keras3WeightNode {
  const path = to + node.path.slice(from.length);
  return { ...node, path, vars: `${path}/vars`, children: node.children.map((c) => moved(c, from, to)) };
}

function childOf(model: Model, name: string): Layer | undefined {
  if (model instanceof Sequential && model.inputLayer?.name === name) return model.inputLayer;
  return model.layers.find((l) => l.name === name);
}

/** A model's layer list re-keyed as tf.keras 2.13 did (a layer with weights uses two keys). */
function tf213List(nodes: Keras3WeightNode[], model: Model, prefix: string): Keras3WeightNode[] {
  const used = new Map<string, number>();
  const take = (base: string) => {
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  };
  return nodes.map((node) => {
    const layer = childOf(model, node.layer);
    const base = kerasSnakeCase(node.className);
    const key = take(base);
    if (layer !== undefined && layer.weights.length > 0) take(base); // its `layer-<i>` entry
    const out = moved(node, node.path, `${prefix}/${key}`);
    if (layer instanceof Model) out.children = tf213List(out.children, layer, `${out.path}/${TF213_ROOT}`);
    return out;
  });
}

function layout(name: string, nodes: Keras3WeightNode[]): WeightLayout {
  const mapping: [string, string][] = [];
  const walk = (ns: Keras3WeightNode[]) =>
    ns.forEach((n) => {
      mapping.push([n.layer, n.path]);
      walk(n.children);
    });
  walk(nodes);
  return { name, nodes, mapping, key: mapping.map(([l, p]) => `${l}=${p}`).join("\n") };
}

/**
 * The readings of a tf.keras 2.13 `.keras` weights file for the Keras 3 key tree `nodes` of
 * `model` (built, so it is known which layers have weights): tf.keras 2.13's own keys, and Keras
 * 3's fallback (every `layers` in a path replaced, as Python's `str.replace` does).
 *
 * @example tf213Layouts(keras3WeightKeys(canonical), model).map((l) => l.name);
 */
export function tf213Layouts(nodes: Keras3WeightNode[], model: Model): WeightLayout[] {
  const keras3 = (n: Keras3WeightNode): Keras3WeightNode => {
    const path = n.path.replaceAll("layers", TF213_ROOT);
    return { ...n, path, vars: `${path}/vars`, children: n.children.map(keras3) };
  };
  return [
    layout("tf.keras 2.13 keys", tf213List(nodes, model, TF213_ROOT)),
    layout("Keras 3's 2.13 fallback", nodes.map(keras3)),
  ];
}
