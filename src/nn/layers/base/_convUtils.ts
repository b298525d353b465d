/**
 * Shared helpers of the convolution, pooling and spatial reshaping layers: Keras's argument
 * standardisation (keras/src/utils/argument_validation.py), its output-length formulas
 * (keras/src/utils/conv_utils.py and keras/src/ops/operation_utils.py) and input checks that name
 * the layer in their errors.
 */
import { GradlensError, ShapeError, ValueError } from "../../../core/errors.js";
import type { DataFormat } from "../../../ops/index.js";
import type { Layer } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import {
  fmtShape,
  show,
  standardizeDataFormat,
  where,
  type DataFormatLike,
  type KerasDataFormat,
} from "./_util.js";

/** The ops' spelling of a Keras data format. */
export const opsFormat = (f: KerasDataFormat): DataFormat =>
  f === "channels_first" ? "channelsFirst" : "channelsLast";

/**
 * Keras's `standardize_tuple`: one int for every dim, or exactly `n` ints; each ≥ 1 (≥ 0 with
 * `allowZero`).
 */
export function standardizeTuple(
  at: string,
  name: string,
  value: number | readonly number[] | undefined | null,
  n: number,
  allowZero = false,
): number[] {
  const values = typeof value === "number" ? new Array<number>(n).fill(value) : value;
  const min = allowZero ? 0 : 1;
  if (!Array.isArray(values) || values.length !== n || values.some((v) => !Number.isInteger(v) || v < min))
    throw new ValueError(
      `${at}: ${name} must be an integer or ${n} integers, each ≥ ${min}, got ${show(value)}`,
    );
  return values.slice();
}

/** Padding modes of the window layers. */
export type ConvPadding = "valid" | "same" | "causal";

/** Keras's `standardize_padding`: case-insensitive "valid" / "same" (and "causal" where allowed). */
export function standardizePadding<P extends ConvPadding = "valid" | "same">(
  at: string,
  value: string | undefined,
  allowCausal = false,
): P {
  const v = (value ?? "valid").toLowerCase();
  if (v === "valid" || v === "same" || (allowCausal && v === "causal")) return v as P;
  throw new ValueError(
    `${at}: padding must be ${allowCausal ? '"valid", "same" or "causal"' : '"valid" or "same"'}, got ${show(value)}`,
  );
}

/**
 * The window options of every convolution layer and of the ConvLSTM cells (Keras's arguments,
 * camelCase); `P` is the padding modes the layer takes.
 *
 * @example new layers.Conv2D({ filters: 8, kernelSize: 3, strides: 2, padding: "same" })
 */
export interface ConvWindowArgs<P extends ConvPadding = "valid" | "same"> {
  /** Window size: one int for every spatial dim, or one per dim. */
  kernelSize: number | readonly number[];
  /** Step of the window: one int for every spatial dim, or one per dim (default 1). */
  strides?: number | readonly number[];
  /** "valid" (default) or "same" (TF's: output ⌈L/stride⌉, the odd pad at the end). */
  padding?: P;
  /** "channels_last" (default) or "channels_first" (also accepts the ops' "channelsLast"/"channelsFirst"). */
  dataFormat?: DataFormatLike | null;
  /** Spacing between kernel taps (default 1); Keras refuses it together with strides > 1. */
  dilationRate?: number | readonly number[];
}

/** Window options standardised: one entry per spatial dim, Keras's spellings. */
export interface ConvWindow<P extends ConvPadding = "valid" | "same"> {
  kernelSize: number[];
  strides: number[];
  padding: P;
  dataFormat: KerasDataFormat;
  dilationRate: number[];
}

/**
 * Keras's checks of a convolution's window options (base_conv.py and its siblings): tuples of
 * `rank` positive ints, a known padding mode ("causal" only with `allowCausal`), a known data
 * format, and no strides > 1 together with dilation > 1.
 */
export function standardizeWindow<P extends ConvPadding = "valid" | "same">(
  at: string,
  rank: number,
  args: ConvWindowArgs<P>,
  allowCausal = false,
): ConvWindow<P> {
  const window: ConvWindow<P> = {
    kernelSize: standardizeTuple(at, "kernelSize", args.kernelSize, rank),
    strides: standardizeTuple(at, "strides", args.strides ?? 1, rank),
    dilationRate: standardizeTuple(at, "dilationRate", args.dilationRate ?? 1, rank),
    padding: standardizePadding<P>(at, args.padding, allowCausal),
    dataFormat: standardizeDataFormat(at, args.dataFormat),
  };
  rejectStridedDilation(at, window.strides, window.dilationRate);
  return window;
}

/** The window options as they go into a config (copies, in Keras's order). */
export function windowConfig(w: ConvWindow<ConvPadding>): Record<string, unknown> {
  return {
    kernelSize: w.kernelSize.slice(),
    strides: w.strides.slice(),
    padding: w.padding,
    dataFormat: w.dataFormat,
    dilationRate: w.dilationRate.slice(),
  };
}

/** Keras refuses strides > 1 together with dilation > 1 (base_conv.py and its siblings). */
function rejectStridedDilation(at: string, strides: number[], dilation: number[]): void {
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1)
    throw new ValueError(
      `${at}: strides > 1 is not supported together with dilationRate > 1 (as Keras); got strides ` +
        `${fmtShape(strides)} and dilationRate ${fmtShape(dilation)}`,
    );
}

/**
 * Output length of a convolution along one dim (Keras 2 conv_utils.conv_output_length; Keras 3's
 * compute_conv_output_shape gives the same): ⌈(L − dk + 1)/s⌉ for "valid", ⌈L/s⌉ for "same" and
 * "causal", with dk = (k − 1)·dilation + 1.
 */
export function convOutputLength(
  length: number | null,
  kernel: number,
  padding: ConvPadding,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const dk = (kernel - 1) * dilation + 1;
  const out = padding === "valid" ? length - dk + 1 : length;
  return Math.floor((out + stride - 1) / stride);
}

/**
 * Output length of a transposed convolution along one dim (Keras's `deconv_output_length`,
 * keras/src/utils/conv_utils.py / keras/src/backend/common/backend_utils.py).
 */
export function deconvOutputLength(
  length: number | null,
  kernel: number,
  padding: "valid" | "same",
  outputPadding: number | null,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const dk = (kernel - 1) * dilation + 1;
  if (outputPadding === null)
    return padding === "valid" ? length * stride + Math.max(dk - stride, 0) : length * stride;
  const pad = padding === "same" ? Math.floor(dk / 2) : 0;
  return (length - 1) * stride + dk - 2 * pad + outputPadding;
}

/** Output length of a pooling window along one dim (Keras's compute_pooling_output_shape). */
export function poolOutputLength(
  length: number | null,
  pool: number,
  padding: "valid" | "same",
  stride: number,
): number | null {
  if (length === null) return null;
  return padding === "valid"
    ? Math.floor((length - pool) / stride) + 1
    : Math.floor((length - 1) / stride) + 1;
}

/** Axes of the spatial dims and of the channels in an input of `rank` spatial dims. */
export function layoutAxes(
  rank: number,
  dataFormat: KerasDataFormat,
): { spatial: number[]; channel: number } {
  const first = dataFormat === "channels_first" ? 2 : 1;
  return {
    spatial: Array.from({ length: rank }, (_, i) => first + i),
    channel: dataFormat === "channels_first" ? 1 : rank + 1,
  };
}

/** `[N, H, W, C]`-style description of the expected layout, for error messages. */
function layoutName(rank: number, dataFormat: KerasDataFormat): string {
  const dims = rank === 1 ? ["steps"] : rank === 2 ? ["rows", "cols"] : ["dim1", "dim2", "dim3"];
  const all =
    dataFormat === "channels_first" ? ["batch", "channels", ...dims] : ["batch", ...dims, "channels"];
  return `[${all.join(", ")}]`;
}

/** Throws unless `shape` has rank `rank + 2` (a batch of `rank`-D inputs with channels). */
export function requireInputRank(
  layer: Layer,
  shape: readonly (number | null)[],
  rank: number,
  dataFormat: KerasDataFormat,
): void {
  if (shape.length !== rank + 2)
    throw new ShapeError(
      `${where(layer)}: expected an input of rank ${rank + 2} ${layoutName(rank, dataFormat)} ` +
        `(${dataFormat}), got shape ${fmtShape(shape)}`,
    );
}

/** The channel count of a build-time input shape, which must be known. */
export function knownChannels(
  layer: Layer,
  shape: SymbolicShape,
  rank: number,
  dataFormat: KerasDataFormat,
): number {
  requireInputRank(layer, shape, rank, dataFormat);
  const c = shape[layoutAxes(rank, dataFormat).channel];
  if (c === null || c === undefined)
    throw new ShapeError(
      `${where(layer)}: the channel dimension of the input must be known (${dataFormat}), got shape ${fmtShape(shape)}`,
    );
  return c;
}

/** Throws unless a call's input has the rank and channel count the layer was built for. */
export function requireChannels(
  layer: Layer,
  shape: readonly number[],
  rank: number,
  dataFormat: KerasDataFormat,
  channels: number,
): void {
  requireInputRank(layer, shape, rank, dataFormat);
  const axis = layoutAxes(rank, dataFormat).channel;
  if (shape[axis] !== channels)
    throw new ShapeError(
      `${where(layer)}: expected input with ${channels} channels on axis ${axis} (${dataFormat}), ` +
        `got shape ${fmtShape(shape)}`,
    );
}

/** Throws when computed output spatial dims include an empty (≤ 0) one. */
export function requirePositiveOutput(
  layer: Layer,
  input: readonly (number | null)[],
  output: readonly (number | null)[],
  detail: string,
): void {
  if (output.some((d) => d !== null && d <= 0))
    throw new ShapeError(
      `${where(layer)}: input shape ${fmtShape(input)} is too small for ${detail}; the output's spatial ` +
        `dims would be ${fmtShape(output)}`,
    );
}

/**
 * Runs an op on behalf of a layer: shape and value errors the op raises are re-thrown as the same
 * class with the layer's class and name in front, so users see which layer failed.
 */
export function inLayer<T>(layer: Layer, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if ((e instanceof ShapeError || e instanceof ValueError) && !e.message.startsWith(where(layer))) {
      const Err = e.constructor as new (message: string) => GradlensError;
      throw new Err(`${where(layer)}: ${e.message}`);
    }
    throw e;
  }
}
