// Keras: keras/src/layers/convolutional/base_depthwise_conv.py (BaseDepthwiseConv). Keras 3 names
// the depthwise weight "kernel"; tf.keras 2 named it "depthwise_kernel".
import { depthwiseConv, type DepthwiseConvOptions } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import type { Weight } from "../../weight.js";
import type { InitializerLike, TrainingOnlyArgs } from "../base/_options.js";
import { ConvLayer, type ConvLayerArgs } from "./_convLayer.js";
import { windowConfig } from "../base/_convUtils.js";
import { positiveInt, where } from "../base/_util.js";

/**
 * Options of DepthwiseConv1D/2D (Keras's arguments, camelCase).
 *
 * @example new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: "same" })
 */
export interface DepthwiseConvArgs extends ConvLayerArgs, TrainingOnlyArgs<"depthwise"> {
  /** Filters per input channel (default 1); the output has channels · depthMultiplier channels. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerLike;
}

/**
 * The depthwise convolution layers' common part: kernel `[k.., Cin, depthMultiplier]`, bias
 * `[Cin · depthMultiplier]`; output channel `c · depthMultiplier + m` (Keras/TF order).
 *
 * @example
 * // see DepthwiseConv1D, DepthwiseConv2D
 */
export abstract class BaseDepthwiseConv extends ConvLayer {
  declare readonly padding: "valid" | "same";
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: initializers.Initializer;
  kernel!: Weight;

  protected constructor(rank: number, args: DepthwiseConvArgs) {
    super(rank, args, ["depthwise"]);
    this.depthMultiplier = positiveInt(where(this), "depthMultiplier", args.depthMultiplier ?? 1);
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer, "glorot_uniform");
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseInitializer,
    );
  }

  protected get inputChannels(): number {
    return this.kernel.shape[this.rank];
  }

  protected outputChannels(channels: number | null): number | null {
    return channels === null ? null : channels * this.depthMultiplier;
  }

  protected convolve(x: Tensor, window: DepthwiseConvOptions): Tensor {
    return depthwiseConv(x, this.kernel.value, window);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      ...windowConfig(this),
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializers.serialize(this.depthwiseInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
