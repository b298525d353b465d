export {
  jvp,
  linearize,
  vjp,
  grad,
  valueAndGrad,
  jacfwd,
  jacrev,
  jacobian,
  hessian,
  hvp,
  vmap,
  stopGradient,
  evalShape,
} from "./transforms.js";
export type { GradOptions, VmapOptions, ShapeDtype } from "./transforms.js";
export { jit, clearJitCaches } from "./jit.js";
export type { JitOptions, JitCacheStats, JitLowered, Jitted } from "./jit.js";
export type { ArgSelection } from "./select.js";
export type {
  TreeOfTensors,
  TensorTree,
  Selection,
  GradOf,
  ValueAndGradOf,
  JacobianOf,
  HessianOf,
} from "./types.js";
export { flatten, unflatten, type PyTree, type TreeDef } from "./pytree.js";
