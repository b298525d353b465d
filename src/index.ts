/**
 * gradlens: exact float64 derivatives of Keras-style models with respect to their inputs.
 *
 * @example
 * import { array, grad, vmap } from "gradlens";
 * const f = (x) => x.tanh().sum();
 * grad(f)(array([0.1, 0.2]));
 */
export { Tensor } from "./prims/tensor.js";
export type { Aval } from "./prims/tensor.js";
export type { DType, DataArray } from "./core/dtype.js";
export type { Shape } from "./core/shape.js";
export type { NestedArray } from "./core/ndarray.js";
export { GradlensError, ShapeError, DTypeError, ValueError, TracerError } from "./core/errors.js";
export { Rng } from "./core/rng.js";
export * from "./api/index.js";
export * from "./ops/index.js";
export * from "./nn/index.js";
export * from "./sensitivity/index.js";
export * from "./report/index.js";
export * from "./io/index.js";
