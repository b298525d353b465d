/**
 * Every op is also a method on Tensor (`a.matmul(b).add(1).mul(p)`). The Tensor class
 * (prims/tensor.ts) declares the methods and forwards each to a table of ops; this module fills
 * that table once, with the functions of this layer. It imports every op module and is imported
 * by ops/creation.ts (the functions users create tensors with) and no op module, so the import
 * graph has no circle, and no module patches another's prototype.
 */
import { setTensorOps, type TensorOps } from "../prims/tensor.js";
import * as A from "./activations.js";
import * as E from "./elementwise.js";
import * as Lin from "./linalg.js";
import * as M from "./manipulation.js";
import * as R from "./reduction.js";

const table: TensorOps = {
  add: E.add,
  sub: E.sub,
  mul: E.mul,
  div: E.div,
  pow: E.pow,
  maximum: E.maximum,
  minimum: E.minimum,
  equal: E.equal,
  notEqual: E.notEqual,
  less: E.less,
  lessEqual: E.lessEqual,
  greater: E.greater,
  greaterEqual: E.greaterEqual,
  matmul: Lin.matmul,
  dot: Lin.dot,
  neg: E.neg,
  abs: E.abs,
  sign: E.sign,
  square: E.square,
  sqrt: E.sqrt,
  rsqrt: E.rsqrt,
  reciprocal: E.reciprocal,
  exp: E.exp,
  expm1: E.expm1,
  log: E.log,
  log1p: E.log1p,
  sin: E.sin,
  cos: E.cos,
  tan: E.tan,
  tanh: E.tanh,
  sinh: E.sinh,
  cosh: E.cosh,
  asin: E.asin,
  acos: E.acos,
  atan: E.atan,
  erf: E.erf,
  erfc: E.erfc,
  floor: E.floor,
  ceil: E.ceil,
  round: E.round,
  sigmoid: A.sigmoid,
  relu: A.relu,
  softplus: A.softplus,
  ravel: M.ravel,
  clip: E.clip,
  softmax: A.softmax,
  logSoftmax: A.logSoftmax,
  sum: R.sum,
  mean: R.mean,
  prod: R.prod,
  max: R.max,
  min: R.min,
  variance: R.variance,
  std: R.std,
  logsumexp: R.logsumexp,
  argmax: R.argmax,
  argmin: R.argmin,
  reshape: M.reshape,
  transpose: M.transpose,
  expandDims: M.expandDims,
  squeeze: M.squeeze,
  broadcastTo: M.broadcastTo,
  slice: M.slice,
  flip: M.flip,
  take: M.take,
  cumsum: M.cumsum,
  astype: M.astype,
};
setTensorOps(table);
