// Keras 2: keras/layers/advanced_activations.py ThresholdedReLU. Removed in Keras 3, where
// ReLU(threshold=θ) computes the same thing.
import { ValueError } from "../../../core/errors.js";
import { where } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { LayerArgs } from "../../layer.js";
import { ElementwiseActivation } from "./_activationLayer.js";
import { at } from "../base/_util.js";

/**
 * Options of ThresholdedReLU (Keras 2's arguments, camelCase).
 *
 * @example new layers.ThresholdedReLU({ theta: 0.5 })
 */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs at or below theta give 0 (default 1). */
  theta?: number;
}

/**
 * `x` for x > theta, 0 otherwise (Keras 2 only; Keras 3 files do not contain it).
 *
 * @example
 * new layers.ThresholdedReLU({ theta: 1 }).call(array([[0.5, 2]])); // [[0, 2]]
 */
export class ThresholdedReLU extends ElementwiseActivation {
  static override className = "ThresholdedReLU";
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args);
    this.theta = args.theta ?? 1;
    if (typeof this.theta !== "number" || !(this.theta >= 0))
      throw new ValueError(at(this, `theta must be a number ≥ 0, got ${this.theta}`));
  }

  protected activate(x: Tensor): Tensor {
    // Keras's x · (x > θ) keeps NaN (NaN · 0 = NaN); where(x > θ, x, 0) turned it into 0.
    return where(x.lessEqual(this.theta), 0, x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}
