// Keras: keras/src/layers/normalization/unit_normalization.py, Keras ≥ 3.1:
// `ops.normalize(x, axis, order=2, epsilon=1e-12)` = x · min(1/‖x‖, 1e12). Keras 3.0 used
// x · rsqrt(max(‖x‖², 1e-12)); the two differ only for ‖x‖ < 1e-6. tf.keras 2.x: same as Keras 3.0.
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import { l2Normalize } from "../base/_l2.js";
import { axisOption, normAxes, singleTensor } from "../base/_util.js";

/**
 * Options of UnitNormalization (Keras's arguments, camelCase).
 *
 * @example new layers.UnitNormalization({ axis: [1, 2] })
 */
export interface UnitNormalizationArgs extends LayerArgs {
  /** Axis or axes over which each sample gets unit L2 norm (default -1). */
  axis?: number | number[];
}

/**
 * Scales each sample to unit L2 norm over `axis`.
 *
 * @example
 * new layers.UnitNormalization().call(array([[3, 4]])); // [[0.6, 0.8]]
 */
export class UnitNormalization extends Layer {
  static override className = "UnitNormalization";
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    this.axis = axisOption(args.axis);
    this.supportsMasking = true;
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    const axes = normAxes(this, this.axis, x.ndim);
    return l2Normalize(x, axes, 1e-12);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: axisOption(this.axis) };
  }
}
