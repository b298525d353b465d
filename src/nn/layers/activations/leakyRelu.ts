// Keras: keras/src/layers/activations/leaky_relu.py. Keras 3 calls the slope `negative_slope`
// (default 0.3) and still accepts Keras 2's `alpha` (default 0.3 too). Note the *function*
// keras.activations.leaky_relu defaults to 0.2 in Keras 3; the layer default is 0.3 in both.
import { ValueError } from "../../../core/errors.js";
import { leakyRelu } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { LayerArgs } from "../../layer.js";
import { ElementwiseActivation } from "./_activationLayer.js";
import { where } from "../base/_util.js";

/**
 * Options of LeakyReLU (Keras's arguments, camelCase).
 *
 * @example new layers.LeakyReLU({ negativeSlope: 0.1 })
 */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3). */
  negativeSlope?: number;
  /** Keras 2's name for `negativeSlope`. */
  alpha?: number;
}

/**
 * `x` for x ≥ 0, `negativeSlope · x` otherwise.
 *
 * @example
 * new layers.LeakyReLU({ negativeSlope: 0.1 }).call(array([[-2, 3]])); // [[-0.2, 3]]
 */
export class LeakyReLU extends ElementwiseActivation {
  static override className = "LeakyReLU";
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    const slope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (typeof slope !== "number" || !(slope >= 0))
      throw new ValueError(`${where(this)}: negativeSlope must be a number ≥ 0, got ${slope}`);
    this.negativeSlope = slope;
  }

  protected activate(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
