// Keras: keras/src/layers/attention/multi_head_attention.py. Built, as in Keras 3 and tf.keras 2.x,
// from four EinsumDense sublayers named `query`, `key`, `value`, `attention_output` (each with
// `kernel` and, with useBias, `bias`), so weights come in that order with Keras's names and shapes.
//
// Rows whose keys are all masked (e.g. padded query positions): current Keras 3 gives zeros there
// on its explicit path (`return_attention_scores`, or inputs of rank ≠ 3) and a uniform average on
// its fused `dot_product_attention` path (rank-3 inputs, no scores returned); we follow both. Keras
// 2 added −1e9 to masked scores instead. Rows with at least one visible key agree everywhere.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { einsum, exp, logicalAnd, logsumexp, softmax, where as select } from "../../../ops/index.js";
import { Tensor } from "../../../prims/tensor.js";
import * as initializers from "../../initializers.js";
import {
  Layer,
  type CallArgs,
  type LayerArgs,
  type LayerInputs,
  type LayerOutputs,
  type ShapeTree,
} from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "../base/_options.js";
import { EinsumDense } from "../core/einsumDense.js";
import { at, boolMask, causalMask, fmtShape, maskList } from "../base/_util.js";

/**
 * Options of MultiHeadAttention (Keras's arguments, camelCase).
 *
 * @example new layers.MultiHeadAttention({ numHeads: 4, keyDim: 16, attentionAxes: [1] })
 */
export interface MultiHeadAttentionArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value (default keyDim). */
  valueDim?: number | null;
  /** Dropout on the attention weights in training only; ignored at inference. */
  dropout?: number;
  useBias?: boolean;
  /** Output shape without the batch and query dims (default: the query's last dim). */
  outputShape?: number | number[] | null;
  /** Axes the attention runs over (default: all but batch, heads and features). */
  attentionAxes?: number | number[] | null;
  /** Keras 3 backend switch; recorded only (the result is the same). */
  flashAttention?: boolean | null;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
  seed?: number | null;
}

/**
 * Call options of MultiHeadAttention.
 *
 * @example mha.call([x, x], { attentionMask: mask, returnAttentionScores: true })
 */
export interface MultiHeadAttentionCallArgs extends CallArgs {
  /** Boolean `[N, T, S]` (broadcastable): which keys each query position may attend to. */
  attentionMask?: Tensor | null;
  /** Keras masks of query `[N, T]`, value and key `[N, S]` (also taken from `mask` in input order). */
  queryMask?: Tensor | null;
  valueMask?: Tensor | null;
  keyMask?: Tensor | null;
  /** Also return the attention weights `[N, heads, T, S]`. */
  returnAttentionScores?: boolean;
  /** Query position i may only attend to key positions j ≤ i. */
  useCausalMask?: boolean;
}

/**
 * MultiHeadAttention's inputs: `[query, value]`, `[query, value, key]`, or named.
 *
 * @example mha.call({ query: q, value: v, attentionMask: m })
 */
export interface MultiHeadAttentionInputs {
  query: Tensor;
  value: Tensor;
  key?: Tensor;
  /** The attention mask as an input, so a functional graph can carry it. */
  attentionMask?: Tensor;
  [name: string]: Tensor | undefined;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Keras's `_build_proj_equation`: free dims pass through, bound dims contract, output dims are new. */
function projEquation(free: number, bound: number, output: number): { equation: string; biasAxes: string } {
  const f = LETTERS.slice(0, free);
  const b = LETTERS.slice(free, free + bound);
  const o = LETTERS.slice(free + bound, free + bound + output);
  return { equation: `${f}${b},${b}${o}->${f}${o}`, biasAxes: o };
}

/** Keras's `_build_attention_equation` for projected tensors of rank `rank`. */
function attentionEquations(
  rank: number,
  attnAxes: number[],
): { dot: string; combine: string; scoresRank: number } {
  const target = LETTERS.slice(0, rank);
  const batchDims = [...Array(rank).keys()].filter((i) => !attnAxes.includes(i) && i !== rank - 1);
  let next = rank;
  const source = [...target]
    .map((c, i) => (batchDims.includes(i) || i === rank - 1 ? c : LETTERS[next++]))
    .join("");
  const product = [
    ...batchDims.map((i) => target[i]),
    ...attnAxes.map((i) => target[i]),
    ...attnAxes.map((i) => source[i]),
  ].join("");
  return {
    dot: `${source},${target}->${product}`,
    combine: `${product},${source}->${target}`,
    scoresRank: product.length,
  };
}

/**
 * Multi-head attention (Vaswani et al.), as Keras computes it: query, key and value are projected
 * to `numHeads` heads by EinsumDense sublayers, scores are `q·k / sqrt(keyDim)` per head, softmaxed
 * over the key positions (with the attention mask, the inputs' Keras masks and the causal mask
 * merged by AND), used to average the projected values, and projected back by `attention_output`.
 *
 * Call it on `[query, value]`, `[query, value, key]` or `{ query, value, key?, attentionMask? }`.
 *
 * @example
 * const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
 * const x = random.normal([1, 4, 5]);
 * mha.call([x, x], { useCausalMask: true }).shape; // [1, 4, 5]
 */
export class MultiHeadAttention extends Layer {
  static override className = "MultiHeadAttention";
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number[] | null;
  readonly attentionAxes: number[] | null;
  readonly flashAttention: boolean | null;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly seed: number | null;
  private readonly extras: Record<string, unknown>;
  queryDense: EinsumDense | null = null;
  keyDense: EinsumDense | null = null;
  valueDense: EinsumDense | null = null;
  outputDense: EinsumDense | null = null;
  /** Built attention state: axes (in projected coordinates), equations, softmax axes. */
  private plan: { axes: number[]; dot: string; combine: string; normAxes: number[]; rank: number } | null =
    null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    for (const [k, v] of [
      ["numHeads", args.numHeads],
      ["keyDim", args.keyDim],
    ] as const)
      if (!Number.isInteger(v) || v <= 0)
        throw new ValueError(at(this, `${k} must be a positive integer, got ${v}`));
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ? args.valueDim : args.keyDim;
    this.dropout = args.dropout ?? 0;
    this.useBias = args.useBias ?? true;
    const os = args.outputShape ?? null;
    this.outputShape = os === null ? null : typeof os === "number" ? [os] : os.slice();
    const ax = args.attentionAxes ?? null;
    this.attentionAxes = ax === null ? null : typeof ax === "number" ? [ax] : ax.slice();
    this.flashAttention = args.flashAttention ?? null;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.seed = args.seed ?? null;
    this.extras = trainingOnlyOptions(args, ["kernel", "bias"], true);
    this.supportsMasking = true;
  }

  /** The sublayers in Keras's weight order. */
  override get subLayers(): Layer[] {
    return [this.queryDense, this.keyDense, this.valueDense, this.outputDense].filter(
      (l): l is EinsumDense => l !== null,
    );
  }

  /** Splits the inputs (list or named) into query, value, key and an attention mask. */
  private unpack<T>(inputs: unknown): { query: T; value: T; key: T | null; attentionMask: T | null } {
    if (Array.isArray(inputs)) {
      if (inputs.length < 2 || inputs.length > 3)
        throw new ValueError(
          at(this, `takes [query, value] or [query, value, key], got ${inputs.length} inputs`),
        );
      return {
        query: inputs[0] as T,
        value: inputs[1] as T,
        key: (inputs[2] as T) ?? null,
        attentionMask: null,
      };
    }
    if (inputs !== null && typeof inputs === "object" && !(inputs instanceof Tensor)) {
      const r = inputs as Record<string, T | undefined>;
      const extra = Object.keys(r).filter((k) => !["query", "value", "key", "attentionMask"].includes(k));
      if (r.query === undefined || r.value === undefined || extra.length > 0)
        throw new ValueError(
          at(
            this,
            `named inputs must be query, value and optionally key, attentionMask; got ${Object.keys(r).join(", ")}`,
          ),
        );
      return { query: r.query, value: r.value, key: r.key ?? null, attentionMask: r.attentionMask ?? null };
    }
    throw new ValueError(at(this, "takes [query, value], [query, value, key] or { query, value, key? }"));
  }

  private sublayer(
    name: string,
    equation: string,
    biasAxes: string,
    outputShape: (number | null)[],
  ): EinsumDense {
    return new EinsumDense({
      name,
      equation,
      outputShape,
      biasAxes: this.useBias ? biasAxes : null,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      dtype: this.dtype,
      ...this.extras,
    });
  }

  override build(inputShape: ShapeTree): void {
    const { query: q, value: v, key } = this.unpack<SymbolicShape>(inputShape);
    const k = key ?? v;
    if (fmtShape(v.slice(1, -1)) !== fmtShape(k.slice(1, -1)))
      throw new ShapeError(
        at(
          this,
          `all dims of value and key but the last must be equal; got value ${fmtShape(v)}, key ${fmtShape(k)}`,
        ),
      );
    const lead = (r: number, dims: number[]) => [...new Array<null>(r - dims.length).fill(null), ...dims];
    const make = (name: string, s: SymbolicShape, headDim: number) => {
      const p = projEquation(s.length - 1, 1, 2);
      const layer = this.sublayer(name, p.equation, p.biasAxes, lead(s.length, [this.numHeads, headDim]));
      buildSublayer(layer, s);
      return layer;
    };
    this.queryDense = make("query", q, this.keyDim);
    this.keyDense = make("key", k, this.keyDim);
    this.valueDense = make("value", v, this.valueDim);
    const rank = q.length + 1;
    const axes =
      this.attentionAxes === null
        ? [...Array(rank - 3).keys()].map((i) => i + 1)
        : this.attentionAxes.map((a) => (a >= 0 ? a : rank - 1 + a));
    const eq = attentionEquations(rank, axes);
    this.plan = {
      axes,
      dot: eq.dot,
      combine: eq.combine,
      normAxes: axes.map((_, i) => eq.scoresRank - axes.length + i),
      rank,
    };
    const outShape = this.outputShape ?? [q[q.length - 1] as number];
    const p = projEquation(q.length - 1, 2, outShape.length);
    this.outputDense = this.sublayer(
      "attention_output",
      p.equation,
      p.biasAxes,
      lead(q.length - 1 + outShape.length - 1, outShape),
    );
    const outIn = (this.queryDense.computeOutputShape(q) as SymbolicShape).slice();
    outIn[outIn.length - 1] = this.valueDim;
    buildSublayer(this.outputDense, outIn);
    this.built = true;
  }

  /** The boolean mask `[N|1, T, S]` from the attention mask, the Keras masks and causality (AND). */
  private attentionMask(
    query: Tensor,
    value: Tensor,
    kw: MultiHeadAttentionCallArgs,
    given: Tensor | null,
  ): Tensor | null {
    let auto: Tensor | null = null;
    const and = (m: Tensor) => {
      auto = auto === null ? m : logicalAnd(auto, m);
    };
    if (kw.queryMask) and(boolMask(kw.queryMask).expandDims(-1));
    if (kw.valueMask) and(boolMask(kw.valueMask).expandDims(-2));
    if (kw.keyMask) and(boolMask(kw.keyMask).expandDims(-2));
    if (kw.useCausalMask) and(causalMask(query.shape[1], value.shape[1]));
    const explicit = given ?? kw.attentionMask ?? null;
    const am = explicit === null ? null : boolMask(explicit);
    if (auto === null) return am;
    return am === null ? auto : logicalAnd(am, auto);
  }

  /** `[output, scores]` with `returnAttentionScores: true`, else the output alone. */
  call(
    inputs: LayerInputs,
    kwargs: MultiHeadAttentionCallArgs & { returnAttentionScores: true },
  ): [Tensor, Tensor];
  call(inputs: LayerInputs, kwargs?: MultiHeadAttentionCallArgs & { returnAttentionScores?: false }): Tensor;
  call(inputs: LayerInputs, kwargs?: MultiHeadAttentionCallArgs): LayerOutputs;
  call(inputs: LayerInputs, kwargs: MultiHeadAttentionCallArgs = {}): LayerOutputs {
    const { query, value, key, attentionMask } = this.unpack<Tensor>(inputs);
    const k = key ?? value;
    const plan = this.plan!;
    if (query.ndim !== plan.rank - 1)
      throw new ShapeError(
        at(this, `expected a query of rank ${plan.rank - 1}, got ${fmtShape(query.shape)}`),
      );
    // Keras masks of the inputs arrive in `mask`, in input order (list position or key order).
    const order = Array.isArray(inputs) ? ["query", "value", "key"] : Object.keys(inputs);
    const masks = maskList(kwargs.mask, order.length);
    const maskOf = (name: string) => (order.includes(name) ? masks[order.indexOf(name)] : null);
    const kw: MultiHeadAttentionCallArgs = {
      ...kwargs,
      queryMask: kwargs.queryMask ?? maskOf("query"),
      valueMask: kwargs.valueMask ?? maskOf("value"),
      keyMask: kwargs.keyMask ?? (key === null ? null : maskOf("key")),
    };
    let mask = this.attentionMask(query, value, kw, attentionMask);
    const q = this.queryDense!.call(query).mul(1 / Math.sqrt(this.keyDim));
    const kp = this.keyDense!.call(k);
    const vp = this.valueDense!.call(value);
    let scores = einsum(plan.dot, kp, q);
    if (mask !== null) {
      // Insert the head axis (and any other missing dims) where Keras does.
      const headAxis = -plan.axes.length * 2 - 1;
      while (mask.ndim < scores.ndim) mask = mask.expandDims(headAxis);
      scores = select(mask, scores, -1e9);
    }
    const weights0 =
      plan.normAxes.length === 1
        ? softmax(scores, plan.normAxes[0])
        : exp(scores.sub(logsumexp(scores, { axis: plan.normAxes, keepdims: true })));
    // Keras's explicit path (scores returned, or rank ≠ 4 after projection) zeroes masked weights.
    const explicit = kwargs.returnAttentionScores === true || plan.rank !== 4;
    const weights = mask !== null && explicit ? select(mask, weights0, 0) : weights0;
    const out = this.outputDense!.call(einsum(plan.combine, weights, vp));
    return kwargs.returnAttentionScores ? [out, weights] : out;
  }

  /** The query's Keras mask passes on. */
  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): Tensor | null {
    const order = Array.isArray(inputs) || inputs instanceof Tensor ? ["query"] : Object.keys(inputs);
    return maskList(mask, order.length)[Math.max(0, order.indexOf("query"))];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputShape === null ? null : this.outputShape.slice(),
      attentionAxes: this.attentionAxes === null ? null : this.attentionAxes.slice(),
      flashAttention: this.flashAttention,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
      seed: this.seed,
    };
  }
}

/** Builds a sublayer for a known input shape (what `layer.call` would do on first use). */
function buildSublayer(layer: Layer, shape: SymbolicShape): void {
  layer.build(shape);
  layer.built = true;
  layer.buildInputShape = shape;
}
