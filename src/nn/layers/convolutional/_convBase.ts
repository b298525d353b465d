// Keras: keras/src/layers/convolutional/base_conv.py (BaseConv), conv_utils.conv_output_length.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { conv, type ConvOptions } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import type { ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import type { Weight } from "../../weight.js";
import type { InitializerLike, TrainingOnlyArgs } from "../base/_options.js";
import { ConvLayer, type ConvLayerArgs } from "./_convLayer.js";
import { knownChannels, windowConfig, type ConvPadding } from "../base/_convUtils.js";
import { fmtShape, positiveInt, where } from "../base/_util.js";

/**
 * Options of Conv2D and Conv3D (Keras's arguments, camelCase).
 *
 * @example new layers.Conv2D({ filters: 16, kernelSize: [3, 3], groups: 2, kernelInitializer: "he_normal" })
 */
export interface ConvArgs extends ConvLayerArgs, TrainingOnlyArgs<"kernel"> {
  /** Number of output channels. */
  filters: number;
  /** Split input channels into this many groups, each convolved with filters/groups filters. */
  groups?: number;
  kernelInitializer?: InitializerLike;
}

/**
 * The N-d convolution layers' common part (Keras's `BaseConv`): kernel `[k.., Cin/groups, filters]`
 * and bias `[filters]` created in that order, `activation(conv(x, kernel) + bias)`.
 *
 * @example
 * // see Conv1D, Conv2D, Conv3D
 */
export abstract class BaseConv extends ConvLayer {
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: initializers.Initializer;
  kernel!: Weight;

  protected constructor(rank: number, args: Omit<ConvArgs, "padding"> & { padding?: ConvPadding }) {
    super(rank, args, ["kernel"], rank === 1);
    const at = where(this);
    this.filters = positiveInt(at, "filters", args.filters);
    this.groups = positiveInt(at, "groups", args.groups ?? 1);
    if (this.filters % this.groups !== 0)
      throw new ValueError(`${at}: filters (${this.filters}) must be divisible by groups (${this.groups})`);
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    if (channels % this.groups !== 0)
      throw new ShapeError(
        `${where(this)}: the input's ${channels} channels are not divisible by groups=${this.groups} ` +
          `(input shape ${fmtShape(shape)})`,
      );
    super.build(shape);
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, channels / this.groups, this.filters],
      this.kernelInitializer,
    );
  }

  protected get inputChannels(): number {
    return this.kernel.shape[this.rank] * this.groups;
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: Tensor, window: ConvOptions): Tensor {
    return conv(x, this.kernel.value, { ...window, groups: this.groups });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this),
      groups: this.groups,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
