// Keras: keras/src/layers/reshaping/permute.py (Keras 2: keras/layers/core.py, same semantics).
import { ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import { at, fmtShape, requireRank, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of Permute (Keras's arguments, camelCase).
 *
 * @example new layers.Permute({ dims: [2, 1] })
 */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..k (1-based, like Keras; the batch dim 0 stays first). */
  dims: number[];
}

/**
 * Permutes the non-batch dims; `dims` counts from 1, as in Keras: `Permute({ dims: [2, 1] })`
 * swaps the two per-sample axes of a `[N, a, b]` input.
 *
 * @example
 * new layers.Permute({ dims: [2, 1] }).call(zeros([4, 3, 2])).shape; // [4, 2, 3]
 */
export class Permute extends Layer {
  static override className = "Permute";
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const d = args.dims;
    const sorted = Array.isArray(d) ? d.slice().sort((a, b) => a - b) : [];
    if (!Array.isArray(d) || d.length === 0 || sorted.some((v, i) => v !== i + 1))
      throw new ValueError(
        at(
          this,
          `dims must be a permutation of 1..${Array.isArray(d) ? d.length : "k"}, got ${JSON.stringify(d)}`,
        ),
      );
    this.dims = d.slice();
  }

  private check(shape: readonly (number | null)[]): void {
    requireRank(this, shape, this.dims.length + 1, `dims ${fmtShape(this.dims)} plus the batch dim`);
  }

  call(inputs: Tensor): Tensor {
    const x = singleTensor(this, inputs);
    this.check(x.shape);
    return x.transpose([0, ...this.dims]);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = singleShape(this, inputShape);
    this.check(s);
    return [s[0], ...this.dims.map((d) => s[d])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: this.dims.slice() };
  }
}
