// Keras: keras/src/layers/merging/concatenate.py. Output mask: Keras 3 takes `any` over the last
// axis of the concatenated (expanded) masks; Keras 2 (keras/layers/merge.py) took `all`.
import { ShapeError } from "../../../core/errors.js";
import { concatenate, onesLike } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, LayerArgs, LayerInputs, ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { expandMask, Merge } from "./_merge.js";
import { anyAlong, at, fmtShape, maskList, normAxis, shapeList, tensorList } from "../base/_util.js";

/**
 * Options of Concatenate (Keras's arguments, camelCase).
 *
 * @example new layers.Concatenate({ axis: 1 })
 */
export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along (default -1; counts the batch dim as 0, as in Keras). */
  axis?: number;
}

/**
 * Joins a list of inputs along `axis`; all other dims must agree.
 *
 * @example
 * new layers.Concatenate({ axis: -1 }).call([zeros([2, 3]), ones([2, 1])]).shape; // [2, 4]
 */
export class Concatenate extends Merge {
  static override className = "Concatenate";
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  protected merge(xs: Tensor[]): Tensor {
    return concatenate(xs, this.axis);
  }

  private check(shapes: SymbolicShape[]): number {
    const rank = shapes[0].length;
    const bad = () =>
      new ShapeError(
        at(
          this,
          `inputs must match in every dim except the concatenation axis ${this.axis}; got ${shapes.map(fmtShape).join(", ")}`,
        ),
      );
    if (shapes.some((s) => s.length !== rank)) throw bad();
    const a = normAxis(this, this.axis, rank);
    for (let d = 0; d < rank; d++) {
      if (d === a) continue;
      const known = new Set(shapes.map((s) => s[d]).filter((v) => v !== null));
      if (known.size > 1) throw bad();
    }
    return a;
  }

  override call(inputs: LayerInputs): Tensor {
    const xs = tensorList(this, inputs, "should be called on a list of inputs");
    this.check(xs.map((x) => x.shape));
    return this.merge(xs);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const shapes = shapeList(this, inputShape, "should be called on a list of inputs");
    const a = this.check(shapes);
    const out = shapes[0].slice();
    out[a] = shapes.some((s) => s[a] === null) ? null : shapes.reduce((n, s) => n + (s[a] as number), 0);
    for (let d = 0; d < out.length; d++)
      if (d !== a && out[d] === null) out[d] = shapes.find((s) => s[d] !== null)?.[d] ?? null;
    return out;
  }

  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): Tensor | null {
    if (!Array.isArray(inputs)) return null;
    const masks = maskList(mask, inputs.length);
    if (masks.every((m) => m === null)) return null;
    const full = inputs.map((x, i) => {
      const m = masks[i];
      return m === null ? onesLike(x, { dtype: "bool" }) : expandMask(m, x);
    });
    return anyAlong(concatenate(full, this.axis), -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
