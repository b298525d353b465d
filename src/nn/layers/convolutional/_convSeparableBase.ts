// Keras: keras/src/layers/convolutional/base_separable_conv.py (BaseSeparableConv).
import { separableConv, type DepthwiseConvOptions } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import type { Weight } from "../../weight.js";
import type { InitializerLike, TrainingOnlyArgs } from "../base/_options.js";
import { ConvLayer, type ConvLayerArgs } from "./_convLayer.js";
import { windowConfig } from "../base/_convUtils.js";
import { positiveInt, where } from "../base/_util.js";

/**
 * Options of SeparableConv1D/2D (Keras's arguments, camelCase).
 *
 * @example new layers.SeparableConv2D({ filters: 8, kernelSize: 3, depthMultiplier: 2, padding: "same" })
 */
export interface SeparableConvArgs extends ConvLayerArgs, TrainingOnlyArgs<"depthwise" | "pointwise"> {
  /** Number of output channels (of the pointwise step). */
  filters: number;
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerLike;
  pointwiseInitializer?: InitializerLike;
}

/**
 * The separable convolution layers' common part: a depthwise convolution (`depthwise_kernel`
 * `[k.., Cin, depthMultiplier]`, carrying strides, padding and dilation), then a pointwise one
 * (`pointwise_kernel` `[1.., Cin · depthMultiplier, filters]`), bias `[filters]` and activation.
 *
 * @example
 * // see SeparableConv1D, SeparableConv2D
 */
export abstract class BaseSeparableConv extends ConvLayer {
  declare readonly padding: "valid" | "same";
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: initializers.Initializer;
  readonly pointwiseInitializer: initializers.Initializer;
  depthwiseKernel!: Weight;
  pointwiseKernel!: Weight;

  protected constructor(rank: number, args: SeparableConvArgs) {
    super(rank, args, ["depthwise", "pointwise"]);
    const at = where(this);
    this.filters = positiveInt(at, "filters", args.filters);
    this.depthMultiplier = positiveInt(at, "depthMultiplier", args.depthMultiplier ?? 1);
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer, "glorot_uniform");
    this.pointwiseInitializer = initializers.get(args.pointwiseInitializer, "glorot_uniform");
  }

  protected buildKernels(channels: number): void {
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
  }

  protected get inputChannels(): number {
    return this.depthwiseKernel.shape[this.rank];
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: Tensor, window: DepthwiseConvOptions): Tensor {
    return separableConv(x, this.depthwiseKernel.value, this.pointwiseKernel.value, window);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this),
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
