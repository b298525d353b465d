// Keras: keras/src/layers/preprocessing/rescaling.py (tf.keras 2.x: layers/preprocessing/image_preprocessing.py).
import { array, type TensorLike } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import { singleTensor } from "../base/_util.js";

/** A number, or per-channel numbers (broadcast against the last axis, NumPy style). */
type Scalars = number | number[];

/**
 * Options of Rescaling (Keras's arguments, camelCase).
 *
 * @example new layers.Rescaling({ scale: 1 / 255, offset: -0.5 })
 */
export interface RescalingArgs extends LayerArgs {
  /** Multiplier, e.g. 1/255. */
  scale: Scalars;
  /** Added after scaling (default 0). */
  offset?: Scalars;
}

/**
 * `x · scale + offset` (e.g. pixels from [0, 255] to [0, 1] with `scale: 1/255`).
 *
 * @example
 * new layers.Rescaling({ scale: 1 / 127.5, offset: -1 }).call(array([[0, 255]])); // [[-1, 1]]
 */
export class Rescaling extends Layer {
  static override className = "Rescaling";
  readonly scale: Scalars;
  readonly offset: Scalars;

  constructor(args: RescalingArgs) {
    super(args);
    this.scale = Array.isArray(args.scale) ? args.scale.slice() : args.scale;
    this.offset = Array.isArray(args.offset) ? args.offset.slice() : (args.offset ?? 0);
    this.supportsMasking = true;
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x0 = singleTensor(this, inputs);
    // Keras casts the input to the layer's dtype first (integer pixels become floats).
    const x = x0.dtype === "float32" || x0.dtype === "float64" ? x0 : x0.astype(this.dtype);
    const c = (v: Scalars) => (typeof v === "number" ? v : array(v as TensorLike, { dtype: x.dtype }));
    return x.mul(c(this.scale)).add(c(this.offset));
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    const copy = (v: Scalars) => (Array.isArray(v) ? v.slice() : v);
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}
