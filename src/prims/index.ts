export { Tensor, Concrete, bind, setDispatcher, type Aval } from "./tensor.js";
export { RULES, PRIM_NAMES } from "./table.js";
export * from "./types.js";
export * as lax from "./lax.js";
