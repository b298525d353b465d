// Keras: keras/src/layers/convolutional/base_conv.py (BaseConv), conv_utils.conv_output_length.
import { ShapeError, ValueError } from "../../core/errors.js";
import { biasAdd, conv } from "../../ops/index.js";
import type { Tensor } from "../../prims/tensor.js";
import * as activations from "../activations.js";
import * as initializers from "../initializers.js";
import { Layer, type LayerArgs, type ShapeTree } from "../layer.js";
import type { SymbolicShape } from "../symbolic.js";
import type { Weight } from "../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "./_options.js";
import {
  convOutputLength,
  fmtShape,
  inLayer,
  knownChannels,
  layoutAxes,
  opsFormat,
  positiveInt,
  rejectStridedDilation,
  requireChannels,
  requireInputRank,
  requirePositiveOutput,
  standardizeDataFormat,
  standardizePadding,
  standardizeTuple,
  where,
  type ConvPadding,
  type DataFormatLike,
  type KerasDataFormat,
} from "./_convUtils.js";

/** Options of Conv2D and Conv3D (Keras's arguments, camelCase). */
export interface ConvArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {
  /** Number of output channels. */
  filters: number;
  /** Window size: one int for every spatial dim, or one per dim. */
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  /** "valid" (default) or "same" (TF's: output ⌈L/stride⌉, the odd pad at the end). */
  padding?: "valid" | "same";
  /** "channels_last" (default) or "channels_first" (also accepts the ops' "channelsLast"/"channelsFirst"). */
  dataFormat?: DataFormatLike | null;
  dilationRate?: number | readonly number[];
  /** Split input channels into this many groups, each convolved with filters/groups filters. */
  groups?: number;
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * The N-d convolution layers' common part (Keras's `BaseConv`): kernel `[k.., Cin/groups, filters]`
 * and bias `[filters]` created in that order, `activation(conv(x, kernel) + bias)`.
 */
export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  bias: Weight | null = null;

  protected constructor(rank: number, args: Omit<ConvArgs, "padding"> & { padding?: ConvPadding }) {
    super(args);
    const at = where(this);
    this.rank = rank;
    this.filters = positiveInt(at, "filters", args.filters);
    this.groups = positiveInt(at, "groups", args.groups ?? 1);
    if (this.filters % this.groups !== 0)
      throw new ValueError(`${at}: filters (${this.filters}) must be divisible by groups (${this.groups})`);
    this.kernelSize = standardizeTuple(at, "kernelSize", args.kernelSize, rank);
    this.strides = standardizeTuple(at, "strides", args.strides ?? 1, rank);
    this.dilationRate = standardizeTuple(at, "dilationRate", args.dilationRate ?? 1, rank);
    this.padding = standardizePadding<ConvPadding>(at, args.padding, rank === 1);
    this.dataFormat = standardizeDataFormat(at, args.dataFormat);
    rejectStridedDilation(at, this.strides, this.dilationRate);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, ["kernel", "bias"], true);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    if (channels % this.groups !== 0)
      throw new ShapeError(
        `${where(this)}: the input's ${channels} channels are not divisible by groups=${this.groups} ` +
          `(input shape ${fmtShape(shape)})`,
      );
    this.computeOutputShape(shape); // validates that the output is not empty, as Keras does
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, channels / this.groups, this.filters],
      this.kernelInitializer,
    );
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], this.biasInitializer);
    this.built = true;
  }

  /** Input channels the layer was built for. */
  protected get inputChannels(): number {
    return this.kernel.shape[this.rank] * this.groups;
  }

  call(x: Tensor): Tensor {
    requireChannels(this, x.shape, this.rank, this.dataFormat, this.inputChannels);
    const format = opsFormat(this.dataFormat);
    let y = inLayer(this, () =>
      conv(x, this.kernel.value, {
        strides: this.strides,
        padding: this.padding,
        dilation: this.dilationRate,
        groups: this.groups,
        dataFormat: format,
      }),
    );
    if (this.bias !== null) y = biasAdd(y, this.bias.value, format);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, this.rank, this.dataFormat);
    const { spatial } = layoutAxes(this.rank, this.dataFormat);
    const out = spatial.map((a, i) =>
      convOutputLength(s[a], this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]),
    );
    requirePositiveOutput(
      this,
      s,
      out,
      `kernel ${fmtShape(this.kernelSize)} with dilation ${fmtShape(this.dilationRate)} and ${this.padding} padding`,
    );
    return this.dataFormat === "channels_first" ? [s[0], this.filters, ...out] : [s[0], ...out, this.filters];
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
      groups: this.groups,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
