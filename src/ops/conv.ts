/**
 * Convolutions as composites: `patches` (im2col) followed by one `dot_general` with the kernel.
 * Both are primitives with derivative and batching rules, so every convolution here is
 * differentiable to any order and vmappable without rules of its own. Layouts follow Keras:
 * kernels are `[k_1..k_D, Cin/groups, Cout]` whatever the data format, and transposed-convolution
 * kernels are `[k_1..k_D, Cout, Cin]`.
 */
import { ShapeError, ValueError } from "../core/errors.js";
import { windowOutputShape, type WindowGeometry } from "../kernels/patches.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { TensorLike } from "./convert.js";
import { promote, toFloat } from "./promote.js";
import {
  fmt,
  fromChannelsLast,
  geometry,
  perDim,
  range,
  requireRank,
  resolvePadding,
  toChannelsLast,
  type DataFormat,
  type Padding,
} from "./windows.js";

/**
 * Options of `conv` (Keras's Conv1D/2D/3D arguments, camelCased).
 *
 * @example conv2d(x, kernel, { strides: 2, padding: "same", dilation: 1, groups: 1 })
 */
export interface ConvOptions {
  /** Step of the window per spatial dim (default 1). */
  strides?: number | readonly number[];
  /** "valid" (default), "same", "causal" (1-D only: all padding on the left) or explicit pads. */
  padding?: Padding | "causal";
  /** Keras's `dilation_rate`: spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Split channels into this many independent groups (default 1; groups = Cin is depthwise). */
  groups?: number;
  /** Default "channelsLast". */
  dataFormat?: DataFormat;
}

/** Float operands of one common dtype (integer inputs, e.g. image bytes, compute in float64). */
const floats = (x: TensorLike, k: TensorLike) => promote(toFloat(x), toFloat(k));

/**
 * What every convolution starts from: float operands of one dtype, the number of spatial dims D
 * (read off the kernel, `[k_1..k_D, a, b]`, and checked against `rank` when the op fixes it) and
 * an input of the matching rank. `layout` describes the kernel for errors.
 */
function operands(
  op: string,
  rank: number | null,
  xIn: TensorLike,
  kIn: TensorLike,
  layout: string,
  dataFormat: DataFormat,
): { x: Tensor; kernel: Tensor; D: number } {
  const [x, kernel] = floats(xIn, kIn);
  const D = kernel.ndim - 2;
  if ((rank !== null && D !== rank) || D < 1 || D > 3)
    throw new ShapeError(
      `${op}: expected a kernel of rank ${rank === null ? "3, 4 or 5" : rank + 2} (${layout}), got shape ${fmt(kernel.shape)}`,
    );
  requireRank(op, x, D, dataFormat);
  return { x, kernel, D };
}

/** The kernel's window `K` and the strides and dilation per spatial dim (default 1). */
function kernelWindow(
  op: string,
  kernel: Tensor,
  D: number,
  opts: { strides?: number | readonly number[]; dilation?: number | readonly number[] },
): { K: number[]; strides: number[]; dilation: number[] } {
  return {
    K: kernel.shape.slice(0, D),
    strides: perDim(op, "strides", opts.strides, D, 1),
    dilation: perDim(op, "dilation", opts.dilation, D, 1),
  };
}

/** Throws when the window does not fit the (padded) input: an error, not an empty output. */
function requireFit(op: string, xShape: readonly number[], g: WindowGeometry): void {
  const D = g.kernel.length;
  const out = windowOutputShape(xShape.slice(1, D + 1), g);
  if (out.some((o) => o < 1))
    throw new ShapeError(
      `${op}: a window of size ${fmt(g.kernel)} with dilation ${fmt(g.rhsDilation)} does not fit the ` +
        `spatial dims ${fmt(xShape.slice(1, D + 1))} with padding ${fmt(g.padLo)}/${fmt(g.padHi)}`,
    );
}

/**
 * The convolution itself on channels-last `x` `[N, S.., Cin]` and a kernel `[K.., Cin/G, Cout]`:
 * out[n, o, co] = Σ_{k, c} patches[n, o, k, (group of co), c] · kernel[k, c, co].
 */
function convCore(x: Tensor, kernel: Tensor, g: WindowGeometry, groups: number): Tensor {
  const D = g.kernel.length;
  const p = L.patches(x, g); // [N, O.., K.., Cin]
  const kAxes = range(D);
  if (groups === 1) return L.dotGeneral(p, kernel, [[...range(D + 1, D + 1)], [...kAxes, D]]);
  // Grouped: the group index becomes a batch dim of the product, [G, N, O.., Cout/G], and is
  // then moved next to its channels, so output channel = group · Cout/G + channel in group.
  const [N, ...rest] = p.shape;
  const O = rest.slice(0, D);
  const cg = kernel.shape[D];
  const cout = kernel.shape[D + 1];
  const pg = L.reshape(p, [N, ...O, ...g.kernel, groups, cg]);
  const kg = L.reshape(kernel, [...g.kernel, cg, groups, cout / groups]);
  const out = L.dotGeneral(
    pg,
    kg,
    [
      [...range(D, D + 1), 2 * D + 2],
      [...kAxes, D],
    ],
    [[2 * D + 1], [D + 1]],
  );
  const moved = L.transpose(out, [...range(D + 1, 1), 0, D + 2]);
  return L.reshape(moved, [N, ...O, cout]);
}

function convImpl(
  op: string,
  rank: number | null,
  xIn: TensorLike,
  kIn: TensorLike,
  opts: ConvOptions,
): Tensor {
  const dataFormat = opts.dataFormat ?? "channelsLast";
  const { x, kernel, D } = operands(op, rank, xIn, kIn, "[k.., Cin/groups, Cout]", dataFormat);
  const xl = toChannelsLast(op, x, dataFormat);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  const cin = xl.shape[D + 1];
  const [cg, cout] = kernel.shape.slice(D);
  if (cg * groups !== cin)
    throw new ShapeError(
      `${op}: input ${fmt(x.shape)} has ${cin} channels but kernel ${fmt(kernel.shape)} with ` +
        `groups=${groups} expects ${cg * groups} (kernel Cin/groups = ${cg})`,
    );
  if (cout % groups !== 0)
    throw new ShapeError(
      `${op}: kernel ${fmt(kernel.shape)} has ${cout} output channels, not divisible by groups=${groups}`,
    );
  const { K, strides, dilation } = kernelWindow(op, kernel, D, opts);
  const padding = opts.padding ?? "valid";
  let pads;
  if (padding === "causal") {
    // Keras: causal = left-pad by the dilated kernel extent minus one, then a "valid" conv.
    if (D !== 1) throw new ValueError(`${op}: padding "causal" is only defined for 1-D convolutions`);
    pads = { padLo: [(K[0] - 1) * dilation[0]], padHi: [0] };
  } else pads = resolvePadding(op, padding, xl.shape.slice(1, D + 1), K, strides, dilation);
  const g = geometry(K, strides, pads, dilation);
  requireFit(op, xl.shape, g);
  return fromChannelsLast(convCore(xl, kernel, g, groups), dataFormat);
}

/**
 * N-d convolution (1-D, 2-D or 3-D, from the kernel's rank) with Keras semantics: input
 * `[N, S.., Cin]` (or `[N, Cin, S..]` with `dataFormat: "channelsFirst"`), kernel
 * `[k.., Cin/groups, Cout]`, output `[N, O.., Cout]`. Like Keras (and TF, PyTorch) this is a
 * cross-correlation: the kernel is not flipped. "same" padding puts the odd pad at the end.
 *
 * @example
 * const y = conv(x, kernel, { strides: 2, padding: "same" }); // x [8,32,32,16], kernel [3,3,16,32] → [8,16,16,32]
 */
export const conv = (x: TensorLike, kernel: TensorLike, opts: ConvOptions = {}): Tensor =>
  convImpl("conv", null, x, kernel, opts);

/** 1-D convolution, input `[N, L, Cin]`, kernel `[k, Cin/groups, Cout]`. @example conv1d(x, k, { padding: "causal", dilation: 2 }) */
export const conv1d = (x: TensorLike, kernel: TensorLike, opts: ConvOptions = {}): Tensor =>
  convImpl("conv1d", 1, x, kernel, opts);

/** 2-D convolution, input `[N, H, W, Cin]`, kernel `[kh, kw, Cin/groups, Cout]`. @example conv2d(x, k, { padding: "same" }) */
export const conv2d = (x: TensorLike, kernel: TensorLike, opts: ConvOptions = {}): Tensor =>
  convImpl("conv2d", 2, x, kernel, opts);

/** 3-D convolution, input `[N, D, H, W, Cin]`, kernel `[kd, kh, kw, Cin/groups, Cout]`. @example conv3d(x, k, { strides: [1, 2, 2] }) */
export const conv3d = (x: TensorLike, kernel: TensorLike, opts: ConvOptions = {}): Tensor =>
  convImpl("conv3d", 3, x, kernel, opts);

/**
 * Options of the depthwise convolutions: those of `conv` without `groups` (always one group per
 * input channel).
 *
 * @example depthwiseConv2d(x, k, { strides: 2, padding: "same" })
 */
export type DepthwiseConvOptions = Omit<ConvOptions, "groups">;

function depthwiseImpl(
  op: string,
  rank: number | null,
  xIn: TensorLike,
  kIn: TensorLike,
  opts: DepthwiseConvOptions,
): Tensor {
  const dataFormat = opts.dataFormat ?? "channelsLast";
  const { x, kernel, D } = operands(op, rank, xIn, kIn, "[k.., Cin, depthMultiplier]", dataFormat);
  const cin = x.shape[dataFormat === "channelsFirst" ? 1 : D + 1];
  const [kc, mult] = kernel.shape.slice(D);
  if (kc !== cin)
    throw new ShapeError(
      `${op}: input ${fmt(x.shape)} has ${cin} channels but the depthwise kernel ${fmt(kernel.shape)} has ${kc}`,
    );
  // Keras/TF order the outputs channel-major, c·M + m: exactly a grouped conv with one group per
  // channel and the kernel read as [k.., 1, Cin·M].
  const grouped = L.reshape(kernel, [...kernel.shape.slice(0, D), 1, cin * mult]);
  return convImpl(op, D, x, grouped, { ...opts, groups: cin });
}

/**
 * Depthwise convolution (Keras DepthwiseConv1D/2D): each input channel is convolved with its own
 * `depthMultiplier` filters. Kernel `[k.., Cin, depthMultiplier]`; output channel `c·M + m`.
 *
 * @example depthwiseConv(x, kernel) // x [1,8,8,3], kernel [3,3,3,2] → [1,6,6,6]
 */
export const depthwiseConv = (x: TensorLike, kernel: TensorLike, opts: DepthwiseConvOptions = {}): Tensor =>
  depthwiseImpl("depthwiseConv", null, x, kernel, opts);

/** Depthwise 1-D convolution, kernel `[k, Cin, depthMultiplier]`. @example depthwiseConv1d(x, k) */
export const depthwiseConv1d = (x: TensorLike, kernel: TensorLike, opts: DepthwiseConvOptions = {}): Tensor =>
  depthwiseImpl("depthwiseConv1d", 1, x, kernel, opts);

/** Depthwise 2-D convolution, kernel `[kh, kw, Cin, depthMultiplier]`. @example depthwiseConv2d(x, k, { padding: "same" }) */
export const depthwiseConv2d = (x: TensorLike, kernel: TensorLike, opts: DepthwiseConvOptions = {}): Tensor =>
  depthwiseImpl("depthwiseConv2d", 2, x, kernel, opts);

/**
 * Separable convolution (Keras SeparableConv1D/2D): a depthwise convolution with the window
 * options, then a pointwise (1×1) convolution with kernel `[1.., Cin·depthMultiplier, Cout]`.
 *
 * @example separableConv(x, depthwiseKernel, pointwiseKernel, { padding: "same" })
 */
export function separableConv(
  x: TensorLike,
  depthwiseKernel: TensorLike,
  pointwiseKernel: TensorLike,
  opts: DepthwiseConvOptions = {},
): Tensor {
  const mid = depthwiseImpl("separableConv", null, x, depthwiseKernel, opts);
  return convImpl("separableConv", mid.ndim - 2, mid, pointwiseKernel, { dataFormat: opts.dataFormat });
}

/**
 * Adds a per-channel bias `[C]` along the channel axis (TF's `bias_add`): the last axis for
 * channels-last data, axis 1 for channels-first.
 *
 * @example biasAdd(conv2d(x, k, { dataFormat: "channelsFirst" }), b, "channelsFirst")
 */
export function biasAdd(x: TensorLike, bias: TensorLike, dataFormat: DataFormat = "channelsLast"): Tensor {
  const [t, b] = floats(x, bias);
  const axis = dataFormat === "channelsFirst" ? 1 : t.ndim - 1;
  if (b.ndim !== 1 || t.ndim < 2 || t.shape[axis] !== b.shape[0])
    throw new ShapeError(
      `biasAdd: bias ${fmt(b.shape)} does not match the ${t.shape[axis]} channels of ${fmt(t.shape)} (${dataFormat})`,
    );
  return L.add(
    t,
    L.reshape(
      b,
      t.shape.map((n, d) => (d === axis ? n : 1)),
    ),
  );
}

/**
 * Options of `convTranspose` (Keras's Conv1DTranspose/2D/3D arguments).
 *
 * @example convTranspose(x, k, { strides: 2, padding: "same", outputPadding: 1 })
 */
export interface ConvTransposeOptions {
  strides?: number | readonly number[];
  /** "valid" (default) or "same"; they fix the output size as Keras's `deconv_output_length`. */
  padding?: "valid" | "same";
  /** Extra rows/cols at the end of each spatial dim; each must be < its stride. */
  outputPadding?: number | readonly number[] | null;
  dilation?: number | readonly number[];
  dataFormat?: DataFormat;
}

/**
 * Keras 3's pads [left, right] of the input-dilated formulation of a transposed conv along one
 * dim (keras/src/backend/common/backend_utils.py,
 * `_convert_conv_transpose_padding_args_from_keras_to_jax`). They reproduce
 * `deconv_output_length` and, wherever TF accepts the output shape, TF's SAME/VALID padding.
 */
function transposePads(
  padding: "valid" | "same",
  k: number,
  stride: number,
  dilation: number,
  outputPadding: number | null,
): [number, number] {
  const dk = (k - 1) * dilation + 1;
  if (padding === "valid") {
    const extra = outputPadding ?? Math.max(dk, stride) - dk;
    return [dk - 1, dk - 1 + extra];
  }
  const total = outputPadding === null ? stride + dk - 2 : dk + (dk % 2) - 2 + outputPadding;
  const left = Math.min(Math.ceil(total / 2), dk - 1);
  return [left, total - left];
}

function convTransposeImpl(
  op: string,
  rank: number | null,
  xIn: TensorLike,
  kIn: TensorLike,
  opts: ConvTransposeOptions,
): Tensor {
  const dataFormat = opts.dataFormat ?? "channelsLast";
  const { x, kernel, D } = operands(op, rank, xIn, kIn, "[k.., Cout, Cin]", dataFormat);
  const xl = toChannelsLast(op, x, dataFormat);
  const [cout, cin] = kernel.shape.slice(D);
  if (xl.shape[D + 1] !== cin)
    throw new ShapeError(
      `${op}: input ${fmt(x.shape)} has ${xl.shape[D + 1]} channels but kernel ${fmt(kernel.shape)} ` +
        `([k.., Cout, Cin]) expects Cin = ${cin}`,
    );
  const padding = opts.padding ?? "valid";
  if (padding !== "valid" && padding !== "same")
    throw new ValueError(`${op}: padding must be "valid" or "same", got ${JSON.stringify(padding)}`);
  const { K, strides, dilation } = kernelWindow(op, kernel, D, opts);
  const outPad =
    opts.outputPadding === undefined || opts.outputPadding === null
      ? null
      : perDim(op, "outputPadding", opts.outputPadding, D, 0, 0);
  if (outPad !== null && outPad.some((p, d) => p >= strides[d]))
    throw new ValueError(
      `${op}: outputPadding ${fmt(outPad)} must be smaller than strides ${fmt(strides)} in every dim`,
    );
  const M = xl.shape.slice(1, D + 1);
  const pads = K.map((k, d) => transposePads(padding, k, strides[d], dilation[d], outPad && outPad[d]));
  // The transposed conv is the adjoint of a forward conv over the output: that conv pads by
  // dk−1−left at the start and dk−1−right at the end (negative = the last positions are never
  // read, so their adjoint is zero). Written as col2im of x·kernel it skips the multiplications
  // by the zeros an input-dilated conv would insert (stride^D fewer).
  const dk = K.map((k, d) => (k - 1) * dilation[d] + 1);
  const fwdLo = pads.map(([lo], d) => dk[d] - 1 - lo);
  const fwdHi = pads.map(([, hi], d) => dk[d] - 1 - hi);
  const outSize = M.map((m, d) => (m - 1) * strides[d] + pads[d][0] + pads[d][1] - dk[d] + 2);
  const readSize = outSize.map((n, d) => n + Math.min(fwdHi[d], 0));
  const g = geometry(K, strides, { padLo: fwdLo, padHi: fwdHi.map((p) => Math.max(p, 0)) }, dilation);
  if (M.some((m) => m < 1) || readSize.some((n) => n < 1))
    throw new ShapeError(`${op}: input ${fmt(x.shape)} has an empty spatial dim`);
  const cols = L.dotGeneral(xl, kernel, [[D + 1], [D + 1]]); // [N, M.., K.., Cout]
  const read = L.patchesT(cols, g, [xl.shape[0], ...readSize, cout]);
  const out = L.pad(
    read,
    new Array<number>(D + 2).fill(0),
    [0, ...fwdHi.map((p) => Math.max(-p, 0)), 0],
    new Array<number>(D + 2).fill(0),
  );
  return fromChannelsLast(out, dataFormat);
}

/**
 * Transposed convolution ("deconvolution"), 1-D/2-D/3-D from the kernel's rank, with Keras
 * semantics: kernel `[k.., Cout, Cin]` (out/in swapped relative to `conv`), output size per dim
 * `M·s + max(dk − s, 0)` for "valid" and `M·s` for "same" (dk = (k−1)·dilation + 1), or
 * `(M−1)·s + dk − 2·⌊dk/2⌋·[same] + outputPadding` when `outputPadding` is given.
 * It is the adjoint of `conv` with the same kernel, strides, dilation and padding.
 *
 * @example convTranspose(x, kernel, { strides: 2, padding: "same" }) // x [1,8,8,4], kernel [3,3,2,4] → [1,16,16,2]
 */
export const convTranspose = (x: TensorLike, kernel: TensorLike, opts: ConvTransposeOptions = {}): Tensor =>
  convTransposeImpl("convTranspose", null, x, kernel, opts);

/** 1-D transposed convolution, kernel `[k, Cout, Cin]`. @example convTranspose1d(x, k, { strides: 2 }) */
export const convTranspose1d = (x: TensorLike, kernel: TensorLike, opts: ConvTransposeOptions = {}): Tensor =>
  convTransposeImpl("convTranspose1d", 1, x, kernel, opts);

/** 2-D transposed convolution, kernel `[kh, kw, Cout, Cin]`. @example convTranspose2d(x, k, { strides: 2, padding: "same" }) */
export const convTranspose2d = (x: TensorLike, kernel: TensorLike, opts: ConvTransposeOptions = {}): Tensor =>
  convTransposeImpl("convTranspose2d", 2, x, kernel, opts);

/** 3-D transposed convolution, kernel `[kd, kh, kw, Cout, Cin]`. @example convTranspose3d(x, k, { strides: 2 }) */
export const convTranspose3d = (x: TensorLike, kernel: TensorLike, opts: ConvTransposeOptions = {}): Tensor =>
  convTransposeImpl("convTranspose3d", 3, x, kernel, opts);
