// Keras: keras/src/layers/reshaping/zero_padding2d.py (default padding 1).
import { BaseZeroPadding, type ZeroPaddingArgs } from "./_convSpatial.js";

/**
 * Options of ZeroPadding2D (Keras's arguments, camelCase).
 *
 * @example new layers.ZeroPadding2D({ padding: [[1, 1], [2, 2]] })
 */
export type ZeroPadding2DArgs = ZeroPaddingArgs;

/**
 * Adds zeros at both ends of each spatial dim of `[batch, rows, cols, channels]` (or channels first).
 *
 * @example
 * new layers.ZeroPadding2D({ padding: [[1, 0], [2, 2]] }).call(zeros([1, 4, 4, 3])).shape; // [1, 5, 8, 3]
 */
export class ZeroPadding2D extends BaseZeroPadding {
  static override className = "ZeroPadding2D";

  constructor(args: ZeroPadding2DArgs = {}) {
    super(2, args, 1);
  }
}
