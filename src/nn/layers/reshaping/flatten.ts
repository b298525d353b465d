// Keras: keras/src/layers/reshaping/flatten.py (Keras 2: keras/layers/core.py; data_format since 2.1).
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import {
  standardizeDataFormat,
  where,
  prodOrNull,
  singleShape,
  singleTensor,
  type DataFormatLike,
  type KerasDataFormat,
} from "../base/_util.js";

/**
 * Options of Flatten (Keras's arguments, camelCase).
 *
 * @example new layers.Flatten({ dataFormat: "channels_first" })
 */
export interface FlattenArgs extends LayerArgs {
  /**
   * With "channels_first", inputs of rank ≥ 3 are moved to channels-last before flattening, so
   * the flattened order is the same as for the equivalent channels-last model (Keras's rule).
   */
  dataFormat?: DataFormatLike | null;
}

/**
 * Flattens every dim but the batch dim: `[N, d1, …, dk]` → `[N, d1·…·dk]` (a `[N]` input becomes
 * `[N, 1]`, as in Keras). Masks are not passed on.
 *
 * @example
 * new layers.Flatten().call(zeros([2, 3, 4])).shape; // [2, 12]
 */
export class Flatten extends Layer {
  static override className = "Flatten";
  readonly dataFormat: KerasDataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args);
    this.dataFormat = standardizeDataFormat(where(this), args.dataFormat);
  }

  call(inputs: Tensor): Tensor {
    let x = singleTensor(this, inputs);
    const r = x.ndim;
    if (this.dataFormat === "channels_first" && r > 2)
      x = x.transpose([0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
    const n = x.shape[0] ?? 1;
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return x.reshape([n, rest]);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = singleShape(this, inputShape);
    return [s[0] ?? null, prodOrNull(s.slice(1))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
