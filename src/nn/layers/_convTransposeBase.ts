// Keras: keras/src/layers/convolutional/base_conv_transpose.py (BaseConvTranspose),
// conv_utils.deconv_output_length. Keras 3's get_config leaves out output_padding; ours keeps it.
import { ValueError } from "../../core/errors.js";
import { biasAdd, convTranspose } from "../../ops/index.js";
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
  deconvOutputLength,
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

/** Options of Conv1DTranspose/2D/3D (Keras's arguments, camelCase). */
export interface ConvTransposeArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {
  /** Number of output channels. */
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  /** "valid" (default) or "same"; with the strides they fix the output size (see `outputPadding`). */
  padding?: "valid" | "same";
  /**
   * Extra size at the end of each spatial dim, each < its stride. `null` (default) gives Keras's
   * `L·s + max(dk − s, 0)` ("valid") or `L·s` ("same"); a number gives
   * `(L − 1)·s + dk − 2·⌊dk/2⌋·[same] + outputPadding`, dk = (k − 1)·dilation + 1.
   */
  outputPadding?: number | readonly number[] | null;
  dataFormat?: DataFormatLike | null;
  dilationRate?: number | readonly number[];
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * The transposed convolution layers' common part: kernel `[k.., filters, Cin]` (out and in
 * swapped relative to Conv) and bias `[filters]`, `activation(convTranspose(x, kernel) + bias)`.
 */
export abstract class BaseConvTranspose extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly outputPadding: number[] | null;
  readonly dataFormat: KerasDataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  bias: Weight | null = null;

  protected constructor(rank: number, args: ConvTransposeArgs) {
    super(args);
    const at = where(this);
    this.rank = rank;
    this.filters = positiveInt(at, "filters", args.filters);
    this.kernelSize = standardizeTuple(at, "kernelSize", args.kernelSize, rank);
    this.strides = standardizeTuple(at, "strides", args.strides ?? 1, rank);
    this.dilationRate = standardizeTuple(at, "dilationRate", args.dilationRate ?? 1, rank);
    this.padding = standardizePadding(at, args.padding);
    this.outputPadding =
      args.outputPadding === null || args.outputPadding === undefined
        ? null
        : standardizeTuple(at, "outputPadding", args.outputPadding, rank, true);
    if (this.outputPadding !== null && this.outputPadding.some((p, i) => p >= this.strides[i]))
      throw new ValueError(
        `${at}: outputPadding ${fmtShape(this.outputPadding)} must be smaller than strides ${fmtShape(this.strides)}`,
      );
    rejectStridedDilation(at, this.strides, this.dilationRate);
    this.dataFormat = standardizeDataFormat(at, args.dataFormat);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, ["kernel", "bias"], true);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const channels = knownChannels(this, shape, this.rank, this.dataFormat);
    this.computeOutputShape(shape);
    this.kernel = this.addWeight(
      "kernel",
      [...this.kernelSize, this.filters, channels],
      this.kernelInitializer,
    );
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor): Tensor {
    requireChannels(this, x.shape, this.rank, this.dataFormat, this.kernel.shape[this.rank + 1]);
    const format = opsFormat(this.dataFormat);
    let y = inLayer(this, () =>
      convTranspose(x, this.kernel.value, {
        strides: this.strides,
        padding: this.padding,
        outputPadding: this.outputPadding,
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
      deconvOutputLength(
        s[a],
        this.kernelSize[i],
        this.padding,
        this.outputPadding && this.outputPadding[i],
        this.strides[i],
        this.dilationRate[i],
      ),
    );
    requirePositiveOutput(this, s, out, `kernel ${fmtShape(this.kernelSize)}`);
    return this.dataFormat === "channels_first" ? [s[0], this.filters, ...out] : [s[0], ...out, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      outputPadding: this.outputPadding && this.outputPadding.slice(),
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
