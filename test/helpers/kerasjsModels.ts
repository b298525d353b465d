/**
 * Whole keras-js fixtures as Keras models: each fixture's notebook lines (INDEX.json, parsed with
 * the Python-call parser of ./kerasjs.ts) are replayed into the model JSON Keras 2.1 would have
 * written with `model.to_json()`, and the layers are listed in the order of Keras 2.1's
 * `model.layers`, which is the order of the fixture's weights (`model.get_weights()`).
 *
 * The notebook lines are incomplete in three known ways, each filled in the way the notebooks do:
 * - the call of a layer object is missing (`rnn = LSTM(...)`, then only `layer_0 = Input(...)`):
 *   the object is applied to the model input;
 * - a Sequential-style list of bare constructors (`Conv2D(...),`, the pipeline notebooks): the
 *   layers are applied in order to the input;
 * - a constructor line cut off at the end of the line (`branch_1 = Conv2D(4, (3,3), …,`): its
 *   keyword arguments are completed from the cell title when the title lists them, and the layer is
 *   applied to the variable it is assigned to when that already holds a tensor, else to the latest
 *   input (graph 6, whose kernel shapes and weight order confirm it).
 * Cells with no lines at all are the activation and Flatten tests: `Activation(<name>)` / `Flatten()`.
 */
import type { Model, Tensor } from "../../src/index.js";
import { loadModel } from "../../src/io/index.js";
import type { GoldenResult } from "./realModels.js";
import {
  fixtureTensor,
  KERAS2_POSITIONAL,
  kerasJsArrays,
  kerasJsEntry,
  kerasJsIndex,
  parsePyCall,
  parsePyExpr,
  type FlatArray,
  type PyCall,
  type PyValue,
} from "./kerasjs.js";

/** Positional parameters of the Keras 2.1 constructors the non-convolution notebooks use. */
const POSITIONAL: Record<string, readonly string[]> = {
  ...KERAS2_POSITIONAL,
  Dense: ["units", "activation", "use_bias"],
  Activation: ["activation"],
  Dropout: ["rate", "noise_shape", "seed"],
  Reshape: ["target_shape"],
  Permute: ["dims"],
  RepeatVector: ["n"],
  Embedding: ["input_dim", "output_dim"],
  SimpleRNN: ["units", "activation", "use_bias"],
  GRU: ["units", "activation", "recurrent_activation", "use_bias"],
  LSTM: ["units", "activation", "recurrent_activation", "use_bias"],
  Concatenate: ["axis"],
  Dot: ["axes", "normalize"],
  ELU: ["alpha"],
  LeakyReLU: ["alpha"],
  ThresholdedReLU: ["theta"],
  PReLU: ["alpha_initializer"],
  GaussianNoise: ["stddev"],
  GaussianDropout: ["rate"],
  Bidirectional: ["layer", "merge_mode", "weights"],
  TimeDistributed: ["layer"],
  BatchNormalization: ["axis", "momentum", "epsilon", "center", "scale"],
  Flatten: ["data_format"],
};

/** A fixture replayed as a Keras model. */
export interface KerasJsModel {
  key: string;
  title: string;
  /** `model.to_json()` of a Keras 2.1.6 functional model. */
  json: Record<string, unknown>;
  /** Layer names in Keras 2.1's `model.layers` order (the order of `weights`). */
  layerOrder: string[];
  /** Input layer names in the model's input order. */
  inputNames: string[];
  inputs: FlatArray[];
  weights: FlatArray[];
  expected: FlatArray;
  /** Stateful recurrent layers: Keras's expected output is the second of two predictions. */
  statefulLayers: string[];
}

interface LayerRec {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Each call: names of the tensors (`layer` outputs) it consumed. */
  calls: string[][];
}

/** A tensor is named by the layer that made it (no layer here is called twice). */
type TensorName = string;

/** Every fixture key, in INDEX.json order. */
export const allKerasJsKeys = (): string[] => Object.keys(kerasJsIndex());

const snake = (s: string) =>
  s
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();

/** `name=value` pairs and `name N` phrases of a title (`input_dim 5, output_dim 3, input_length=7`). */
export function titleValues(title: string): Record<string, PyValue> {
  const out: Record<string, PyValue> = {};
  const body = title.replace(/^\S*\]\s*/, "").split(/\s+Note\s/)[0];
  for (const m of body.matchAll(/\b([a-z_][a-z0-9_]*)(?:=|\s+(?=\d))(\([^()]*\)|'[^']*'|[^,\s]+)/g)) {
    try {
      out[m[1]] = parsePyExpr(m[2]);
    } catch {
      // Prose such as "wrap a SimpleRNN layer" is not a value.
    }
  }
  return out;
}

/** Splits `Ctor(args)(inputs)` into the constructor call text and the input expression text. */
function splitChained(expr: string): { ctor: string; input: string | null } {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) {
      const rest = expr.slice(i + 1).trim();
      return { ctor: expr.slice(0, i + 1), input: rest.startsWith("(") ? rest : null };
    }
  }
  return { ctor: expr, input: null };
}

class Replay {
  readonly layers: LayerRec[] = [];
  readonly inputs: string[] = [];
  /** Python variables: tensors (by producing layer) or uncalled layer objects. */
  readonly vars = new Map<string, { tensor?: TensorName; layer?: LayerRec }>();
  readonly pending: LayerRec[] = [];
  private readonly counters = new Map<string, number>();
  constructor(
    readonly env: Record<string, PyValue>,
    readonly titleKw: Record<string, PyValue>,
  ) {}

  private uniqueName(className: string): string {
    const base = snake(className);
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    return `${base}_${n}`;
  }

  value(v: PyValue): unknown {
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === "object" && v.kind === "name") {
      if (!(v.id in this.env)) throw new Error(`unknown name ${v.id}`);
      return this.value(this.env[v.id]);
    }
    if (v !== null && typeof v === "object" && v.kind === "call") return this.layerConfig(v);
    return v;
  }

  /** A constructor call → `{class_name, config}` as Keras 2.1 serializes it. */
  layerConfig(call: PyCall): { class_name: string; config: Record<string, unknown> } {
    const positional = POSITIONAL[call.callee] ?? [];
    if (call.args.length > positional.length)
      throw new Error(`${call.callee}: too many positional arguments`);
    const config: Record<string, unknown> = { name: this.uniqueName(call.callee), trainable: true };
    call.args.forEach((a, i) => (config[positional[i]] = this.value(a)));
    for (const [k, v] of Object.entries(call.kwargs)) config[k] = this.value(v);
    return { class_name: call.callee, config };
  }

  newLayer(call: PyCall): LayerRec {
    if (!call.complete) {
      for (const [k, v] of Object.entries(this.titleKw)) if (!(k in call.kwargs)) call.kwargs[k] = v;
      call.complete = true;
    }
    const { class_name, config } = this.layerConfig(call);
    const rec: LayerRec = { name: config.name as string, className: class_name, config, calls: [] };
    return rec;
  }

  apply(layer: LayerRec, inputs: TensorName[]): TensorName {
    layer.calls.push(inputs);
    if (!this.layers.includes(layer)) this.layers.push(layer);
    return layer.name;
  }

  input(shape: unknown, batch: boolean): TensorName {
    const name = `input_${this.inputs.length + 1}`;
    const s = shape as (number | null)[];
    const rec: LayerRec = {
      name,
      className: "InputLayer",
      config: { batch_input_shape: batch ? s : [null, ...s], dtype: "float32", sparse: false, name },
      calls: [],
    };
    this.layers.push(rec);
    this.inputs.push(name);
    return name;
  }

  tensorsOf(v: PyValue): TensorName[] {
    if (Array.isArray(v)) return v.flatMap((x) => this.tensorsOf(x));
    if (v !== null && typeof v === "object" && v.kind === "name") {
      const bound = this.vars.get(v.id);
      if (bound?.tensor === undefined) throw new Error(`${v.id} is not a tensor`);
      return [bound.tensor];
    }
    throw new Error(`not a tensor expression: ${JSON.stringify(v)}`);
  }

  latestInput(): TensorName {
    const last = this.inputs.at(-1);
    if (last === undefined) throw new Error("no Input() yet");
    return last;
  }

  statement(line: string): void {
    const text = line.trim().replace(/,\s*$/, "");
    const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/s.exec(text);
    const target = m ? m[1] : null;
    const expr = m ? m[2] : text;
    const callee = /^([A-Za-z_][\w.]*)\s*\(/.exec(expr)?.[1];
    if (callee === undefined) throw new Error(`not a call: ${line}`);
    if (callee === "Input") {
      const call = parsePyCall(expr);
      const shape = call.kwargs.shape ?? call.kwargs.batch_shape ?? call.args[0];
      const t = this.input(this.value(shape), "batch_shape" in call.kwargs);
      if (target) this.vars.set(target, { tensor: t });
      return;
    }
    const bound = this.vars.get(callee);
    if (bound?.layer !== undefined) {
      // `layer_1 = L(layer_0)`: calling a layer object made earlier.
      const call = parsePyCall(expr);
      const t = this.apply(bound.layer, this.tensorsOf(call.args[0]));
      this.pending.splice(this.pending.indexOf(bound.layer), 1);
      if (target) this.vars.set(target, { tensor: t });
      return;
    }
    const { ctor, input } = splitChained(expr);
    const call = parsePyCall(ctor);
    const cut = !call.complete;
    const layer = this.newLayer(call);
    if (input !== null) {
      const t = this.apply(layer, this.tensorsOf(parsePyExpr(input)));
      if (target) this.vars.set(target, { tensor: t });
    } else if (target !== null && cut && this.inputs.length > 0) {
      // Cut off before its call, after an Input: applied to what the variable holds, else the latest input.
      const prev = this.vars.get(target)?.tensor ?? this.latestInput();
      this.vars.set(target, { tensor: this.apply(layer, [prev]) });
    } else {
      if (target !== null) this.vars.set(target, { layer });
      this.pending.push(layer);
    }
  }

  /** Layers made but never called are applied in order to the (latest) input. */
  finish(): TensorName {
    let t =
      this.layers.filter((l) => l.className !== "InputLayer").length > 0
        ? this.lastOutput()
        : this.latestInput();
    for (const l of this.pending.splice(0)) t = this.apply(l, [t]);
    return t;
  }

  private lastOutput(): TensorName {
    const called = this.layers.filter((l) => l.calls.length > 0);
    return called.length > 0 ? called.at(-1)!.name : this.latestInput();
  }
}

/**
 * The activation notebook applies backend functions (`K.elu(x, alpha=0.5)`); as a layer that is
 * `Activation(name)`, or `ELU(alpha)` / `ReLU(max_value, negative_slope)` when the title gives an
 * argument (Keras 2.1 `relu(x, alpha, max_value)` is leaky below 0 and capped above).
 */
function backendActivation(key: string, kw: Record<string, PyValue>): string {
  const m = /^activations\.(\w+)\.\d+$/.exec(key);
  if (m === null) return "Flatten()";
  if (m[1] === "elu" && "alpha" in kw) return `ELU(alpha=${String(kw.alpha)})`;
  if (m[1] === "relu" && ("alpha" in kw || "max_value" in kw))
    return `ReLU(${"max_value" in kw ? `max_value=${String(kw.max_value)}` : `negative_slope=${String(kw.alpha)}`})`;
  return `Activation('${m[1]}')`;
}

/**
 * Keras 2.1's `Network.layers` order (keras/engine/topology.py `Container.__init__`): layers by
 * decreasing depth from the outputs, ties by the order a depth-first walk from the outputs first
 * reaches them.
 */
export function keras2LayerOrder(layers: LayerRec[], outputs: TensorName[]): string[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const indices = new Map<string, number>();
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    if (!indices.has(name)) indices.set(name, indices.size);
    for (const i of byName.get(name)!.calls[0] ?? []) visit(i);
    done.add(name);
    order.push(name);
  };
  outputs.forEach(visit);
  const depth = new Map<string, number>();
  for (const name of order.slice().reverse()) {
    const d = depth.get(name) ?? 0;
    depth.set(name, d);
    for (const i of byName.get(name)!.calls[0] ?? []) depth.set(i, Math.max(depth.get(i) ?? 0, d + 1));
  }
  return [...depth.keys()].sort((a, b) => depth.get(b)! - depth.get(a)! || indices.get(a)! - indices.get(b)!);
}

/**
 * Replays a keras-js fixture into a Keras 2.1.6 model JSON plus its data.
 *
 * @example const m = kerasJsModel("recurrent.LSTM.3"); await loadModel(bytesOf(m.json), { withoutWeights: true });
 */
export function kerasJsModel(key: string): KerasJsModel {
  const entry = kerasJsEntry(key);
  const titleKw = titleValues(entry.title);
  const env: Record<string, PyValue> = { ...titleKw };
  for (const line of entry.setup_lines) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(line);
    if (m === null) continue;
    try {
      env[m[1]] = parsePyExpr(m[2]);
    } catch {
      // not a value (e.g. `random_seed = …` always is; prose lines are skipped)
    }
  }
  const replay = new Replay(env, titleKw);
  let lines = entry.layer_spec_lines.map((l) => {
    const shape = replay.value(env.data_in_shape ?? null) as number[] | null;
    return shape ? l.replace(/\*\s*data_in_shape/, shape.join(", ")) : l;
  });
  if (lines.length === 0) lines = ["x = Input(shape=data_in_shape)", backendActivation(key, titleKw)];
  // Inputs first: layer objects made before `Input(...)` are applied after it.
  lines.forEach((l) => replay.statement(l));
  const output = replay.finish();
  const layers = replay.layers;
  const layerOrder = keras2LayerOrder(layers, [output]);
  const json = {
    class_name: "Model",
    keras_version: "2.1.6",
    backend: "tensorflow",
    config: {
      name: "model_1",
      layers: layerOrder.map((n) => {
        const l = layers.find((x) => x.name === n)!;
        return {
          name: l.name,
          class_name: l.className,
          config: l.config,
          inbound_nodes: l.calls.map((c) => c.map((t) => [t, 0, 0, {}])),
        };
      }),
      input_layers: replay.inputs.map((n) => [n, 0, 0]),
      output_layers: [[output, 0, 0]],
    },
  };
  const data = kerasJsArrays(key);
  return {
    key,
    title: entry.title,
    json,
    layerOrder,
    inputNames: replay.inputs,
    inputs: data.inputs,
    weights: data.weights,
    expected: data.expected,
    statefulLayers: layers.filter((l) => l.config.stateful === true).map((l) => l.name),
  };
}

// ---------------------------------------------------------------------------------------------
// Running a fixture

/** The most layers with weights on any path from an input to the output. */
function weightedDepth(model: Model, json: Record<string, unknown>): number {
  const layers = (
    json.config as { layers: { name: string; inbound_nodes: [string, number, number, object][][] }[] }
  ).layers;
  const depth = new Map<string, number>();
  for (const l of layers) {
    const ins = (l.inbound_nodes[0] ?? []).map(([n]) => depth.get(n) ?? 0);
    const own = l.inbound_nodes.length > 0 && model.getLayer(l.name).weights.length > 0 ? 1 : 0;
    depth.set(l.name, Math.max(0, ...ins) + own);
  }
  return Math.max(...depth.values());
}

/** Sets the fixture's weights in Keras 2.1's layer order, each layer's trainable weights first. */
function setKerasWeights(model: Model, order: string[], weights: FlatArray[]): void {
  const targets = order.flatMap((n) => {
    const l = model.getLayer(n);
    return [...l.trainableWeights, ...l.nonTrainableWeights];
  });
  if (targets.length !== weights.length)
    throw new Error(`the model has ${targets.length} weights, the fixture ${weights.length}`);
  targets.forEach((w, i) => {
    if (JSON.stringify(weights[i].shape) !== JSON.stringify(w.shape))
      throw new Error(`weight ${i} (${w.path}) is [${w.shape}], the fixture's [${weights[i].shape}]`);
    w.value = fixtureTensor(weights[i], false);
  });
}

const enc = new TextEncoder();

/**
 * Loads a fixture's model through `loadModel` (its Keras JSON, no weights file), sets the
 * fixture's weights and runs it on the fixture's input. Tolerance: 1e-5 relative plus 1e-5 per
 * layer with weights on the longest path (6-decimal rounding of inputs and weights, carried on
 * by later layers), or 1e-6 for weightless models.
 *
 * @example const r = await runKerasJs("recurrent.LSTM.3"); worstExcess(r) <= 0
 */
export async function runKerasJs(
  key: string,
): Promise<GoldenResult & { shape: number[]; wantShape: number[] }> {
  const m = kerasJsModel(key);
  const label = `${key}.json`;
  const model = await loadModel(enc.encode(JSON.stringify(m.json)), { withoutWeights: true, label });
  setKerasWeights(model, m.layerOrder, m.weights);
  const xs = m.inputs.map((a) => fixtureTensor(a));
  let y: Tensor;
  if (m.statefulLayers.length > 0) {
    // Keras ran predict twice on a stateful layer: the second run starts from the first run's final
    // states. gradlens loads stateful layers as stateless, so the states are passed explicitly.
    const name = m.statefulLayers[0];
    const twin = await loadModel(
      enc.encode(JSON.stringify(m.json).replace('"stateful":true', '"stateful":true,"return_state":true')),
      { withoutWeights: true, label },
    );
    setKerasWeights(twin, m.layerOrder, m.weights);
    const [, ...states] = twin.getLayer(name).call(xs[0]) as Tensor[];
    y = model.getLayer(name).call(xs[0], { initialState: states }) as Tensor;
  } else y = model.call(xs.length === 1 ? xs[0] : xs) as Tensor;
  const depth = weightedDepth(model, m.json);
  return {
    got: y.data(),
    want: m.expected.data,
    rtol: 1e-5,
    atol: depth > 0 ? 1e-5 * depth : 1.000001e-6,
    shape: y.shape,
    wantShape: [1, ...m.expected.shape],
  };
}
