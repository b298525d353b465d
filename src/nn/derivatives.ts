import { ShapeError, ValueError } from "../core/errors.js";
import { hessian, jacrev, vmap } from "../api/index.js";
import { asTensor, concatenate, slice, type TensorLike } from "../ops/index.js";
import { Tensor } from "../prims/tensor.js";
import type { LayerOutputs } from "./layer.js";
import { Model } from "./model.js";

/**
 * A model, or any function of named batch-first inputs returning batch-first outputs.
 *
 * @example
 * const target: DerivativeTarget = ({ x }) => x.square().sum({ axis: 1 }); // one value per row
 * derivatives(target, { x: array([[1, 2], [3, 4]]) }).jacobian.output.x; // [[2, 4], [6, 8]]
 */
export type DerivativeTarget = Model | ((inputs: Record<string, Tensor>) => LayerOutputs);

/**
 * Options of `derivatives`.
 *
 * @example
 * derivatives(model, { price, features }, { wrt: ["price"], order: 2, batchSize: 1024 });
 */
export interface DerivativesOptions {
  /** Inputs to differentiate with respect to (default: all). */
  wrt?: string[];
  /** 1: Jacobians; 2: also Hessians (including cross terms between inputs). */
  order?: 1 | 2;
  /** Rows per vmapped chunk, bounding memory (default 4096). */
  batchSize?: number;
}

/**
 * Per-sample derivatives of every output with respect to named inputs.
 *
 * @example
 * const d: Derivatives = derivatives(({ x }) => x.square().sum({ axis: 1 }), { x: X }, { order: 2 });
 * d.values.output; d.jacobian.output.x; d.hessian!.output.x.x; // [N], [N, 2], [N, 2, 2] for X [N, 2]
 */
export interface Derivatives {
  inputNames: string[];
  outputNames: string[];
  /** Per-sample shape of each input (without the batch dim). */
  inputShapes: Record<string, number[]>;
  /** Per-sample shape of each output (without the batch dim). */
  outputShapes: Record<string, number[]>;
  /** Model outputs, batch-first. */
  values: Record<string, Tensor>;
  /**
   * `jacobian[out][in]` has shape `[N, ...outShape, ...inShape]`; an output with one value per
   * sample has its output dims dropped, so d out / d price is `[N]` for a `[N]` price.
   */
  jacobian: Record<string, Record<string, Tensor>>;
  /** With order 2: `hessian[out][in1][in2]`, shape `[N, ...outShape, ...in1Shape, ...in2Shape]`. */
  hessian?: Record<string, Record<string, Record<string, Tensor>>>;
}

interface Normalized {
  names: string[];
  call: (inputs: Record<string, Tensor>) => Record<string, Tensor>;
  outputNames: string[] | null;
}

/** Wraps a model or function as named-inputs → named-outputs on batch-first tensors. */
function normalize(target: DerivativeTarget, given: string[]): Normalized {
  if (target instanceof Model) {
    const names = target.inputNames.length > 0 ? target.inputNames : given;
    const outNames = target.outputNames.length > 0 ? target.outputNames : null;
    const call = (inputs: Record<string, Tensor>) => {
      const arg = target.isFunctional
        ? inputs
        : names.length === 1
          ? inputs[names[0]]
          : names.map((n) => inputs[n]);
      return nameOutputs(target.call(arg as never), outNames);
    };
    return { names, call, outputNames: outNames };
  }
  return { names: given, call: (inputs) => nameOutputs(target(inputs), null), outputNames: null };
}

function nameOutputs(out: LayerOutputs, names: string[] | null): Record<string, Tensor> {
  if (out instanceof Tensor) return { [names?.[0] ?? "output"]: out };
  if (Array.isArray(out)) return Object.fromEntries(out.map((t, i) => [names?.[i] ?? `output_${i}`, t]));
  return out;
}

/**
 * Per-sample first (and second) derivatives of every output of `target` with respect to its
 * named inputs. Each sample is differentiated on its own — `vmap` over rows of the single-sample
 * function — so one trace serves the whole batch, and rows never mix (the target must be
 * row-independent, as inference models are).
 *
 * @example
 * const d = derivatives(pricingModel, { referencePrices: prices, hiddenInputs: features }, { order: 2 });
 * d.jacobian.output.referencePrices;             // [N]     = hidden + 1
 * d.jacobian.output.hiddenInputs;                // [N, 2]  = 0.1 · price
 * d.hessian!.output.referencePrices.hiddenInputs; // [N, 2] cross terms
 */
export function derivatives(
  target: DerivativeTarget,
  inputs: Record<string, TensorLike> | TensorLike[] | TensorLike,
  opts: DerivativesOptions = {},
): Derivatives {
  const named = toNamed(target, inputs);
  const norm = normalize(target, Object.keys(named));
  const names = norm.names;
  for (const n of names)
    if (!(n in named))
      throw new ValueError(`derivatives: missing input '${n}' (inputs: ${names.join(", ")})`);
  const wrt = opts.wrt ?? names;
  for (const w of wrt)
    if (!names.includes(w))
      throw new ValueError(`derivatives: wrt '${w}' is not an input (inputs: ${names.join(", ")})`);
  const tensors = Object.fromEntries(
    names.map((n) => [n, asTensor(named[n]).astype(floatOf(asTensor(named[n])))]),
  );
  const n = tensors[names[0]].shape[0];
  for (const name of names)
    if (tensors[name].ndim === 0 || tensors[name].shape[0] !== n)
      throw new ShapeError(
        `derivatives: every input needs the same number of rows; ${names.map((m) => `${m} has shape [${tensors[m].shape}]`).join(", ")}`,
      );
  // One sample in, one sample out: add a batch dim of 1 so layers see batch-first tensors.
  const single = (sample: Record<string, Tensor>) => {
    const batched = Object.fromEntries(names.map((k) => [k, sample[k].reshape([1, ...sample[k].shape])]));
    const out = norm.call(batched);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.reshape(v.shape.slice(1))]));
  };
  const batchSize = opts.batchSize ?? 4096;
  const chunks: {
    values: Record<string, Tensor>;
    jac: Record<string, Record<string, Tensor>>;
    hes?: Record<string, Record<string, Record<string, Tensor>>>;
  }[] = [];
  for (let start = 0; start < Math.max(n, 1); start += batchSize) {
    const part = Object.fromEntries(
      names.map((k) => [k, slice(tensors[k], [[start, Math.min(n, start + batchSize)]])]),
    );
    const values = vmap(single)(part) as Record<string, Tensor>;
    const jac = vmap(jacrev(single, { argnames: wrt }))(part) as Record<string, Record<string, Tensor>>;
    const hes =
      opts.order === 2
        ? (vmap(hessian(single, { argnames: wrt }))(part) as Record<
            string,
            Record<string, Record<string, Tensor>>
          >)
        : undefined;
    chunks.push({ values, jac, hes });
  }
  const join = (pick: (c: (typeof chunks)[number]) => Tensor) =>
    chunks.length === 1 ? pick(chunks[0]) : concatenate(chunks.map(pick), 0);
  const outNames = Object.keys(chunks[0].values);
  const outputShapes = Object.fromEntries(outNames.map((o) => [o, chunks[0].values[o].shape.slice(1)]));
  const inputShapes = Object.fromEntries(names.map((k) => [k, tensors[k].shape.slice(1)]));
  // Outputs with one value per sample drop their output dims in the derivatives.
  const squeeze = (o: string, t: Tensor) => {
    const os = outputShapes[o];
    if (os.reduce((a, b) => a * b, 1) !== 1 || os.length === 0) return t;
    return t.reshape([t.shape[0], ...t.shape.slice(1 + os.length)]);
  };
  const result: Derivatives = {
    inputNames: names,
    outputNames: outNames,
    inputShapes,
    outputShapes,
    values: Object.fromEntries(outNames.map((o) => [o, join((c) => c.values[o])])),
    jacobian: Object.fromEntries(
      outNames.map((o) => [
        o,
        Object.fromEntries(
          wrt.map((w) => [
            w,
            squeeze(
              o,
              join((c) => c.jac[o][w]),
            ),
          ]),
        ),
      ]),
    ),
  };
  if (opts.order === 2)
    result.hessian = Object.fromEntries(
      outNames.map((o) => [
        o,
        Object.fromEntries(
          wrt.map((a) => [
            a,
            Object.fromEntries(
              wrt.map((b) => [
                b,
                squeeze(
                  o,
                  join((c) => c.hes![o][a][b]),
                ),
              ]),
            ),
          ]),
        ),
      ]),
    );
  return result;
}

const floatOf = (t: Tensor) => (t.dtype === "float32" ? "float32" : "float64");

/** Accepts named inputs, a positional list (model input order), or one array. */
function toNamed(
  target: DerivativeTarget,
  inputs: Record<string, TensorLike> | TensorLike[] | TensorLike,
): Record<string, TensorLike> {
  const isRecord =
    inputs !== null &&
    typeof inputs === "object" &&
    !(inputs instanceof Tensor) &&
    !Array.isArray(inputs) &&
    !ArrayBuffer.isView(inputs);
  if (isRecord) return inputs as Record<string, TensorLike>;
  const names = target instanceof Model ? target.inputNames : [];
  if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((x) => x instanceof Tensor)) {
    if (names.length !== inputs.length)
      throw new ValueError(
        `derivatives: got ${inputs.length} positional inputs but the model declares inputs [${names.join(", ")}]; pass named inputs`,
      );
    return Object.fromEntries(names.map((nm, i) => [nm, inputs[i] as TensorLike]));
  }
  if (names.length > 1)
    throw new ValueError(`derivatives: the model has inputs [${names.join(", ")}]; pass them by name`);
  return { [names[0] ?? "input"]: inputs as TensorLike };
}
