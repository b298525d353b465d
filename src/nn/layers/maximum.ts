// Keras: keras/src/layers/merging/maximum.py with base_merge.py `_apply_merge_op_and_or_mask` (Keras 3;
// Keras 2 ignored masks here).
import { logicalOr, where } from "../../ops/index.js";
import type { Tensor } from "../../prims/tensor.js";
import { expandMask, Merge } from "./_merge.js";

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
    let out = xs[0];
    let outMask = masks[0] === null ? null : expandMask(masks[0], xs[0]);
    for (let i = 1; i < xs.length; i++) {
      let x = xs[i];
      const m = masks[i] === null ? null : expandMask(masks[i]!, x);
      if (m !== null) x = where(m, x, out);
      if (outMask !== null) out = where(outMask, out, x);
      outMask = m !== null && outMask !== null ? logicalOr(outMask, m) : null;
      out = out.maximum(x);
    }
    return out;
  }
}
