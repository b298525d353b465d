// Keras: keras/src/layers/merging/minimum.py with base_merge.py `_apply_merge_op_and_or_mask` (Keras 3;
// Keras 2 ignored masks here).
import type { Tensor } from "../../../prims/tensor.js";
import { Merge, mergeWithMasks } from "./_merge.js";

/**
 * Element-wise minimum of a list of inputs. With Keras masks (Keras 3), a masked entry of one input
 * takes the other's value, so it never wins; derivatives follow the winning input (ties split).
 *
 * @example
 * new layers.Minimum().call([array([[1, 2]]), array([[3, -4]])]); // [[1, -4]]
 */
export class Minimum extends Merge {
  static override className = "Minimum";

  protected merge(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeWithMasks((a, b) => a.minimum(b), xs, masks);
  }
}
