/**
 * `derivatives()`: per-sample values, Jacobians and Hessians of a target as tensors keyed by
 * output and input name. It runs on the same engine as `analyze()` (prepare → row-independence
 * check → chunked derivative pass), so both accept the same data, name outputs the same way and
 * refuse the same targets with the same message.
 */
import { ValueError } from "../../core/errors.js";
import { array } from "../../ops/creation.js";
import { Tensor } from "../../prims/tensor.js";
import { createContext } from "./context.js";
import { isRowSource } from "./rows.js";
import { toNamedData, type DataValue, type InputData, type NamedData } from "./data.js";
import { NonFiniteCounter, type NonFiniteCounts } from "./nonfinite.js";
import { derivativePass, type BatchConsumer, type DerivativeBatch } from "./pass.js";
import type { Prepared } from "./prepare.js";
import { checkTarget, type Target } from "./target.js";

/**
 * A model, or any function of named batch-first inputs returning batch-first outputs.
 *
 * @example
 * const target: DerivativeTarget = ({ x }) => x.square().sum({ axis: 1 }); // one value per row
 * derivatives(target, { x: array([[1, 2], [3, 4]]) }).jacobian.output.x; // [[2, 4], [6, 8]]
 */
export type DerivativeTarget = Target;

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
  /** Compile the per-batch computation once per batch shape (default true); false runs it eagerly. */
  jit?: boolean;
}

/**
 * Per-sample derivatives of every output with respect to named inputs.
 *
 * @example
 * const d: Derivatives = derivatives(({ x }) => x.square().sum({ axis: 1 }), { x: X }, { order: 2 });
 * d.values.output; d.jacobian.output.x; d.hessian!.output.x.x; // [N], [N, 2], [N, 2, 2] for X [N, 2]
 */
export interface Derivatives {
  /** Input names: declared by the model, the data's keys, or `input_1`, `input_2`, … for a positional list. */
  inputNames: string[];
  /** Output names, unique as tf.keras makes them (`decoder_lstm`, `decoder_lstm_1`, …). */
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
  /** How many data cells/rows, outputs and derivatives were NaN or ±Infinity. */
  nonFinite: NonFiniteCounts;
}

/** Keeps every batch of the derivative pass in full. */
class Collector implements BatchConsumer {
  readonly values: Float64Array;
  readonly jac: Float64Array;
  readonly hess: Float64Array | null;

  constructor(
    private readonly prep: Prepared,
    secondOrder: boolean,
  ) {
    const { n, k, d } = prep;
    this.values = new Float64Array(n * k);
    this.jac = new Float64Array(n * k * d);
    this.hess = secondOrder ? new Float64Array(n * k * d * d) : null;
  }

  add(b: DerivativeBatch): void {
    const { k, d } = this.prep;
    this.values.set(b.values, b.start * k);
    this.jac.set(b.jac, b.start * k * d);
    if (this.hess && b.hess) this.hess.set(b.hess, b.start * k * d * d);
  }
}

/**
 * Derivatives ask about every input, so integer inputs (ids) are cast to float and differentiated
 * like the rest (an embedding lookup has derivative 0 in its ids).
 */
function asFloat(data: NamedData): NamedData {
  const cast = (v: DataValue): DataValue => {
    if (v instanceof Tensor) return v.dtype === "float64" || v.dtype === "float32" ? v : v.astype("float64");
    if (ArrayBuffer.isView(v) && !(v instanceof Float64Array) && !(v instanceof Float32Array))
      return Float64Array.from(v as ArrayLike<number>);
    return v;
  };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, cast(v)]));
}

/** Picks block [N, a, b, …] out of row-major [N, ...dims] with index offsets per axis. */
function block(
  src: Float64Array,
  n: number,
  dims: readonly number[],
  offsets: readonly number[],
  sizes: readonly number[],
  shape: number[],
): Tensor {
  const rowLen = dims.reduce((a, b) => a * b, 1);
  const count = sizes.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n * count);
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(sizes.length).fill(0);
  for (let q = 0; q < count; q++) {
    let rem = q;
    for (let i = sizes.length - 1; i >= 0; i--) {
      idx[i] = rem % sizes[i];
      rem = Math.floor(rem / sizes[i]);
    }
    let at = 0;
    for (let i = 0; i < sizes.length; i++) at += (offsets[i] + idx[i]) * strides[i];
    for (let r = 0; r < n; r++) out[r * count + q] = src[r * rowLen + at];
  }
  return array(out, { shape: [n, ...shape] });
}

/**
 * Per-sample first (and second) derivatives of every output of `target` with respect to its
 * inputs. Each sample is differentiated on its own — `vmap` over rows of the single-sample
 * function — so one trace serves a whole chunk, and rows never mix: like `analyze`, it first
 * checks that the target is row-independent and refuses it otherwise.
 *
 * Inputs may be named (`{ price, features }`), a list in the model's input order (keyed by its
 * input names, or `input_1`, `input_2`, … when it declares none), or one array for a single-input
 * target (keyed by its input name, or `input`). Results are float64; integer inputs (ids) are
 * cast to float64 and differentiated with the rest (an embedding lookup has derivative 0), where
 * `analyze` holds them constant.
 *
 * @example
 * const d = derivatives(pricingModel, { referencePrices: prices, hiddenInputs: features }, { order: 2 });
 * d.jacobian.output.referencePrices;             // [N]     = hidden + 1
 * d.jacobian.output.hiddenInputs;                // [N, 2]  = 0.1 · price
 * d.hessian!.output.referencePrices.hiddenInputs; // [N, 2] cross terms
 * d.nonFinite;                                    // { inputRows: 0, inputValues: 0, … }
 */
export function derivatives(
  target: DerivativeTarget,
  inputs: InputData,
  opts: DerivativesOptions = {},
): Derivatives {
  const who = "derivatives";
  const order = opts.order ?? 1;
  if (order !== 1 && order !== 2) throw new ValueError(`${who}: order must be 1 or 2, got ${String(order)}`);
  checkTarget(target, who);
  // A row source is read as it is (its columns are already typed); other data is made float.
  const data = isRowSource(inputs) ? inputs : asFloat(toNamedData(target, inputs, who));
  const ctx = createContext(
    target,
    data,
    { wrt: opts.wrt, batchSize: opts.batchSize ?? 4096, jit: opts.jit },
    who,
  );
  const { prep } = ctx;
  const { n, k, d } = prep;
  const collect = new Collector(prep, order === 2);
  const nonFinite = new NonFiniteCounter();
  derivativePass(ctx, order === 2, [collect, nonFinite]);

  const outs = prep.outputs.items;
  const wrt = prep.inputs.items.filter((i) => i.differentiated);
  const outDims = (o: (typeof outs)[number]) => (o.size === 1 ? [] : o.shape);
  const result: Derivatives = {
    inputNames: [...prep.inputs.names],
    outputNames: outs.map((o) => o.name),
    inputShapes: Object.fromEntries(prep.inputs.items.map((i) => [i.name, i.shape.slice()])),
    outputShapes: Object.fromEntries(outs.map((o) => [o.name, o.shape.slice()])),
    values: Object.fromEntries(
      outs.map((o) => [o.name, block(collect.values, n, [k], [o.offset], [o.size], o.shape)]),
    ),
    jacobian: Object.fromEntries(
      outs.map((o) => [
        o.name,
        Object.fromEntries(
          wrt.map((w) => [
            w.name,
            block(
              collect.jac,
              n,
              [k, d],
              [o.offset, w.offset!],
              [o.size, w.size],
              [...outDims(o), ...w.shape],
            ),
          ]),
        ),
      ]),
    ),
    nonFinite: nonFinite.finish(prep.nonFiniteInputs),
  };
  const hess = collect.hess;
  if (hess)
    result.hessian = Object.fromEntries(
      outs.map((o) => [
        o.name,
        Object.fromEntries(
          wrt.map((a) => [
            a.name,
            Object.fromEntries(
              wrt.map((b) => [
                b.name,
                block(
                  hess,
                  n,
                  [k, d, d],
                  [o.offset, a.offset!, b.offset!],
                  [o.size, a.size, b.size],
                  [...outDims(o), ...a.shape, ...b.shape],
                ),
              ]),
            ),
          ]),
        ),
      ]),
    );
  return result;
}
