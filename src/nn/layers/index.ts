/** Keras layer classes, one file each; constructed with one options object in camelCase. */
export { InputLayer } from "./inputLayer.js";
export { Dense } from "./dense.js";
export { Activation } from "./activation.js";
