/**
 * Base of the element-wise activation layers (ELU, LeakyReLU, PReLU, ReLU, ThresholdedReLU): the output
 * has the input's shape, and masks pass through (Keras sets `supports_masking` on each).
 */
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import { singleTensor } from "../base/_util.js";

/**
 * An activation applied entry by entry; integer inputs are cast to the layer's dtype first.
 *
 * @example
 * class Square extends ElementwiseActivation {
 *   static override className = "Square";
 *   protected activate(x: Tensor) { return x.square(); }
 * }
 */
export abstract class ElementwiseActivation extends Layer {
  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }

  /** The activation applied to each entry. */
  protected abstract activate(x: Tensor): Tensor;

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    return this.activate(x.dtype === "float32" || x.dtype === "float64" ? x : x.astype(this.dtype));
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }
}
