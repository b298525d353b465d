// Ops evaluate through the interpreter stack and are methods on Tensor: both are installed here,
// by the layer whose functions need them, so every entry point (gradlens, gradlens/nn, …) has them.
import "../interp/dispatch.js";
import "./methods.js";
export * from "./creation.js";
export * from "./elementwise.js";
export * from "./reduction.js";
export * from "./manipulation.js";
export * from "./linalg.js";
export * from "./activations.js";
export { concreteValue } from "./methods.js";
export * as random from "./random.js";
export * from "./conv.js";
export * from "./pool.js";
export type { DataFormat, Padding } from "./windows.js";
