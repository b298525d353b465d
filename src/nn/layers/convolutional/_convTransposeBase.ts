// Keras: keras/src/layers/convolutional/base_conv_transpose.py (BaseConvTranspose),
// conv_utils.deconv_output_length. Keras 3's get_config leaves out output_padding; ours keeps it.
import { ValueError } from "../../../core/errors.js";
import { convTranspose } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import type { Weight } from "../../weight.js";
import type { InitializerLike, TrainingOnlyArgs } from "../base/_options.js";
import { ConvLayer, type ConvLayerArgs, type WindowOptions } from "./_convLayer.js";
import { deconvOutputLength, standardizeTuple, windowConfig } from "../base/_convUtils.js";
import { fmtShape, positiveInt, where } from "../base/_util.js";

/**
 * Options of Conv1DTranspose/2D/3D (Keras's arguments, camelCase).
 *
 * @example new layers.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, outputPadding: 1 })
 */
export interface ConvTransposeArgs extends ConvLayerArgs, TrainingOnlyArgs<"kernel"> {
  /** Number of output channels. */
  filters: number;
  /**
   * Extra size at the end of each spatial dim, each < its stride. `null` (default) gives Keras's
   * `L·s + max(dk − s, 0)` ("valid") or `L·s` ("same"); a number gives
   * `(L − 1)·s + dk − 2·⌊dk/2⌋·[same] + outputPadding`, dk = (k − 1)·dilation + 1.
   */
  outputPadding?: number | readonly number[] | null;
  kernelInitializer?: InitializerLike;
}

/**
 * The transposed convolution layers' common part: kernel `[k.., filters, Cin]` (out and in
 * swapped relative to Conv) and bias `[filters]`, `activation(convTranspose(x, kernel) + bias)`.
 *
 * @example
 * // see Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
 */
export abstract class BaseConvTranspose extends ConvLayer {
  declare readonly padding: "valid" | "same";
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: initializers.Initializer;
  kernel!: Weight;

  protected constructor(rank: number, args: ConvTransposeArgs) {
    super(rank, args, ["kernel"]);
    const at = where(this);
    this.filters = positiveInt(at, "filters", args.filters);
    this.outputPadding =
      args.outputPadding === null || args.outputPadding === undefined
        ? null
        : standardizeTuple(at, "outputPadding", args.outputPadding, rank, true);
    if (this.outputPadding !== null && this.outputPadding.some((p, i) => p >= this.strides[i]))
      throw new ValueError(
        `${at}: outputPadding ${fmtShape(this.outputPadding)} must be smaller than strides ${fmtShape(this.strides)}`,
      );
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, this.filters, channels],
      this.kernelInitializer,
    );
  }

  protected get inputChannels(): number {
    return this.kernel.shape[this.rank + 1];
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected override outputLength(length: number | null, i: number): number | null {
    const outputPadding = this.outputPadding && this.outputPadding[i];
    return deconvOutputLength(
      length,
      this.kernelSize[i],
      this.padding,
      outputPadding,
      this.strides[i],
      this.dilationRate[i],
    );
  }

  protected convolve(x: Tensor, window: WindowOptions): Tensor {
    return convTranspose(x, this.kernel.value, {
      ...window,
      padding: this.padding,
      outputPadding: this.outputPadding,
    });
  }

  override getConfig(): Record<string, unknown> {
    // outputPadding sits next to padding, where our configs have always had it.
    const { dataFormat, dilationRate, ...window } = windowConfig(this);
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...window,
      outputPadding: this.outputPadding && this.outputPadding.slice(),
      dataFormat,
      dilationRate,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
