// Keras: keras/src/layers/reshaping/cropping2d.py (default cropping 0).
import { BaseCropping, type CroppingArgs } from "./_convSpatial.js";

/**
 * Options of Cropping2D (Keras's arguments, camelCase).
 *
 * @example new layers.Cropping2D({ cropping: [[2, 2], [1, 1]] })
 */
export type Cropping2DArgs = CroppingArgs;

/**
 * Removes rows/columns at both ends of each spatial dim of `[batch, rows, cols, channels]` (or channels
 * first); every dim must keep at least one element.
 *
 * @example
 * new layers.Cropping2D({ cropping: [[1, 1], [2, 0]] }).call(zeros([1, 6, 6, 3])).shape; // [1, 4, 4, 3]
 */
export class Cropping2D extends BaseCropping {
  static override className = "Cropping2D";

  constructor(args: Cropping2DArgs = {}) {
    super(2, args, 0);
  }
}
