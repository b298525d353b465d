// Keras: keras/src/layers/reshaping/cropping1d.py (default cropping (1, 1); channels last only).
import type { LayerArgs } from "../../layer.js";
import { BaseCropping } from "./_convSpatial.js";

/**
 * Options of Cropping1D (Keras's arguments, camelCase).
 *
 * @example new layers.Cropping1D({ cropping: [1, 2] })
 */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed at the `[begin, end]` of axis 1, or one int for both (default 1). */
  cropping?: number | [number, number];
}

/**
 * Removes steps at both ends of axis 1 of `[batch, steps, channels]`; at least one step must
 * remain.
 *
 * @example
 * new layers.Cropping1D({ cropping: [2, 1] }).call(zeros([2, 6, 4])).shape; // [2, 3, 4]
 */
export class Cropping1D extends BaseCropping {
  static override className = "Cropping1D";

  constructor(args: Cropping1DArgs = {}) {
    super(1, { ...args, dataFormat: "channels_last" }, 1);
  }

  override getConfig(): Record<string, unknown> {
    const { dataFormat: _, ...config } = super.getConfig();
    return config;
  }
}
