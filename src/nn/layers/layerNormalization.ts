// Keras: keras/src/layers/normalization/layer_normalization.py and ops/nn.py `layer_normalization`.
// Keras 2 (tf.keras) computes the same and creates gamma then beta; `rms_scaling` is Keras 3 only.
import { ShapeError } from "../../core/errors.js";
import { mean, variance } from "../../ops/index.js";
import type { Tensor } from "../../prims/tensor.js";
import * as initializers from "../initializers.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../layer.js";
import type { Weight } from "../weight.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "./_options.js";
import { at, fmtShape, normAxis, singleShape, singleTensor } from "./_util.js";

export interface LayerNormalizationArgs extends LayerArgs, TrainingOnlyArgs<"beta" | "gamma"> {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | number[];
  /** Added to the variance (Keras default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /**
   * Keras 3: `x · rsqrt(var(x) + epsilon) · gamma`, no centring and no beta (`center` and `scale`
   * are then ignored). Note Keras uses the variance about the mean here, not the mean square.
   */
  rmsScaling?: boolean;
  betaInitializer?: InitializerLike;
  gammaInitializer?: InitializerLike;
}

/**
 * Layer normalisation: each sample is normalised over `axis` by its own mean and variance, then
 * scaled by `gamma` and shifted by `beta` (both shaped like the normalised axes, in the order given).
 *
 * @example
 * const ln = new layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-6 });
 * ln.call(random.normal([2, 3, 4])).shape; // [2, 3, 4]
 */
export class LayerNormalization extends Layer {
  static override className = "LayerNormalization";
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  gamma: Weight | null = null;
  beta: Weight | null = null;
  /** Normalised axes as given (made non-negative), and the input rank, once built. */
  private axes: number[] = [];
  private rank = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = Array.isArray(args.axis) ? args.axis.slice() : (args.axis ?? -1);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.rmsScaling = args.rmsScaling ?? false;
    this.betaInitializer = initializers.get(args.betaInitializer, "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer, "ones");
    this.extras = trainingOnlyOptions(args, ["beta", "gamma"]);
    this.supportsMasking = true;
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    this.rank = s.length;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    this.axes = list.map((a) => normAxis(this, a, s.length));
    const shape = this.axes.map((a) => {
      if (s[a] === null)
        throw new ShapeError(at(this, `axis ${a} of the input must be known, got shape ${fmtShape(s)}`));
      return s[a] as number;
    });
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight("gamma", shape, this.gammaInitializer);
    if (this.center && !this.rmsScaling) this.beta = this.addWeight("beta", shape, this.betaInitializer);
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
    const inv0 = variance(x, { axis: axes, keepdims: true }).add(this.epsilon).rsqrt();
    if (this.rmsScaling) {
      const y = x.mul(inv0);
      return this.gamma === null ? y : y.mul(this.broadcast(this.gamma.value, x));
    }
    // x·inv + (beta − mean·inv), inv = gamma / sqrt(var + eps), as Keras computes it.
    const inv = this.gamma === null ? inv0 : inv0.mul(this.broadcast(this.gamma.value, x));
    let res = mean(x, { axis: axes, keepdims: true }).mul(inv).neg();
    if (this.beta !== null) res = res.add(this.broadcast(this.beta.value, x));
    return x.mul(inv).add(res);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      betaInitializer: initializers.serialize(this.betaInitializer),
      gammaInitializer: initializers.serialize(this.gammaInitializer),
      ...this.extras,
    };
  }
}
