/**
 * Small helpers shared by the layer files: axis and data-format arguments, shape messages,
 * list inputs and Keras masks. Nothing here is a layer.
 */
import { ShapeError, ValueError } from "../../core/errors.js";
import { sum } from "../../ops/index.js";
import { Tensor } from "../../prims/tensor.js";
import type { CallArgs, Layer, LayerInputs, ShapeTree } from "../layer.js";
import type { SymbolicShape } from "../symbolic.js";

/** `[None, 3, 4]`, the way Keras prints shapes (unknown dims as None). */
export const fmtShape = (s: readonly (number | null)[]): string =>
  `[${s.map((d) => (d === null ? "None" : d)).join(", ")}]`;

/** `ClassName 'name': message`, the prefix of every layer error. */
export const at = (layer: Layer, message: string): string => `${layer.className} '${layer.name}': ${message}`;

/** A non-negative axis for a tensor of rank `rank`, or a ValueError naming the layer. */
export function normAxis(layer: Layer, axis: number, rank: number, what = "axis"): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    throw new ValueError(at(layer, `${what} ${axis} is out of range for inputs of rank ${rank}`));
  return axis < 0 ? axis + rank : axis;
}

/** Keras's `data_format`; the camelCase spelling used by gradlens ops is accepted too. */
export type DataFormatArg = "channels_last" | "channels_first" | "channelsLast" | "channelsFirst";
export type KerasDataFormat = "channels_last" | "channels_first";

/** Normalises a data-format argument to Keras's spelling (default channels_last, as Keras). */
export function dataFormatOf(className: string, value: DataFormatArg | null | undefined): KerasDataFormat {
  if (value === null || value === undefined || value === "channels_last" || value === "channelsLast")
    return "channels_last";
  if (value === "channels_first" || value === "channelsFirst") return "channels_first";
  throw new ValueError(
    `${className}: dataFormat must be "channels_last" or "channels_first", got ${JSON.stringify(value)}`,
  );
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

/** `any` along one axis of a boolean tensor (Keras's `ops.any`). */
export const anyAlong = (m: Tensor, axis: number, keepdims = false): Tensor =>
  sum(m, { axis, keepdims }).greater(0);

/** Product of dims, or null when any is unknown. */
export const prodOrNull = (dims: readonly (number | null)[]): number | null =>
  dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
