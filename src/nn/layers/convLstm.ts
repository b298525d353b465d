// Keras: keras/src/layers/rnn/conv_lstm.py (ConvLSTMCell, ConvLSTM)
//
// An LSTM whose input and recurrent transforms are convolutions. Gates i, f, c, o are blocks of
// `filters` output channels of `kernel [k.., C, 4·filters]`, `recurrent_kernel [k.., filters, 4·filters]`
// and `bias [4·filters]` (created in that order):
//   z = conv(x_t, kernel; strides, padding, dilation) + bias + conv(h_{t−1}, recurrent_kernel; stride 1, "same")
//   i = σ(z_i), f = σ(z_f), o = σ(z_o), c_t = f ⊙ c_{t−1} + i ⊙ act(z_c), h_t = o ⊙ act(c_t)
// The states live on the output grid of the input convolution; the recurrent convolution is always
// stride 1, "same" padding and no dilation, as in Keras. The input convolution is done for all time
// steps at once (time folded into the batch dim).
// Keras 2 vs 3: same math and weights; Keras 2 defaulted `recurrent_activation` to "hard_sigmoid"
// (Keras 2's clip(0.2x + 0.5, 0, 1)), Keras 3 to "sigmoid". Inputs are [N, T, S.., C]
// ("channels_last") or [N, T, C, S..] ("channels_first").
import { ShapeError } from "../../core/errors.js";
import { biasAdd, conv } from "../../ops/index.js";
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
import { mergeCellConfig, splitCellOptions } from "./_rnnCell.js";
import {
  convOutputLength,
  fmtShape,
  opsFormat,
  positiveInt,
  rejectStridedDilation,
  standardizeDataFormat,
  standardizePadding,
  standardizeTuple,
  type DataFormatLike,
  type KerasDataFormat,
} from "./_convUtils.js";
import { unitForgetBiasInitializer } from "./lstm.js";
import { RNN, RNNCell, type RNNArgs, type RNNCellArgs } from "./rnn.js";

/** Options of the ConvLSTM cells and layers (Keras's arguments, camelCase). */
export interface ConvLSTMCellArgs extends RNNCellArgs, TrainingOnlyArgs<"kernel" | "recurrent" | "bias"> {
  /** Output channels of every gate (and of the states). */
  filters: number;
  /** Window size: one int for every spatial dim, or one per dim. */
  kernelSize: number | number[];
  strides?: number | number[];
  /** "valid" (default) or "same" for the input convolution (the recurrent one is always "same"). */
  padding?: "valid" | "same";
  /** "channels_last" (default) or "channels_first" (also "channelsLast"/"channelsFirst"). */
  dataFormat?: DataFormatLike | null;
  dilationRate?: number | number[];
  /** Default "tanh". */
  activation?: ActivationLike;
  /** Default "sigmoid" (Keras 3; Keras 2 defaulted to "hard_sigmoid"). */
  recurrentActivation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  /** Default "orthogonal". */
  recurrentInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Initialise the forget gate's bias to 1 (Keras default true). */
  unitForgetBias?: boolean;
  /** Dropout fractions: kept in the config, not applied (gradlens computes inference). */
  dropout?: number;
  recurrentDropout?: number;
  seed?: number | null;
}

const fraction = (p: number | undefined) => Math.min(1, Math.max(0, p ?? 0));

/**
 * One ConvLSTM step over `rank`-D feature maps (Keras's `ConvLSTMCell`); ConvLSTM1D/2D/3D wrap it.
 *
 * @example
 * const cell = new ConvLSTMCell({ rank: 2, filters: 4, kernelSize: 3, padding: "same" });
 * const rnn = new layers.RNN({ cell, returnSequences: true });
 */
export class ConvLSTMCell extends RNNCell {
  static override className = "ConvLSTMCell";
  readonly stateCount = 2;
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.Activation;
  readonly recurrentActivation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly unitForgetBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  recurrentKernel!: Weight;
  bias: Weight | null = null;

  constructor(args: ConvLSTMCellArgs & { rank: number }) {
    super(args);
    const at = this.label;
    this.rank = args.rank;
    this.filters = positiveInt(at, "filters", args.filters);
    this.kernelSize = standardizeTuple(at, "kernelSize", args.kernelSize, this.rank);
    this.strides = standardizeTuple(at, "strides", args.strides ?? 1, this.rank);
    this.dilationRate = standardizeTuple(at, "dilationRate", args.dilationRate ?? 1, this.rank);
    this.padding = standardizePadding(at, args.padding);
    this.dataFormat = standardizeDataFormat(at, args.dataFormat);
    rejectStridedDilation(at, this.strides, this.dilationRate);
    this.activation = activations.get(args.activation === undefined ? "tanh" : args.activation);
    this.recurrentActivation = activations.get(
      args.recurrentActivation === undefined ? "sigmoid" : args.recurrentActivation,
    );
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.recurrentInitializer = initializers.get(args.recurrentInitializer, "orthogonal");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.dropout = fraction(args.dropout);
    this.recurrentDropout = fraction(args.recurrentDropout);
    this.seed = args.seed ?? null;
    this.extras = trainingOnlyOptions(args, ["kernel", "recurrent", "bias"]);
  }

  /** Axis of the channels in one step's `[N, ...]` values. */
  private get channelAxis(): number {
    return this.dataFormat === "channels_first" ? 1 : this.rank + 1;
  }

  /** The spatial dims and channels of one step's input, checked against the rank. */
  private stepLayout(step: SymbolicShape): { spatial: SymbolicShape; channels: number | null } {
    if (step.length !== this.rank + 2)
      throw new ShapeError(
        `${this.label}: expected input of rank ${this.rank + 3} [batch, time, ${this.dataFormat === "channels_first" ? "channels, spatial.." : "spatial.., channels"}], ` +
          `got an input of rank ${step.length + 1}`,
      );
    const first = this.dataFormat === "channels_first";
    return { spatial: first ? step.slice(2) : step.slice(1, -1), channels: step[this.channelAxis] };
  }

  stateShapes(step: SymbolicShape): SymbolicShape[] {
    const { spatial } = this.stepLayout(step);
    const out = spatial.map((s, i) =>
      convOutputLength(s, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]),
    );
    if (out.some((d) => d !== null && d < 1))
      throw new ShapeError(
        `${this.label}: a kernel ${fmtShape(this.kernelSize)} with ${this.padding} padding does not fit the spatial dims ${fmtShape(spatial)}`,
      );
    const shape =
      this.dataFormat === "channels_first"
        ? [step[0], this.filters, ...out]
        : [step[0], ...out, this.filters];
    return [shape, shape.slice()];
  }

  protected override buildCell(step: SymbolicShape): void {
    const { spatial, channels } = this.stepLayout(step);
    if (channels === null || spatial.some((d) => d === null))
      throw new ShapeError(
        `${this.label}: the spatial dims and channels of the input must be known, got a step shape ${fmtShape(step)}`,
      );
    this.stateShapes(step);
    const f4 = 4 * this.filters;
    this.kernel = this.addWeight("kernel", [...this.kernelSize, channels, f4], this.kernelInitializer);
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      [...this.kernelSize, this.filters, f4],
      this.recurrentInitializer,
    );
    if (this.useBias)
      this.bias = this.addWeight(
        "bias",
        [f4],
        this.unitForgetBias
          ? unitForgetBiasInitializer(this.biasInitializer, this.filters)
          : this.biasInitializer,
      );
  }

  /** The input convolution (+ bias) of every step at once: `[N, T, ...]` → `[N, T, ...out grid, 4·filters]`. */
  override projectInputs(sequences: Tensor): Tensor {
    const [n, t, ...step] = sequences.shape;
    const channels = this.kernel.shape[this.rank];
    const got = this.stepLayout([n, ...step]).channels;
    if (got !== channels)
      throw new ShapeError(
        `${this.label}: expected ${channels} input channels (${this.dataFormat}), got input ${fmtShape(sequences.shape)}`,
      );
    const format = opsFormat(this.dataFormat);
    let y = conv(sequences.reshape([n * t, ...step]), this.kernel.value, {
      strides: this.strides,
      padding: this.padding,
      dilation: this.dilationRate,
      dataFormat: format,
    });
    if (this.bias !== null) y = biasAdd(y, this.bias.value, format);
    return y.reshape([n, t, ...y.shape.slice(1)]);
  }

  /** Gate `k`: channels `[k·filters, (k+1)·filters)`. */
  private gate(z: Tensor, k: number): Tensor {
    const spec: ([number, number] | null)[] = z.shape.map(() => null);
    spec[this.channelAxis] = [k * this.filters, (k + 1) * this.filters];
    return z.slice(spec);
  }

  step(x: Tensor, [h, c]: Tensor[]): [Tensor, Tensor[]] {
    const rec = conv(h, this.recurrentKernel.value, {
      padding: "same",
      dataFormat: opsFormat(this.dataFormat),
    });
    const z = x.add(rec);
    const i = this.recurrentActivation(this.gate(z, 0));
    const f = this.recurrentActivation(this.gate(z, 1));
    const o = this.recurrentActivation(this.gate(z, 3));
    const cNext = f.mul(c).add(i.mul(this.activation(this.gate(z, 2))));
    const hNext = o.mul(this.activation(cNext));
    return [hNext, [hNext, cNext]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      activation: activations.serialize(this.activation),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      recurrentInitializer: initializers.serialize(this.recurrentInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      unitForgetBias: this.unitForgetBias,
      ...this.extras,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }

  override cloneArgs(): Record<string, unknown> {
    return {
      ...this.getConfig(),
      rank: this.rank,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
    };
  }
}

/** Options of ConvLSTM1D/2D/3D: the cell's and the recurrent loop's. */
export interface ConvLSTMArgs extends RNNArgs, ConvLSTMCellArgs {}

/**
 * The N-d convolutional LSTM layers' common part (Keras's `ConvLSTM`). With `returnState` it
 * returns `[output, h, c]`, each on the output grid with `filters` channels.
 *
 * @example
 * // see ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
 */
export abstract class ConvLSTM extends RNN {
  declare readonly cell: ConvLSTMCell;

  protected constructor(rank: number, args: ConvLSTMArgs) {
    super({
      ...args,
      cell: (owner) => new ConvLSTMCell({ ...splitCellOptions(args), rank, name: "conv_lstm_cell", owner }),
    });
  }

  get filters(): number {
    return this.cell.filters;
  }

  override getConfig(): Record<string, unknown> {
    return mergeCellConfig(super.getConfig(), this.cell.getConfig());
  }

  override cloneArgs(): Record<string, unknown> {
    const c = this.cell;
    return { ...this.getConfig(), activation: c.activation, recurrentActivation: c.recurrentActivation };
  }
}
