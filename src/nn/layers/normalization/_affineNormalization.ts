/**
 * What BatchNormalization, LayerNormalization and GroupNormalization share (Keras:
 * keras/src/layers/normalization/*.py): the options epsilon, center and scale, the weights
 * `gamma` (with scale) and `beta` (with center) created in that order, and the affine step of
 * Keras's ops.batch_normalization that turns a mean and variance into the output.
 */
import type { Tensor } from "../../../prims/tensor.js";
import * as initializers from "../../initializers.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { Weight } from "../../weight.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "../base/_options.js";

/**
 * Options of the normalization layers with a learned scale and offset.
 *
 * @example new layers.LayerNormalization({ epsilon: 1e-6, center: false })
 */
export interface AffineNormalizationArgs extends LayerArgs, TrainingOnlyArgs<"beta" | "gamma"> {
  /** Added to the variance (Keras default 1e-3). */
  epsilon?: number;
  /** Whether `beta` exists and is added. */
  center?: boolean;
  /** Whether `gamma` exists and multiplies. */
  scale?: boolean;
  betaInitializer?: InitializerLike;
  gammaInitializer?: InitializerLike;
}

/**
 * A normalization with an optional learned scale `gamma` and offset `beta`; subclasses choose the
 * mean and variance (batch statistics, per sample, per group) and the weights' shape.
 *
 * @example
 * // see BatchNormalization, LayerNormalization, GroupNormalization
 */
export abstract class AffineNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  /** The regularizer and constraint options, kept for the config. */
  protected readonly extras: Record<string, unknown>;
  gamma: Weight | null = null;
  beta: Weight | null = null;

  constructor(args: AffineNormalizationArgs) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer, "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer, "ones");
    this.extras = trainingOnlyOptions(args, ["beta", "gamma"]);
    this.supportsMasking = true;
  }

  /** Creates `gamma` (if `scale`) then `beta` (if `center`) of `shape`, Keras's order. */
  protected addAffineWeights(shape: number[], scale = this.scale, center = this.center): void {
    if (scale) this.gamma = this.addWeight("gamma", shape, this.gammaInitializer);
    if (center) this.beta = this.addWeight("beta", shape, this.betaInitializer);
  }

  /**
   * `x·inv + (beta − mean·inv)` with `inv = gamma / sqrt(variance + epsilon)`, as Keras's
   * ops.batch_normalization computes it; `param` shapes gamma and beta to broadcast against x.
   */
  protected affine(x: Tensor, mean: Tensor, variance: Tensor, param: (p: Tensor) => Tensor): Tensor {
    let inv = variance.add(this.epsilon).rsqrt();
    if (this.gamma !== null) inv = inv.mul(param(this.gamma.value));
    let res = mean.mul(inv).neg();
    if (this.beta !== null) res = res.add(param(this.beta.value));
    return x.mul(inv).add(res);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  /** epsilon, center and scale, as they go into the config. */
  protected affineConfig(): Record<string, unknown> {
    return { epsilon: this.epsilon, center: this.center, scale: this.scale };
  }

  /** The beta and gamma initializers, as they go into the config. */
  protected initializerConfig(): Record<string, unknown> {
    return {
      betaInitializer: initializers.serialize(this.betaInitializer),
      gammaInitializer: initializers.serialize(this.gammaInitializer),
    };
  }
}
