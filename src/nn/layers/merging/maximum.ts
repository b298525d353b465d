// Keras: keras/src/layers/merging/maximum.py with base_merge.py `_apply_merge_op_and_or_mask` (Keras 3;
// Keras 2 ignored masks here).
import type { Tensor } from "../../../prims/tensor.js";
import { Merge, mergeWithMasks } from "./_merge.js";

/**
 * Element-wise maximum of a list of inputs. With Keras masks (Keras 3), a masked entry of one input
 * takes the other's value, so it never wins; derivatives follow the winning input (ties split).
 *
 * @example
 * new layers.Maximum().call([array([[1, 2]]), array([[3, -4]])]); // [[3, 2]]
 */
export class Maximum extends Merge {
  static override className = "Maximum";

  protected merge(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeWithMasks((a, b) => a.maximum(b), xs, masks);
  }
}
