// Keras: keras/src/layers/attention/attention.py (Luong dot-product attention). tf.keras 2.x
// (layers/attention/attention.py) computes the same with the same weights; it also took a `causal`
// constructor argument, which Keras 3 replaced by the `use_causal_mask` call argument.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { logicalAnd, logicalNot, matmul, softmax } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import {
  Layer,
  type CallArgs,
  type LayerArgs,
  type LayerInputs,
  type LayerOutputs,
  type ShapeTree,
} from "../../layer.js";
import type { Weight } from "../../weight.js";
import { at, boolMask, causalMask, fmtShape, maskList, shapeList, tensorList } from "../base/_util.js";

/**
 * Options of Attention (Keras's arguments, camelCase).
 *
 * @example new layers.Attention({ useScale: true, scoreMode: "concat" })
 */
export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar `scale` multiplying the scores (default false). */
  useScale?: boolean;
  /** "dot": q·kᵀ; "concat": Σ tanh(q + k) times a learned scalar `concat_score_weight`. */
  scoreMode?: "dot" | "concat";
  /** Dropout on the attention weights in training only; ignored at inference. */
  dropout?: number;
  seed?: number | null;
  /** Keras 2's constructor form of `useCausalMask`. */
  causal?: boolean;
}

/**
 * Call options of Attention (besides `mask`: `[queryMask, valueMask]`).
 *
 * @example att.call([q, v], { useCausalMask: true, returnAttentionScores: true })
 */
export interface AttentionCallArgs extends CallArgs {
  /** Also return the attention weights `[N, Tq, Tv]` (after masking and softmax). */
  returnAttentionScores?: boolean;
  /** Position i may only attend to positions j ≤ i. */
  useCausalMask?: boolean;
}

/**
 * Dot-product (Luong) attention over `[query, value]` or `[query, value, key]` (key defaults to
 * value): scores `[N, Tq, Tv]`, softmax over Tv, weighted sum of values → `[N, Tq, dim]`.
 * Masks (`mask: [queryMask, valueMask]`, or Keras masks from earlier layers): masked values get
 * 1e9 subtracted from their scores, as Keras does, and masked queries give zero rows.
 * Weights: `scale` (with `useScale`), `concat_score_weight` (with `scoreMode: "concat"`).
 *
 * @example
 * const att = new layers.Attention();
 * att.call([random.normal([2, 3, 4]), random.normal([2, 5, 4])]).shape; // [2, 3, 4]
 */
export class Attention extends Layer {
  static override className = "Attention";
  readonly useScale: boolean;
  readonly scoreMode: "dot" | "concat";
  readonly dropout: number;
  readonly seed: number | null;
  readonly causal: boolean;
  scale: Weight | null = null;
  concatScoreWeight: Weight | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? "dot";
    if (this.scoreMode !== "dot" && this.scoreMode !== "concat")
      throw new ValueError(
        at(this, `scoreMode must be "dot" or "concat", got ${JSON.stringify(this.scoreMode)}`),
      );
    this.dropout = args.dropout ?? 0;
    this.seed = args.seed ?? null;
    this.causal = args.causal ?? false;
    this.supportsMasking = true;
  }

  private check(shapes: readonly (readonly (number | null)[])[]): void {
    if (shapes.length < 2 || shapes.length > 3)
      throw new ValueError(
        at(this, `takes [query, value] or [query, value, key], got ${shapes.length} inputs`),
      );
    const [q, v, k = v] = shapes;
    const bad = (why: string) =>
      new ShapeError(at(this, `${why}; got query ${fmtShape(q)}, value ${fmtShape(v)}, key ${fmtShape(k)}`));
    if (q.length !== 3 || v.length !== 3 || k.length !== 3)
      throw bad("query, value and key must have rank 3 ([batch, steps, dim])");
    if (v[1] !== null && k[1] !== null && v[1] !== k[1])
      throw bad("value and key must have the same number of steps");
    if (this.scoreMode === "dot" && q[2] !== null && k[2] !== null && q[2] !== k[2])
      throw bad("query and key must have the same last dim");
  }

  override build(inputShape: ShapeTree): void {
    this.check(shapeList(this, inputShape, "takes a list [query, value] or [query, value, key]"));
    if (this.useScale) this.scale = this.addWeight("scale", [], "ones");
    if (this.scoreMode === "concat")
      this.concatScoreWeight = this.addWeight("concat_score_weight", [], "ones");
    this.built = true;
  }

  /** Attention scores `[N, Tq, Tv]` (Keras's `_calculate_scores`). */
  private scores(q: Tensor, k: Tensor): Tensor {
    if (this.scoreMode === "dot") {
      const s = matmul(q, k.transpose([0, 2, 1]));
      return this.scale === null ? s : s.mul(this.scale.value);
    }
    let sum = q.expandDims(-2).add(k.expandDims(-3));
    if (this.scale !== null) sum = sum.mul(this.scale.value);
    return sum.tanh().sum({ axis: -1 }).mul(this.concatScoreWeight!.value);
  }

  /** `[output, scores]` with `returnAttentionScores: true`, else the output alone. */
  call(inputs: LayerInputs, kwargs: AttentionCallArgs & { returnAttentionScores: true }): [Tensor, Tensor];
  call(inputs: LayerInputs, kwargs?: AttentionCallArgs & { returnAttentionScores?: false }): Tensor;
  call(inputs: LayerInputs, kwargs?: AttentionCallArgs): LayerOutputs;
  call(inputs: LayerInputs, kwargs: AttentionCallArgs = {}): LayerOutputs {
    const xs = tensorList(this, inputs, "takes a list [query, value] or [query, value, key]");
    this.check(xs.map((x) => x.shape));
    const [q, v, k = v] = xs;
    const [qMask, vMask] = maskList(kwargs.mask, xs.length);
    let scores = this.scores(q, k);
    const [tq, tv] = scores.shape.slice(1);
    let keep: Tensor | null = vMask === null ? null : boolMask(vMask).expandDims(-2);
    if (kwargs.useCausalMask ?? this.causal) {
      const causal = causalMask(tq, tv);
      keep = keep === null ? causal : logicalAnd(keep, causal);
    }
    if (keep !== null) scores = scores.sub(logicalNot(keep).astype(scores.dtype).mul(1e9));
    const weights = softmax(scores, -1);
    let result = matmul(weights, v);
    if (qMask !== null) result = result.mul(boolMask(qMask).expandDims(-1).astype(result.dtype));
    return kwargs.returnAttentionScores ? [result, weights] : result;
  }

  /** `[...query.shape[:-1], value.shape[-1]]` (Keras's closed form; without the returned scores). */
  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const shapes = shapeList(this, inputShape, "takes a list [query, value] or [query, value, key]");
    this.check(shapes);
    return [...shapes[0].slice(0, -1), shapes[1][shapes[1].length - 1]];
  }

  /** The query's mask passes on (Keras). */
  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): Tensor | null {
    void inputs;
    return Array.isArray(mask) ? (mask[0] ?? null) : null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      useScale: this.useScale,
      scoreMode: this.scoreMode,
      dropout: this.dropout,
      seed: this.seed,
      causal: this.causal,
    };
  }
}
