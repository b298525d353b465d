// Keras: keras/src/layers/merging/multiply.py (Keras 3 mask handling; Keras 2 ignored masks here).
import { logicalOr, where } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { expandMask, Merge } from "./_merge.js";

/**
 * Element-wise product of a list of inputs. With Keras masks (Keras 3): masked entries of an input
 * count as 1, and when every input is masked the output is 0 outside the union of the masks.
 *
 * @example
 * new layers.Multiply().call([array([[1, 2]]), array([[3, 4]])]); // [[3, 8]]
 */
export class Multiply extends Merge {
  static override className = "Multiply";

  protected merge(xs: Tensor[], masks: (Tensor | null)[]): Tensor {
    const all = masks.every((m) => m !== null);
    let out: Tensor | null = null;
    let outMask: Tensor | null = null;
    xs.forEach((x0, i) => {
      let x = x0;
      const m = masks[i];
      if (m !== null) {
        const mb = expandMask(m, x);
        x = where(mb, x, 1);
        if (all) outMask = outMask === null ? mb : logicalOr(outMask, mb);
      }
      out = out === null ? x : out.mul(x);
    });
    return outMask === null ? out! : where(outMask, out!, 0);
  }
}
