// Keras: keras/src/layers/normalization/batch_normalization.py (inference branch). Keras 2
// (keras/layers/normalization.py, tf.keras normalization/batch_normalization.py) computes the same at
// inference and creates the weights in the same order; tf.keras serialises `axis` as a list ([3]),
// and a multi-axis list gives weights of the input's rank with 1 in the other dims, as here.
import { ShapeError, ValueError } from "../../core/errors.js";
import type { Tensor } from "../../prims/tensor.js";
import * as initializers from "../initializers.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../layer.js";
import type { Weight } from "../weight.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "./_options.js";
import { at, fmtShape, normAxis, singleShape, singleTensor } from "./_util.js";

export interface BatchNormalizationArgs extends LayerArgs, TrainingOnlyArgs<"beta" | "gamma"> {
  /** The feature axis (or axes, tf.keras) to normalise per entry; -1 by default, 1 for channels_first. */
  axis?: number | number[];
  /** Used in training only; kept in the config. */
  momentum?: number;
  /** Added to the moving variance (Keras default 1e-3). */
  epsilon?: number;
  /** Whether `beta` exists and is added. */
  center?: boolean;
  /** Whether `gamma` exists and multiplies. */
  scale?: boolean;
  betaInitializer?: InitializerLike;
  gammaInitializer?: InitializerLike;
  movingMeanInitializer?: InitializerLike;
  movingVarianceInitializer?: InitializerLike;
  /** Keras 3, TensorFlow only: synchronised batch statistics in training. */
  synchronized?: boolean;
  /** tf.keras options that act in training only (kept in the config). */
  renorm?: boolean;
  renormClipping?: unknown;
  renormMomentum?: number;
  fused?: boolean | null;
  adjustment?: unknown;
  /** tf.keras ghost batch norm; not supported (it changes the weight shapes). */
  virtualBatchSize?: number | null;
}

/**
 * Batch normalisation at inference:
 * `(x − moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta` along `axis`.
 * `center` / `scale` decide whether `beta` / `gamma` exist. Weights, in Keras's order: `gamma`,
 * `beta` (trainable), `moving_mean`, `moving_variance` (non-trainable). `training` is accepted but
 * the moving statistics are always used (batch statistics would mix rows).
 *
 * @example
 * const bn = new layers.BatchNormalization({ axis: 1, epsilon: 1e-5 }); // channels_first
 * bn.call(random.normal([2, 3, 4, 4])).shape; // [2, 3, 4, 4]
 */
export class BatchNormalization extends Layer {
  static override className = "BatchNormalization";
  readonly axis: number | number[];
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  readonly movingMeanInitializer: initializers.Initializer;
  readonly movingVarianceInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  gamma: Weight | null = null;
  beta: Weight | null = null;
  movingMean!: Weight;
  movingVariance!: Weight;
  /** Axes (non-negative) and rank the layer was built for. */
  private axes: number[] = [];
  private rank = 0;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = Array.isArray(args.axis) ? args.axis.slice() : (args.axis ?? -1);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer, "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer, "ones");
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer, "zeros");
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer, "ones");
    if (args.virtualBatchSize !== undefined && args.virtualBatchSize !== null)
      throw new ValueError(
        at(this, "virtualBatchSize (tf.keras ghost batch normalization) is not supported"),
      );
    this.extras = {
      ...trainingOnlyOptions(args, ["beta", "gamma"]),
      synchronized: args.synchronized ?? false,
    };
    for (const k of ["renorm", "renormClipping", "renormMomentum", "fused", "adjustment"] as const)
      if (args[k] !== undefined) this.extras[k] = args[k];
    this.supportsMasking = true;
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    this.rank = s.length;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    this.axes = [...new Set(list.map((a) => normAxis(this, a, s.length)))].sort((a, b) => a - b);
    for (const a of this.axes)
      if (s[a] === null)
        throw new ShapeError(at(this, `axis ${a} of the input must be known, got shape ${fmtShape(s)}`));
    const shape =
      this.axes.length === 1
        ? [s[this.axes[0]] as number]
        : s.map((d, i) => (this.axes.includes(i) ? (d as number) : 1));
    if (this.scale) this.gamma = this.addWeight("gamma", shape, this.gammaInitializer);
    if (this.center) this.beta = this.addWeight("beta", shape, this.betaInitializer);
    this.movingMean = this.addWeight("moving_mean", shape, this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight("moving_variance", shape, this.movingVarianceInitializer, {
      trainable: false,
    });
    this.built = true;
  }

  /** A parameter reshaped to broadcast against the input. */
  private broadcast(p: Tensor, x: Tensor): Tensor {
    return p.reshape(x.shape.map((d, i) => (this.axes.includes(i) ? d : 1)));
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    const want = this.movingMean.shape;
    const got = this.axes.map((a) => x.shape[a]);
    const expected = this.axes.length === 1 ? want : this.axes.map((a) => want[a]);
    if (x.ndim !== this.rank || got.some((d, i) => d !== expected[i]))
      throw new ShapeError(
        at(
          this,
          `expected input of rank ${this.rank} with ${expected.join("×")} features on axis ${this.axes.join(",")}, got ${fmtShape(x.shape)}`,
        ),
      );
    // x·inv + (beta − mean·inv), inv = gamma / sqrt(var + eps) (Keras's ops.batch_normalization).
    let inv = this.broadcast(this.movingVariance.value, x).add(this.epsilon).rsqrt();
    if (this.gamma !== null) inv = inv.mul(this.broadcast(this.gamma.value, x));
    let res = this.broadcast(this.movingMean.value, x).mul(inv).neg();
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
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializers.serialize(this.betaInitializer),
      gammaInitializer: initializers.serialize(this.gammaInitializer),
      movingMeanInitializer: initializers.serialize(this.movingMeanInitializer),
      movingVarianceInitializer: initializers.serialize(this.movingVarianceInitializer),
      ...this.extras,
    };
  }
}
