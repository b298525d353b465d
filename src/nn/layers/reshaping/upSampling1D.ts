// Keras: keras/src/layers/reshaping/up_sampling1d.py (repeat along axis 1; an int `size`, no data_format).
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { upsample } from "../../../ops/index.js";
import { requireInputRank } from "../base/_convUtils.js";
import { positiveInt, where } from "../base/_util.js";

/**
 * Options of UpSampling1D (Keras's arguments, camelCase).
 *
 * @example new layers.UpSampling1D({ size: 3 })
 */
export interface UpSampling1DArgs extends LayerArgs {
  /** Repeats of each step (default 2). */
  size?: number;
}

/**
 * Repeats every step `size` times along axis 1 of `[batch, steps, channels]`.
 *
 * @example
 * new layers.UpSampling1D({ size: 3 }).call(array([[[1], [2]]])); // [[[1], [1], [1], [2], [2], [2]]]
 */
export class UpSampling1D extends Layer {
  static override className = "UpSampling1D";
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    super(args);
    this.size = positiveInt(where(this), "size", args.size ?? 2);
  }

  call(x: Tensor): Tensor {
    requireInputRank(this, x.shape, 1, "channels_last");
    return upsample(x, this.size);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, 1, "channels_last");
    return [s[0], s[1] === null ? null : s[1] * this.size, s[2]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}
