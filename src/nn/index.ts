export {
  Layer,
  type LayerArgs,
  type CallArgs,
  type LayerInputs,
  type LayerOutputs,
  type ShapeTree,
} from "./layer.js";
export type { Spec } from "./tree.js";
export { Model, type ModelArgs, type ModelOutputs, type SaveTarget } from "./model.js";
export type { WeightCheck, WeightRequest } from "./weightCheck.js";
export { Sequential } from "./sequential.js";
export { Input } from "./layers/core/inputLayer.js";
export { SymbolicTensor, Node } from "./layer.js";
export type { SymbolicShape } from "./symbolic.js";
export { Weight } from "./weight.js";
export { resetNames, toSnakeCase } from "./naming.js";
export { setWarningHandler, type WarningHandler } from "./warnings.js";
export * as layers from "./layers/index.js";
export * as initializers from "./initializers.js";
export * as activations from "./activations.js";
