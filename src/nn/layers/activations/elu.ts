// Keras: keras/src/layers/activations/elu.py (Keras 2: keras/layers/advanced_activations.py, same).
import { elu } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { LayerArgs } from "../../layer.js";
import { ElementwiseActivation } from "./_activationLayer.js";

/**
 * Options of ELU (Keras's arguments, camelCase).
 *
 * @example new layers.ELU({ alpha: 0.5 })
 */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * `x` for x > 0, `alpha · (eˣ − 1)` otherwise.
 *
 * @example
 * new layers.ELU({ alpha: 1 }).call(array([[-1, 2]])); // [[-0.632…, 2]]
 */
export class ELU extends ElementwiseActivation {
  static override className = "ELU";
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }

  protected activate(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
