import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { ActivationLike } from "../base/_options.js";

export interface ActivationArgs extends LayerArgs {
  activation: ActivationLike;
}

/**
 * Applies an activation function (Keras: keras/src/layers/activations/activation.py).
 *
 * @example new layers.Activation({ activation: "tanh" })
 */
export class Activation extends Layer {
  static override className = "Activation";
  readonly activation: activations.Activation;

  constructor(args: ActivationArgs) {
    super(args);
    this.activation = activations.get(args.activation);
    this.supportsMasking = true;
  }

  call(x: Tensor): Tensor {
    return this.activation(x);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}
