// Keras: keras/src/layers/pooling/global_average_pooling1d.py (a BaseGlobalPooling of rank 1 that
// supports masking: masked steps are left out of the mean, and no mask is passed on).
import { ShapeError } from "../../../core/errors.js";
import { sum } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, LayerInputs } from "../../layer.js";
import { BaseGlobalPooling, type GlobalPoolingArgs } from "./_convPooling.js";
import { requireInputRank } from "../base/_convUtils.js";
import { fmtShape, where } from "../base/_util.js";

/**
 * Options of GlobalAveragePooling1D (Keras's arguments, camelCase).
 *
 * @example new layers.GlobalAveragePooling1D({ keepdims: true })
 */
export type GlobalAveragePooling1DArgs = GlobalPoolingArgs;

/**
 * Mean over the steps of `[batch, steps, channels]` (or channels first): output
 * `[batch, channels]`, or `[batch, 1, channels]` with `keepdims`. With a mask `[batch, steps]`
 * (e.g. from Embedding's `maskZero` or Masking), the mean is over the unmasked steps only.
 *
 * @example
 * new layers.GlobalAveragePooling1D().call(array([[[1], [2], [6]]])); // [[3]]
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override className = "GlobalAveragePooling1D";

  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(1, "average", args);
    this.supportsMasking = true;
  }

  override call(x: Tensor, kwargs: CallArgs = {}): Tensor {
    const mask = kwargs.mask;
    if (mask === null || mask === undefined) return super.call(x);
    if (Array.isArray(mask))
      throw new ShapeError(`${where(this)}: expected one mask tensor, got a list of ${mask.length}`);
    requireInputRank(this, x.shape, 1, this.dataFormat);
    const stepsAxis = this.dataFormat === "channels_first" ? 2 : 1;
    const [n, steps] = [x.shape[0], x.shape[stepsAxis]];
    if (mask.ndim !== 2 || mask.shape[0] !== n || mask.shape[1] !== steps)
      throw new ShapeError(
        `${where(this)}: expected a mask of shape [${n}, ${steps}] for input ${fmtShape(x.shape)}, ` +
          `got ${fmtShape(mask.shape)}`,
      );
    const m = mask
      .astype(x.dtype)
      .reshape(this.dataFormat === "channels_first" ? [n, 1, steps] : [n, steps, 1]);
    const opts = { axis: stepsAxis, keepdims: this.keepdims };
    return sum(x.mul(m), opts).div(sum(m, opts));
  }

  override computeMask(inputs: LayerInputs, mask: CallArgs["mask"]): CallArgs["mask"] {
    void inputs;
    void mask;
    return null;
  }
}
