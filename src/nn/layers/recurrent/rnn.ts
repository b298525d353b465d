// Keras: keras/src/layers/rnn/rnn.py (RNN), keras/src/backend/tensorflow/rnn.py (the time loop),
// keras/src/layers/rnn/stacked_rnn_cells.py (StackedRNNCells)
//
// Keras 2 vs 3: the loop semantics (masking, goBackwards, returned states) are the same. Keras 3
// adds `zero_output_for_mask` as a constructor option (Keras 2 set it only from Bidirectional)
// and drops `time_major`. Keras 2 passed initial states as extra inputs (`layer([x, h0, c0])`),
// Keras 3 as the `initial_state` call argument; both forms are accepted here.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { zeros } from "../../../ops/index.js";
import { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import { SymbolicTensor } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { recurrentLoop } from "./_rnnLoop.js";
import { at, fmtShape, where } from "../base/_util.js";

/** Options of every cell. */
export interface RNNCellArgs extends LayerArgs {
  /** The layer that wraps this cell, as errors should name it (e.g. `LSTM 'lstm'`); set by the wrapping layer. */
  owner?: string;
}

/**
 * A recurrent cell: the computation of one time step (Keras's cell protocol: `state_size`,
 * `call(inputs, states)`, `get_initial_state`). Subclasses say what their states look like and
 * compute one step; the part of the step that depends only on the input can be done for the
 * whole sequence at once in `projectInputs` (one matmul instead of one per step).
 *
 * @example
 * class MinimalCell extends RNNCell {
 *   static override className = "MinimalCell";
 *   readonly stateCount = 1;
 *   kernel!: Weight;
 *   constructor(readonly units: number) { super({}); }
 *   protected override buildCell(step: SymbolicShape) {
 *     this.kernel = this.addWeight("kernel", [step[step.length - 1]!, this.units], "glorot_uniform");
 *   }
 *   stateShapes(step: SymbolicShape) { return [[step[0], this.units]]; }
 *   override projectInputs(x: Tensor) { return matmul(x, this.kernel.value); }
 *   step(x: Tensor, [h]: Tensor[]): [Tensor, Tensor[]] { const y = x.add(h).tanh(); return [y, [y]]; }
 * }
 * const rnn = new layers.RNN({ cell: new MinimalCell(4), returnSequences: true });
 */
export abstract class RNNCell extends Layer {
  static override className = "RNNCell";
  /** How errors name this cell: its owning layer once wrapped (e.g. `LSTM 'lstm'`). */
  label: string;

  constructor(args: RNNCellArgs = {}) {
    super(args);
    this.label = args.owner ?? where(this);
  }

  /** How many state tensors the cell carries (LSTM: 2, GRU: 1). */
  abstract readonly stateCount: number;

  /** Shapes of the states (batch dim first) for one step's input of shape `stepShape` ([N, ...]). */
  abstract stateShapes(stepShape: SymbolicShape): SymbolicShape[];

  /** Shape of one step's output; the first state's shape unless a cell says otherwise. */
  outputShape(stepShape: SymbolicShape): SymbolicShape {
    return this.stateShapes(stepShape)[0];
  }

  /** The input-only part of every step, for the whole sequence `[N, T, ...]` at once (default: none). */
  projectInputs(sequences: Tensor): Tensor {
    return sequences;
  }

  /** One step on a projected input `[N, ...]` and the states → the output and the new states. */
  abstract step(input: Tensor, states: Tensor[]): [Tensor, Tensor[]];

  /** Zero states for step inputs of shape `stepShape` (`[N, ...]`; Keras's `get_initial_state`). */
  initialStates(stepShape: number[]): Tensor[] {
    return this.stateShapes(stepShape).map((s) => zeros(s as number[], { dtype: this.dtype }));
  }

  /** Constructor options with live objects (activations keep their Keras 2/3 flavor), for copies. */
  cloneArgs(): Record<string, unknown> {
    return this.getConfig();
  }

  /** Keras's cell call: `[input, ...states]` → `[output, ...newStates]`. */
  call(inputs: LayerInputs): Tensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2)
      throw new ValueError(`${this.label}: a cell is called with [input, ...states]`);
    const [x, ...states] = inputs;
    const [out, next] = this.step(projectStep(this, x), states);
    return [out, ...next];
  }

  override build(inputShape: ShapeTree): void {
    // `call` receives [input, ...states]; weights depend only on the input's shape.
    this.buildCell(sequenceShape(inputShape));
    this.built = true;
  }

  /** Creates the cell's weights for step inputs of shape `[N, ...]`. */
  protected buildCell(stepShape: SymbolicShape): void {
    void stepShape;
  }
}

/** `cell.projectInputs` for one step's input `[N, ...]` (as a sequence of length 1) → `[N, ...]`. */
function projectStep(cell: RNNCell, x: Tensor): Tensor {
  const projected = cell.projectInputs(x.reshape([x.shape[0], 1, ...x.shape.slice(1)]));
  return projected.reshape([x.shape[0], ...projected.shape.slice(2)]);
}

/**
 * Options every recurrent layer takes (Keras's `RNN` arguments, camelCase).
 *
 * @example new layers.LSTM({ units: 4, returnSequences: true, goBackwards: true })
 */
export interface RNNArgs extends LayerArgs {
  /** Return the output of every step `[N, T, ...]` instead of only the last `[N, ...]`. */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]`. */
  returnState?: boolean;
  /** Process the sequence from its last step to its first (outputs come out in that order). */
  goBackwards?: boolean;
  /** Only `false`: gradlens evaluates every call independently; pass carried states as `initialState`. */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the loop is always unrolled in JS. */
  unroll?: boolean;
  /** Emit zeros (instead of the previous output) at masked steps. */
  zeroOutputForMask?: boolean;
  /** Accepted for Keras compatibility; regularizers act only in training. */
  activityRegularizer?: unknown;
}

/**
 * Options of the generic `RNN` layer: the cell plus the loop options.
 *
 * @example new layers.RNN({ cell: new layers.GRUCell({ units: 4 }), returnState: true })
 */
export interface GenericRNNArgs extends RNNArgs {
  /**
   * The cell; a list of cells is stacked into a `StackedRNNCells` (as Keras does); for subclasses,
   * a function making the cell, given how errors should name the layer.
   */
  cell: RNNCell | RNNCell[] | ((owner: string) => RNNCell);
}

/**
 * What a recurrent layer's `call` returns: the output, or with `returnState: true` the list
 * `[output, ...states]`. `S` is the type of the `returnState` option the layer was made with, so a
 * layer made with a literal `true` (or none) types its calls exactly; a `boolean` gives either.
 *
 * @example
 * const [y, h, c] = new layers.LSTM({ units: 4, returnState: true }).call(x); // RNNOutput<true> = Tensor[]
 * const y2 = new layers.LSTM({ units: 4 }).call(x); // RNNOutput<false> = Tensor
 */
export type RNNOutput<S extends boolean> = S extends true ? Tensor[] : Tensor;

/**
 * Call options of the recurrent layers: those of every layer plus the initial states.
 *
 * @example
 * lstm.call(x, { initialState: [h0, c0], mask });
 */
export interface RNNCallArgs extends CallArgs {
  /** The states the loop starts from (one tensor per state, `[N, ...stateShape]`); zeros by default. */
  initialState?: Tensor | Tensor[] | null;
}

/**
 * A recurrent layer: runs a cell over the time axis of `[N, T, ...]` inputs (Keras's `RNN`).
 *
 * Call options: `mask` (`[N, T]`, true where a step counts; masked steps keep the states and
 * repeat the previous output), `initialState` (a tensor or list, one per state), `training`.
 * Initial states may also be passed as extra inputs, Keras 2 style: `rnn.call([x, h0, c0])`.
 * A list of cells runs them stacked at every step (`StackedRNNCells`): the states are every
 * cell's states in order, the output is the last cell's.
 *
 * @example
 * const rnn = new layers.RNN({ cell: new layers.LSTMCell({ units: 4 }), returnState: true });
 * const [y, h, c] = rnn.call(x); // typed Tensor[] (returnState: true)
 * const stacked = new layers.RNN({ cell: [new layers.LSTMCell({ units: 8 }), new layers.GRUCell({ units: 4 })] });
 */
export class RNN<S extends boolean = false> extends Layer {
  static override className = "RNN";
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: S;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  zeroOutputForMask: boolean;
  protected readonly activityRegularizer: unknown;

  constructor(args: GenericRNNArgs & { returnState?: S }) {
    super(args);
    const owner = where(this);
    const given: unknown = typeof args.cell === "function" ? args.cell(owner) : args.cell;
    // Keras: a list of cells becomes StackedRNNCells(cells) (keras/src/layers/rnn/rnn.py).
    const cell = Array.isArray(given) ? new StackedRNNCells({ cells: given as RNNCell[], owner }) : given;
    if (!(cell instanceof RNNCell))
      throw new ValueError(
        `${owner}: cell must be an RNNCell (e.g. new layers.LSTMCell({ units })) or a list of them, got ${String(cell)}`,
      );
    if (args.stateful === true)
      throw new ValueError(
        `${owner}: stateful=true is not supported (gradlens evaluates each call ` +
          `independently); pass the carried-over states explicitly with the initialState call option`,
      );
    this.cell = cell;
    this.cell.label = owner;
    this.returnSequences = args.returnSequences ?? false;
    // `S` is inferred from the option itself (false when it is absent), so this is its type.
    this.returnState = (args.returnState ?? false) as S;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.activityRegularizer = args.activityRegularizer ?? null;
    this.supportsMasking = true;
  }

  override get subLayers(): Layer[] {
    return [this.cell];
  }

  override build(inputShape: ShapeTree): void {
    const s = sequenceShape(inputShape);
    if (s.length < 3)
      throw new ShapeError(
        at(this, `expected input of rank ≥ 3 [batch, time, ...features], got ${fmtShape(s)}`),
      );
    if (!this.cell.built) {
      const step = [s[0], ...s.slice(2)];
      this.cell.build(step);
      this.cell.built = true;
      this.cell.buildInputShape = step;
    }
    this.built = true;
  }

  call(inputs: LayerInputs, kwargs: RNNCallArgs = {}): RNNOutput<S> {
    const { x, states: given } = this.splitInputs(inputs, kwargs);
    const T = x.shape[1];
    if (T === 0) throw new ShapeError(at(this, "the input has no time steps"));
    const stepShape = [x.shape[0], ...x.shape.slice(2)];
    const states = given === null ? this.cell.initialStates(stepShape) : this.checkStates(given, stepShape);
    const mask = this.checkMask(kwargs.mask, x);
    const projected = this.cell.projectInputs(x);
    const {
      last,
      outputs,
      states: final,
    } = recurrentLoop((xt, s) => this.cell.step(xt, s), projected, states, {
      goBackwards: this.goBackwards,
      mask,
      zeroOutputForMask: this.zeroOutputForMask,
      returnSequences: this.returnSequences,
    });
    const y = this.returnSequences ? outputs! : last;
    return (this.returnState ? [y, ...final] : y) as RNNOutput<S>;
  }

  /** The sequence (of rank ≥ 3) and the initial states, if any. */
  private splitInputs(inputs: LayerInputs, kwargs: CallArgs): { x: Tensor; states: Tensor[] | null } {
    const { x, states } = sequenceAndStates(this, inputs, kwargs);
    if (x.ndim < 3)
      throw new ShapeError(
        at(this, `expected input of rank ≥ 3 [batch, time, ...features], got ${fmtShape(x.shape)}`),
      );
    return { x, states };
  }

  private checkStates(states: Tensor[], stepShape: number[]): Tensor[] {
    const want = this.cell.stateShapes(stepShape);
    const name = where(this);
    if (states.length !== want.length)
      throw new ValueError(`${name}: expected ${want.length} initial state(s), got ${states.length}`);
    states.forEach((s, i) => {
      if (s.ndim !== want[i].length || s.shape.some((d, k) => d !== want[i][k]))
        throw new ShapeError(
          `${name}: initial state ${i} should have shape ${fmtShape(want[i])}, got ${fmtShape(s.shape)}`,
        );
    });
    return states.map((s) => (s.dtype === this.cell.dtype ? s : s.astype(this.cell.dtype)));
  }

  private checkMask(mask: CallArgs["mask"], x: Tensor): Tensor | null {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    if (m === null) return null;
    const [n, t] = x.shape;
    if (m.ndim !== 2 || m.shape[0] !== n || m.shape[1] !== t)
      throw new ShapeError(
        at(this, `expected a mask of shape [${n}, ${t}] (batch, time), got ${fmtShape(m.shape)}`),
      );
    return m.dtype === "bool" ? m : m.astype("bool");
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = sequenceShape(inputShape);
    const step = [s[0], ...s.slice(2)];
    const out = this.cell.outputShape(step);
    const y = this.returnSequences ? [s[0], s[1], ...out.slice(1)] : out;
    return this.returnState ? [y, ...this.cell.stateShapes(step)] : y;
  }

  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): CallArgs["mask"] {
    void inputs;
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const out = this.returnSequences ? m : null;
    if (!this.returnState) return out;
    return [out, ...new Array<null>(this.cell.stateCount).fill(null)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
      activityRegularizer: this.activityRegularizer,
      cell: { className: this.cell.className, config: this.cell.getConfig() },
    };
  }

  /**
   * Constructor options with live objects (activation functions keep their Keras 2/3 flavor),
   * for wrappers that make copies of this layer (Bidirectional).
   */
  cloneArgs(): Record<string, unknown> {
    const Cell = this.cell.constructor as new (args: Record<string, unknown>) => RNNCell;
    return { ...this.getConfig(), cell: new Cell(this.cell.cloneArgs()) };
  }

  /**
   * Rebuilds from `getConfig()`; `cell` must be a cell instance or a list of them (the model loader
   * rebuilds nested layers).
   */
  static override fromConfig<T extends Layer>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    // Subclasses (LSTM, GRU, …) make their own cell from their options.
    if (config.cell === undefined) return new this(config as never);
    const owner = `RNN '${String(config.name)}'`;
    const cell = Array.isArray(config.cell)
      ? config.cell.map((c: unknown, i) => nestedLayer(c, `cell[${i}]`, owner))
      : nestedLayer(config.cell, "cell", owner);
    return new this({ ...config, cell } as never);
  }
}

/**
 * Options of `StackedRNNCells`.
 *
 * @example new layers.StackedRNNCells({ cells: [new layers.LSTMCell({ units: 8 }), new layers.GRUCell({ units: 4 })] })
 */
export interface StackedRNNCellsArgs extends RNNCellArgs {
  /** The cells, run in this order at every step: each one's output is the next one's input. */
  cells: RNNCell[];
}

/**
 * A stack of cells that acts as one cell (Keras's `StackedRNNCells`): at every step the first cell
 * reads the input, each next cell reads the previous one's output, and the stack's output is the
 * last cell's. Its states are every cell's states, cell by cell (LSTM, GRU → `[h1, c1, h2]`), and
 * its weights are every cell's weights in the same order. `new layers.RNN({ cell: [a, b] })` makes
 * one. Where Keras 3 nests the states per cell (`returnState` gives `[y, [h1, c1], [h2]]`), gradlens
 * returns and takes them flat, in the same order (the order Keras's functional graphs number them).
 *
 * @example
 * const rnn = new layers.RNN({
 *   cell: new layers.StackedRNNCells({ cells: [new layers.LSTMCell({ units: 8 }), new layers.GRUCell({ units: 4 })] }),
 *   returnState: true,
 * });
 * const [y, h1, c1, h2] = rnn.call(random.normal([2, 5, 3])); // y [2, 4]; h1, c1 [2, 8]; h2 [2, 4]
 */
export class StackedRNNCells extends RNNCell {
  static override className = "StackedRNNCells";
  readonly cells: RNNCell[];
  readonly stateCount: number;

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    const cells: unknown = args.cells;
    if (!Array.isArray(cells) || cells.length === 0)
      throw new ValueError(
        `${this.label}: cells must be a non-empty list of RNN cells (e.g. [new layers.LSTMCell({ units: 8 }), ` +
          `new layers.GRUCell({ units: 4 })]), got ${Array.isArray(cells) ? "an empty list" : String(cells)}`,
      );
    cells.forEach((c: unknown, i) => {
      if (!(c instanceof RNNCell))
        throw new ValueError(
          `${this.label}: cells[${i}] must be an RNNCell (e.g. new layers.LSTMCell({ units })), got ` +
            (c instanceof Layer ? `${c.className} '${c.name}'` : String(c)),
        );
    });
    this.cells = (cells as RNNCell[]).slice();
    this.stateCount = this.cells.reduce((n, c) => n + c.stateCount, 0);
  }

  override get subLayers(): Layer[] {
    return this.cells.slice();
  }

  /** Each cell's step-input shape: the stack's for the first, the previous cell's output for the others. */
  private inputShapes(stepShape: SymbolicShape): SymbolicShape[] {
    const out: SymbolicShape[] = [];
    let s = stepShape;
    for (const c of this.cells) {
      out.push(s);
      s = c.outputShape(s);
    }
    return out;
  }

  stateShapes(stepShape: SymbolicShape): SymbolicShape[] {
    const inputs = this.inputShapes(stepShape);
    return this.cells.flatMap((c, i) => c.stateShapes(inputs[i]));
  }

  override outputShape(stepShape: SymbolicShape): SymbolicShape {
    const last = this.cells.length - 1;
    return this.cells[last].outputShape(this.inputShapes(stepShape)[last]);
  }

  override initialStates(stepShape: number[]): Tensor[] {
    const inputs = this.inputShapes(stepShape) as number[][];
    return this.cells.flatMap((c, i) => c.initialStates(inputs[i]));
  }

  /** Only the first cell reads the sequence; the others' inputs exist one step at a time. */
  override projectInputs(sequences: Tensor): Tensor {
    return this.cells[0].projectInputs(sequences);
  }

  step(input: Tensor, states: Tensor[]): [Tensor, Tensor[]] {
    if (states.length !== this.stateCount)
      throw new ValueError(`${this.label}: expected ${this.stateCount} state(s), got ${states.length}`);
    const next: Tensor[] = [];
    let x = input;
    let k = 0;
    this.cells.forEach((cell, i) => {
      const [out, s] = cell.step(i === 0 ? x : projectStep(cell, x), states.slice(k, k + cell.stateCount));
      k += cell.stateCount;
      next.push(...s);
      x = out;
    });
    return [x, next];
  }

  /** Builds every cell not built yet on its own input shape (Keras's `StackedRNNCells.build`). */
  protected override buildCell(stepShape: SymbolicShape): void {
    const inputs = this.inputShapes(stepShape);
    this.cells.forEach((cell, i) => {
      cell.label = `${this.label} (cells[${i}]: ${where(cell)})`;
      if (cell.built) return;
      cell.build(inputs[i]);
      cell.built = true;
      cell.buildInputShape = inputs[i];
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      cells: this.cells.map((c) => ({ className: c.className, config: c.getConfig() })),
    };
  }

  override cloneArgs(): Record<string, unknown> {
    const copy = (c: RNNCell) => {
      const Cell = c.constructor as new (args: Record<string, unknown>) => RNNCell;
      return new Cell(c.cloneArgs());
    };
    return { ...this.getConfig(), cells: this.cells.map(copy) };
  }

  /** Rebuilds from `getConfig()`; `cells` must be cell instances (the model loader rebuilds nested layers). */
  static override fromConfig<T extends Layer>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    const owner = `StackedRNNCells '${String(config.name)}'`;
    if (!Array.isArray(config.cells))
      throw new ValueError(`${owner}: cells must be a list of cell instances, got ${String(config.cells)}`);
    const cells = config.cells.map((c: unknown, i) => nestedLayer(c, `cells[${i}]`, owner));
    return new this({ ...config, cells } as never);
  }
}

/**
 * The sequence and the initial states of a recurrent layer's call: from `[x, ...states]` inputs
 * (Keras 2) or the `initialState` call option (Keras 3), not both. Symbolic states must come as
 * inputs, so that a functional graph records them.
 *
 * @example const { x, states } = sequenceAndStates(this, inputs, kwargs);
 */
export function sequenceAndStates(
  layer: Layer,
  inputs: LayerInputs,
  kwargs: CallArgs,
): { x: Tensor; states: Tensor[] | null } {
  let x: Tensor;
  let states: Tensor[] | null = null;
  if (inputs instanceof Tensor) x = inputs;
  else if (Array.isArray(inputs) && inputs.length > 0) {
    [x] = inputs;
    if (inputs.length > 1) states = inputs.slice(1);
  } else throw new ValueError(at(layer, "expected a sequence tensor or [sequence, ...initialStates]"));
  const opt = kwargs.initialState;
  if (opt !== undefined && opt !== null) {
    const list = (Array.isArray(opt) ? opt : [opt]) as unknown[];
    if (list.some((s) => s instanceof SymbolicTensor))
      throw new ValueError(
        at(
          layer,
          "symbolic initial states must be passed as inputs, layer.apply([x, ...states]), " +
            "so that the functional graph records them",
        ),
      );
    if (states !== null)
      throw new ValueError(at(layer, "initial states given both as inputs and as the initialState option"));
    if (!list.every((s) => s instanceof Tensor))
      throw new ValueError(at(layer, "initialState must be a tensor or a list of tensors"));
    states = list;
  }
  return { x, states };
}

/** The sequence's shape out of a shape tree that may also hold initial-state shapes. */
function sequenceShape(inputShape: ShapeTree): SymbolicShape {
  if (Array.isArray(inputShape) && Array.isArray(inputShape[0])) return (inputShape as SymbolicShape[])[0];
  return inputShape as SymbolicShape;
}

/**
 * A nested layer given in a config: an instance passes through; a `{ className, config }` spec must
 * be turned into an instance first by the caller (the file loader's class registry does this).
 */
export function nestedLayer(spec: unknown, what: string, owner: string): Layer {
  if (spec instanceof Layer) return spec;
  const name = (spec as { className?: unknown } | null)?.className;
  throw new ValueError(
    `${owner}: ${what} must be a layer instance; got ${typeof name === "string" ? `a '${name}' config` : String(spec)} ` +
      `(rebuild nested layers from their configs first, as the model loader does)`,
  );
}
