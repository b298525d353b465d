// Keras: keras/src/layers/convolutional/base_conv.py and its siblings base_separable_conv.py,
// base_depthwise_conv.py and base_conv_transpose.py, which repeat the same window options, build
// steps, output-shape check and bias + activation epilogue; here they are written once.
import { biasAdd, type DataFormat } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import type { Weight } from "../../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "../base/_options.js";
import {
  convOutputLength,
  inLayer,
  knownChannels,
  layoutAxes,
  opsFormat,
  requireChannels,
  requireInputRank,
  requirePositiveOutput,
  standardizeWindow,
  type ConvPadding,
  type ConvWindowArgs,
} from "../base/_convUtils.js";
import { fmtShape, where, type KerasDataFormat } from "../base/_util.js";

/** A layer's window options as the convolution ops take them. */
export interface WindowOptions {
  strides: number[];
  padding: ConvPadding;
  dilation: number[];
  dataFormat: DataFormat;
}

/**
 * Options every convolution layer takes besides its kernels' (Keras's arguments, camelCase).
 *
 * @example new layers.DepthwiseConv2D({ kernelSize: 3, activation: "relu", useBias: false })
 */
export interface ConvLayerArgs<P extends ConvPadding = "valid" | "same">
  extends LayerArgs, ConvWindowArgs<P>, TrainingOnlyArgs<"bias"> {
  activation?: ActivationLike;
  useBias?: boolean;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * What every convolution layer shares (Conv, SeparableConv, DepthwiseConv, ConvTranspose): the
 * window options, a bias `[output channels]` created after the kernels,
 * `activation(convolve(x) + bias)`, and the output shape, whose spatial dims must not be empty.
 * Subclasses say which kernels they have and which convolution they compute.
 *
 * @example
 * // see BaseConv, BaseSeparableConv, BaseDepthwiseConv, BaseConvTranspose
 */
export abstract class ConvLayer extends Layer {
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly biasInitializer: initializers.Initializer;
  /** The regularizer and constraint options, kept for the config. */
  protected readonly extras: Record<string, unknown>;
  bias: Weight | null = null;

  /** `kernels`: the prefixes of the kernels' regularizer/constraint options, e.g. ["kernel"]. */
  protected constructor(
    rank: number,
    args: ConvLayerArgs<ConvPadding>,
    kernels: readonly string[],
    allowCausal = false,
  ) {
    super(args);
    const window = standardizeWindow(where(this), rank, args, allowCausal);
    this.rank = rank;
    this.kernelSize = window.kernelSize;
    this.strides = window.strides;
    this.padding = window.padding;
    this.dataFormat = window.dataFormat;
    this.dilationRate = window.dilationRate;
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, [...kernels, "bias"], true);
  }

  /** Creates the kernel weight(s) for inputs with `channels` channels (before the bias). */
  protected abstract buildKernels(channels: number): void;

  /** The channel count the layer was built for, read off its kernel. */
  protected abstract get inputChannels(): number;

  /** Output channels for `channels` input channels (null: unknown). */
  protected abstract outputChannels(channels: number | null): number | null;

  /** The convolution itself, without bias and activation; `window` is the ops' spelling of the options. */
  protected abstract convolve(x: Tensor, window: WindowOptions): Tensor;

  /** Output length along spatial dim `i` (a convolution's; the transposed ones override it). */
  protected outputLength(length: number | null, i: number): number | null {
    return convOutputLength(length, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    this.computeOutputShape(shape); // validates that the output is not empty, as Keras does
    this.buildKernels(channels);
    if (this.useBias)
      this.bias = this.addWeight("bias", [this.outputChannels(channels) as number], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor): Tensor {
    requireChannels(this, x.shape, this.rank, this.dataFormat, this.inputChannels);
    const dataFormat = opsFormat(this.dataFormat);
    const window = { strides: this.strides, padding: this.padding, dilation: this.dilationRate, dataFormat };
    let y = inLayer(this, () => this.convolve(x, window));
    if (this.bias !== null) y = biasAdd(y, this.bias.value, dataFormat);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, this.rank, this.dataFormat);
    const { spatial, channel } = layoutAxes(this.rank, this.dataFormat);
    const out = spatial.map((a, i) => this.outputLength(s[a], i));
    requirePositiveOutput(
      this,
      s,
      out,
      `kernel ${fmtShape(this.kernelSize)} with dilation ${fmtShape(this.dilationRate)} and ${this.padding} padding`,
    );
    const channels = this.outputChannels(s[channel]);
    return this.dataFormat === "channels_first" ? [s[0], channels, ...out] : [s[0], ...out, channels];
  }
}
