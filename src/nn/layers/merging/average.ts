// Keras: keras/src/layers/merging/average.py (Keras 2: keras/layers/merge.py). Masks only set the output mask.
import type { Tensor } from "../../../prims/tensor.js";
import { Merge } from "./_merge.js";

/**
 * Element-wise mean of a list of inputs.
 *
 * @example
 * new layers.Average().call([array([[1, 2]]), array([[3, 6]])]); // [[2, 4]]
 */
export class Average extends Merge {
  static override className = "Average";

  protected merge(xs: Tensor[]): Tensor {
    return xs
      .slice(1)
      .reduce((acc, x) => acc.add(x), xs[0])
      .div(xs.length);
  }
}
