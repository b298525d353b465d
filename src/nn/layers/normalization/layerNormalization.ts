// Keras: keras/src/layers/normalization/layer_normalization.py and ops/nn.py `layer_normalization`.
// Keras 2 (tf.keras) computes the same and creates gamma then beta; `rms_scaling` is Keras 3 only.
import { ShapeError } from "../../../core/errors.js";
import { mean, variance } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, ShapeTree } from "../../layer.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./_affineNormalization.js";
import { at, axisOption, fmtShape, normAxes, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of LayerNormalization (Keras's arguments, camelCase).
 *
 * @example new layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-6, rmsScaling: true })
 */
export interface LayerNormalizationArgs extends AffineNormalizationArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | number[];
  /**
   * Keras 3: `x · rsqrt(var(x) + epsilon) · gamma`, no centring and no beta (`center` and `scale`
   * are then ignored). Note Keras uses the variance about the mean here, not the mean square.
   */
  rmsScaling?: boolean;
}

/**
 * Layer normalisation: each sample is normalised over `axis` by its own mean and variance, then
 * scaled by `gamma` and shifted by `beta` (both shaped like the normalised axes, in the order given).
 *
 * @example
 * const ln = new layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-6 });
 * ln.call(random.normal([2, 3, 4])).shape; // [2, 3, 4]
 */
export class LayerNormalization extends AffineNormalization {
  static override className = "LayerNormalization";
  readonly axis: number | number[];
  readonly rmsScaling: boolean;
  /** Normalised axes as given (made non-negative), and the input rank, once built. */
  private axes: number[] = [];
  private rank = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = axisOption(args.axis);
    this.rmsScaling = args.rmsScaling ?? false;
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    this.rank = s.length;
    this.axes = normAxes(this, this.axis, s.length);
    const shape = this.axes.map((a) => {
      if (s[a] === null)
        throw new ShapeError(at(this, `axis ${a} of the input must be known, got shape ${fmtShape(s)}`));
      return s[a] as number;
    });
    this.addAffineWeights(shape, this.scale || this.rmsScaling, this.center && !this.rmsScaling);
    this.built = true;
  }

  /**
   * A parameter made to broadcast against x. Keras *reshapes* (does not transpose) it to the
   * input's rank with the axes in sorted order, so an unsorted `axis` list reads the weights in
   * the order they are stored; we do the same.
   */
  private broadcast(p: Tensor, x: Tensor): Tensor {
    const last = this.axes.length === 1 && this.axes[0] === x.ndim - 1;
    return last ? p : p.reshape(x.shape.map((d, i) => (this.axes.includes(i) ? d : 1)));
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    const ref = (this.gamma ?? this.beta)?.shape;
    if (x.ndim !== this.rank || (ref !== undefined && this.axes.some((a, i) => x.shape[a] !== ref[i])))
      throw new ShapeError(
        at(
          this,
          `expected input of rank ${this.rank} with [${ref?.join(", ") ?? ""}] on axes ${this.axes.join(",")}, got ${fmtShape(x.shape)}`,
        ),
      );
    const axes = [...this.axes].sort((a, b) => a - b);
    const moments = { axis: axes, keepdims: true };
    const broadcast = (p: Tensor) => this.broadcast(p, x);
    if (this.rmsScaling) {
      const y = x.mul(variance(x, moments).add(this.epsilon).rsqrt());
      return this.gamma === null ? y : y.mul(broadcast(this.gamma.value));
    }
    return this.affine(x, mean(x, moments), variance(x, moments), broadcast);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: axisOption(this.axis),
      ...this.affineConfig(),
      rmsScaling: this.rmsScaling,
      ...this.initializerConfig(),
      ...this.extras,
    };
  }
}
