import "./methods.js";
export * from "./creation.js";
export * from "./elementwise.js";
export * from "./reduction.js";
export * from "./manipulation.js";
export * from "./linalg.js";
export * from "./activations.js";
export { concreteValue } from "./methods.js";
export * as random from "./random.js";
