// Keras: keras/src/layers/reshaping/cropping3d.py (default cropping 1).
import { BaseCropping, type CroppingArgs } from "./_convSpatial.js";

/**
 * Options of Cropping3D (Keras's arguments, camelCase).
 *
 * @example new layers.Cropping3D({ cropping: 1 })
 */
export type Cropping3DArgs = CroppingArgs;

/**
 * Removes rows/columns at both ends of each spatial dim of `[batch, dim1, dim2, dim3, channels]` (or channels
 * first); every dim must keep at least one element.
 *
 * @example
 * new layers.Cropping3D({ cropping: 1 }).call(zeros([1, 4, 4, 4, 2])).shape; // [1, 2, 2, 2, 2]
 */
export class Cropping3D extends BaseCropping {
  static override className = "Cropping3D";

  constructor(args: Cropping3DArgs = {}) {
    super(3, args, 1);
  }
}
