// Keras: keras/src/layers/activations/relu.py with activations.relu(negative_slope, max_value,
// threshold) (Keras 2: keras/layers/advanced_activations.py ReLU, same options and formula).
import { ValueError } from "../../../core/errors.js";
import { clip, relu, where } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { LayerArgs } from "../../layer.js";
import { ElementwiseActivation } from "./_activationLayer.js";
import { at } from "../base/_util.js";

/**
 * Options of ReLU (Keras's arguments, camelCase).
 *
 * @example new layers.ReLU({ maxValue: 6 })
 */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (none by default). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs at or below it give `negativeSlope · (x − threshold)` (default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit with Keras's options:
 * `min(x, maxValue)` for x > threshold (x = threshold gives 0), `negativeSlope · (x − threshold)` below.
 *
 * @example
 * new layers.ReLU({ maxValue: 6 }).call(array([[-1, 3, 9]])); // [[0, 3, 6]]
 */
export class ReLU extends ElementwiseActivation {
  static override className = "ReLU";
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    const check = (what: string, v: number | null) => {
      if (v !== null && !(typeof v === "number" && v >= 0))
        throw new ValueError(at(this, `${what} must be a number ≥ 0, got ${v}`));
    };
    check("maxValue", this.maxValue);
    check("negativeSlope", this.negativeSlope);
    check("threshold", this.threshold);
  }

  protected activate(x: Tensor): Tensor {
    // Positive part: 0 where x ≤ threshold, else x (Keras multiplies by the 0/1 comparison, so NaN
    // stays NaN; where(x > threshold, x, 0) turned it into 0).
    let pos = this.threshold === 0 ? relu(x) : where(x.lessEqual(this.threshold), 0, x);
    if (this.maxValue !== null) pos = clip(pos, 0, this.maxValue);
    if (this.negativeSlope === 0) return pos;
    // Minus slope · relu(threshold − x).
    return pos.sub(relu(x.neg().add(this.threshold)).mul(this.negativeSlope));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}
