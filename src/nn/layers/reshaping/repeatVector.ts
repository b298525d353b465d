// Keras: keras/src/layers/reshaping/repeat_vector.py (Keras 2: keras/layers/core.py, same semantics).
import { ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import { at, requireRank, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of RepeatVector (Keras's arguments, camelCase).
 *
 * @example new layers.RepeatVector({ n: 5 })
 */
export interface RepeatVectorArgs extends LayerArgs {
  /** Number of repetitions. */
  n: number;
}

/**
 * Repeats each sample `n` times along a new axis 1: `[N, F]` → `[N, n, F]`.
 *
 * @example
 * new layers.RepeatVector({ n: 3 }).call(array([[1, 2]])); // [[[1, 2], [1, 2], [1, 2]]]
 */
export class RepeatVector extends Layer {
  static override className = "RepeatVector";
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    if (!Number.isInteger(args.n) || args.n < 0)
      throw new ValueError(at(this, `n must be a non-negative integer, got ${args.n}`));
    this.n = args.n;
  }

  call(inputs: Tensor): Tensor {
    const x = singleTensor(this, inputs);
    requireRank(this, x.shape, 2, "[batch, features]");
    const [b, f] = x.shape;
    return x.reshape([b, 1, f]).broadcastTo([b, this.n, f]);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = singleShape(this, inputShape);
    requireRank(this, s, 2, "[batch, features]");
    return [s[0], this.n, s[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
