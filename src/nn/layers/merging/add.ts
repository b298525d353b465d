// Keras: keras/src/layers/merging/add.py (Keras 2: keras/layers/merge.py). Masks only set the output mask.
import type { Tensor } from "../../../prims/tensor.js";
import { Merge } from "./_merge.js";

/**
 * Element-wise sum of a list of inputs (broadcasting as Keras does).
 *
 * @example
 * new layers.Add().call([array([[1, 2]]), array([[10, 20]])]); // [[11, 22]]
 */
export class Add extends Merge {
  static override className = "Add";

  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => acc.add(x), xs[0]);
  }
}
