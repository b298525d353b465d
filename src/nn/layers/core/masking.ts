// Keras: keras/src/layers/core/masking.py (Keras 2: keras/layers/core.py, same semantics).
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInputs, type ShapeTree } from "../../layer.js";
import { anyAlong, singleTensor } from "../base/_util.js";

/**
 * Options of Masking (Keras's arguments, camelCase).
 *
 * @example new layers.Masking({ maskValue: -1 })
 */
export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked (Keras default 0). */
  maskValue?: number;
}

/**
 * Masks timesteps whose features all equal `maskValue`: the output mask is
 * `any(x != maskValue, axis=-1)` and masked steps are set to zero, as in Keras. The mask is
 * passed to the following layers (in a Sequential or functional model).
 *
 * @example
 * new layers.Masking({ maskValue: 0 }).call(array([[[1, 2], [0, 0]]])); // [[[1, 2], [0, 0]]], mask [[true, false]]
 */
export class Masking extends Layer {
  static override className = "Masking";
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    this.maskValue = args.maskValue ?? 0;
    this.supportsMasking = true;
  }

  private keep(x: Tensor, keepdims: boolean): Tensor {
    return anyAlong(x.notEqual(this.maskValue), -1, keepdims);
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    return x.mul(this.keep(x, true).astype(x.dtype));
  }

  override computeMask(inputs: LayerInputs, mask?: CallArgs["mask"]): Tensor | null {
    void mask;
    return this.keep(singleTensor(this, inputs), false);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
