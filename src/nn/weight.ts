import type { Tensor } from "../prims/tensor.js";

/**
 * A layer variable (Keras's `Variable`): a named tensor owned by a layer. Tensors are immutable,
 * so `setWeights` swaps `value`; layers read `weight.value` at call time.
 *
 * @example
 * const dense = new layers.Dense({ units: 2 });
 * dense.call(ones([1, 3])); // builds the weights
 * const [kernel, bias] = dense.weights;
 * kernel.path; kernel.shape; bias.value; // e.g. "dense/kernel", [3, 2], zeros([2])
 */
export class Weight {
  constructor(
    /** Keras's short name, e.g. `kernel`, `bias`, `moving_mean`. */
    readonly name: string,
    public value: Tensor,
    readonly trainable: boolean,
    /** The owning layer's name, for messages and file paths (`dense/kernel`). */
    readonly layerName: string,
  ) {}

  get shape(): number[] {
    return this.value.shape;
  }

  /** `layer/name`, the path Keras 2 files use (without the `:0`). */
  get path(): string {
    return `${this.layerName}/${this.name}`;
  }
}
