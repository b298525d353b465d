/**
 * What SimpleRNNCell, LSTMCell and GRUCell share (Keras: keras/src/layers/rnn/{simple_rnn,lstm,gru}.py):
 * options and their defaults, the weights `kernel [F, g·units]`, `recurrent_kernel [units, g·units]`
 * and `bias` (created in that order, as Keras does, so files load by `get_weights` order), and the
 * input projection `x · kernel (+ input bias)` done for all time steps with one matmul.
 */
import { ShapeError } from "../../core/errors.js";
import { matmul } from "../../ops/index.js";
import type { Tensor } from "../../prims/tensor.js";
import * as activations from "../activations.js";
import * as initializers from "../initializers.js";
import type { SymbolicShape } from "../symbolic.js";
import type { Weight } from "../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "./_options.js";
import { RNNCell, type RNNArgs, type RNNCellArgs } from "./rnn.js";

/** Options of the dense recurrent cells (Keras's cell arguments, camelCase). */
export interface RecurrentCellArgs extends RNNCellArgs, TrainingOnlyArgs<"kernel" | "recurrent" | "bias"> {
  units: number;
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

/** Options of cells with gates (LSTM, GRU). */
export interface GatedCellArgs extends RecurrentCellArgs {
  /** Activation of the gates; default "sigmoid" (Keras 3; Keras 1/2 defaulted to "hard_sigmoid"). */
  recurrentActivation?: ActivationLike;
}

/** Names of the options a recurrent layer hands to its cell (everything else is the layer's). */
export const CELL_OPTION_NAMES = [
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
export function splitCellOptions<A extends RNNArgs>(args: A): A {
  const cell: Record<string, unknown> = {};
  for (const k of CELL_OPTION_NAMES) if (k in args) cell[k] = (args as Record<string, unknown>)[k];
  cell.dtype = args.dtype;
  cell.trainable = args.trainable;
  return cell as A;
}

/** A layer's config: the RNN options plus the cell's (without the cell's own name, dtype, trainable). */
export function mergeCellConfig(
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

/**
 * A cell whose input and recurrent transforms are matrix products with `gates · units` columns.
 *
 * @example
 * // see SimpleRNNCell, LSTMCell, GRUCell
 */
export abstract class DenseRecurrentCell extends RNNCell {
  static override className = "DenseRecurrentCell";
  readonly units: number;
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

  /** How many blocks of `units` columns the kernels have (1, 3 or 4). */
  protected abstract readonly gates: number;

  constructor(args: RecurrentCellArgs) {
    super(args);
    if (!(Number.isInteger(args.units) && args.units > 0))
      throw new ShapeError(`${this.label}: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
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
        `${this.label}: expected input [batch, time, features] with known features, got step shape ${JSON.stringify(stepShape)}`,
      );
    const g = this.gates * this.units;
    this.kernel = this.addWeight("kernel", [inDim, g], this.kernelInitializer);
    this.recurrentKernel = this.addWeight("recurrent_kernel", [this.units, g], this.recurrentInitializer);
    if (this.useBias) this.bias = this.addWeight("bias", this.biasShape(), this.effectiveBiasInitializer());
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
        `${this.label}: expected input [batch, time, ${inDim}], got [${sequences.shape.join(", ")}]`,
      );
    const xp = matmul(sequences, this.kernel.value);
    const b = this.inputBias();
    return b === null ? xp : xp.add(b);
  }

  /** Columns `[k·units, (k+1)·units)` of `[N, gates·units]` values: gate `k`. */
  protected gate(z: Tensor, k: number): Tensor {
    return z.slice([null, [k * this.units, (k + 1) * this.units]]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
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
    return { ...this.getConfig(), activation: this.activation };
  }
}
