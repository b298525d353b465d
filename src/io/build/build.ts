/**
 * A canonical model (src/io/config) → a gradlens `Model`: every layer built through the registry,
 * a Sequential model as a `Sequential`, a functional model by replaying its recorded layer calls on
 * symbolic tensors (Keras: keras/src/models/functional.py `functional_from_config`).
 */
import { GradlensError } from "../../core/errors.js";
import type { KerasFlavor } from "../../nn/activations.js";
import type { Layer, ShapeTree } from "../../nn/layer.js";
import { InputLayer } from "../../nn/layers/core/inputLayer.js";
import { Model } from "../../nn/model.js";
import { Sequential } from "../../nn/sequential.js";
import type { SymbolicTensor } from "../../nn/layer.js";
import type { SymbolicShape } from "../../nn/symbolic.js";
import { withWeightCheck, type WeightCheck } from "../../nn/weightCheck.js";
import "./builtins.js";
import {
  isCustomLayer,
  isTensorRef,
  type CanonicalLayer,
  type CanonicalModel,
  type CanonicalNode,
  type KerasMajor,
  type KerasSource,
  type TensorRef,
} from "../config/index.js";
import { checkBuilt, snakeToCamel, toLayerOptions } from "./convert.js";
import { ModelFormatError, UnsupportedLayerError } from "../errors.js";
import {
  CODE_CLASSES,
  customOrigin,
  layerBuilder,
  type LayerBuildContext,
  type LayerBuilder,
} from "./registry.js";
import { nameTable } from "../../core/table.js";

/**
 * Everything building needs to know about the file.
 *
 * @example const opts: BuildOptions = { label: "m.h5", kerasMajor: 2, source: "keras2", activationFlavor: "keras2" };
 */
export interface BuildOptions {
  /** Names the file in every error. */
  label: string;
  kerasMajor: KerasMajor;
  source: KerasSource;
  activationFlavor: KerasFlavor;
  /** Builders for specific layers by name (e.g. a re-implemented Lambda). */
  overrides?: Record<string, LayerBuilder>;
  /** Most weight scalars the model may create (checked before each weight is allocated). */
  budget?: ParamBudget;
}

/**
 * How many weight scalars a model being loaded may still create.
 *
 * @example const budget: ParamBudget = { remaining: DEFAULT_MAX_PARAMS, limit: DEFAULT_MAX_PARAMS };
 */
export interface ParamBudget {
  remaining: number;
  readonly limit: number;
}

/**
 * Default cap on the weights one model may create: 2^27 scalars (1 GiB in float64).
 *
 * @example loadModel(file, { maxParams: 4 * DEFAULT_MAX_PARAMS });
 */
export const DEFAULT_MAX_PARAMS = 2 ** 27;

/**
 * The weight check (nn's allocation hook) that enforces `budget`: each weight's size is counted
 * before it is allocated — sub-layers made inside `build` included — so a config claiming absurd
 * sizes fails with a ModelFormatError instead of exhausting memory.
 *
 * @example withWeightCheck(budgetCheck(budget, "m.keras"), () => model.maybeBuild([null, 4]));
 */
export function budgetCheck(budget: ParamBudget | undefined, label: string): WeightCheck | null {
  if (budget === undefined) return null;
  return ({ layerName, className, weightName, shape }) => {
    const n = shape.reduce((a, d) => a * (Number.isFinite(d) && d >= 0 ? d : Infinity), 1);
    if (!(n <= budget.remaining))
      throw new ModelFormatError(
        `${layerWhere(label, layerName, className)}: weight '${weightName}' of shape [${shape.join(",")}] ` +
          `(${n} values) would take the model past ${budget.limit} weight values (option maxParams); ` +
          `the config is corrupt or hostile`,
      );
    budget.remaining -= n;
  };
}

/**
 * `label: layer 'x' (Class): message`, the prefix of every per-layer error.
 *
 * @example layerWhere("m.h5", "dense_1", "Dense"); // "m.h5: layer 'dense_1' (Dense)"
 */
export const layerWhere = (label: string, name: string, className: string): string =>
  `${label}: layer '${name}' (${className})`;

/**
 * Turns gradlens validation errors (ValueError, ShapeError, …) into ModelFormatErrors naming the layer.
 *
 * @example throw asFormatError(e, layerWhere(label, name, cls), "building the layer");
 */
export function asFormatError(e: unknown, where: string, doing: string): Error {
  if (e instanceof ModelFormatError || e instanceof UnsupportedLayerError) return e;
  const message = e instanceof GradlensError || e instanceof Error ? e.message : String(e);
  return new ModelFormatError(`${where}: ${doing} failed: ${message}`);
}

function lambdaError(layer: CanonicalLayer, label: string): UnsupportedLayerError {
  return new UnsupportedLayerError(
    `Unsupported layer class '${layer.className}' in ${label} (layer '${layer.name}'): ${layer.className} ` +
      `layers hold Python code (a serialized function or op), which gradlens never executes. Re-implement ` +
      `what it computes as a gradlens Layer and pass it for this layer: loadModel(source, { overrides: ` +
      `{ ${JSON.stringify(layer.name)}: (config, ctx) => new MyLayer({ name: ctx.layerName }) } })`,
  );
}

function unknownClassError(layer: CanonicalLayer, label: string): UnsupportedLayerError {
  const origin =
    layer.module !== undefined && !/^keras(\.|$)/.test(layer.module)
      ? `, from the Python module ${layer.module}`
      : "";
  return new UnsupportedLayerError(
    `Unsupported layer class '${layer.className}' in ${label} (layer '${layer.name}'${origin}): gradlens has ` +
      `no implementation registered for it. Write it as a gradlens Layer and register it before loading: ` +
      `registerLayer(${JSON.stringify(layer.className)}, (config, ctx) => new ${safeIdent(layer.className)}(config))`,
  );
}

const safeIdent = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : "MyLayer");

/**
 * Builds one canonical layer (a nested model, an override, or a registry entry).
 *
 * @example const lstm = buildLayer(canonical.layers[1], { label: "m.h5", kerasMajor: 2, source: "keras2", activationFlavor: "keras2" });
 */
export function buildLayer(layer: CanonicalLayer, opts: BuildOptions): Layer {
  if (layer.nested) return buildModel(layer.nested, opts, layer.name);
  const where = layerWhere(opts.label, layer.name, layer.className);
  const ctx: LayerBuildContext = {
    className: layer.className,
    layerName: layer.name,
    label: opts.label,
    kerasMajor: opts.kerasMajor,
    activationFlavor: opts.activationFlavor,
    canonical: layer,
    buildLayer: (inner) => buildLayer(inner, opts),
  };
  const override = opts.overrides?.[layer.name];
  let builder: LayerBuilder | undefined = override;
  if (builder === undefined) {
    if (CODE_CLASSES.has(layer.className)) throw lambdaError(layer, opts.label);
    builder = layerBuilder(layer.className);
  }
  if (builder === undefined) throw unknownClassError(layer, opts.label);
  const options = toLayerOptions(layer, ctx);
  try {
    const built = checkBuilt(builder(options, ctx), ctx);
    if (isCustomLayer(layer))
      customOrigin.set(built, { module: layer.module, registeredName: layer.registeredName });
    return built;
  } catch (e) {
    throw asFormatError(e, where, "building the layer from its config");
  }
}

/**
 * Builds a canonical model: a `Sequential` or a functional `Model`. A Sequential without a recorded
 * input shape is left unbuilt (it builds on its first call, as Keras does).
 *
 * @example const model = buildModel(normalizeModelConfig(raw, { label: "m.json" }), opts);
 */
export function buildModel(model: CanonicalModel, opts: BuildOptions, nameOverride?: string): Model {
  const name = nameOverride ?? model.name;
  return withWeightCheck(budgetCheck(opts.budget, opts.label), () =>
    model.kind === "sequential" ? buildSequential(model, opts, name) : buildFunctional(model, opts, name),
  );
}

function buildSequential(model: CanonicalModel, opts: BuildOptions, name: string): Sequential {
  const built = model.layers.map((l) => buildLayer(l, opts));
  const head = built[0] instanceof InputLayer ? built[0] : null;
  const stack = head === null ? built : built.slice(1);
  const seq = new Sequential([], { name });
  for (const l of stack) seq.add(l);
  if (head === null) return seq;
  // Build layer by layer first, so an error names the layer that failed.
  let shape: ShapeTree = head.batchInputShape!.slice();
  model.layers.slice(1).forEach((c, i) => {
    const layer = stack[i];
    try {
      layer.maybeBuild(shape);
      shape = layer.computeOutputShape(shape);
    } catch (e) {
      throw asFormatError(
        e,
        layerWhere(opts.label, c.name, c.className),
        `building it for inputs of shape ${fmt(shape as SymbolicShape)}`,
      );
    }
  });
  seq.inputLayer = head;
  seq.build(head.batchInputShape!.slice());
  return seq;
}

const fmt = (s: SymbolicShape) =>
  Array.isArray(s) ? `[${s.map((d) => (d === null ? "None" : String(d))).join(", ")}]` : JSON.stringify(s);

/** Node indices Keras writes for a nested model are offset by its own first node (functional.py get_config). */
function nodeOffset(target: CanonicalLayer | undefined, source: KerasSource): number {
  if (target?.nested === undefined) return 0;
  // Keras 2/tf.keras: every Network starts with a node linking its inputs to its outputs; Keras 3:
  // only Functional does (Sequential is not a Functional subclass there).
  return source === "keras3" && target.nested.kind === "sequential" ? 0 : 1;
}

/** Call kwargs that carry tensors, per class (Keras 3 records them as keras tensors, tf.keras as `[layer, node, tensor]`). */
const TENSOR_KWARGS: Record<string, string[]> = nameTable({
  MultiHeadAttention: ["value", "key", "attention_mask", "query_mask", "value_mask", "key_mask"],
});
const RNN_LIKE = /^(RNN|SimpleRNN|LSTM|GRU|ConvLSTM[123]D|Bidirectional)$/;

function isLegacyRef(v: unknown): v is [string, number, number] {
  return (
    Array.isArray(v) &&
    (v.length === 3 || v.length === 4) &&
    typeof v[0] === "string" &&
    Number.isInteger(v[1]) &&
    Number.isInteger(v[2])
  );
}

interface GraphState {
  model: CanonicalModel;
  opts: BuildOptions;
  byName: Map<string, { canonical: CanonicalLayer; layer: Layer }>;
  /** Outputs of each layer call, per layer name, in call order. */
  produced: Map<string, SymbolicTensor[][]>;
}

function resolveRef(ref: TensorRef, state: GraphState): SymbolicTensor | undefined {
  const target = state.byName.get(ref.layer);
  const calls = state.produced.get(ref.layer) ?? [];
  const offset = nodeOffset(target?.canonical, state.model.source);
  const node = offset > 0 && ref.node >= offset ? ref.node - offset : ref.node;
  return calls[node]?.[ref.tensor];
}

/**
 * A kwarg value as tensor refs (Keras 3 TensorRefs or tf.keras triples), flattened in order (Keras 3
 * nests a StackedRNNCells' initial states per cell), or null when it holds none.
 */
function kwargRefs(value: unknown): TensorRef[] | null {
  if (isTensorRef(value)) return [value];
  if (isLegacyRef(value)) return [{ layer: value[0], node: value[1], tensor: value[2] }];
  if (!Array.isArray(value) || value.length === 0) return null;
  const parts = value.map(kwargRefs);
  return parts.every((p) => p !== null) ? parts.flat() : null;
}

/** The inputs and call options of one recorded call, or null if an input is not computed yet. */
function callArguments(
  c: CanonicalLayer,
  node: CanonicalNode,
  state: GraphState,
): { inputs: unknown; kwargs: Record<string, unknown> } | null {
  const where = layerWhere(state.opts.label, c.name, c.className);
  if (node.argStructure !== undefined)
    throw new UnsupportedLayerError(
      `${where}: its call has non-tensor positional arguments (${JSON.stringify(node.argStructure).slice(0, 80)}), which are not supported`,
    );
  const args: SymbolicTensor[] = [];
  for (const ref of node.args) {
    const t = resolveRef(ref, state);
    if (t === undefined) return null;
    args.push(t);
  }
  const keras3 = state.model.source === "keras3";
  const tensorKeys = RNN_LIKE.test(c.className) ? ["initial_state"] : (TENSOR_KWARGS[c.className] ?? []);
  const kwargs: Record<string, unknown> = {};
  const named: Record<string, SymbolicTensor | SymbolicTensor[]> = {};
  for (const [key, value] of Object.entries(node.kwargs)) {
    const refs = tensorKeys.includes(key) || keras3 ? kwargRefs(value) : null;
    if (refs !== null) {
      if (!tensorKeys.includes(key))
        throw new UnsupportedLayerError(
          `${where}: its call passes a tensor as '${key}', which is not supported`,
        );
      const ts: SymbolicTensor[] = [];
      for (const r of refs) {
        const t = resolveRef(r, state);
        if (t === undefined) return null;
        ts.push(t);
      }
      named[key] = Array.isArray(value) && !isLegacyRef(value) ? ts : ts[0];
      continue;
    }
    // Keras 1/2 kwargs are data as written (tensors there are indistinguishable from lists):
    // only scalar options reach the layer; `training` and `mask` never do.
    if (key === "training" || key === "mask") continue;
    if (value === null || ["boolean", "number", "string"].includes(typeof value))
      kwargs[snakeToCamel(key)] = value;
  }
  let inputs: unknown = args.length === 1 ? args[0] : args;
  if ("initial_state" in named) {
    const states = named.initial_state;
    inputs = [args[0], ...(Array.isArray(states) ? states : [states])];
  } else if (c.className === "MultiHeadAttention" && Object.keys(named).length > 0) {
    const obj: Record<string, unknown> = { query: args[0], value: named.value ?? args[1] };
    if (named.key !== undefined) obj.key = named.key;
    else if (args[2] !== undefined) obj.key = args[2];
    if (named.attention_mask !== undefined) obj.attentionMask = named.attention_mask;
    inputs = obj;
  }
  return { inputs, kwargs };
}

function buildFunctional(model: CanonicalModel, opts: BuildOptions, name: string): Model {
  const state: GraphState = { model, opts, byName: new Map(), produced: new Map() };
  for (const c of model.layers) {
    const layer = buildLayer(c, opts);
    state.byName.set(c.name, { canonical: c, layer });
    state.produced.set(c.name, layer instanceof InputLayer ? [[layer.output]] : []);
  }
  // Keras replays calls in passes until every node is made (functional.py `process_node` queue):
  // a layer's calls happen in their recorded order, each once all its inputs exist.
  const next = new Map(model.layers.map((c) => [c.name, 0]));
  let remaining = model.layers.reduce(
    (n, c) => n + (c.className === "InputLayer" ? 0 : c.inboundNodes.length),
    0,
  );
  while (remaining > 0) {
    let progressed = false;
    for (const c of model.layers) {
      if (c.className === "InputLayer") continue;
      const entry = state.byName.get(c.name)!;
      for (let k = next.get(c.name)!; k < c.inboundNodes.length; k = next.get(c.name)!) {
        const call = callArguments(c, c.inboundNodes[k], state);
        if (call === null) break;
        let out: unknown;
        try {
          out = entry.layer.apply(call.inputs as never, call.kwargs);
        } catch (e) {
          throw asFormatError(e, layerWhere(opts.label, c.name, c.className), `calling it (call ${k})`);
        }
        state.produced
          .get(c.name)!
          .push(Array.isArray(out) ? (out as SymbolicTensor[]) : [out as SymbolicTensor]);
        next.set(c.name, k + 1);
        remaining--;
        progressed = true;
      }
    }
    if (!progressed) {
      const stuck = model.layers.find(
        (c) => c.className !== "InputLayer" && next.get(c.name)! < c.inboundNodes.length,
      )!;
      throw new ModelFormatError(
        `${opts.label}: model '${name}': the call of layer '${stuck.name}' (${stuck.className}) can never run: ` +
          `its inputs are not produced by any other call (a cycle or a missing input)`,
      );
    }
  }
  const pick = (refs: TensorRef[], what: string): SymbolicTensor[] =>
    refs.map((r) => {
      const t = resolveRef(r, state);
      if (t === undefined)
        throw new ModelFormatError(
          `${opts.label}: model '${name}': ${what} [${r.layer}, ${r.node}, ${r.tensor}] is not produced by any layer call`,
        );
      return t;
    });
  const inputs = pick(model.inputs, "input");
  const outputs = pick(model.outputs, "output");
  try {
    return new Model({
      name,
      inputs: inputs.length === 1 ? inputs[0] : inputs,
      outputs: outputs.length === 1 ? outputs[0] : outputs,
    });
  } catch (e) {
    throw asFormatError(e, `${opts.label}: model '${name}'`, "connecting its inputs and outputs");
  }
}
