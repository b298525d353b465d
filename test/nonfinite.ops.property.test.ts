/**
 * Every exported op (src/ops) and activation (src/nn/activations) driven through NaN, ±Infinity
 * and ±0 (issue 8), each output element compared with a scalar reference in JS `Math` semantics
 * (NumPy's where they differ; docs/nan-semantics.md names each). `OPS` and `ACTS` are mapped types
 * over the modules' exports, so a new export without an entry fails to compile, and the guards
 * below fail at run time too. So a `where(x > 0, x, 0)` that swallows NaN cannot come back.
 *
 * First and second derivatives at the special points and kinks are pinned in `DERIVATIVES`
 * (JAX's conventions; the deviations are the documented ones).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jvp } from "../src/api/transforms.js";
import * as activations from "../src/nn/activations.js";
import * as layers from "../src/nn/layers/index.js";
import * as ops from "../src/ops/index.js";
import { Concrete, type Tensor } from "../src/prims/tensor.js";
import {
  ALL,
  checkLinear,
  checkMovement,
  checkWindowMax,
  f64,
  Mismatches,
  powC,
  roundHalfEvenRef,
  show,
  truthy,
  SPECIAL_ROWS,
} from "./helpers/special.js";

const data = (t: Tensor) => (t as Concrete).value.data;

type Scalar1 = (x: number) => number | undefined;
type Entry =
  /** Element-wise: each element of op(ALL) against `ref` (undefined: not a special point, covered elsewhere). */
  | { kind: "unary"; op: (x: Tensor) => Tensor; ref: Scalar1; rtol?: number }
  /** Element-wise on every pair of special and ordinary values. */
  | { kind: "binary"; op: (x: Tensor, y: Tensor) => Tensor; ref: (x: number, y: number) => number }
  /** Anything else: its own checks. */
  | { kind: "check"; run: (m: Mismatches) => void }
  /** Takes no array values (shapes, names, introspection): why it needs no special-value check. */
  | { kind: "exempt"; why: string };

/** exp, expm1, log, log1p, tanh, logistic run gradlens's own kernels: within 2 ulp of `Math.*` (docs/transcendentals.md). */
const OWN_KERNEL_RTOL = 2 * Number.EPSILON;
const unary = (op: (x: Tensor) => Tensor, ref: Scalar1, rtol?: number): Entry => ({
  kind: "unary",
  op,
  ref,
  rtol,
});
const binary = (op: (x: Tensor, y: Tensor) => Tensor, ref: (x: number, y: number) => number): Entry => ({
  kind: "binary",
  op,
  ref,
});
const check = (run: (m: Mismatches) => void): Entry => ({ kind: "check", run });
const atSpecial =
  (nan: number, inf: number, ninf: number, zero: (z: number) => number): Scalar1 =>
  (x) =>
    x !== x ? nan : x === Infinity ? inf : x === -Infinity ? ninf : x === 0 ? zero(x) : undefined;
const bool = (f: (x: number) => boolean) => (x: number) => +f(x);
const bool2 = (f: (x: number, y: number) => boolean) => (x: number, y: number) => +f(x, y);

const ROWS = SPECIAL_ROWS;
const rowsTensor = () => f64(ROWS.flat(), [ROWS.length, 3]);

/** A row-wise op: out[i] (or out[i, :]) against `ref(row)`. */
function rows(op: (x: Tensor) => Tensor, ref: (row: number[]) => number | number[], rtol = 1e-15): Entry {
  return check((m) => {
    const out = data(op(rowsTensor()));
    ROWS.forEach((row, i) => {
      const want = ref(row);
      const list = Array.isArray(want) ? want : [want];
      list.forEach((w, k) =>
        m.check(`row [${row.map(show)}] → element ${k}`, out[i * list.length + k], w, rtol),
      );
    });
  });
}

// Scalar references (JS Math; formulas as Keras/JAX define the activation).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const softplusRef = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const hardSigmoidRef = (x: number) => Math.min(Math.max(x + 3, 0), 6) / 6;
const maxOf = (r: number[]) => r.reduce((a, b) => Math.max(a, b), -Infinity);
const minOf = (r: number[]) => r.reduce((a, b) => Math.min(a, b), Infinity);
const sumOf = (r: number[]) => r.reduce((a, b) => a + b, 0);
const meanOf = (r: number[]) => sumOf(r) / r.length;
const varianceOf = (r: number[]) => {
  const mu = meanOf(r);
  return sumOf(r.map((v) => (v - mu) * (v - mu))) / r.length;
};
/** max with a non-finite max replaced by 0 (JAX's logsumexp shift). */
const finiteShift = (r: number[]) => {
  const mx = maxOf(r);
  return Number.isFinite(mx) ? mx : 0;
};
const logsumexpOf = (r: number[]) => {
  const s = finiteShift(r);
  return Math.log(sumOf(r.map((v) => Math.exp(v - s)))) + s;
};
const softmaxOf = (r: number[]) => {
  const s = finiteShift(r);
  const e = r.map((v) => Math.exp(v - s));
  return e.map((v) => v / sumOf(e));
};
/** NumPy's argmax/argmin: the first NaN, else the first extreme. */
const argOf = (best: (r: number[]) => number) => (r: number[]) => {
  const nan = r.findIndex((v) => v !== v);
  return nan >= 0 ? nan : r.indexOf(best(r));
};

/** Small fixed operands (nonzero, so every structural dependency shows in the linear check). */
const w = (shape: number[]) =>
  f64(
    Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, i) => (i % 2 ? -1 : 1) * (0.5 + 0.25 * (i % 5)),
    ),
    shape,
  );
const linear = (name: string, f: (x: Tensor) => Tensor, shape: number[]) =>
  check((m) => checkLinear(name, f, shape, m));
const movement = (name: string, f: (x: Tensor) => Tensor | Tensor[], shape = [3, 6], padValue = 0) =>
  check((m) => checkMovement(name, f, shape, m, padValue));
const windowMax = (name: string, f: (x: Tensor) => Tensor, twin: (x: Tensor) => Tensor, shape: number[]) =>
  check((m) => checkWindowMax(name, f, twin, shape, m));
const throwsFor = (what: string, f: () => unknown, re: RegExp) => expect(f, what).toThrow(re);

type OpsExports = typeof ops;

const OPS: { [K in keyof OpsExports]: Entry } = {
  // ---- creation ------------------------------------------------------------------------------
  array: check((m) => {
    const t = ops.array([...ALL]);
    ALL.forEach((x, i) => m.check(`array(${show(x)})`, data(t)[i], x));
    for (const x of [NaN, Infinity, 3e9, -2147483649])
      throwsFor(`array([${x}], int32)`, () => ops.array([x], { dtype: "int32" }), /int32/);
  }),
  asTensor: movement("asTensor", (x) => ops.asTensor(x)),
  full: check((m) => {
    for (const x of ALL) m.check(`full(${show(x)})`, data(ops.full([2], x))[1], x);
    throwsFor("full int32 NaN", () => ops.full([2], NaN, { dtype: "int32" }), /int32/);
  }),
  fullLike: check((m) => {
    for (const x of ALL) m.check(`fullLike(${show(x)})`, data(ops.fullLike(f64([1, 2]), x))[0], x);
  }),
  zeros: check((m) => m.check("zeros", data(ops.zeros([1]))[0], 0)),
  ones: check((m) => m.check("ones", data(ops.ones([1]))[0], 1)),
  // Values of x do not matter: zerosLike(NaN) is 0 (NumPy), not NaN.
  zerosLike: check((m) => m.check("zerosLike(NaN)", data(ops.zerosLike(f64([NaN])))[0], 0)),
  onesLike: check((m) => m.check("onesLike(NaN)", data(ops.onesLike(f64([NaN])))[0], 1)),
  eye: check((m) => m.check("eye", data(ops.eye(2))[3], 1)),
  arange: check(() => {
    for (const args of [[NaN], [0, Infinity], [0, 5, NaN], [-Infinity, 0]] as [number, number?, number?][])
      throwsFor(`arange(${args})`, () => ops.arange(...args), /finite/);
    throwsFor(
      "arange int32 beyond range",
      () => ops.arange(2147483640, 2147483650, 1, { dtype: "int32" }),
      /int32/,
    );
  }),
  linspace: check(() => {
    throwsFor("linspace(0, NaN)", () => ops.linspace(0, NaN, 3), /finite/);
    throwsFor("linspace(0, Infinity)", () => ops.linspace(0, Infinity, 3), /finite/);
  }),
  concreteValue: check((m) => {
    const v = ops.concreteValue(f64([...ALL]), "test");
    ALL.forEach((x, i) => m.check(`concreteValue ${i}`, v.data[i], x));
  }),
  random: check(() => {
    throwsFor("normal mean NaN", () => ops.random.normal([2], { seed: 0, mean: NaN }), /finite/);
    throwsFor("normal std Infinity", () => ops.random.normal([2], { seed: 0, std: Infinity }), /finite/);
    throwsFor("uniform high NaN", () => ops.random.uniform([2], { seed: 0, high: NaN }), /finite/);
    throwsFor(
      "truncatedNormal std NaN",
      () => ops.random.truncatedNormal([2], { seed: 0, std: NaN }),
      /finite/,
    );
    throwsFor("bernoulli p NaN", () => ops.random.bernoulli([2], { seed: 0, p: NaN }), /p must be/);
  }),
  broadcastShapesOf: { kind: "exempt", why: "reads shapes only" },

  // ---- element-wise --------------------------------------------------------------------------
  abs: unary(ops.abs, Math.abs),
  acos: unary(ops.acos, Math.acos),
  acosh: unary(ops.acosh, Math.acosh),
  asin: unary(ops.asin, Math.asin),
  asinh: unary(ops.asinh, Math.asinh),
  atan: unary(ops.atan, Math.atan),
  atanh: unary(ops.atanh, Math.atanh),
  ceil: unary(ops.ceil, Math.ceil),
  cos: unary(ops.cos, Math.cos),
  cosh: unary(ops.cosh, Math.cosh),
  erf: unary(
    ops.erf,
    atSpecial(NaN, 1, -1, (z) => z),
  ),
  erfc: unary(
    ops.erfc,
    atSpecial(NaN, 0, 2, () => 1),
  ),
  exp: unary(ops.exp, Math.exp, OWN_KERNEL_RTOL),
  expm1: unary(ops.expm1, Math.expm1, OWN_KERNEL_RTOL),
  floor: unary(ops.floor, Math.floor),
  log: unary(ops.log, Math.log, OWN_KERNEL_RTOL),
  log1p: unary(ops.log1p, Math.log1p, OWN_KERNEL_RTOL),
  neg: unary(ops.neg, (x) => -x),
  reciprocal: unary(ops.reciprocal, (x) => 1 / x),
  round: unary(ops.round, roundHalfEvenRef),
  rsqrt: unary(ops.rsqrt, (x) => 1 / Math.sqrt(x)),
  sign: unary(ops.sign, Math.sign),
  sin: unary(ops.sin, Math.sin),
  sinh: unary(ops.sinh, Math.sinh),
  sqrt: unary(ops.sqrt, Math.sqrt),
  square: unary(ops.square, (x) => x * x),
  tan: unary(ops.tan, Math.tan),
  tanh: unary(ops.tanh, Math.tanh, OWN_KERNEL_RTOL),
  isfinite: unary(ops.isfinite, bool(Number.isFinite)),
  isnan: unary(ops.isnan, bool(Number.isNaN)),
  // NumPy truthiness: NaN is true, so logicalNot(NaN) is false (JS's !NaN is true).
  logicalNot: unary(
    ops.logicalNot,
    bool((x) => !truthy(x)),
  ),
  add: binary(ops.add, (x, y) => x + y),
  sub: binary(ops.sub, (x, y) => x - y),
  mul: binary(ops.mul, (x, y) => x * y),
  div: binary(ops.div, (x, y) => x / y),
  pow: binary(ops.pow, powC),
  maximum: binary(ops.maximum, Math.max),
  minimum: binary(ops.minimum, Math.min),
  atan2: binary(ops.atan2, Math.atan2),
  equal: binary(
    ops.equal,
    bool2((x, y) => x === y),
  ),
  notEqual: binary(
    ops.notEqual,
    bool2((x, y) => x !== y),
  ),
  less: binary(
    ops.less,
    bool2((x, y) => x < y),
  ),
  lessEqual: binary(
    ops.lessEqual,
    bool2((x, y) => x <= y),
  ),
  greater: binary(
    ops.greater,
    bool2((x, y) => x > y),
  ),
  greaterEqual: binary(
    ops.greaterEqual,
    bool2((x, y) => x >= y),
  ),
  logicalAnd: binary(
    ops.logicalAnd,
    bool2((x, y) => truthy(x) && truthy(y)),
  ),
  logicalOr: binary(
    ops.logicalOr,
    bool2((x, y) => truthy(x) || truthy(y)),
  ),
  where: check((m) => {
    // The condition by NumPy truthiness (NaN is true); the chosen operand passes bit for bit.
    const out = data(ops.where(f64([...ALL]), f64([...ALL]), f64(ALL.map((x) => -x))));
    ALL.forEach((x, i) => m.check(`where(${show(x)}, x, -x)`, out[i], truthy(x) ? x : -x));
  }),
  clip: check((m) => {
    const bounds: [number | null, number | null][] = [
      [0, 6],
      [-Infinity, Infinity],
      [NaN, 1],
      [0, NaN],
      [null, 1],
      [-1, null],
    ];
    for (const [lo, hi] of bounds) {
      const out = data(ops.clip(f64([...ALL]), lo, hi));
      ALL.forEach((x, i) => {
        const a = lo === null ? x : Math.max(x, lo);
        m.check(`clip(${show(x)}, ${lo}, ${hi})`, out[i], hi === null ? a : Math.min(a, hi));
      });
    }
  }),

  // ---- reductions ----------------------------------------------------------------------------
  sum: rows((x) => ops.sum(x, { axis: -1 }), sumOf),
  prod: rows(
    (x) => ops.prod(x, { axis: -1 }),
    (r) => r.reduce((a, b) => a * b, 1),
  ),
  max: rows((x) => ops.max(x, { axis: -1 }), maxOf),
  min: rows((x) => ops.min(x, { axis: -1 }), minOf),
  mean: rows((x) => ops.mean(x, { axis: -1 }), meanOf),
  variance: rows((x) => ops.variance(x, { axis: -1 }), varianceOf),
  std: rows(
    (x) => ops.std(x, { axis: -1 }),
    (r) => Math.sqrt(varianceOf(r)),
  ),
  logsumexp: rows((x) => ops.logsumexp(x, { axis: -1 }), logsumexpOf),
  argmax: rows((x) => ops.argmax(x, -1), argOf(maxOf), 0),
  argmin: rows((x) => ops.argmin(x, -1), argOf(minOf), 0),

  // ---- movement ------------------------------------------------------------------------------
  reshape: movement("reshape", (x) => ops.reshape(x, [2, 9])),
  ravel: movement("ravel", (x) => ops.ravel(x)),
  transpose: movement("transpose", (x) => ops.transpose(x)),
  permute: movement("permute", (x) => ops.permute(x, [1, 0])),
  moveaxis: movement("moveaxis", (x) => ops.moveaxis(x, 0, 1)),
  swapaxes: movement("swapaxes", (x) => ops.swapaxes(x, 0, 1)),
  expandDims: movement("expandDims", (x) => ops.expandDims(x, 1)),
  squeeze: movement("squeeze", (x) => ops.squeeze(x, 1), [3, 1, 6]),
  flip: movement("flip", (x) => ops.flip(x, 1)),
  tile: movement("tile", (x) => ops.tile(x, [2, 1])),
  repeat: movement("repeat", (x) => ops.repeat(x, 2, 1)),
  broadcastTo: movement("broadcastTo", (x) => ops.broadcastTo(x, [2, 3, 6])),
  broadcastArrays: movement("broadcastArrays", (x) => ops.broadcastArrays(x, ops.zeros([2, 1, 1]))),
  concatenate: movement("concatenate", (x) => ops.concatenate([x, x], 1)),
  stack: movement("stack", (x) => ops.stack([x, x], 1)),
  split: movement("split", (x) => ops.split(x, 3, 1)),
  slice: movement("slice", (x) =>
    ops.slice(x, [
      [0, 3, 2],
      [1, null, 2],
    ]),
  ),
  take: movement("take", (x) => ops.take(x, [2, 0, -1], 1)),
  gather: movement("gather", (x) => ops.gather(x, [1, 1], 0)),
  pad: movement("pad", (x) =>
    ops.pad(x, [
      [1, 0],
      [0, 2],
    ]),
  ),
  zeroPad: movement("zeroPad", (x) => ops.zeroPad(x, 1), [1, 3, 6, 1]),
  crop: movement(
    "crop",
    (x) =>
      ops.crop(x, [
        [1, 0],
        [2, 2],
      ]),
    [1, 3, 6, 1],
  ),
  upsample: movement("upsample", (x) => ops.upsample(x, 2), [1, 3, 6, 1]),
  astype: check((m) => {
    const s = data(ops.astype(f64([...ALL]), "float32"));
    ALL.forEach((x, i) => m.check(`astype(${show(x)}, float32)`, s[i], Math.fround(x)));
    const b = data(ops.astype(f64([...ALL]), "bool"));
    ALL.forEach((x, i) => m.check(`astype(${show(x)}, bool)`, b[i], +truthy(x)));
    for (const x of [NaN, Infinity, -Infinity, 2 ** 31])
      throwsFor(`astype(${x}, int32)`, () => ops.astype(f64([x]), "int32"), /int32/);
  }),

  // ---- linear --------------------------------------------------------------------------------
  cumsum: linear("cumsum", (x) => ops.cumsum(x, 1), [3, 6]),
  scatterAdd: linear("scatterAdd", (u) => ops.scatterAdd(ops.zeros([4]), [2, 0, 2], u), [3]),
  matmul: linear("matmul", (x) => ops.matmul(x, w([6, 2])), [3, 6]),
  dot: linear("dot", (x) => ops.dot(x, w([6])), [3, 6]),
  outer: linear("outer", (x) => ops.outer(x, w([3])), [4]),
  tensordot: linear("tensordot", (x) => ops.tensordot(x, w([6, 2]), 1), [3, 6]),
  einsum: linear("einsum", (x) => ops.einsum("ij,jk->ik", x, w([6, 2])), [3, 6]),
  biasAdd: linear("biasAdd", (x) => ops.biasAdd(x, ops.zeros([6])), [3, 6]),
  conv: linear("conv", (x) => ops.conv(x, w([2, 2, 1]), { padding: "same" }), [1, 6, 2]),
  conv1d: linear("conv1d", (x) => ops.conv1d(x, w([2, 2, 2]), { dilation: 2 }), [1, 6, 2]),
  conv2d: linear("conv2d", (x) => ops.conv2d(x, w([2, 2, 1, 2]), { strides: 2 }), [1, 4, 4, 1]),
  conv3d: linear("conv3d", (x) => ops.conv3d(x, w([2, 1, 2, 1, 1]), { padding: "same" }), [1, 2, 2, 3, 1]),
  convTranspose: linear(
    "convTranspose",
    (x) => ops.convTranspose(x, w([2, 1, 2]), { strides: 2 }),
    [1, 4, 2],
  ),
  convTranspose1d: linear(
    "convTranspose1d",
    (x) => ops.convTranspose1d(x, w([3, 1, 2]), { strides: 2 }),
    [1, 4, 2],
  ),
  convTranspose2d: linear(
    "convTranspose2d",
    (x) => ops.convTranspose2d(x, w([2, 2, 1, 1]), { strides: 2, padding: "same" }),
    [1, 3, 3, 1],
  ),
  convTranspose3d: linear(
    "convTranspose3d",
    (x) => ops.convTranspose3d(x, w([1, 2, 2, 1, 1])),
    [1, 2, 2, 2, 1],
  ),
  depthwiseConv: linear("depthwiseConv", (x) => ops.depthwiseConv(x, w([2, 2, 1])), [1, 6, 2]),
  depthwiseConv1d: linear(
    "depthwiseConv1d",
    (x) => ops.depthwiseConv1d(x, w([3, 2, 1]), { padding: "same" }),
    [1, 6, 2],
  ),
  depthwiseConv2d: linear("depthwiseConv2d", (x) => ops.depthwiseConv2d(x, w([2, 2, 2, 1])), [1, 3, 3, 2]),
  separableConv: linear("separableConv", (x) => ops.separableConv(x, w([2, 2, 1]), w([1, 2, 3])), [1, 6, 2]),
  avgPool: linear("avgPool", (x) => ops.avgPool(x, { poolSize: 2, strides: 1 }), [1, 6, 2]),
  avgPool1d: linear(
    "avgPool1d",
    (x) => ops.avgPool1d(x, { poolSize: 3, padding: "same", strides: 2 }),
    [1, 7, 1],
  ),
  avgPool2d: linear("avgPool2d", (x) => ops.avgPool2d(x, { padding: "same" }), [1, 3, 3, 2]),
  avgPool3d: linear("avgPool3d", (x) => ops.avgPool3d(x), [1, 2, 4, 2, 1]),
  globalAvgPool: linear("globalAvgPool", (x) => ops.globalAvgPool(x), [2, 3, 3]),
  maxPool: windowMax(
    "maxPool",
    (x) => ops.maxPool(x, { poolSize: 2, strides: 1 }),
    (x) => ops.avgPool(x, { poolSize: 2, strides: 1 }),
    [1, 6, 2],
  ),
  maxPool1d: windowMax(
    "maxPool1d",
    (x) => ops.maxPool1d(x, { poolSize: 3, padding: "same", strides: 2 }),
    (x) => ops.avgPool1d(x, { poolSize: 3, padding: "same", strides: 2 }),
    [1, 7, 1],
  ),
  maxPool2d: windowMax(
    "maxPool2d",
    (x) => ops.maxPool2d(x, { padding: "same" }),
    (x) => ops.avgPool2d(x, { padding: "same" }),
    [1, 3, 3, 2],
  ),
  maxPool3d: windowMax(
    "maxPool3d",
    (x) => ops.maxPool3d(x),
    (x) => ops.avgPool3d(x),
    [1, 2, 4, 2, 1],
  ),
  globalMaxPool: windowMax(
    "globalMaxPool",
    (x) => ops.globalMaxPool(x),
    (x) => ops.globalAvgPool(x),
    [2, 3, 3],
  ),

  // ---- activations ---------------------------------------------------------------------------
  relu: unary(ops.relu, (x) => Math.max(x, 0)),
  relu6: unary(ops.relu6, (x) => Math.min(Math.max(x, 0), 6)),
  leakyRelu: unary(ops.leakyRelu, (x) => Math.max(x, 0.2 * x)),
  elu: unary(ops.elu, (x) => (x > 0 ? x : Math.expm1(x)), OWN_KERNEL_RTOL),
  selu: unary(ops.selu, (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)), 1e-15),
  sigmoid: unary(ops.sigmoid, (x) => 1 / (1 + Math.exp(-x)), 1e-15),
  softplus: unary(ops.softplus, softplusRef, 1e-15),
  logSigmoid: unary(ops.logSigmoid, (x) => -softplusRef(-x), 1e-15),
  // ±∞/(1 + ∞) is NaN, as in JAX and Keras (the limit ±1 is not special-cased).
  softsign: unary(ops.softsign, (x) => x / (1 + Math.abs(x))),
  // −∞ · σ(−∞) = −∞ · 0 is NaN, as in JAX and Keras (the limit 0 is not special-cased).
  silu: unary(ops.silu, (x) => x / (1 + Math.exp(-x)), 1e-15),
  swish: unary(ops.swish, (x) => x / (1 + Math.exp(-x)), 1e-15),
  gelu: unary(
    ops.gelu,
    atSpecial(NaN, Infinity, NaN, (z) => z),
  ),
  hardSigmoid: unary(ops.hardSigmoid, hardSigmoidRef, 1e-15),
  hardSwish: unary(ops.hardSwish, (x) => x * hardSigmoidRef(x), 1e-15),
  mish: unary(ops.mish, (x) => x * Math.tanh(softplusRef(x)), 1e-14),
  softmax: rows((x) => ops.softmax(x, -1), softmaxOf),
  logSoftmax: rows(
    (x) => ops.logSoftmax(x, -1),
    (r) => r.map((v) => v - logsumexpOf(r)),
  ),
};

type ActExports = typeof activations;
/** Keras activation names and the `OPS` entry whose reference each must meet. */
const KERAS_NAME: Record<string, keyof OpsExports | "linear" | "hard_sigmoid"> = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  sigmoid: "sigmoid",
  hard_sigmoid: "hard_sigmoid",
  tanh: "tanh",
  softmax: "softmax",
  log_softmax: "logSoftmax",
  softplus: "softplus",
  softsign: "softsign",
  elu: "elu",
  selu: "selu",
  gelu: "gelu",
  silu: "silu",
  swish: "swish",
  hard_silu: "hardSwish",
  hard_swish: "hardSwish",
  mish: "mish",
  exponential: "exp",
  leaky_relu: "leakyRelu",
};

const ACTS: { [K in keyof ActExports]: Entry } = {
  hardSigmoidKeras2: unary(activations.hardSigmoidKeras2, (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1)),
  get: check((m) => {
    for (const name of activations.ACTIVATION_NAMES) {
      const target = KERAS_NAME[name];
      expect(target, `activation '${name}' has no reference here`).toBeDefined();
      const f = activations.get(name);
      if (target === "linear") {
        const out = data(f(f64([...ALL])));
        ALL.forEach((x, i) => m.check(`linear(${show(x)})`, out[i], x));
        continue;
      }
      if (target === "hard_sigmoid") {
        const out = data(f(f64([...ALL])));
        ALL.forEach((x, i) => m.check(`hard_sigmoid(${show(x)})`, out[i], hardSigmoidRef(x), 1e-15));
        continue;
      }
      const entry = OPS[target];
      if (entry.kind === "unary") {
        const out = data(f(f64([...ALL])));
        ALL.forEach((x, i) => m.check(`${name}(${show(x)})`, out[i], entry.ref(x), entry.rtol ?? 0));
      } else {
        // Row-wise (softmax): the same values as the op its OPS entry checks.
        const op = OPS_ROWWISE[target];
        expect(op, `activation '${name}' has no row-wise reference`).toBeDefined();
        const want = data(op!(rowsTensor()));
        data(f(rowsTensor())).forEach((v, i) => m.check(`${name} element ${i}`, v, want[i]));
      }
    }
  }),
  ACTIVATION_NAMES: { kind: "exempt", why: "a list of names; `get` checks every one" },
  serialize: { kind: "exempt", why: "returns a name" },
};

/** Row-wise activations that `get` resolves, compared with the op checked in OPS. */
const OPS_ROWWISE: Partial<Record<keyof OpsExports, (x: Tensor) => Tensor>> = {
  softmax: (x) => ops.softmax(x, -1),
  logSoftmax: (x) => ops.logSoftmax(x, -1),
};

/** The ops and activations whose functions are exported (types are erased, values are listed). */
const opsNames = Object.keys(ops).filter((k) => k !== "default");

it("every exported op and activation has an entry (a new export without one fails here)", () => {
  expect(Object.keys(OPS).sort()).toEqual(opsNames.sort());
  expect(Object.keys(ACTS).sort()).toEqual(Object.keys(activations).sort());
});

function runEntry(e: Entry, name: string): void {
  const m = new Mismatches();
  if (e.kind === "unary") {
    const out = data(e.op(f64([...ALL])));
    ALL.forEach((x, i) => m.check(`${name}(${show(x)})`, out[i], e.ref(x), e.rtol ?? 0));
  } else if (e.kind === "binary") {
    const pairs = ALL.flatMap((x) => ALL.map((y) => [x, y] as const));
    const out = data(e.op(f64(pairs.map((p) => p[0])), f64(pairs.map((p) => p[1]))));
    pairs.forEach(([x, y], i) => m.check(`${name}(${show(x)}, ${show(y)})`, out[i], e.ref(x, y)));
  } else if (e.kind === "check") e.run(m);
  else expect(e.why.length).toBeGreaterThan(0);
  m.assertNone();
}

describe.each(Object.keys(OPS) as (keyof OpsExports)[])("op %s on NaN, ±Inf, ±0", (name) => {
  it("every element equals the scalar reference", () => runEntry(OPS[name], name));
});

describe.each(Object.keys(ACTS) as (keyof ActExports)[])("activations.%s on NaN, ±Inf, ±0", (name) => {
  it("every element equals the scalar reference", () => runEntry(ACTS[name], name));
});

/**
 * [x, f'(x), f''(x)] at the special points and kinks, by nested JVPs with unit tangents. JAX's
 * conventions (relu'(0) = 0, relu6' = 0 at 0 and 6, leakyRelu'(0) = 1, elu'(0) = α, ties ½);
 * at NaN the select-based activations give their branch's derivative (the value is NaN).
 */
const DERIVATIVES: [string, (x: Tensor) => Tensor, [number, number, number][]][] = [
  [
    "relu",
    ops.relu,
    [
      [NaN, 1, 0],
      [Infinity, 1, 0],
      [-Infinity, 0, 0],
      [0, 0, 0],
      [-0, 0, 0],
      [1, 1, 0],
      [-1, 0, 0],
    ],
  ],
  [
    "relu6",
    ops.relu6,
    [
      [NaN, 1, 0],
      [Infinity, 0, 0],
      [0, 0, 0],
      [6, 0, 0],
      [3, 1, 0],
      [7, 0, 0],
    ],
  ],
  [
    "leakyRelu",
    ops.leakyRelu,
    [
      [NaN, 0.2, 0],
      [Infinity, 1, 0],
      [-Infinity, 0.2, 0],
      [0, 1, 0],
      [-0, 1, 0],
      [-1, 0.2, 0],
    ],
  ],
  [
    "elu",
    ops.elu,
    [
      [NaN, NaN, NaN],
      [Infinity, 1, 0],
      [-Infinity, 0, 0],
      [0, 1, 1],
      [1, 1, 0],
    ],
  ],
  [
    "selu",
    ops.selu,
    [
      [NaN, NaN, NaN],
      [Infinity, SELU_SCALE, 0],
      [-Infinity, 0, 0],
      [0, SELU_SCALE * SELU_ALPHA, SELU_SCALE * SELU_ALPHA],
    ],
  ],
  [
    "sigmoid",
    ops.sigmoid,
    [
      [NaN, NaN, NaN],
      [Infinity, 0, 0],
      [-Infinity, 0, 0],
      [0, 0.25, 0],
    ],
  ],
  [
    "softplus",
    ops.softplus,
    [
      [NaN, NaN, NaN],
      [Infinity, 1, 0],
      [-Infinity, 0, 0],
      [0, 0.5, 0.25],
      [-0, 0.5, 0.25],
    ],
  ],
  [
    "logSigmoid",
    ops.logSigmoid,
    [
      [NaN, NaN, NaN],
      [Infinity, 0, 0],
      [-Infinity, 1, 0],
      [0, 0.5, -0.25],
    ],
  ],
  // Formulas with ∞/∞ or ∞·0 at ±∞ give NaN, as in JAX.
  [
    "softsign",
    ops.softsign,
    [
      [NaN, NaN, NaN],
      [Infinity, NaN, NaN],
      [0, 1, 0],
    ],
  ],
  [
    "silu",
    ops.silu,
    [
      [NaN, NaN, NaN],
      [Infinity, NaN, NaN],
      [-Infinity, NaN, NaN],
      [0, 0.5, 0.5],
    ],
  ],
  [
    "gelu",
    ops.gelu,
    [
      [NaN, NaN, NaN],
      [Infinity, NaN, NaN],
      [0, 0.5, Math.sqrt(2 / Math.PI)],
    ],
  ],
  [
    "mish",
    ops.mish,
    [
      [NaN, NaN, NaN],
      [Infinity, NaN, NaN],
      [0, 0.6, 0.64],
    ],
  ],
  [
    "hardSigmoid",
    ops.hardSigmoid,
    [
      [NaN, 1 / 6, 0],
      [Infinity, 0, 0],
      [-3, 0, 0],
      [3, 0, 0],
      [0, 1 / 6, 0],
    ],
  ],
  [
    "hardSwish",
    ops.hardSwish,
    [
      [NaN, NaN, 1 / 3],
      [Infinity, NaN, 0],
      [-3, 0, 0],
      [3, 1, 0],
      [0, 0.5, 1 / 3],
    ],
  ],
  // clip(0.2x + 0.5, 0, 1): a bound is a tie of max/min, split ½ (JAX's clip).
  [
    "hardSigmoidKeras2",
    activations.hardSigmoidKeras2,
    [
      [NaN, 0, 0],
      [-2.5, 0.1, 0],
      [2.5, 0.1, 0],
      [0, 0.2, 0],
    ],
  ],
  // |x|' = sign(x): 0 at 0 (JAX: 1), NaN at NaN (JAX: −1); see docs/nan-semantics.md.
  [
    "abs",
    ops.abs,
    [
      [NaN, NaN, 0],
      [0, 0, 0],
      [Infinity, 1, 0],
      [-Infinity, -1, 0],
    ],
  ],
  [
    "sqrt",
    ops.sqrt,
    [
      [0, Infinity, -Infinity],
      [Infinity, 0, 0],
      [-1, NaN, NaN],
    ],
  ],
  [
    "log",
    ops.log,
    [
      [0, Infinity, -Infinity],
      [Infinity, 0, 0],
      [-1, -1, -1],
    ],
  ],
  [
    "reciprocal",
    ops.reciprocal,
    [
      [0, -Infinity, Infinity],
      [Infinity, 0, 0],
    ],
  ],
  [
    "rsqrt",
    ops.rsqrt,
    [
      [0, -Infinity, Infinity],
      [Infinity, 0, 0],
    ],
  ],
  [
    "clip(x, 0, 6)",
    (x) => ops.clip(x, 0, 6),
    [
      [NaN, 0, 0],
      [0, 0.5, 0],
      [6, 0.5, 0],
      [3, 1, 0],
      [Infinity, 0, 0],
    ],
  ],
  [
    "maximum(x, 0)",
    (x) => ops.maximum(x, 0),
    [
      [NaN, 0, 0],
      [0, 0.5, 0],
      [1, 1, 0],
      [-1, 0, 0],
    ],
  ],
];

describe("first and second derivatives at special points and kinks", () => {
  it.each(DERIVATIVES)("%s", (name, f, table) => {
    const xs = table.map((r) => r[0]);
    const ones = f64(xs.map(() => 1));
    const d1 = (x: Tensor) => jvp(f, [x], [ones])[1] as Tensor;
    const first = data(d1(f64(xs)));
    const second = data(jvp(d1, [f64(xs)], [ones])[1] as Tensor);
    const m = new Mismatches();
    table.forEach(([x, e1, e2], i) => {
      m.check(`${name}'(${show(x)})`, first[i], e1, 1e-15, false);
      m.check(`${name}''(${show(x)})`, second[i], e2, 1e-15, false);
    });
    m.assertNone();
  });

  it("a tied max reduction shares the derivative equally", () => {
    const t = data(jvp((x: Tensor) => ops.max(x), [f64([3, 1, 3])], [f64([1, 0, 0])])[1] as Tensor)[0];
    expect(t).toBe(0.5);
  });
});

describe("activation layers built on comparisons keep NaN (regression: where(x > t, x, 0) gave 0)", () => {
  it("ReLU (threshold, maxValue, negativeSlope), ThresholdedReLU, PReLU, LeakyReLU, ELU", () => {
    const x = f64([NaN, Infinity, -Infinity, 0, 2]);
    const cases: [string, { call: (x: Tensor) => Tensor | Tensor[] }, number[]][] = [
      ["ReLU", new layers.ReLU(), [NaN, Infinity, 0, 0, 2]],
      ["ReLU threshold 1", new layers.ReLU({ threshold: 1 }), [NaN, Infinity, 0, 0, 2]],
      ["ReLU maxValue 1", new layers.ReLU({ maxValue: 1 }), [NaN, 1, 0, 0, 1]],
      ["ReLU negativeSlope", new layers.ReLU({ negativeSlope: 0.5 }), [NaN, Infinity, -Infinity, 0, 2]],
      ["ThresholdedReLU", new layers.ThresholdedReLU({ theta: 1 }), [NaN, Infinity, 0, 0, 2]],
      ["LeakyReLU", new layers.LeakyReLU({ negativeSlope: 0.5 }), [NaN, Infinity, -Infinity, 0, 2]],
      ["ELU", new layers.ELU(), [NaN, Infinity, -1, 0, 2]],
    ];
    const m = new Mismatches();
    for (const [name, layer, want] of cases) {
      const out = data(layer.call(x) as Tensor);
      want.forEach((v, i) => m.check(`${name} element ${i}`, out[i], v, 0, false));
    }
    const prelu = new layers.PReLU();
    const out = data(prelu.call(f64([NaN, 2, -2], [1, 3])));
    m.check("PReLU(NaN)", out[0], NaN);
    m.assertNone();
  });
});

describe("docs/nan-semantics.md", () => {
  /** A number as the table shows it: ∞, −0, 1/6 spelled out, others to 4 significant digits. */
  const cell = (v: number) =>
    Number.isNaN(v)
      ? "NaN"
      : v === Infinity
        ? "∞"
        : v === -Infinity
          ? "−∞"
          : Object.is(v, -0)
            ? "−0"
            : Number.isInteger(v)
              ? String(v).replace("-", "−")
              : Math.abs(v - 1 / 6) < 1e-15
                ? "1/6"
                : Math.abs(v - 1 / 3) < 1e-15
                  ? "1/3"
                  : String(+v.toPrecision(4)).replace("-", "−");
  const TABLE_OPS: (keyof OpsExports)[] = [
    ..."abs sign floor ceil round sqrt rsqrt reciprocal square exp expm1 log log1p sin cos tan tanh".split(
      " ",
    ),
    ..."sinh cosh asin acos atan asinh acosh atanh erf erfc".split(" "),
    ..."relu relu6 leakyRelu elu selu sigmoid softplus logSigmoid softsign silu gelu mish hardSigmoid hardSwish".split(
      " ",
    ),
  ] as (keyof OpsExports)[];

  /** The table of values and derivatives at NaN, ±∞, ±0, as the code computes it now. */
  function table(): string {
    const xs = [NaN, Infinity, -Infinity, 0, -0];
    const lines = [
      "| op | f(NaN) | f(∞) | f(−∞) | f(0) | f(−0) | f′ at NaN, ∞, −∞, 0 | f″ at NaN, ∞, −∞, 0 |",
      "|---|---|---|---|---|---|---|---|",
    ];
    for (const name of TABLE_OPS) {
      const f = OPS[name] as { kind: "unary"; op: (x: Tensor) => Tensor };
      const ones = f64(xs.map(() => 1));
      const d1 = (x: Tensor) => jvp(f.op, [x], [ones])[1] as Tensor;
      const v = Array.from(data(f.op(f64(xs))));
      const a = Array.from(data(d1(f64(xs)))).slice(0, 4);
      const b = Array.from(data(jvp(d1, [f64(xs)], [ones])[1] as Tensor)).slice(0, 4);
      lines.push(
        `| \`${name}\` | ${v.map(cell).join(" | ")} | ${a.map(cell).join(", ")} | ${b.map(cell).join(", ")} |`,
      );
    }
    return lines.join("\n");
  }

  it("states the values and derivatives the code computes (GRADLENS_WRITE_NAN_TABLE=1 rewrites it)", () => {
    const file = new URL("../docs/nan-semantics.md", import.meta.url);
    const doc = readFileSync(file, "utf8");
    const re = /<!-- nan-table:start -->\n([\s\S]*?)<!-- nan-table:end -->/;
    const m = re.exec(doc);
    expect(m, "the table markers in docs/nan-semantics.md").not.toBeNull();
    if (process.env.GRADLENS_WRITE_NAN_TABLE === "1")
      writeFileSync(file, doc.replace(re, `<!-- nan-table:start -->\n${table()}\n<!-- nan-table:end -->`));
    else expect(m![1].trim()).toBe(table());
  });
});

describe("the reported cases (issues 8 and 9)", () => {
  it("relu(array([NaN])) is NaN, like maximum(NaN, 0) (was 0)", () => {
    expect(Number.isNaN(data(ops.relu(ops.array([NaN])))[0])).toBe(true);
    expect(Number.isNaN(data(ops.maximum(ops.array([NaN]), 0))[0])).toBe(true);
  });

  it("int32 never wraps: add(1e10) and array([3e9]) raise (were 1410065409 and −1294967296)", () => {
    expect(() => ops.array([1], { dtype: "int32" }).add(1e10)).toThrow(/does not fit the int32 array/);
    expect(() => ops.array([3e9], { dtype: "int32" })).toThrow(/no int32 value/);
    expect(() => ops.array([2147483647], { dtype: "int32" }).add(1)).toThrow(/overflows int32/);
    expect(ops.array([2147483646], { dtype: "int32" }).add(1).toArray()).toEqual([2147483647]);
  });

  it("leakyRelu′(0) is 1, as JAX's where(x >= 0, x, αx) (was α)", () => {
    const d = jvp((x: Tensor) => ops.leakyRelu(x, 0.2), [f64([0])], [f64([1])])[1] as Tensor;
    expect(data(d)[0]).toBe(1);
  });
});
