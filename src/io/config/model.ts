/**
 * Sequential and functional model configs → `CanonicalModel`, including Keras 1's Sequential that
 * starts with a branch-merging `Merge`, and the graph checks every loader would otherwise repeat.
 */
import type { CanonicalLayer, CanonicalModel, CanonicalNode, TensorRef } from "./types.js";
import { at, expectArray, expectObject, fail, isObject, optionalString, type Where } from "./json.js";
import { isModelClass, normalizeLayer, type Ctx, type DeclaredInput } from "./layer.js";
import { parseTensorList } from "./nodes.js";
import { normalizeDtype } from "./values.js";
import { UnsupportedLayerError } from "../errors.js";

/**
 * The body of a model: `className` is `Sequential`, `Model` or `Functional`; `path` is the JSON
 * path of its config (`""` at the top, `layers[2].config` when nested).
 */
export function normalizeModelBody(
  className: string,
  rawConfig: unknown,
  ctx: Ctx,
  path: string,
): CanonicalModel {
  if (className === "Sequential") return sequential(rawConfig, ctx, path);
  if (className === "Model" || className === "Functional") return functional(rawConfig, ctx, path);
  throw new UnsupportedLayerError(
    `${ctx.label}: ${path || "class_name"}: model class '${className}' is not a Sequential or functional model; ` +
      "subclassed models contain Python code and cannot be loaded from their config",
  );
}

function base(ctx: Ctx): Pick<CanonicalModel, "kerasVersion" | "backend" | "source" | "kerasMajor"> {
  const d = ctx.dialect;
  const out: Pick<CanonicalModel, "kerasVersion" | "backend" | "source" | "kerasMajor"> = {
    source: d.source,
    kerasMajor: d.kerasMajor,
  };
  if (d.kerasVersion !== undefined) out.kerasVersion = d.kerasVersion;
  if (d.backend !== undefined) out.backend = d.backend;
  return out;
}

const ref = (layer: CanonicalLayer): TensorRef => ({ layer: layer.name, node: 0, tensor: 0 });
const callOn = (args: TensorRef[]): CanonicalNode => ({ args, kwargs: {} });

function inputLayer(name: string, declared: DeclaredInput): CanonicalLayer {
  return {
    className: "InputLayer",
    name,
    config: { name, batch_shape: [...declared.batchShape], dtype: declared.dtype, sparse: false },
    inboundNodes: [],
  };
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 1; taken.has(name); i++) name = `${wanted}_${i}`;
  return name;
}

/** Each layer consumes the previous one's output (what Keras' Sequential does). */
function chain(layers: CanonicalLayer[], from: number): void {
  for (let i = Math.max(from, 1); i < layers.length; i++)
    layers[i].inboundNodes = [callOn([ref(layers[i - 1])])];
}

function sequential(rawConfig: unknown, ctx: Ctx, path: string): CanonicalModel {
  const where: Where = { label: ctx.label, path };
  // Keras 1 and 2.0–2.1 wrote the layer list itself; 2.2+ wrote {name, layers, build_input_shape?}.
  const cfg = Array.isArray(rawConfig)
    ? undefined
    : expectObject(rawConfig, where, "a Sequential config {name, layers}");
  const list = cfg
    ? expectArray(cfg.layers, { label: ctx.label, path: at(path, "layers") })
    : (rawConfig as unknown[]);
  const name =
    (cfg && optionalString(cfg.name, { label: ctx.label, path: at(path, "name") })) ?? "sequential";
  const layersPath = at(path, "layers");
  if (list.length === 0) fail(ctx.label, layersPath, `Sequential model '${name}' has no layers`);
  const first = list[0];
  if (
    isObject(first) &&
    first.class_name === "Merge" &&
    isObject(first.config) &&
    Array.isArray(first.config.layers)
  )
    return keras1MergeSequential(list, name, ctx, path);

  const results = list.map((raw, i) => normalizeLayer(raw, ctx, at(layersPath, i), false));
  const layers = results.map((r) => r.layer);
  if (layers[0].className !== "InputLayer") {
    const declared = results[0].declaredInput ?? buildInputShape(cfg, ctx, path);
    const taken = new Set(layers.map((l) => l.name));
    if (declared) layers.unshift(inputLayer(uniqueName(`${layers[0].name}_input`, taken), declared));
  }
  chain(layers, 0);
  const inputs = layers[0].className === "InputLayer" ? [ref(layers[0])] : [];
  const model: CanonicalModel = {
    kind: "sequential",
    name,
    layers,
    inputs,
    outputs: [ref(layers.at(-1)!)],
    ...base(ctx),
  };
  checkGraph(model, ctx, path);
  return model;
}

/** Keras 3 and tf.keras Sequential configs may record `build_input_shape` instead of an InputLayer. */
function buildInputShape(
  cfg: Record<string, unknown> | undefined,
  ctx: Ctx,
  path: string,
): DeclaredInput | undefined {
  const shape = cfg?.build_input_shape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => d === null || Number.isInteger(d)))
    return undefined;
  return {
    batchShape: shape as (number | null)[],
    dtype: normalizeDtype(cfg!.dtype, { label: ctx.label, path: at(path, "dtype") }),
  };
}

/**
 * Keras 1 Sequential whose first layer is a `Merge` of branch models (keras 1.2 models.py
 * `Sequential.get_config` stores the branches in `Merge.config.layers`; Keras 2's
 * `Sequential.legacy_from_config` rebuilt them). Becomes a functional model: each branch's layers
 * (with their InputLayer), then the merge layer called on the branch outputs, then the rest in a chain.
 */
function keras1MergeSequential(list: unknown[], name: string, ctx: Ctx, path: string): CanonicalModel {
  const mergePath = at(at(path, "layers"), 0);
  const merge = list[0] as { config: Record<string, unknown> };
  const { layers: branches, ...mergeConfig } = merge.config as { layers: unknown[] } & Record<
    string,
    unknown
  >;
  const layers: CanonicalLayer[] = [];
  const inputs: TensorRef[] = [];
  const branchOutputs: TensorRef[] = [];
  branches.forEach((branch, k) => {
    const bp = at(at(at(mergePath, "config"), "layers"), k);
    const b = expectObject(branch, { label: ctx.label, path: bp }, "a Merge branch {class_name, config}");
    if (isModelClass(b.class_name)) {
      const m = normalizeModelBody(
        b.class_name,
        b.config,
        { ...ctx, depth: ctx.depth + 1 },
        at(bp, "config"),
      );
      if (m.inputs.length === 0) fail(ctx.label, bp, "Merge branch records no input shape");
      layers.push(...m.layers);
      inputs.push(...m.inputs);
      branchOutputs.push(...m.outputs);
    } else {
      const r = normalizeLayer(b, ctx, bp, false);
      if (!r.declaredInput) fail(ctx.label, bp, "Merge branch layer records no batch_input_shape");
      const input = inputLayer(`${r.layer.name}_input`, r.declaredInput);
      r.layer.inboundNodes = [callOn([ref(input)])];
      layers.push(input, r.layer);
      inputs.push(ref(input));
      branchOutputs.push(ref(r.layer));
    }
  });
  const mergeLayer = normalizeLayer(
    { class_name: "Merge", config: mergeConfig },
    ctx,
    mergePath,
    false,
  ).layer;
  mergeLayer.inboundNodes = [callOn(branchOutputs)];
  const start = layers.length;
  layers.push(mergeLayer);
  list
    .slice(1)
    .forEach((raw, i) => layers.push(normalizeLayer(raw, ctx, at(at(path, "layers"), i + 1), false).layer));
  chain(layers, start + 1);
  const model: CanonicalModel = {
    kind: "functional",
    name,
    layers,
    inputs,
    outputs: [ref(layers.at(-1)!)],
    ...base(ctx),
  };
  checkGraph(model, ctx, path);
  return model;
}

function functional(rawConfig: unknown, ctx: Ctx, path: string): CanonicalModel {
  const where: Where = { label: ctx.label, path };
  const cfg = expectObject(
    rawConfig,
    where,
    "a functional model config {name, layers, input_layers, output_layers}",
  );
  const name = optionalString(cfg.name, { label: ctx.label, path: at(path, "name") }) ?? "functional";
  const layersPath = at(path, "layers");
  const list = expectArray(cfg.layers, { label: ctx.label, path: layersPath });
  const layers = list.map((raw, i) => normalizeLayer(raw, ctx, at(layersPath, i), true).layer);
  const inputs = parseTensorList(cfg.input_layers, { label: ctx.label, path: at(path, "input_layers") });
  const outputs = parseTensorList(cfg.output_layers, { label: ctx.label, path: at(path, "output_layers") });
  const model: CanonicalModel = { kind: "functional", name, layers, inputs, outputs, ...base(ctx) };
  checkGraph(model, ctx, path);
  return model;
}

/**
 * Unique layer names; every tensor reference (inbound args, Keras 3 kwargs tensors, model inputs and
 * outputs) names an existing layer and one of its calls; no layer call depends on itself.
 */
function checkGraph(model: CanonicalModel, ctx: Ctx, path: string): void {
  const layersPath = at(path, "layers");
  const byName = new Map<string, { layer: CanonicalLayer; index: number }>();
  model.layers.forEach((layer, index) => {
    const seen = byName.get(layer.name);
    if (seen)
      fail(
        ctx.label,
        at(layersPath, index),
        `duplicate layer name '${layer.name}' (also ${at(layersPath, seen.index)})`,
      );
    byName.set(layer.name, { layer, index });
  });
  const headless = model.kind === "sequential" && model.inputs.length === 0 ? model.layers[0] : undefined;
  const check = (r: TensorRef, where: string): void => {
    const target = byName.get(r.layer);
    if (!target)
      fail(ctx.label, where, `refers to layer '${r.layer}', which model '${model.name}' does not have`);
    const calls = target.layer.inboundNodes.length;
    // A Sequential model that records no input shape starts with a layer nothing calls in the file
    // (it is called on the model's input at run time).
    const entry = target.layer.className === "InputLayer" || target.layer === headless;
    const available = (entry ? Math.max(calls, 1) : calls) + nestedNodeOffset(target.layer, ctx);
    if (r.node >= available)
      fail(
        ctx.label,
        where,
        `refers to call ${r.node} of layer '${r.layer}', which has ${available} call(s)`,
      );
  };
  model.layers.forEach((layer, i) =>
    layer.inboundNodes.forEach((node, n) => {
      const where = at(at(at(layersPath, i), "inbound_nodes"), n);
      node.args.forEach((r) => check(r, where));
      for (const r of kwargTensors(node.kwargs)) check(r, where);
    }),
  );
  model.inputs.forEach((r, i) => check(r, at(at(path, "input_layers"), i)));
  model.outputs.forEach((r, i) => check(r, at(at(path, "output_layers"), i)));
  checkAcyclic(model, ctx, layersPath);
}

/**
 * Keras numbers the calls of a nested model from 1 in the configs it writes: a Network (Keras 2,
 * tf.keras; Sequential included) or a Functional (Keras 3) starts with its own node linking its
 * inputs to its outputs (keras/src/models/functional.py `get_config`: `kept_nodes = 1`).
 */
export function nestedNodeOffset(layer: CanonicalLayer, ctx: Ctx): number {
  if (layer.nested === undefined) return 0;
  return ctx.dialect.source === "keras3" && layer.nested.kind === "sequential" ? 0 : 1;
}

function* kwargTensors(value: unknown): Generator<TensorRef> {
  if (Array.isArray(value)) for (const v of value) yield* kwargTensors(v);
  else if (isObject(value)) {
    const keys = Object.keys(value);
    if (
      keys.length === 3 &&
      typeof value.layer === "string" &&
      Number.isInteger(value.node) &&
      Number.isInteger(value.tensor)
    )
      yield value as unknown as TensorRef;
    else for (const k of keys) yield* kwargTensors(value[k]);
  }
}

/** Depth-first search over layer calls (`layer#node`), iterative so deep chains cannot overflow. */
function checkAcyclic(model: CanonicalModel, ctx: Ctx, layersPath: string): void {
  const deps = new Map<string, string[]>();
  const position = new Map<string, number>();
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const local = (r: TensorRef) => {
    const target = byName.get(r.layer);
    const offset = target ? nestedNodeOffset(target, ctx) : 0;
    return offset > 0 && r.node >= offset ? r.node - offset : r.node;
  };
  model.layers.forEach((layer, i) =>
    layer.inboundNodes.forEach((node, n) => {
      const key = `${layer.name}#${n}`;
      position.set(key, i);
      deps.set(
        key,
        [...node.args, ...kwargTensors(node.kwargs)].map((r) => `${r.layer}#${local(r)}`),
      );
    }),
  );
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const stack: { key: string; next: number }[] = [{ key: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = deps.get(top.key) ?? [];
      if (top.next >= children.length) {
        state.set(top.key, 2);
        stack.pop();
        continue;
      }
      const child = children[top.next++];
      if (state.get(child) === 1)
        fail(
          ctx.label,
          at(layersPath, position.get(top.key)!),
          `the graph has a cycle through layer call '${child}'`,
        );
      if (!state.has(child)) {
        state.set(child, 1);
        stack.push({ key: child, next: 0 });
      }
    }
  }
}
