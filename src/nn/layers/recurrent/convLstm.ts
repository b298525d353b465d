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
import { ShapeError } from "../../../core/errors.js";
import { biasAdd, conv } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import type { SymbolicShape } from "../../symbolic.js";
import { gateActivation, KernelRecurrentCell, OwnCellRNN, type KernelCellArgs } from "./_rnnCell.js";
import type { ActivationLike } from "../base/_options.js";
import {
  convOutputLength,
  opsFormat,
  standardizeWindow,
  windowConfig,
  type ConvWindowArgs,
} from "../base/_convUtils.js";
import { fmtShape, positiveInt, type KerasDataFormat } from "../base/_util.js";
import { lstmUpdate, unitForgetBiasInitializer } from "./lstm.js";
import type { RNNArgs } from "./rnn.js";

/**
 * Options of the ConvLSTM cells and layers (Keras's arguments, camelCase): an LSTM cell's, with
 * `filters` and the input convolution's window instead of `units`.
 *
 * @example new layers.ConvLSTMCell({ rank: 2, filters: 4, kernelSize: 3, padding: "same" })
 */
export interface ConvLSTMCellArgs extends KernelCellArgs, ConvWindowArgs {
  /** Output channels of every gate (and of the states). */
  filters: number;
  /** Default "sigmoid" (Keras 3; Keras 2 defaulted to "hard_sigmoid"). */
  recurrentActivation?: ActivationLike;
  /** Initialise the forget gate's bias to 1 (Keras default true). */
  unitForgetBias?: boolean;
}

/**
 * One ConvLSTM step over `rank`-D feature maps (Keras's `ConvLSTMCell`); ConvLSTM1D/2D/3D wrap it.
 *
 * @example
 * const cell = new ConvLSTMCell({ rank: 2, filters: 4, kernelSize: 3, padding: "same" });
 * const rnn = new layers.RNN({ cell, returnSequences: true });
 */
export class ConvLSTMCell extends KernelRecurrentCell {
  static override className = "ConvLSTMCell";
  readonly stateCount = 2;
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly recurrentActivation: activations.Activation;
  readonly unitForgetBias: boolean;

  constructor(args: ConvLSTMCellArgs & { rank: number }) {
    super(args);
    const at = this.label;
    this.rank = args.rank;
    this.filters = positiveInt(at, "filters", args.filters);
    const window = standardizeWindow(at, this.rank, args);
    this.kernelSize = window.kernelSize;
    this.strides = window.strides;
    this.padding = window.padding;
    this.dataFormat = window.dataFormat;
    this.dilationRate = window.dilationRate;
    this.recurrentActivation = gateActivation(args);
    this.unitForgetBias = args.unitForgetBias ?? true;
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
    this.addCellWeights(
      [...this.kernelSize, channels, f4],
      [...this.kernelSize, this.filters, f4],
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
    return lstmUpdate((k) => this.gate(z, k), c, this.activation, this.recurrentActivation);
  }

  protected sizeConfig(): Record<string, unknown> {
    return { filters: this.filters, ...windowConfig(this) };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: activations.serialize(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }

  override activationFunctions(): Record<string, activations.Activation> {
    return { ...super.activationFunctions(), recurrentActivation: this.recurrentActivation };
  }

  override cloneArgs(): Record<string, unknown> {
    return { ...super.cloneArgs(), rank: this.rank };
  }
}

/**
 * Options of ConvLSTM1D/2D/3D: the cell's and the recurrent loop's.
 *
 * @example new layers.ConvLSTM2D({ filters: 8, kernelSize: 3, returnSequences: true })
 */
export interface ConvLSTMArgs extends RNNArgs, ConvLSTMCellArgs {}

/**
 * The N-d convolutional LSTM layers' common part (Keras's `ConvLSTM`). With `returnState` it
 * returns `[output, h, c]`, each on the output grid with `filters` channels.
 *
 * @example
 * // see ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
 */
export abstract class ConvLSTM<S extends boolean = false> extends OwnCellRNN<ConvLSTMCell, ConvLSTMArgs, S> {
  protected constructor(rank: number, args: ConvLSTMArgs & { returnState?: S }) {
    super(args, (cellArgs) => new ConvLSTMCell({ ...cellArgs, rank, name: "conv_lstm_cell" }));
  }

  get filters(): number {
    return this.cell.filters;
  }
}
