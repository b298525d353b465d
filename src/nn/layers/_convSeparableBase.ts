// Keras: keras/src/layers/convolutional/base_separable_conv.py (BaseSeparableConv).
import { biasAdd, separableConv } from "../../ops/index.js";
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
  type DataFormatLike,
  type KerasDataFormat,
} from "./_convUtils.js";

/** Options of SeparableConv1D/2D (Keras's arguments, camelCase). */
export interface SeparableConvArgs extends LayerArgs, TrainingOnlyArgs<"depthwise" | "pointwise" | "bias"> {
  /** Number of output channels (of the pointwise step). */
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: "valid" | "same";
  dataFormat?: DataFormatLike | null;
  dilationRate?: number | readonly number[];
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  activation?: ActivationLike;
  useBias?: boolean;
  depthwiseInitializer?: InitializerLike;
  pointwiseInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * The separable convolution layers' common part: a depthwise convolution (`depthwise_kernel`
 * `[k.., Cin, depthMultiplier]`, carrying strides, padding and dilation), then a pointwise one
 * (`pointwise_kernel` `[1.., Cin · depthMultiplier, filters]`), bias `[filters]` and activation.
 */
export abstract class BaseSeparableConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: initializers.Initializer;
  readonly pointwiseInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  depthwiseKernel!: Weight;
  pointwiseKernel!: Weight;
  bias: Weight | null = null;

  protected constructor(rank: number, args: SeparableConvArgs) {
    super(args);
    const at = where(this);
    this.rank = rank;
    this.filters = positiveInt(at, "filters", args.filters);
    this.depthMultiplier = positiveInt(at, "depthMultiplier", args.depthMultiplier ?? 1);
    this.kernelSize = standardizeTuple(at, "kernelSize", args.kernelSize, rank);
    this.strides = standardizeTuple(at, "strides", args.strides ?? 1, rank);
    this.dilationRate = standardizeTuple(at, "dilationRate", args.dilationRate ?? 1, rank);
    this.padding = standardizePadding(at, args.padding);
    this.dataFormat = standardizeDataFormat(at, args.dataFormat);
    rejectStridedDilation(at, this.strides, this.dilationRate);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer, "glorot_uniform");
    this.pointwiseInitializer = initializers.get(args.pointwiseInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, ["depthwise", "pointwise", "bias"], true);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    this.computeOutputShape(shape);
    this.depthwiseKernel = this.addWeight(
      "depthwise_kernel",
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseInitializer,
    );
    this.pointwiseKernel = this.addWeight(
      "pointwise_kernel",
      [...this.kernelSize.map(() => 1), channels * this.depthMultiplier, this.filters],
      this.pointwiseInitializer,
    );
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor): Tensor {
    requireChannels(this, x.shape, this.rank, this.dataFormat, this.depthwiseKernel.shape[this.rank]);
    const format = opsFormat(this.dataFormat);
    let y = inLayer(this, () =>
      separableConv(x, this.depthwiseKernel.value, this.pointwiseKernel.value, {
        strides: this.strides,
        padding: this.padding,
        dilation: this.dilationRate,
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
      depthMultiplier: this.depthMultiplier,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializers.serialize(this.depthwiseInitializer),
      pointwiseInitializer: initializers.serialize(this.pointwiseInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
