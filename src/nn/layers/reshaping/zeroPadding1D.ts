// Keras: keras/src/layers/reshaping/zero_padding1d.py (default padding 1).
import { BaseZeroPadding, type ZeroPaddingArgs } from "./_convSpatial.js";

/**
 * Options of ZeroPadding1D (Keras's arguments, camelCase).
 *
 * @example new layers.ZeroPadding1D({ padding: [2, 1] })
 */
export type ZeroPadding1DArgs = ZeroPaddingArgs;

/**
 * Adds zeros at both ends of each spatial dim of `[batch, steps, channels]` (or channels first).
 *
 * @example
 * new layers.ZeroPadding1D({ padding: [1, 2] }).call(zeros([2, 5, 3])).shape; // [2, 8, 3]
 */
export class ZeroPadding1D extends BaseZeroPadding {
  static override className = "ZeroPadding1D";

  constructor(args: ZeroPadding1DArgs = {}) {
    super(1, args, 1);
  }
}
