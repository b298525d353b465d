/**
 * Keras / TF.js model configs → one canonical dialect (`CanonicalModel`), plus the Keras 3 weight
 * group naming. Pure JSON → JSON: no file access, nothing evaluated.
 */
export type {
  BatchShape,
  CanonicalLayer,
  CanonicalModel,
  CanonicalNode,
  KerasMajor,
  KerasSource,
  TensorRef,
} from "./types.js";
export { isCustomLayer, isTensorRef } from "./types.js";
export { normalizeModelConfig, parseModelConfig, type NormalizeOptions } from "./normalize.js";
export { assertSafeJson, parseConfigJson, MAX_JSON_DEPTH, MAX_MODEL_NESTING } from "./guard.js";
export { recurrentDefaults } from "./defaults.js";
export {
  keras3WeightKeys,
  keras3VarsGroups,
  kerasSnakeCase,
  type Keras3WeightNode,
} from "./keras3WeightKeys.js";
