// Keras: keras/src/layers/convolutional/base_depthwise_conv.py (BaseDepthwiseConv). Keras 3 names
// the depthwise weight "kernel"; tf.keras 2 named it "depthwise_kernel".
import { biasAdd, depthwiseConv } from "../../ops/index.js";
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

/** Options of DepthwiseConv1D/2D (Keras's arguments, camelCase). */
export interface DepthwiseConvArgs extends LayerArgs, TrainingOnlyArgs<"depthwise" | "bias"> {
  kernelSize: number | readonly number[];
  /** Filters per input channel (default 1); the output has channels · depthMultiplier channels. */
  depthMultiplier?: number;
  strides?: number | readonly number[];
  padding?: "valid" | "same";
  dataFormat?: DataFormatLike | null;
  dilationRate?: number | readonly number[];
  activation?: ActivationLike;
  useBias?: boolean;
  depthwiseInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * The depthwise convolution layers' common part: kernel `[k.., Cin, depthMultiplier]`, bias
 * `[Cin · depthMultiplier]`; output channel `c · depthMultiplier + m` (Keras/TF order).
 */
export abstract class BaseDepthwiseConv extends Layer {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  bias: Weight | null = null;

  protected constructor(rank: number, args: DepthwiseConvArgs) {
    super(args);
    const at = where(this);
    this.rank = rank;
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
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, ["depthwise", "bias"], true);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    this.computeOutputShape(shape);
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseInitializer,
    );
    if (this.useBias)
      this.bias = this.addWeight("bias", [channels * this.depthMultiplier], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor): Tensor {
    requireChannels(this, x.shape, this.rank, this.dataFormat, this.kernel.shape[this.rank]);
    const format = opsFormat(this.dataFormat);
    let y = inLayer(this, () =>
      depthwiseConv(x, this.kernel.value, {
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
    const { spatial, channel } = layoutAxes(this.rank, this.dataFormat);
    const out = spatial.map((a, i) =>
      convOutputLength(s[a], this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]),
    );
    requirePositiveOutput(
      this,
      s,
      out,
      `kernel ${fmtShape(this.kernelSize)} with dilation ${fmtShape(this.dilationRate)} and ${this.padding} padding`,
    );
    const c = s[channel];
    const channels = c === null ? null : c * this.depthMultiplier;
    return this.dataFormat === "channels_first" ? [s[0], channels, ...out] : [s[0], ...out, channels];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializers.serialize(this.depthwiseInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
