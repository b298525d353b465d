/**
 * Small helpers shared by the layer files: how errors name a layer and print shapes, axis,
 * count and data-format arguments, list inputs and Keras masks. Nothing here is a layer.
 * (The window arithmetic of the convolution and pooling layers is in _convUtils.ts.)
 */
import { ShapeError, ValueError } from "../../../core/errors.js";
import { arange, sum, type DataFormat } from "../../../ops/index.js";
import { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, Layer, LayerInputs, ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";

/** `[None, 3, 4]`, the way Keras prints shapes (unknown dims as None). */
export const fmtShape = (s: readonly (number | null)[]): string =>
  `[${s.map((d) => (d === null ? "None" : d)).join(", ")}]`;

/** `Conv2D 'conv2d'`: how errors name a layer. */
export const where = (layer: Layer): string => `${layer.className} '${layer.name}'`;

/** `ClassName 'name': message`, the form of every layer error. */
export const at = (layer: Layer, message: string): string => `${where(layer)}: ${message}`;

/** A value as an error message shows it. */
export const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Positive integer check for counts such as `units`, `filters` and `depthMultiplier`. */
export function positiveInt(at: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new ValueError(`${at}: ${name} must be a positive integer, got ${show(value)}`);
  return value;
}

/** A non-negative axis for a tensor of rank `rank`, or a ValueError naming the layer. */
export function normAxis(layer: Layer, axis: number, rank: number, what = "axis"): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new ValueError(at(layer, `${what} ${axis} is out of range for inputs of rank ${rank}`));
  return axis < 0 ? axis + rank : axis;
}

/** An `axis` option (one axis or a list) as a layer keeps it: a copy, `fallback` when absent. */
export const axisOption = (axis: number | number[] | undefined, fallback = -1): number | number[] =>
  Array.isArray(axis) ? axis.slice() : (axis ?? fallback);

/** The non-negative axes of an `axis` option (one axis or a list) for inputs of rank `rank`. */
export const normAxes = (layer: Layer, axis: number | number[], rank: number): number[] =>
  (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis(layer, a, rank));

/**
 * Keras's spelling of the channel layout, as stored in configs.
 *
 * @example new layers.Flatten({ dataFormat: "channels_first" }).dataFormat; // "channels_first"
 */
export type KerasDataFormat = "channels_last" | "channels_first";

/**
 * A channel layout in Keras's spelling or the ops' camelCase one.
 *
 * @example new layers.Conv2D({ filters: 4, kernelSize: 3, dataFormat: "channels_first" })
 */
export type DataFormatLike = KerasDataFormat | DataFormat;

/**
 * Keras's `standardize_data_format` (case-insensitive); null/undefined is Keras's default image
 * format, channels_last. The ops' camelCase spellings are accepted too.
 */
export function standardizeDataFormat(at: string, value: DataFormatLike | null | undefined): KerasDataFormat {
  if (value === null || value === undefined) return "channels_last";
  const v = typeof value === "string" ? value.toLowerCase() : value;
  if (v === "channels_last" || v === "channelslast") return "channels_last";
  if (v === "channels_first" || v === "channelsfirst") return "channels_first";
  throw new ValueError(`${at}: dataFormat must be "channels_last" or "channels_first", got ${show(value)}`);
}

/** Whether a shape tree is a list of shapes (a multi-input layer) rather than one shape. */
export const isShapeList = (s: ShapeTree): s is SymbolicShape[] => Array.isArray(s) && Array.isArray(s[0]);

/** The shapes of a multi-input layer's inputs, or a ValueError when it got a single input. */
export function shapeList(layer: Layer, s: ShapeTree, what: string): SymbolicShape[] {
  if (isShapeList(s)) return s;
  throw new ValueError(at(layer, `${what}; got one input of shape ${fmtShape(s as SymbolicShape)}`));
}

/** The one shape of a single-input layer. */
export function singleShape(layer: Layer, s: ShapeTree): SymbolicShape {
  if (Array.isArray(s) && !Array.isArray(s[0])) return s as SymbolicShape;
  throw new ValueError(at(layer, "expects a single input tensor, got a list or named inputs"));
}

/** The tensors of a multi-input layer's call, or a ValueError when it got a single tensor. */
export function tensorList(layer: Layer, inputs: LayerInputs, what: string): Tensor[] {
  if (Array.isArray(inputs)) return inputs;
  throw new ValueError(at(layer, what));
}

/** The one tensor of a single-input layer's call. */
export function singleTensor(layer: Layer, inputs: LayerInputs): Tensor {
  if (inputs instanceof Tensor) return inputs;
  throw new ValueError(at(layer, "expects a single input tensor, got a list or named inputs"));
}

/** Checks the rank of a single input shape. */
export function requireRank(layer: Layer, shape: readonly (number | null)[], rank: number, what = ""): void {
  if (shape.length !== rank)
    throw new ShapeError(
      at(layer, `expected input of rank ${rank}${what ? ` (${what})` : ""}, got shape ${fmtShape(shape)}`),
    );
}

/** The masks of a multi-input call, one per input (null where an input has none). */
export function maskList(mask: CallArgs["mask"], n: number): (Tensor | null)[] {
  if (mask === null || mask === undefined) return new Array<Tensor | null>(n).fill(null);
  if (mask instanceof Tensor) return [mask, ...new Array<Tensor | null>(n - 1).fill(null)];
  return Array.from({ length: n }, (_, i) => mask[i] ?? null);
}

/** The mask of a single-input call. */
export const singleMask = (mask: CallArgs["mask"]): Tensor | null =>
  mask instanceof Tensor ? mask : Array.isArray(mask) ? (mask[0] ?? null) : null;

/** A Keras mask as booleans: bool masks as they are, numeric masks as `m != 0` (Keras's cast to bool). */
export const boolMask = (m: Tensor): Tensor => (m.dtype === "bool" ? m : m.notEqual(0));

/** `[1, Tq, Tv]` booleans, true where key position j ≤ query position i (Keras's causal mask). */
export const causalMask = (queries: number, keys: number): Tensor =>
  arange(queries)
    .reshape([1, queries, 1])
    .greaterEqual(arange(keys).reshape([1, 1, keys]));

/** `any` along one axis of a boolean tensor (Keras's `ops.any`). */
export const anyAlong = (m: Tensor, axis: number, keepdims = false): Tensor =>
  sum(m, { axis, keepdims }).greater(0);

/** Product of dims, or null when any is unknown. */
export const prodOrNull = (dims: readonly (number | null)[]): number | null =>
  dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
