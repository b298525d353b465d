/**
 * Inbound nodes and tensor lists in their three spellings:
 * - Keras 1: `[[["dense_1", 0, 0], …]]` — one list of `[layer, node, tensor]` per call;
 * - Keras 2 / tf.keras / TF.js: the same with a 4th kwargs entry, `[["dense_1", 0, 0, {}]]`, where
 *   tf.keras may nest the list or use a dict for structured inputs (`tf.nest` order: sorted keys);
 * - Keras 3: `[{args: [...], kwargs: {...}}]` with `{class_name: "__keras_tensor__", config:
 *   {keras_history: [layer, node, tensor]}}` leaves anywhere inside `args` and `kwargs`.
 */
import type { CanonicalNode, TensorRef } from "./types.js";
import {
  at,
  describe,
  expectArray,
  expectObject,
  fail,
  isObject,
  type JsonObject,
  type Where,
} from "./json.js";

const within = (where: Where, key: string | number): Where => ({
  label: where.label,
  path: at(where.path, key),
});

function isLegacyEntry(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    (value.length === 3 || value.length === 4) &&
    typeof value[0] === "string" &&
    typeof value[1] === "number" &&
    typeof value[2] === "number"
  );
}

function isKerasTensor(value: unknown): value is JsonObject {
  return isObject(value) && value.class_name === "__keras_tensor__";
}

function legacyRef(entry: unknown[], where: Where): TensorRef {
  const [layer, node, tensor] = entry;
  if (!Number.isInteger(node) || (node as number) < 0 || !Number.isInteger(tensor) || (tensor as number) < 0)
    fail(
      where.label,
      where.path,
      `expected [layer, node index, tensor index], got ${JSON.stringify(entry.slice(0, 3))}`,
    );
  return { layer: layer as string, node: node as number, tensor: tensor as number };
}

function kerasTensorRef(value: JsonObject, where: Where): TensorRef {
  const config = expectObject(value.config, within(where, "config"));
  const w = within(within(where, "config"), "keras_history");
  const history = expectArray(config.keras_history, w, "keras_history [layer, node, tensor]");
  if (history.length !== 3 || !isLegacyEntry(history))
    fail(w.label, w.path, `expected [layer, node, tensor], got ${JSON.stringify(history)}`);
  return legacyRef(history, w);
}

/** Depth-first flattening of a Keras 1/2 node (list, nested list or dict of entries). */
function flattenLegacy(value: unknown, where: Where, out: { ref: TensorRef; kwargs: unknown }[]): void {
  if (isLegacyEntry(value)) {
    out.push({ ref: legacyRef(value, where), kwargs: value[3] });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flattenLegacy(v, within(where, i), out));
  } else if (isObject(value)) {
    for (const key of Object.keys(value).sort()) flattenLegacy(value[key], within(where, key), out);
  } else {
    fail(
      where.label,
      where.path,
      `expected an inbound tensor [layer, node, tensor, kwargs], got ${describe(value)}`,
    );
  }
}

function legacyNode(node: unknown, where: Where): CanonicalNode {
  const entries: { ref: TensorRef; kwargs: unknown }[] = [];
  flattenLegacy(node, where, entries);
  const kwargs = entries[0]?.kwargs;
  if (kwargs !== undefined && !isObject(kwargs))
    fail(where.label, where.path, `expected the 4th entry to be a kwargs object, got ${describe(kwargs)}`);
  return { args: entries.map((e) => e.ref), kwargs: { ...(kwargs ?? {}) } };
}

/**
 * Replaces keras tensors by TensorRefs throughout a Keras 3 value and records them depth-first
 * (dicts in sorted-key order, as Keras 3's `tree.flatten` does); notes any non-tensor leaf.
 */
function mapKeras3(value: unknown, where: Where, refs: TensorRef[], leaf: { constant: boolean }): unknown {
  if (isKerasTensor(value)) {
    const ref = kerasTensorRef(value, where);
    refs.push(ref);
    return ref;
  }
  if (Array.isArray(value)) return value.map((v, i) => mapKeras3(v, within(where, i), refs, leaf));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value).sort()) out[k] = mapKeras3(value[k], within(where, k), refs, leaf);
    return out;
  }
  leaf.constant = true;
  return value;
}

function keras3Node(node: JsonObject, where: Where): CanonicalNode {
  const args = expectArray(node.args ?? [], within(where, "args"));
  const kwargsRaw = expectObject(node.kwargs ?? {}, within(where, "kwargs"));
  const refs: TensorRef[] = [];
  const leaf = { constant: false };
  const structure = mapKeras3(args, within(where, "args"), refs, leaf) as unknown[];
  const kwargs: JsonObject = {};
  for (const [k, v] of Object.entries(kwargsRaw)) kwargs[k] = mapKwarg(v, within(within(where, "kwargs"), k));
  const out: CanonicalNode = { args: refs, kwargs };
  if (leaf.constant) out.argStructure = structure;
  return out;
}

function mapKwarg(value: unknown, where: Where): unknown {
  if (isKerasTensor(value)) return kerasTensorRef(value, where);
  if (Array.isArray(value)) return value.map((v, i) => mapKwarg(v, within(where, i)));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapKwarg(v, within(where, k));
    return out;
  }
  return value;
}

/**
 * A layer's `inbound_nodes` in any dialect → canonical nodes (absent or null → none).
 *
 * @example
 * parseInboundNodes([[["input_1", 0, 0, {}], ["input_2", 0, 0, {}]]], where);
 * // [{ args: [{ layer: "input_1", node: 0, tensor: 0 }, { layer: "input_2", node: 0, tensor: 0 }], kwargs: {} }]
 */
export function parseInboundNodes(raw: unknown, where: Where): CanonicalNode[] {
  if (raw === undefined || raw === null) return [];
  const nodes = expectArray(raw, where, "a list of inbound nodes");
  return nodes.map((node, i) => {
    const w = within(where, i);
    if (isObject(node) && ("args" in node || "kwargs" in node)) return keras3Node(node, w);
    return legacyNode(node, w);
  });
}

/**
 * A model's `input_layers` / `output_layers`: one `[layer, node, tensor]`, a (nested) list of them,
 * or a dict of them (Keras 3 / tf.keras dict inputs, flattened in sorted-key order like `tree.flatten`).
 *
 * @example parseTensorList([["input_1", 0, 0]], where); // [{ layer: "input_1", node: 0, tensor: 0 }]
 */
export function parseTensorList(raw: unknown, where: Where): TensorRef[] {
  if (raw === undefined || raw === null) fail(where.label, where.path, "is missing");
  if (isLegacyEntry(raw) && raw.length === 3) return [legacyRef(raw, where)];
  const entries: { ref: TensorRef; kwargs: unknown }[] = [];
  flattenLegacy(raw, where, entries);
  return entries.map((e) => e.ref);
}
