import type { DType } from "../core/dtype.js";
import type { NestedArray } from "../core/ndarray.js";
import { isThenable } from "../core/thenable.js";
import { GradlensError, ShapeError, ValueError } from "../core/errors.js";
import { evalShape } from "../api/index.js";
import { asTensor, type TensorLike } from "../ops/index.js";
import { Tensor } from "../prims/tensor.js";
import * as initializers from "./initializers.js";
import { toSnakeCase, uniqueName } from "./naming.js";
import type { SymbolicShape } from "./symbolic.js";
import { isShape, mapShapes, mapSpecs, mapTree, type Spec } from "./tree.js";
import { Weight } from "./weight.js";
import { checkWeight, withWeightCheck, type WeightCheck } from "./weightCheck.js";

/**
 * Constructor options every layer accepts (Keras's base `Layer` kwargs, camelCase).
 *
 * @example
 * new layers.Dense({ units: 8, name: "hidden", inputShape: [3], trainable: false });
 */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Compute dtype; gradlens computes in float64 unless told otherwise. */
  dtype?: DType;
  /** Shape of one sample (without the batch dim), for the first layer of a Sequential. */
  inputShape?: (number | null)[];
  /** Full input shape including the batch dim (Keras 2's batch_input_shape). */
  batchInputShape?: (number | null)[];
  batchSize?: number | null;
  /** Keras 1/2 shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
}

/**
 * Per-call options (Keras's call kwargs).
 *
 * @example
 * new layers.LSTM({ units: 16 }).call(x, { mask, training: false }); // x [N, T, F], mask [N, T] bool
 */
export interface CallArgs {
  /** Inference (false, the default) or training behaviour; gradlens is an inference engine. */
  training?: boolean;
  /** Keras mask for sequence inputs (from Embedding(maskZero) or Masking). */
  mask?: Tensor | null | (Tensor | null)[];
  [key: string]: unknown;
}

/**
 * What `Layer.call` takes: one tensor, a list, or tensors by name.
 *
 * @example
 * new layers.Concatenate().call([a, b]);
 * model.call({ price, features }); // a functional model built with named inputs
 */
export type LayerInputs = Tensor | Tensor[] | { [name: string]: Tensor };
/**
 * What `Layer.call` returns: one tensor, a list (multi-output layers and models), or tensors by name.
 *
 * @example
 * const y: Tensor = new layers.Dense({ units: 1 }).call(x); // a single-output layer's call is typed Tensor
 */
export type LayerOutputs = Tensor | Tensor[] | { [name: string]: Tensor };

/** What `apply` accepts: concrete inputs, or symbolic ones when building a functional graph. */
type ApplyInputs = LayerInputs | SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;

/**
 * Shapes in the structure of the inputs: one shape, a list, or named.
 *
 * @example
 * new layers.Concatenate().computeOutputShape([[null, 2], [null, 3]]); // [null, 5]
 */
export type ShapeTree = SymbolicShape | SymbolicShape[] | { [name: string]: SymbolicShape };

/** Stand-ins for unknown dims during abstract evaluation; dims that differ between the two runs are unknown. */
const SENTINELS = [7, 11] as const;

export interface WeightOptions {
  trainable?: boolean;
  dtype?: DType;
}

/** The shape a layer is built with: the batch dim (of arrays of rank ≥ 2) is unknown. */
function buildShape(t: { shape: readonly number[] }): SymbolicShape {
  const s: SymbolicShape = t.shape.slice();
  if (s.length >= 2) s[0] = null;
  return s;
}

/**
 * Base class of every layer and model, following Keras 3's `Layer`: weights created in `build`
 * from the input shape, computation in `call`, Keras names, configs and weight order.
 *
 * Calling `layer.call(x)` (or `layer.apply(x)`) builds the layer on first use. Called on
 * symbolic tensors from `Input()`, it records a node of a functional graph instead.
 *
 * @example
 * class Scale extends Layer {
 *   private w!: Weight;
 *   build(shape: ShapeTree) { this.w = this.addWeight("w", [1], initializers.ones()); }
 *   call(x: Tensor) { return x.mul(this.w.value); }
 * }
 * new Scale().call(array([1, 2])); // [1, 2]
 */
export abstract class Layer {
  /** The Keras class name (used in configs and for automatic names). */
  static className = "Layer";

  name: string;
  trainable: boolean;
  dtype: DType;
  built = false;
  /** Whether this layer passes an incoming mask through unchanged when it does not compute one. */
  supportsMasking = false;
  /** Declared full input shape (from inputShape / batchInputShape), if any. */
  readonly batchInputShape: SymbolicShape | null;
  /** The shape(s) `build` was called with. */
  buildInputShape: ShapeTree | null = null;
  /** Calls of this layer in functional graphs. */
  readonly inboundNodes: Node[] = [];
  private readonly ownTrainable: Weight[] = [];
  private readonly ownNonTrainable: Weight[] = [];
  /** Checked before each weight is allocated when this layer builds (set with `limitWeights`). */
  protected weightCheck: WeightCheck | null = null;
  /** Run once the layer is built (added with `whenBuilt`). */
  private readonly builtCallbacks: (() => void)[] = [];
  /**
   * What a `whenBuilt` callback threw. The layer is built but not as intended (a file's weights
   * did not fit, so it holds its initializers' values): every later call rethrows it rather than
   * compute with those.
   */
  private failedWhenBuilt: unknown = null;

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(this.defaultNamePrefix());
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? "float64";
    this.batchInputShape =
      args.batchInputShape?.slice() ??
      (args.inputShape !== undefined
        ? [args.batchSize ?? null, ...args.inputShape]
        : args.inputDim !== undefined
          ? [args.batchSize ?? null, args.inputDim]
          : null);
    // Keras's `__call__`: the first call builds the layer (`maybeBuild`) and symbolic inputs record
    // a graph node. Users call `layer.call(x)` on layers whose `call` is the subclass's own method,
    // so the instance's `call` is that entry point wrapped around the class's computation; it is
    // the one place nn wraps a method, and it is here, in the base class every layer runs.
    const own = this.call;
    this.call = ((inputs: unknown, kwargs?: CallArgs) => this.invoke(own, inputs, kwargs)) as this["call"];
  }

  /** The Keras class name of this instance's class (the JS class name for user classes without one). */
  get className(): string {
    const ctor = this.constructor as typeof Layer;
    return Object.prototype.hasOwnProperty.call(ctor, "className") ? ctor.className : ctor.name;
  }

  protected defaultNamePrefix(): string {
    return toSnakeCase(this.className);
  }

  /** Creates the layer's weights for inputs of `inputShape` (the batch dim is null). */
  build(inputShape: ShapeTree): void {
    void inputShape;
    this.built = true;
  }

  /** The computation. Subclasses override; call it through `layer.call(x)` as usual. */
  abstract call(inputs: LayerInputs, kwargs?: CallArgs): LayerOutputs;

  /**
   * Keras's `__call__`: `layer.apply(x)` equals `layer.call(x)` (both build on first use).
   * A layer whose `call` is typed to return one Tensor (Dense, Conv2D, …) gives one value — the
   * Tensor, or the SymbolicTensor when building a graph — so `new Model({ inputs: x, outputs:
   * dense.apply(x) })` is typed to return one Tensor; one typed to return a list (an LSTM made with
   * `returnState: true`) gives a list. A layer whose output structure is known only at run time
   * (`returnState` a boolean variable, a loaded model) gives a value usable as any structure.
   */
  apply(
    this: { call(inputs: never, kwargs?: CallArgs): Tensor },
    inputs: ApplyInputs,
    kwargs?: CallArgs,
  ): Tensor & SymbolicTensor;
  apply(
    this: { call(inputs: never, kwargs?: CallArgs): Tensor[] },
    inputs: ApplyInputs,
    kwargs?: CallArgs,
  ): (Tensor & SymbolicTensor)[];
  apply(inputs: ApplyInputs, kwargs?: CallArgs): LayerOutputs & SymbolicTensor & SymbolicTensor[];
  apply(inputs: ApplyInputs, kwargs?: CallArgs): unknown {
    return (this.call as (i: unknown, k?: CallArgs) => unknown)(inputs, kwargs);
  }

  /** Builds from concrete inputs' shapes if not built yet. */
  ensureBuilt(inputs: unknown): void {
    if (this.built) return;
    this.maybeBuild(mapTree<Tensor, SymbolicShape>(inputs, (t) => buildShape(t)) as ShapeTree);
  }

  /**
   * Keras's `_maybe_build`: builds the layer for `inputShape` unless it is built — under its
   * weight check (`limitWeights`) — then runs its `whenBuilt` callbacks. Every build on first use
   * (concrete or symbolic) and every layer a Sequential builds goes through here.
   *
   * @example dense.maybeBuild([null, 4]); dense.built; // true
   */
  maybeBuild(inputShape: ShapeTree): void {
    if (this.built) return;
    withWeightCheck(this.weightCheck, () => this.build(inputShape));
    this.markBuilt(inputShape);
  }

  /** Records that the layer is built for `inputShape` and runs its `whenBuilt` callbacks. */
  protected markBuilt(inputShape: ShapeTree): void {
    this.built = true;
    this.buildInputShape = inputShape;
    for (const callback of this.builtCallbacks.splice(0)) {
      try {
        callback();
      } catch (e) {
        this.failedWhenBuilt = e;
        throw e;
      }
    }
  }

  /**
   * Runs `callback` once the layer is built: now if it is, otherwise right after the build its first
   * call (or `maybeBuild`) makes. `loadModel` assigns a file's weights to a model with no recorded
   * input shape this way, once its first call has created them.
   *
   * @example model.whenBuilt(() => model.setWeights(saved));
   */
  whenBuilt(callback: () => void): void {
    if (this.built) callback();
    else this.builtCallbacks.push(callback);
  }

  /**
   * Checks every weight allocated when this layer builds later (sub-layers made during its build
   * included). Layers build when first called; `loadModel` sets this to enforce `maxParams` on a
   * model the file leaves unbuilt.
   *
   * @example model.limitWeights((r) => { if (r.shape.reduce((a, d) => a * d, 1) > 1e6) throw new ValueError(`${r.layerName}: too big`); });
   */
  limitWeights(check: WeightCheck | null): void {
    this.weightCheck = check;
  }

  private invoke(
    own: (inputs: LayerInputs, kwargs?: CallArgs) => LayerOutputs,
    inputs: unknown,
    kwargs?: CallArgs,
  ): unknown {
    if (this.failedWhenBuilt !== null) throw this.failedWhenBuilt;
    if (containsSymbolic(inputs)) return this.applySymbolic(inputs, kwargs ?? {});
    if (isThenable(inputs))
      throw new ValueError(
        `${this.className} '${this.name}': the input is a Promise, not a tensor; did you forget \`await\`?`,
      );
    // Nested JS numbers are one array (as NumPy input is to Keras), not a list of scalar inputs.
    const given = isNumberTree(inputs) ? asTensor(inputs) : inputs;
    const tensors = mapTree<TensorLike, Tensor>(given, (x) =>
      x instanceof Tensor ? x : asTensor(x),
    ) as LayerInputs;
    this.ensureBuilt(tensors);
    const out = own.call(this, tensors, kwargs ?? {});
    this.afterCall(tensors, out);
    return out;
  }

  /** Hook run after every concrete call (Model uses it to check declared output shapes). */
  protected afterCall(inputs: LayerInputs, outputs: LayerOutputs): void {
    void inputs;
    void outputs;
  }

  /**
   * Output shape(s) for input shape(s). The default infers it by abstract evaluation of `call`
   * (no numbers are computed); layers may override with a closed form, as Keras layers do.
   */
  computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const spec = this.computeOutputSpec(mapShapes(inputShape, (s) => ({ shape: s, dtype: this.dtype })));
    return mapSpecs(spec, (s) => s.shape) as ShapeTree;
  }

  /** Output shapes and dtypes for inputs of the given shapes/dtypes, by abstract evaluation of `call`. */
  computeOutputSpec(inputSpec: unknown, kwargs: CallArgs = {}): unknown {
    const runs = SENTINELS.map((sentinel) => {
      const concrete = mapSpecs(inputSpec, (s) => ({
        shape: s.shape.map((d) => (d === null ? sentinel : d)),
        dtype: s.dtype,
      }));
      try {
        return evalShape((x: unknown) => this.call(x as LayerInputs, kwargs), concrete);
      } catch (e) {
        // Say that sizes in the message may be stand-ins, so "[7,3]" is not taken literally.
        if (e instanceof GradlensError && !e.message.includes("stand in for unknown"))
          e.message += ` (while inferring the output shape of ${this.className} '${this.name}' for symbolic inputs, sizes ${SENTINELS.join(" and ")} stand in for unknown dimensions such as the batch)`;
        throw e;
      }
    });
    const merge = (a: unknown, b: unknown): unknown => {
      if (Array.isArray(a)) return a.map((x, i) => merge(x, (b as unknown[])[i]));
      const sa = a as { shape: number[]; dtype: DType };
      if (!Array.isArray(sa.shape))
        return Object.fromEntries(Object.keys(sa).map((k) => [k, merge((sa as never)[k], (b as never)[k])]));
      const sb = b as { shape: number[] };
      return { shape: sa.shape.map((d, i) => (d === sb.shape[i] ? d : null)), dtype: sa.dtype };
    };
    return merge(runs[0], runs[1]);
  }

  /** Records a call on symbolic tensors as a graph node and returns symbolic outputs. */
  private applySymbolic(inputs: unknown, kwargs: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const flat = flattenSymbolic(inputs);
    if (flat.length === 0)
      throw new ValueError(`${this.className} '${this.name}': called with no symbolic inputs`);
    if (!this.built)
      this.maybeBuild(mapTree<SymbolicTensor, SymbolicShape>(inputs, (s) => s.shape.slice()) as ShapeTree);
    const spec = this.symbolicOutputSpec(inputs, kwargs);
    const isList = Array.isArray(spec);
    const specs = (isList ? spec : [spec]) as Spec[];
    const outs = specs.map(
      (s, i) => new SymbolicTensor(s.shape, s.dtype, i, specs.length === 1 ? this.name : `${this.name}_${i}`),
    );
    const node = new Node(this, inputs as SymbolicTensor[], outs, stripTensors(kwargs), isList);
    for (const o of outs) o.node = node;
    this.inboundNodes.push(node);
    return isList ? outs : outs[0];
  }

  /**
   * Output spec for symbolic inputs. A layer with a closed-form `computeOutputShape` (as Keras
   * layers have) is trusted for shapes: it handles unknown dims exactly, where abstract evaluation
   * must stand a number in for them (and e.g. Concatenate would see a stand-in 7 ≠ a known 10 on
   * its non-concatenated time axis). Abstract evaluation then supplies only the dtypes, when it can.
   */
  private symbolicOutputSpec(inputs: unknown, kwargs: CallArgs): unknown {
    const specs = mapTree<SymbolicTensor, Spec>(inputs, (s) => ({ shape: s.shape, dtype: s.dtype }));
    if (Object.getPrototypeOf(this).computeOutputShape === Layer.prototype.computeOutputShape)
      return this.computeOutputSpec(specs, kwargs);
    const shapes = this.computeOutputShape(
      mapTree<SymbolicTensor, SymbolicShape>(inputs, (s) => s.shape.slice()) as ShapeTree,
    );
    let inferred: unknown = null;
    const unknownDims = flattenSymbolic(inputs).some((s) => s.shape.some((d, i) => d === null && i > 0));
    try {
      inferred = this.computeOutputSpec(specs, kwargs);
    } catch (e) {
      // A shape clash between stand-ins for unknown dims is not real: the closed form stands and
      // the layer's own dtype is the answer. Any other error is the caller's and propagates.
      if (!(e instanceof ShapeError && unknownDims)) throw e;
    }
    const dtypeAt = (i: number): DType => {
      const list = (Array.isArray(inferred) ? inferred : inferred === null ? [] : [inferred]) as Spec[];
      return list[i]?.dtype ?? this.dtype;
    };
    if (isShape(shapes)) return { shape: (shapes as SymbolicShape).slice(), dtype: dtypeAt(0) };
    if (Array.isArray(shapes))
      return (shapes as SymbolicShape[]).map((s, i) => ({ shape: s.slice(), dtype: dtypeAt(i) }));
    throw new ValueError(
      `${this.className} '${this.name}': computeOutputShape returned named shapes; return a shape or a list`,
    );
  }

  /** Keras's `compute_mask`: the mask of the outputs; by default passed through when supported. */
  computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): CallArgs["mask"] {
    void inputs;
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /**
   * Creates a weight (Keras's `add_weight`), initialised now with `initializer`.
   *
   * @example this.kernel = this.addWeight("kernel", [inDim, units], initializers.glorotUniform());
   */
  addWeight(
    name: string,
    shape: readonly number[],
    initializer: initializers.Initializer | string = "zeros",
    opts: WeightOptions = {},
  ): Weight {
    checkWeight({ layerName: this.name, className: this.className, weightName: name, shape });
    if (shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new ShapeError(
        `${this.className} '${this.name}': weight '${name}' has an invalid shape [${shape.join(",")}]`,
      );
    const init = initializers.get(initializer);
    const w = new Weight(
      name,
      init.apply(shape, opts.dtype ?? this.dtype),
      opts.trainable ?? true,
      this.name,
    );
    (w.trainable ? this.ownTrainable : this.ownNonTrainable).push(w);
    return w;
  }

  /**
   * Layers owned by this one (Keras tracks attributes that are layers): found among its
   * properties, in definition order. Models and wrappers override this with their exact list.
   */
  get subLayers(): Layer[] {
    const found: Layer[] = [];
    for (const value of Object.values(this)) {
      if (value instanceof Layer && value !== this) found.push(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Layer) found.push(v);
    }
    return [...new Set(found)];
  }

  /** All weights in Keras 3's order: own trainable, own non-trainable, then each sublayer's. */
  get weights(): Weight[] {
    const seen = new Set<Weight>();
    const out: Weight[] = [];
    const visit = (layer: Layer, stack: Set<Layer>) => {
      if (stack.has(layer)) return;
      stack.add(layer);
      for (const w of [...layer.ownTrainable, ...layer.ownNonTrainable])
        if (!seen.has(w)) {
          seen.add(w);
          out.push(w);
        }
      for (const l of layer.subLayers) visit(l, stack);
    };
    visit(this, new Set());
    return out;
  }

  get trainableWeights(): Weight[] {
    if (!this.trainable) return [];
    return this.weights.filter((w) => w.trainable && this.isTrainablePath(w));
  }

  get nonTrainableWeights(): Weight[] {
    if (!this.trainable) return this.weights;
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((w) => !trainable.has(w));
  }

  /** A weight counts as trainable only if every layer between here and its owner is trainable. */
  private isTrainablePath(w: Weight): boolean {
    const path = (layer: Layer): boolean => {
      if (!layer.trainable) return false;
      if (layer.ownTrainable.includes(w) || layer.ownNonTrainable.includes(w)) return true;
      return layer.subLayers.some((l) => l.trainable && path(l));
    };
    return path(this);
  }

  /** Current weight values, in `weights` order (Keras's `get_weights`). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.value);
  }

  /**
   * Replaces weight values (Keras's `set_weights`), checking count and shapes.
   *
   * @example dense.setWeights([array([[0.1], [0.1]]), array([0])]);
   */
  setWeights(values: readonly TensorLike[]): void {
    const ws = this.weights;
    if (values.length !== ws.length)
      throw new ValueError(
        `${this.className} '${this.name}': setWeights expected ${ws.length} arrays (${ws.map((w) => w.name).join(", ")}), got ${values.length}`,
      );
    values.forEach((v, i) => {
      const t = asTensor(v).astype(ws[i].value.dtype);
      const want = ws[i].shape;
      if (t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k]))
        throw new ShapeError(
          `${this.className} '${this.name}': weight '${ws[i].name}' expects shape [${want.join(",")}], got [${t.shape.join(",")}]`,
        );
      ws[i].value = t;
    });
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.value.size, 0);
  }

  /**
   * Constructor options as a plain object (camelCase), enough for `fromConfig` to rebuild the
   * layer; subclasses add their own options.
   */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape !== null) config.batchInputShape = this.batchInputShape.slice();
    return config;
  }

  /**
   * Rebuilds a layer from `getConfig()` output (Keras's `from_config`).
   *
   * @example const copy = layers.Dense.fromConfig(dense.getConfig());
   */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }

  toString(): string {
    return `<${this.className} name=${this.name}${this.built ? "" : " (not built)"}>`;
  }
}

/** Keeps only non-tensor kwargs (for recording in graph nodes). */
function stripTensors(kwargs: CallArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs))
    if (!(v instanceof Tensor) && !containsSymbolic(v) && v !== undefined) out[k] = v;
  return out;
}

/** Whether `x` is a non-empty nested JS array of numbers or booleans (one array, not a list of inputs). */
function isNumberTree(x: unknown): x is NestedArray {
  if (!Array.isArray(x) || x.length === 0) return false;
  return x.every((v) => typeof v === "number" || typeof v === "boolean" || isNumberTree(v));
}

// ---- Functional-graph records (Keras's Node and KerasTensor) ----
// They live with Layer because the types are mutually recursive: `Node.layer` is a Layer and
// `Layer.inboundNodes` are Nodes, and a layer called on symbolic tensors makes both.

/**
 * One call of a layer in a functional graph: which symbolic tensors went in (with the structure
 * they were passed in) and which came out.
 *
 * @example
 * const x = Input({ shape: [3] });
 * const y = dense.apply(x);
 * y.node.layer === dense; y.node.flatInputs[0] === x; dense.inboundNodes[0] === y.node; // all true
 */
export class Node {
  constructor(
    readonly layer: Layer,
    /** Inputs as passed: one tensor, a list, or a named object. */
    readonly inputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor> | null,
    readonly outputs: SymbolicTensor[],
    /** Non-tensor keyword arguments of the call. */
    readonly kwargs: Record<string, unknown>,
    /** Whether the layer returned a list (true) or a single tensor. */
    readonly outputIsList: boolean,
  ) {}

  /** The symbolic inputs, flattened in call order. */
  get flatInputs(): SymbolicTensor[] {
    return flattenSymbolic(this.inputs);
  }
}

/**
 * A placeholder for a tensor in a functional model under construction (Keras's KerasTensor):
 * it knows its shape, dtype and the layer call that produces it, but has no values.
 *
 * @example
 * const x: SymbolicTensor = Input({ shape: [3] }); // shape [null, 3]
 * const y = new layers.Dense({ units: 2 }).apply(x); // shape [null, 2], y.layer is the Dense
 * const model = new Model({ inputs: x, outputs: y });
 */
export class SymbolicTensor {
  /** Set once the producing node is created. */
  node!: Node;
  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    /** Position among the producing node's outputs. */
    readonly index: number,
    readonly name: string,
  ) {}

  get layer(): Layer {
    return this.node.layer;
  }

  /** Keras's `keras_history`: [layer name, node index within that layer, tensor index]. */
  get history(): [string, number, number] {
    return [this.node.layer.name, this.node.layer.inboundNodes.indexOf(this.node), this.index];
  }

  toString(): string {
    return `<SymbolicTensor shape=(${this.shape.map((d) => (d === null ? "None" : d)).join(", ")}) dtype=${this.dtype} name=${this.name}>`;
  }
}

/** Whether any leaf of `x` (a tensor, list or plain object) is symbolic. */
export function containsSymbolic(x: unknown): boolean {
  if (x instanceof SymbolicTensor) return true;
  if (Array.isArray(x)) return x.some(containsSymbolic);
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.values(x).some(containsSymbolic);
  return false;
}

export function flattenSymbolic(x: unknown): SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return [x];
  if (Array.isArray(x)) return x.flatMap(flattenSymbolic);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(flattenSymbolic);
  return [];
}
