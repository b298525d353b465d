// Keras: keras/src/layers/pooling/global_max_pooling2d.py (a BaseGlobalPooling of rank 2).
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";

/**
 * Options of GlobalMaxPooling2D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalMaxPooling2D({ dataFormat: "channels_first" })
 */
export type GlobalMaxPooling2DArgs = GlobalPoolingArgs;

/**
 * Maximum over every spatial dim of `[batch, rows, cols, channels]` (or channels first): output
 * `[batch, channels]`, or with `keepdims` the input's rank with size-1 spatial dims.
 *
 * @example
 * new layers.GlobalMaxPooling2D().call(zeros([2, 7, 7, 16])).shape; // [2, 16]
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override className = "GlobalMaxPooling2D";

  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, "max", args);
  }
}
