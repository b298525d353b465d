// Keras: keras/src/layers/pooling/global_average_pooling2d.py (a BaseGlobalPooling of rank 2).
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";

/**
 * Options of GlobalAveragePooling2D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalAveragePooling2D({ dataFormat: "channels_first" })
 */
export type GlobalAveragePooling2DArgs = GlobalPoolingArgs;

/**
 * Mean over every spatial dim of `[batch, rows, cols, channels]` (or channels first): output
 * `[batch, channels]`, or with `keepdims` the input's rank with size-1 spatial dims.
 *
 * @example
 * new layers.GlobalAveragePooling2D().call(zeros([2, 7, 7, 16])).shape; // [2, 16]
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override className = "GlobalAveragePooling2D";

  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(2, "average", args);
  }
}
