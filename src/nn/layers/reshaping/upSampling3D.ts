// Keras: keras/src/layers/reshaping/up_sampling3d.py (nearest neighbour: repeat along each dim).
import { BaseUpSampling, type UpSamplingArgs } from "./_convSpatial.js";

/**
 * Options of UpSampling3D (Keras's arguments, camelCase).
 *
 * @example new layers.UpSampling3D({ size: [1, 2, 2] })
 */
export type UpSampling3DArgs = UpSamplingArgs;

/**
 * Repeats every element `size` times along each spatial dim of `[batch, dim1, dim2, dim3, channels]`
 * (or channels first).
 *
 * @example
 * new layers.UpSampling3D({ size: [1, 2, 2] }).call(zeros([1, 2, 3, 3, 4])).shape; // [1, 2, 6, 6, 4]
 */
export class UpSampling3D extends BaseUpSampling {
  static override className = "UpSampling3D";

  constructor(args: UpSampling3DArgs = {}) {
    super(3, args);
  }
}
