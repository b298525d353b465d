/**
 * What the built-in recurrent cells share (Keras: keras/src/layers/rnn/{simple_rnn,lstm,gru,conv_lstm}.py):
 * options and their defaults, the weights `kernel`, `recurrent_kernel` and `bias` (created in that
 * order, as Keras does, so files load by `get_weights` order) and the cell-owning layers' configs.
 * SimpleRNNCell, LSTMCell and GRUCell also share the input projection `x · kernel (+ input bias)`,
 * done for all time steps with one matmul (DenseRecurrentCell).
 */
import { ShapeError } from "../../../core/errors.js";
import { matmul } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import type { SymbolicShape } from "../../symbolic.js";
import type { Weight } from "../../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "../base/_options.js";
import { fmtShape, positiveInt } from "../base/_util.js";
import { RNN, RNNCell, type RNNArgs, type RNNCellArgs } from "./rnn.js";

/**
 * Options of every cell with a kernel, a recurrent kernel and a bias (Keras's cell arguments,
 * camelCase): SimpleRNN, LSTM, GRU and ConvLSTM cells.
 *
 * @example new layers.LSTMCell({ units: 4, activation: "relu", recurrentInitializer: "glorot_uniform" })
 */
export interface KernelCellArgs extends RNNCellArgs, TrainingOnlyArgs<"kernel" | "recurrent" | "bias"> {
  /** Default "tanh". */
  activation?: ActivationLike;
  useBias?: boolean;
  /** Default "glorot_uniform". */
  kernelInitializer?: InitializerLike;
  /** Default "orthogonal". */
  recurrentInitializer?: InitializerLike;
  /** Default "zeros". */
  biasInitializer?: InitializerLike;
  /** Dropout fractions: kept in the config, not applied (gradlens computes inference). */
  dropout?: number;
  recurrentDropout?: number;
  /** Seed of the (training-only) dropout. */
  seed?: number | null;
}

/**
 * Options of the dense recurrent cells (SimpleRNN, LSTM, GRU).
 *
 * @example new layers.SimpleRNNCell({ units: 8, useBias: false })
 */
export interface RecurrentCellArgs extends KernelCellArgs {
  /** Size of the output and of each state. */
  units: number;
}

/**
 * Options of cells with gates (LSTM, GRU).
 *
 * @example new layers.GRUCell({ units: 8, recurrentActivation: "hard_sigmoid" })
 */
export interface GatedCellArgs extends RecurrentCellArgs {
  /** Activation of the gates; default "sigmoid" (Keras 3; Keras 1/2 defaulted to "hard_sigmoid"). */
  recurrentActivation?: ActivationLike;
}

/** Names of the options a recurrent layer hands to its cell (everything else is the layer's). */
const CELL_OPTION_NAMES = [
  "units",
  "activation",
  "recurrentActivation",
  "useBias",
  "kernelInitializer",
  "recurrentInitializer",
  "biasInitializer",
  "unitForgetBias",
  "kernelRegularizer",
  "recurrentRegularizer",
  "biasRegularizer",
  "kernelConstraint",
  "recurrentConstraint",
  "biasConstraint",
  "dropout",
  "recurrentDropout",
  "seed",
  "resetAfter",
  "filters",
  "kernelSize",
  "strides",
  "padding",
  "dataFormat",
  "dilationRate",
] as const;

/** The options of a recurrent layer that belong to its cell (plus dtype and trainable). */
function splitCellOptions<A extends RNNArgs>(args: A): A {
  const cell: Record<string, unknown> = {};
  for (const k of CELL_OPTION_NAMES) if (k in args) cell[k] = (args as Record<string, unknown>)[k];
  cell.dtype = args.dtype;
  cell.trainable = args.trainable;
  return cell as A;
}

/** A layer's config: the RNN options plus the cell's (without the cell's own name, dtype, trainable). */
function mergeCellConfig(
  layerConfig: Record<string, unknown>,
  cellConfig: Record<string, unknown>,
): Record<string, unknown> {
  const own = { ...layerConfig };
  delete own.cell;
  const fromCell = { ...cellConfig };
  for (const k of ["name", "trainable", "dtype", "batchInputShape"]) delete fromCell[k];
  return { ...own, ...fromCell };
}

/** Keras clips dropout fractions to [0, 1]. */
const fraction = (p: number | undefined) => Math.min(1, Math.max(0, p ?? 0));

/** The gates' activation of a gated cell: "sigmoid" unless given (Keras 3's default). */
export const gateActivation = (args: { recurrentActivation?: ActivationLike }): activations.Activation =>
  activations.get(args.recurrentActivation === undefined ? "sigmoid" : args.recurrentActivation);

/**
 * A cell with the weights `kernel`, `recurrent_kernel` and `bias` (SimpleRNN, LSTM, GRU and
 * ConvLSTM cells): their options, defaults and config. Subclasses give the weights' shapes.
 *
 * @example
 * // see DenseRecurrentCell and ConvLSTMCell
 */
export abstract class KernelRecurrentCell extends RNNCell {
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  recurrentKernel!: Weight;
  bias: Weight | null = null;

  constructor(args: KernelCellArgs) {
    super(args);
    this.activation = activations.get(args.activation === undefined ? "tanh" : args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.recurrentInitializer = initializers.get(args.recurrentInitializer, "orthogonal");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.dropout = fraction(args.dropout);
    this.recurrentDropout = fraction(args.recurrentDropout);
    this.seed = args.seed ?? null;
    this.extras = trainingOnlyOptions(args, ["kernel", "recurrent", "bias"]);
  }

  /** Creates `kernel`, `recurrent_kernel` and (with useBias) `bias`, in Keras's order. */
  protected addCellWeights(
    kernel: number[],
    recurrentKernel: number[],
    bias: number[],
    biasInitializer: initializers.Initializer = this.biasInitializer,
  ): void {
    this.kernel = this.addWeight("kernel", kernel, this.kernelInitializer);
    this.recurrentKernel = this.addWeight("recurrent_kernel", recurrentKernel, this.recurrentInitializer);
    if (this.useBias) this.bias = this.addWeight("bias", bias, biasInitializer);
  }

  /** The options that size the cell (`units`, or `filters` and the window), first in the config. */
  protected abstract sizeConfig(): Record<string, unknown>;

  /**
   * The cell's activation functions by option name, as live functions (serialized, a Keras 2
   * `hard_sigmoid` would lose its flavor); copies of the cell or its layer are made with them.
   */
  activationFunctions(): Record<string, activations.Activation> {
    return { activation: this.activation };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.sizeConfig(),
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      recurrentInitializer: initializers.serialize(this.recurrentInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }

  override cloneArgs(): Record<string, unknown> {
    return { ...this.getConfig(), ...this.activationFunctions() };
  }
}

/**
 * A cell whose input and recurrent transforms are matrix products with `gates · units` columns:
 * `kernel [F, gates·units]`, `recurrent_kernel [units, gates·units]`.
 *
 * @example
 * // see SimpleRNNCell, LSTMCell, GRUCell
 */
export abstract class DenseRecurrentCell extends KernelRecurrentCell {
  static override className = "DenseRecurrentCell";
  readonly units: number;

  /** How many blocks of `units` columns the kernels have (1, 3 or 4). */
  protected abstract readonly gates: number;

  constructor(args: RecurrentCellArgs) {
    super(args);
    this.units = positiveInt(this.label, "units", args.units);
  }

  stateShapes(stepShape: SymbolicShape): SymbolicShape[] {
    return Array.from({ length: this.stateCount }, () => [stepShape[0], this.units]);
  }

  /** Shape of the bias weight (Keras: `[gates · units]`; GRU with resetAfter: `[2, 3 · units]`). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The bias initializer as applied (LSTM's unitForgetBias wraps it). */
  protected effectiveBiasInitializer(): initializers.Initializer {
    return this.biasInitializer;
  }

  protected override buildCell(stepShape: SymbolicShape): void {
    const inDim = stepShape[stepShape.length - 1];
    if (stepShape.length !== 2 || inDim === null)
      throw new ShapeError(
        `${this.label}: expected input [batch, time, features] with known features, got step shape ${fmtShape(stepShape)}`,
      );
    const g = this.gates * this.units;
    this.addCellWeights([inDim, g], [this.units, g], this.biasShape(), this.effectiveBiasInitializer());
  }

  /** The bias added to the input projection (all of it, unless a subclass splits it). */
  protected inputBias(): Tensor | null {
    return this.bias?.value ?? null;
  }

  /** `x · kernel + input bias` for every step at once: `[N, T, F]` → `[N, T, gates · units]`. */
  override projectInputs(sequences: Tensor): Tensor {
    const inDim = this.kernel.shape[0];
    if (sequences.ndim !== 3 || sequences.shape[2] !== inDim)
      throw new ShapeError(
        `${this.label}: expected input [batch, time, ${inDim}], got ${fmtShape(sequences.shape)}`,
      );
    const xp = matmul(sequences, this.kernel.value);
    const b = this.inputBias();
    return b === null ? xp : xp.add(b);
  }

  /** Columns `[k·units, (k+1)·units)` of `[N, gates·units]` values: gate `k`. */
  protected gate(z: Tensor, k: number): Tensor {
    return z.slice([null, [k * this.units, (k + 1) * this.units]]);
  }

  protected sizeConfig(): Record<string, unknown> {
    return { units: this.units };
  }
}

/**
 * A recurrent layer that makes its own cell from its options (SimpleRNN, LSTM, GRU, ConvLSTM):
 * the options are handed to the cell, and the config lists the loop's options and the cell's side
 * by side, as Keras writes them.
 *
 * @example
 * // see SimpleRNN, LSTM, GRU, ConvLSTM
 */
export abstract class OwnCellRNN<
  C extends KernelRecurrentCell,
  A extends RNNArgs,
  S extends boolean = false,
> extends RNN<S> {
  declare readonly cell: C;

  /** `makeCell` gets the cell's share of `args` and how errors should name the layer. */
  protected constructor(args: A & { returnState?: S }, makeCell: (cellArgs: A & { owner: string }) => C) {
    super({ ...args, cell: (owner) => makeCell({ ...splitCellOptions(args), owner }) });
  }

  override getConfig(): Record<string, unknown> {
    return mergeCellConfig(super.getConfig(), this.cell.getConfig());
  }

  override cloneArgs(): Record<string, unknown> {
    return { ...this.getConfig(), ...this.cell.activationFunctions() };
  }
}
