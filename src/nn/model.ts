import { GradlensError, ShapeError, ValueError } from "../core/errors.js";
import { isThenable } from "../core/thenable.js";
import { ShapeTracer } from "../interp/abstract.js";
import { asTensor, concatenate, slice, type TensorLike } from "../ops/index.js";
import { Tensor } from "../prims/tensor.js";
import type { ModelFileInfo } from "./fileInfo.js";
import { buildGraph, runGraph, type Graph, type Structure } from "./graph.js";
import {
  Layer,
  type CallArgs,
  type LayerArgs,
  type LayerInputs,
  type LayerOutputs,
  type ShapeTree,
  type SymbolicTensor,
} from "./layer.js";
import { uniqueName, uniqueNames } from "./naming.js";
import { formatSummary } from "./summary.js";
import { mapShapes, mapTree } from "./tree.js";
import type { SymbolicShape } from "./symbolic.js";
import { warn } from "./warnings.js";

/**
 * Options of `Model`: the functional graph's inputs and outputs, or the input and output names of
 * a subclassed model, plus the options of every layer.
 *
 * @example
 * new Model({ inputs: { price, features }, outputs: y, name: "pricing" }); // functional
 * super({ inputNames: ["price", "features"], onShapeMismatch: "error" }); // in a subclass's constructor
 */
export interface ModelArgs<
  O extends Structure<SymbolicTensor> = Structure<SymbolicTensor>,
> extends LayerArgs {
  /** Functional API: the symbolic inputs (from `Input()`): one, a list, or named. */
  inputs?: Structure<SymbolicTensor>;
  /** Functional API: the symbolic outputs: one, a list, or named (this types what `call` returns). */
  outputs?: O;
  /**
   * Subclassed models: names of the inputs `call()` takes, in order (used by `derivatives`,
   * `analyze`). Without them a model is called positionally and its data keyed by the names given,
   * or `input_1`, `input_2`, … for a positional list (tf.keras's automatic input names).
   */
  inputNames?: string[];
  /** Subclassed models: names of the outputs (a repeated name becomes `name_1`, `name_2`, …). */
  outputNames?: string[];
  /** What to do when `call()` returns a shape other than `computeOutputShape` declares. Default "warn". */
  onShapeMismatch?: "warn" | "error" | "ignore";
}

/**
 * Where `model.save` writes: a file path (Node), or `{ bytes: true }` for the bytes alone.
 *
 * @example await model.save("model.keras"); const bytes = await model.save({ bytes: true });
 */
export type SaveTarget = string | { bytes: true };

/**
 * A function that saves a model (what `model.save` calls); resolves to the bytes written.
 *
 * @example const writer: ModelWriter = async (model, target) => saveKerasBytes(model);
 */
export type ModelWriter = (model: Model, target: SaveTarget) => Promise<Uint8Array>;

let modelWriter: ModelWriter | null = null;

/**
 * Registers the writer `model.save` calls. File formats live above nn (in io), so nn holds the
 * method and io supplies the format: `src/io/save/save.ts` registers `saveModel` when it is loaded.
 *
 * @example registerModelWriter(saveModel);
 */
export function registerModelWriter(writer: ModelWriter): void {
  modelWriter = writer;
}

const fmt = (s: readonly (number | null)[]) =>
  `(${s.map((d) => (d === null ? "None" : d)).join(", ")}${s.length === 1 ? "," : ""})`;

/** Whether a declared shape (null = any) admits an actual shape. */
function admits(declared: SymbolicShape, actual: readonly number[]): boolean {
  return declared.length === actual.length && declared.every((d, i) => d === null || d === actual[i]);
}

/**
 * What a functional model's `call` returns for outputs declared as `O`: one Tensor, a list, or
 * tensors by name, in the structure of the outputs. Outputs of a layer whose output structure is
 * only known at run time (an RNN with `returnState`), and subclassed models, give `LayerOutputs`.
 *
 * @example
 * const m = new Model({ inputs: x, outputs: { price: p, demand: d } });
 * const { price }: ModelOutputs<{ price: SymbolicTensor; demand: SymbolicTensor }> = m.call(xs);
 */
export type ModelOutputs<O> = O extends SymbolicTensor & SymbolicTensor[]
  ? LayerOutputs
  : O extends SymbolicTensor
    ? Tensor
    : O extends readonly SymbolicTensor[]
      ? { -readonly [K in keyof O]: Tensor }
      : O extends { [name: string]: SymbolicTensor }
        ? { [K in keyof O]: Tensor }
        : LayerOutputs;

/**
 * A model, as in Keras: construct it with `{ inputs, outputs }` for the functional API, or
 * subclass it and write `call()`. A model is a layer, so models nest inside other models.
 *
 * @example
 * // Functional
 * const x = Input({ shape: [2] });
 * const model = new Model({ inputs: x, outputs: new layers.Dense({ units: 1 }).apply(x) });
 *
 * // Subclassed
 * class PricingModel extends Model {
 *   constructor(readonly hidden: Model) { super({ inputNames: ["referencePrices", "hiddenInputs"] }); }
 *   call([prices, features]: Tensor[]) { return this.hidden.call(features).add(1).mul(prices); }
 * }
 */
export class Model<O extends Structure<SymbolicTensor> = Structure<SymbolicTensor>> extends Layer {
  static override className = "Model";
  /** The functional graph, when built with `{ inputs, outputs }`. */
  protected graph: Graph | null = null;
  private readonly declaredInputNames: string[] | null;
  private readonly declaredOutputNames: string[] | null;
  readonly onShapeMismatch: "warn" | "error" | "ignore";
  /** Warnings this model has emitted (also sent to the warning handler). */
  readonly warnings: string[] = [];
  /** Where a loaded model came from (set by `loadModel` / `fromTfjs`; undefined for models built in code). */
  declare fileInfo?: ModelFileInfo;

  constructor(args: ModelArgs<O> = {}) {
    const functional = args.inputs !== undefined || args.outputs !== undefined;
    super({ ...args, name: args.name ?? (functional ? uniqueName("functional") : undefined) });
    this.declaredInputNames = args.inputNames ?? null;
    this.declaredOutputNames = args.outputNames ?? null;
    this.onShapeMismatch = args.onShapeMismatch ?? "warn";
    if (functional) {
      if (args.inputs === undefined || args.outputs === undefined)
        throw new ValueError(`Model '${this.name}': the functional API needs both inputs and outputs`);
      this.graph = buildGraph(this.name, args.inputs, args.outputs);
      this.built = true;
    }
  }

  override get className(): string {
    if (this.graph !== null && this.constructor === Model) return "Functional";
    return super.className;
  }

  /** Whether this model was built with the functional API. */
  get isFunctional(): boolean {
    return this.graph !== null;
  }

  /** The layers of the model, in order (for subclassed models, the layers it holds). */
  get layers(): Layer[] {
    return this.graph !== null ? this.graph.layers : this.subLayers;
  }

  override get subLayers(): Layer[] {
    return this.graph !== null ? this.graph.layers : super.subLayers;
  }

  /** Finds a layer by name. @example model.getLayer("output") */
  getLayer(name: string): Layer {
    const l = this.layers.find((x) => x.name === name);
    if (l === undefined)
      throw new ValueError(
        `Model '${this.name}': no layer named '${name}' (layers: ${this.layers.map((x) => x.name).join(", ")})`,
      );
    return l;
  }

  /** Symbolic inputs of a functional model. */
  get inputs(): SymbolicTensor[] {
    return this.graph?.inputs ?? [];
  }

  /** Symbolic outputs of a functional model. */
  get outputs(): SymbolicTensor[] {
    return this.graph?.outputs ?? [];
  }

  /** Input names: the Input layers' names (functional), or those declared by a subclass. */
  get inputNames(): string[] {
    if (this.graph !== null) {
      const s = this.graph.inputStructure;
      if (!Array.isArray(s) && !(s as SymbolicTensor).node) return Object.keys(s);
      return this.graph.inputs.map((t) => t.node.layer.name);
    }
    return this.declaredInputNames ?? [];
  }

  /**
   * Output names: the producing layers' names (functional), or those declared by a subclass —
   * unique as tf.keras makes them: a layer that produces two outputs (an LSTM's `h` and `c`) gives
   * `decoder_lstm` and `decoder_lstm_1`, so results keyed by output name never overwrite one another.
   */
  get outputNames(): string[] {
    if (this.graph !== null) {
      const s = this.graph.outputStructure;
      if (!Array.isArray(s) && !(s as SymbolicTensor).node) return Object.keys(s);
      return uniqueNames(this.graph.outputs.map((t) => t.node.layer.name));
    }
    return uniqueNames(this.declaredOutputNames ?? []);
  }

  /** Runs the model (the functional graph, or your override in a subclass). */
  call(inputs: LayerInputs, kwargs: CallArgs = {}): ModelOutputs<O> {
    if (this.graph === null)
      throw new ValueError(
        `Model '${this.name}': a subclass of Model must implement call(), or construct it with { inputs, outputs }`,
      );
    const outs = runGraph(this.graph, this.orderInputs(inputs), kwargs);
    return this.structureOutputs(outs) as ModelOutputs<O>;
  }

  /** Maps the accepted input forms (one tensor, a list, named) to the graph's input order. */
  private orderInputs(inputs: LayerInputs): Tensor[] {
    const g = this.graph!;
    const names = this.inputNames;
    let list: Tensor[];
    if (inputs instanceof Tensor) list = [inputs];
    else if (Array.isArray(inputs)) list = inputs;
    else {
      const missing = names.filter((n) => !(n in inputs));
      const extra = Object.keys(inputs).filter((k) => !names.includes(k));
      if (missing.length > 0 || extra.length > 0)
        throw new ValueError(
          `Model '${this.name}': expected inputs named ${names.join(", ")}` +
            (missing.length ? `; missing ${missing.join(", ")}` : "") +
            (extra.length ? `; unexpected ${extra.join(", ")}` : ""),
        );
      list = names.map((n) => inputs[n]);
    }
    if (list.length !== g.inputs.length)
      throw new ValueError(
        `Model '${this.name}': expects ${g.inputs.length} input(s) (${names.join(", ")}), got ${list.length}`,
      );
    return list.map((t, i) => {
      const spec = g.inputs[i];
      if (!(t instanceof ShapeTracer) && !admits(spec.shape, t.shape))
        throw new ShapeError(
          `Model '${this.name}': input '${names[i]}' expects shape ${fmt(spec.shape)}, got ${fmt(t.shape)}`,
        );
      return t.dtype === spec.dtype ? t : t.astype(spec.dtype);
    });
  }

  private structureOutputs(outs: Tensor[]): LayerOutputs {
    const s = this.graph!.outputStructure;
    if (Array.isArray(s)) return outs;
    if ((s as SymbolicTensor).node) return outs[0];
    return Object.fromEntries(Object.keys(s).map((k, i) => [k, outs[i]]));
  }

  /**
   * Builds a subclassed model for inputs of the given shapes by tracing `call()` abstractly
   * (no numbers computed), which builds every layer it uses — Keras's `model.build(shapes)`.
   *
   * @example model.build([[10], [10, 2]]);
   */
  override build(inputShape: ShapeTree): void {
    if (this.graph !== null || this.built) {
      this.built = true;
      return;
    }
    const specs = mapShapes(inputShape, (s) => ({ shape: s, dtype: this.dtype }));
    this.built = true; // so the traced call does not try to build again
    this.computeOutputSpec(specs);
    this.markBuilt(inputShape);
  }

  /**
   * On the first concrete call of a subclassed model there is nothing to trace: running `call()`
   * builds every layer it uses. (Tracing abstractly here would also guess which dims are batch
   * dims, which a rank-1 input such as prices `[N]` makes ambiguous.)
   */
  override ensureBuilt(inputs: unknown): void {
    // Models with a build of their own (Sequential, or a subclass that overrides build) build as layers do.
    if (Object.getPrototypeOf(this).build !== Model.prototype.build) return super.ensureBuilt(inputs);
    if (this.built || this.graph !== null) return;
    this.markBuilt(mapTree<Tensor, SymbolicShape>(inputs, (t) => t.shape) as ShapeTree);
  }

  /** For subclasses that declare `computeOutputShape`: compare it with what `call()` returned. */
  protected override afterCall(inputs: LayerInputs, outputs: LayerOutputs): void {
    if (this.graph !== null || this.onShapeMismatch === "ignore") return;
    if (Object.getPrototypeOf(this).computeOutputShape === Model.prototype.computeOutputShape) return;
    const flatIn = mapTree<Tensor, Tensor>(inputs, (t) => t);
    if ([flatIn].flat(2).some((t) => t instanceof ShapeTracer)) return;
    const inShapes = mapTree<Tensor, SymbolicShape>(inputs, (t) => {
      const s: SymbolicShape = t.shape;
      if (s.length >= 1) s[0] = null;
      return s;
    }) as ShapeTree;
    const declared = this.computeOutputShape(inShapes);
    const declaredList = (
      Array.isArray(declared) && Array.isArray(declared[0]) ? declared : [declared]
    ) as SymbolicShape[];
    const actualList = Array.isArray(outputs)
      ? outputs
      : outputs instanceof Tensor
        ? [outputs]
        : Object.values(outputs);
    actualList.forEach((t, i) => {
      const d = declaredList[i];
      if (d === undefined || admits(d, t.shape)) return;
      const inText = (
        Array.isArray(inputs) ? inputs : inputs instanceof Tensor ? [inputs] : Object.values(inputs)
      )
        .map((x) => fmt(x.shape))
        .join(" and ");
      const n = t.shape[0];
      const hint =
        t.shape.length === 2 && t.shape[1] === n && d.length === 2 && d[1] === 1
          ? ` This is the classic broadcasting trap: a (N, 1) tensor times a (N,) tensor broadcasts to (N, N). ` +
            `Reshape the (N,) input to (N, 1) (or the (N, 1) one to (N,)) before multiplying.`
          : "";
      const message =
        `${this.className} '${this.name}': call() returned shape ${fmt(t.shape)} for inputs ${inText}, ` +
        `but computeOutputShape declares ${fmt(d)}.${hint}`;
      if (this.onShapeMismatch === "error") throw new ShapeError(message);
      if (!this.warnings.includes(message)) {
        this.warnings.push(message);
        warn(message);
      }
    });
  }

  /**
   * Runs the model over `x` in batches of `batchSize` rows and joins the results (Keras's
   * `predict`). `x` is what `call` takes: one array, a list, or named arrays.
   *
   * The result has the type of this model's `call` (one Tensor for a Sequential, a list or
   * named tensors for a functional model with such outputs).
   *
   * @example model.predict(features, { batchSize: 1024 })
   */
  predict(
    x: TensorLike | TensorLike[] | Record<string, TensorLike>,
    opts: { batchSize?: number } = {},
  ): ReturnType<this["call"]> {
    // The batches joined are what `call` returned, so they have its structure.
    return this.predictBatches(x, opts) as ReturnType<this["call"]>;
  }

  private predictBatches(
    x: TensorLike | TensorLike[] | Record<string, TensorLike>,
    opts: { batchSize?: number },
  ): LayerOutputs {
    const batchSize = opts.batchSize ?? 32;
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      throw new ValueError(`predict: batchSize must be a positive integer, got ${batchSize}`);
    if (isThenable(x))
      throw new ValueError(`predict: the input is a Promise, not an array; did you forget \`await\`?`);
    const inputs = toTensors(x);
    const flatLeaves = collectLeaves(inputs);
    const n = flatLeaves[0]?.shape[0];
    if (n === undefined) throw new ValueError(`predict: no input arrays given`);
    for (const t of flatLeaves)
      if (t.shape[0] !== n)
        throw new ShapeError(
          `predict: inputs have different numbers of rows (${flatLeaves.map((u) => u.shape[0]).join(" vs ")})`,
        );
    const chunks: LayerOutputs[] = [];
    for (let start = 0; start < n || (n === 0 && start === 0); start += batchSize) {
      const stop = Math.min(n, start + batchSize);
      const part = mapTree<Tensor, Tensor>(inputs, (t) => slice(t, [[start, stop]])) as LayerInputs;
      chunks.push(start === 0 ? withShapesAsPassed(flatLeaves, () => this.call(part)) : this.call(part));
      if (n === 0) break;
    }
    if (chunks.length === 1) return chunks[0];
    const join = (k: (o: LayerOutputs) => Tensor) => concatenate(chunks.map(k), 0);
    const first = chunks[0];
    if (first instanceof Tensor) return join((o) => o as Tensor);
    if (Array.isArray(first)) return first.map((_, i) => join((o) => (o as Tensor[])[i]));
    return Object.fromEntries(
      Object.keys(first).map((key) => [key, join((o) => (o as Record<string, Tensor>)[key])]),
    );
  }

  /**
   * Keras's summary table: each layer with its output shape and parameter count (and, for
   * functional models, what it is connected to). Returns the text and prints it unless `print` is false.
   *
   * @example model.summary();
   */
  summary(opts: { print?: boolean | ((line: string) => void) } = {}): string {
    const text = formatSummary(this);
    const p = opts.print ?? true;
    if (p === true) console.log(text);
    else if (typeof p === "function") p(text);
    return text;
  }

  /**
   * Writes the model as a Keras 3 `.keras` file (Node: a path; anywhere: `{ bytes: true }` for the
   * bytes) with the registered writer, `saveModel` from gradlens's io. Resolves to the bytes written.
   *
   * @example
   * await model.save("model.keras");
   * const bytes = await model.save({ bytes: true });
   */
  async save(target: SaveTarget): Promise<Uint8Array> {
    if (modelWriter === null)
      throw new GradlensError(
        `model.save: no model writer is registered; import saveModel from gradlens (its io module registers it)`,
      );
    return modelWriter(this, target);
  }

  /** The functional graph (read-only view) for tools such as summary and saving. */
  get graphView(): Readonly<Graph> | null {
    return this.graph;
  }

  override getConfig(): Record<string, unknown> {
    const base = super.getConfig();
    if (this.graph === null) return base;
    return {
      name: this.name,
      trainable: this.trainable,
      layers: this.graph.layers.map((l) => ({ className: l.className, name: l.name, config: l.getConfig() })),
      inputLayers: this.graph.inputs.map((t) => t.history),
      outputLayers: this.graph.outputs.map((t) => t.history),
    };
  }
}

/**
 * Converts `predict`'s argument to tensors: a tensor or nested numbers is one input, a JS array of
 * tensors is a list of inputs, a plain object is named inputs.
 */
function toTensors(x: TensorLike | TensorLike[] | Record<string, TensorLike>): LayerInputs {
  if (x instanceof Tensor) return x;
  if (Array.isArray(x) && x.some((v) => v instanceof Tensor)) return x.map((v) => asTensor(v));
  if (Array.isArray(x) || typeof x !== "object") return asTensor(x as TensorLike);
  return Object.fromEntries(
    Object.entries(x as Record<string, TensorLike>).map(([k, v]) => [k, asTensor(v)]),
  );
}

function collectLeaves(x: unknown): Tensor[] {
  if (x instanceof Tensor) return [x];
  if (Array.isArray(x)) return x.flatMap(collectLeaves);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(collectLeaves);
  return [];
}

/**
 * Runs the first batch of `predict`, adding the inputs' shapes as the user passed them to a shape
 * error from inside the model (which only sees a batch, e.g. (32, 5) of a [10000, 5] input).
 */
function withShapesAsPassed<T>(given: Tensor[], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const shapes = given.map((t) => `[${t.shape.join(", ")}]`).join(" and ");
    throw new ShapeError(`predict: the model failed on the first batch of input(s) ${shapes}: ${e.message}`);
  }
}
