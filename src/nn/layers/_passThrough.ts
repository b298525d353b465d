/**
 * Base of the layers that are the identity at inference: Dropout and its spatial variants, the
 * noise layers and Identity. Keras applies them only when `training` is true; gradlens is an
 * inference engine, so `training` is accepted and the input is returned unchanged either way
 * (random training-time noise has no derivative to speak of, and would mix nothing useful into a
 * sensitivity analysis).
 */
import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../layer.js";
import { singleTensor } from "./_util.js";

/**
 * A layer that returns its input unchanged and passes its mask on; subclasses only add options.
 *
 * @example
 * class MyNoise extends PassThrough { static override className = "MyNoise"; }
 * new MyNoise({}).call(array([[1, 2]])); // [[1, 2]]
 */
export abstract class PassThrough extends Layer {
  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }

  call(x: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    return singleTensor(this, x);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }
}

/** Checks a dropout rate in [0, 1] (Keras raises for anything else). */
export function checkRate(className: string, rate: number, name = "rate"): number {
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
    throw new ValueError(`${className}: ${name} must be a number in [0, 1], got ${rate}`);
  return rate;
}
