// Keras: keras/src/layers/reshaping/zero_padding3d.py (default padding 1).
import { BaseZeroPadding, type ZeroPaddingArgs } from "./_convSpatial.js";

/**
 * Options of ZeroPadding3D (Keras's arguments, camelCase).
 *
 * @example new layers.ZeroPadding3D({ padding: 1 })
 */
export type ZeroPadding3DArgs = ZeroPaddingArgs;

/**
 * Adds zeros at both ends of each spatial dim of `[batch, dim1, dim2, dim3, channels]` (or channels first).
 *
 * @example
 * new layers.ZeroPadding3D({ padding: 1 }).call(zeros([1, 2, 2, 2, 1])).shape; // [1, 4, 4, 4, 1]
 */
export class ZeroPadding3D extends BaseZeroPadding {
  static override className = "ZeroPadding3D";

  constructor(args: ZeroPadding3DArgs = {}) {
    super(3, args, 1);
  }
}
