/**
 * Base of the element-wise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum).
 * Keras: keras/src/layers/merging/base_merge.py.
 *
 * - Shapes (without the batch dim) broadcast right-aligned, where each pair of dims must be equal
 *   or one of them 1 (Keras's `_compute_elemwise_op_output_shape`).
 * - Inputs of different ranks get size-1 axes inserted at axis 1 until the ranks agree, then
 *   broadcast (Keras's `_reshape_required` path).
 * - The output mask is the OR of the input masks when every input has one, else none.
 *
 * Keras 2 required at least two inputs; Keras 3 accepts one. We accept one.
 */
import { ShapeError, ValueError } from "../../../core/errors.js";
import { logicalOr, where } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { at, fmtShape, maskList, shapeList, tensorList } from "../base/_util.js";

/**
 * An element-wise merge: subclasses give `merge` over same-rank inputs.
 *
 * @example
 * class Hypot extends Merge {
 *   static override className = "Hypot";
 *   protected merge(xs: Tensor[]) { return xs.reduce((a, x) => a.add(x.square()), zerosLike(xs[0])).sqrt(); }
 * }
 */
export abstract class Merge extends Layer {
  /** Exact number of inputs, for layers that need one (Subtract: 2). */
  protected readonly arity: number | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines same-rank, broadcast-compatible inputs; `masks` has one entry per input. */
  protected abstract merge(inputs: Tensor[], masks: (Tensor | null)[]): Tensor;

  private checkCount(n: number): void {
    if (n < 1) throw new ValueError(at(this, "should be called on a list of at least 1 input"));
    if (this.arity !== null && n !== this.arity)
      throw new ValueError(at(this, `should be called on exactly ${this.arity} inputs, got ${n}`));
  }

  /** The broadcast shape of two per-sample shapes (right-aligned; 1 stretches; null is unknown). */
  private elementwiseShape(a: SymbolicShape, b: SymbolicShape, all: SymbolicShape[]): SymbolicShape {
    if (a.length < b.length) return this.elementwiseShape(b, a, all);
    const out = a.slice(0, a.length - b.length);
    b.forEach((j, k) => {
      const i = a[a.length - b.length + k];
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else if (i !== j)
        throw new ShapeError(at(this, `inputs have incompatible shapes ${all.map(fmtShape).join(", ")}`));
      else out.push(i);
    });
    return out;
  }

  override build(inputShape: ShapeTree): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  call(inputs: LayerInputs, kwargs: CallArgs = {}): Tensor {
    const xs = tensorList(this, inputs, "should be called on a list of inputs");
    this.checkCount(xs.length);
    this.computeOutputShape(xs.map((x) => x.shape));
    const masks = maskList(kwargs.mask, xs.length);
    const rank = Math.max(...xs.map((x) => x.ndim));
    if (xs.every((x) => x.ndim === rank)) return this.merge(xs, masks);
    // Keras inserts size-1 axes at axis 1 until the ranks agree (the masks do not survive this).
    const lifted = xs.map((x) => {
      const s = x.shape;
      return x.reshape([s[0], ...new Array<number>(rank - s.length).fill(1), ...s.slice(1)]);
    });
    return this.merge(
      lifted,
      masks.map(() => null),
    );
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const shapes = shapeList(this, inputShape, "should be called on a list of inputs");
    this.checkCount(shapes.length);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batches.size > 1)
      throw new ShapeError(
        at(this, `cannot merge tensors with different batch sizes: ${shapes.map(fmtShape).join(", ")}`),
      );
    let out = shapes[0].slice(1);
    for (const s of shapes.slice(1)) out = this.elementwiseShape(out, s.slice(1), shapes);
    return [batches.size === 1 ? [...batches][0] : null, ...out];
  }

  /** Keras's default: the OR of the input masks, when every input has one. */
  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): Tensor | null {
    void inputs;
    if (!Array.isArray(mask)) return null;
    if (mask.some((m) => m === null || m === undefined)) return null;
    return (mask as Tensor[]).reduce((a, b) => logicalOr(a, b));
  }
}

/** A mask `[N, T]` as booleans broadcast to an input `[N, T, …]` (Keras expands the last axis). */
export function expandMask(mask: Tensor, like: Tensor): Tensor {
  let m = mask.dtype === "bool" ? mask : mask.notEqual(0);
  while (m.ndim < like.ndim) m = m.expandDims(-1);
  return m.broadcastTo(like.shape);
}

/**
 * Keras 3's `_apply_merge_op_and_or_mask` (base_merge.py), which Maximum and Minimum use: `op`
 * folds the inputs pairwise, and where one side of a pair is masked it takes the other side's
 * value first, so a masked entry never wins. The running mask is the OR of the masks seen, while
 * every input so far had one.
 *
 * @example mergeWithMasks((a, b) => a.maximum(b), xs, masks)
 */
export function mergeWithMasks(
  op: (a: Tensor, b: Tensor) => Tensor,
  xs: Tensor[],
  masks: (Tensor | null)[],
): Tensor {
  let out = xs[0];
  let outMask = masks[0] === null ? null : expandMask(masks[0], xs[0]);
  for (let i = 1; i < xs.length; i++) {
    let x = xs[i];
    const m = masks[i] === null ? null : expandMask(masks[i]!, x);
    if (m !== null) x = where(m, x, out);
    if (outMask !== null) out = where(outMask, out, x);
    outMask = m !== null && outMask !== null ? logicalOr(outMask, m) : null;
    out = op(out, x);
  }
  return out;
}
