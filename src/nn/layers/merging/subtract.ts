// Keras: keras/src/layers/merging/subtract.py (Keras 2: keras/layers/merge.py). Masks only set the output mask.
import type { Tensor } from "../../../prims/tensor.js";
import { Merge } from "./_merge.js";

/**
 * `inputs[0] − inputs[1]`; exactly two inputs.
 *
 * @example
 * new layers.Subtract().call([array([[5, 5]]), array([[1, 2]])]); // [[4, 3]]
 */
export class Subtract extends Merge {
  static override className = "Subtract";
  protected override readonly arity = 2;

  protected merge([a, b]: Tensor[]): Tensor {
    return a.sub(b);
  }
}
