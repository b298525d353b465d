// Keras: keras/src/layers/normalization/batch_normalization.py (inference branch). Keras 2
// (keras/layers/normalization.py, tf.keras normalization/batch_normalization.py) computes the same at
// inference and creates the weights in the same order; tf.keras serialises `axis` as a list ([3]),
// and a multi-axis list gives weights of the input's rank with 1 in the other dims, as here.
import { ShapeError, ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as initializers from "../../initializers.js";
import type { CallArgs, ShapeTree } from "../../layer.js";
import type { Weight } from "../../weight.js";
import type { InitializerLike } from "../base/_options.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./_affineNormalization.js";
import { at, axisOption, fmtShape, normAxes, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of BatchNormalization (Keras's arguments, camelCase; `epsilon` is added to the moving
 * variance).
 *
 * @example new layers.BatchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-5 })
 */
export interface BatchNormalizationArgs extends AffineNormalizationArgs {
  /** The feature axis (or axes, tf.keras) to normalise per entry; -1 by default, 1 for channels_first. */
  axis?: number | number[];
  /** Used in training only; kept in the config. */
  momentum?: number;
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
export class BatchNormalization extends AffineNormalization {
  static override className = "BatchNormalization";
  readonly axis: number | number[];
  readonly momentum: number;
  readonly movingMeanInitializer: initializers.Initializer;
  readonly movingVarianceInitializer: initializers.Initializer;
  movingMean!: Weight;
  movingVariance!: Weight;
  /** Axes (non-negative) and rank the layer was built for. */
  private axes: number[] = [];
  private rank = 0;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = axisOption(args.axis);
    this.momentum = args.momentum ?? 0.99;
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer, "zeros");
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer, "ones");
    if (args.virtualBatchSize !== undefined && args.virtualBatchSize !== null)
      throw new ValueError(
        at(this, "virtualBatchSize (tf.keras ghost batch normalization) is not supported"),
      );
    this.extras.synchronized = args.synchronized ?? false;
    for (const k of ["renorm", "renormClipping", "renormMomentum", "fused", "adjustment"] as const)
      if (args[k] !== undefined) this.extras[k] = args[k];
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    this.rank = s.length;
    this.axes = [...new Set(normAxes(this, this.axis, s.length))].sort((a, b) => a - b);
    for (const a of this.axes)
      if (s[a] === null)
        throw new ShapeError(at(this, `axis ${a} of the input must be known, got shape ${fmtShape(s)}`));
    const shape =
      this.axes.length === 1
        ? [s[this.axes[0]] as number]
        : s.map((d, i) => (this.axes.includes(i) ? (d as number) : 1));
    this.addAffineWeights(shape);
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
    const broadcast = (p: Tensor) => this.broadcast(p, x);
    return this.affine(x, broadcast(this.movingMean.value), broadcast(this.movingVariance.value), broadcast);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: axisOption(this.axis),
      momentum: this.momentum,
      ...this.affineConfig(),
      ...this.initializerConfig(),
      movingMeanInitializer: initializers.serialize(this.movingMeanInitializer),
      movingVarianceInitializer: initializers.serialize(this.movingVarianceInitializer),
      ...this.extras,
    };
  }
}
