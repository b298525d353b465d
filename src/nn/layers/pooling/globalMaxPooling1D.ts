// Keras: keras/src/layers/pooling/global_max_pooling1d.py (a BaseGlobalPooling of rank 1).
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";

/**
 * Options of GlobalMaxPooling1D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalMaxPooling1D({ keepdims: true })
 */
export type GlobalMaxPooling1DArgs = GlobalPoolingArgs;

/**
 * Maximum over every spatial dim of `[batch, steps, channels]` (or channels first): output
 * `[batch, channels]`, or with `keepdims` the input's rank with size-1 spatial dims.
 *
 * @example
 * new layers.GlobalMaxPooling1D().call(zeros([4, 10, 3])).shape; // [4, 3]
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override className = "GlobalMaxPooling1D";

  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(1, "max", args);
  }
}
