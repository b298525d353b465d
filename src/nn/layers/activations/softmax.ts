// Keras: keras/src/layers/activations/softmax.py (current Keras 3): masked entries are set to −1e9
// before the softmax and to 0 after it (so a fully masked row gives zeros). Keras 2 (tf.keras
// layers/advanced_activations.py) *added* (1 − mask)·(−1e9) and did not zero the output.
import { ShapeError } from "../../../core/errors.js";
import { exp, logsumexp, softmax, where as select } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import { at, axisOption, fmtShape, normAxes, singleMask, singleTensor } from "../base/_util.js";

/**
 * Options of Softmax (Keras's arguments, camelCase).
 *
 * @example new layers.Softmax({ axis: [1, 2] })
 */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | number[];
}

/**
 * Softmax along `axis`. With a mask (the `mask` call argument, or a Keras mask from an earlier
 * layer; it must broadcast against the input), masked entries get probability 0.
 *
 * @example
 * new layers.Softmax().call(array([[1, 2, 1]])); // [[0.2119…, 0.5761…, 0.2119…]]
 */
export class Softmax extends Layer {
  static override className = "Softmax";
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    this.axis = axisOption(args.axis);
    this.supportsMasking = true;
  }

  call(inputs: Tensor, kwargs: CallArgs = {}): Tensor {
    let x = singleTensor(this, inputs);
    if (x.dtype !== "float32" && x.dtype !== "float64") x = x.astype(this.dtype);
    const axes = normAxes(this, this.axis, x.ndim);
    let mask = singleMask(kwargs.mask);
    if (mask !== null) {
      const ms = mask.shape;
      const fits =
        ms.length <= x.ndim && ms.every((d, i) => d === 1 || d === x.shape[x.ndim - ms.length + i]);
      if (!fits)
        throw new ShapeError(
          at(this, `mask of shape ${fmtShape(ms)} does not broadcast to the input ${fmtShape(x.shape)}`),
        );
      // Keras keeps entries where the mask is true (or > 0.5 for numeric masks).
      mask = mask.dtype === "bool" ? mask : mask.greater(0.5);
      x = select(mask, x, -1e9);
    }
    const y =
      axes.length === 1 ? softmax(x, axes[0]) : exp(x.sub(logsumexp(x, { axis: axes, keepdims: true })));
    return mask === null ? y : select(mask, y, 0);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: axisOption(this.axis) };
  }
}
