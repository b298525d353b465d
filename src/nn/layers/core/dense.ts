import { ShapeError } from "../../../core/errors.js";
import { matmul } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as activations from "../../activations.js";
import * as initializers from "../../initializers.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import type { Weight } from "../../weight.js";
import {
  trainingOnlyOptions,
  type ActivationLike,
  type InitializerLike,
  type TrainingOnlyArgs,
} from "../base/_options.js";
import { fmtShape, positiveInt, where } from "../base/_util.js";

/**
 * Options of Dense (Keras's arguments, camelCase).
 *
 * @example new layers.Dense({ units: 4, activation: "relu", useBias: false })
 */
export interface DenseArgs extends LayerArgs, TrainingOnlyArgs<"kernel" | "bias"> {
  /** Size of the output's last dim. */
  units: number;
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  /** Accepted for Keras compatibility and kept in the config; it acts only in training. */
  activityRegularizer?: unknown;
}

/**
 * `activation(x · kernel + bias)` over the last axis (Keras: keras/src/layers/core/dense.py).
 * Inputs of any rank ≥ 1 are accepted; the kernel is `[inputDim, units]`.
 *
 * @example
 * new layers.Dense({ units: 1, name: "output", useBias: true,
 *   kernelInitializer: initializers.constant(0.1), biasInitializer: initializers.constant(0) });
 */
export class Dense extends Layer {
  static override className = "Dense";
  readonly units: number;
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  private readonly extras: Record<string, unknown>;
  kernel!: Weight;
  bias: Weight | null = null;

  constructor(args: DenseArgs) {
    super(args);
    this.units = positiveInt(where(this), "units", args.units);
    // Keras's Dense passes an incoming mask through unchanged.
    this.supportsMasking = true;
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer, "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer, "zeros");
    this.extras = trainingOnlyOptions(args, ["kernel", "bias"], true);
  }

  override build(inputShape: ShapeTree): void {
    const shape = inputShape as SymbolicShape;
    const inDim = shape[shape.length - 1];
    if (inDim === null || inDim === undefined)
      throw new ShapeError(
        `${where(this)}: the last dimension of the input must be known, got ${fmtShape(shape)}`,
      );
    this.kernel = this.addWeight("kernel", [inDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor): Tensor {
    const inDim = this.kernel.shape[0];
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== inDim)
      throw new ShapeError(
        `${where(this)}: expected input with last dimension ${inDim}, got ${fmtShape(x.shape)}`,
      );
    let y = matmul(x, this.kernel.value);
    if (this.bias !== null) y = y.add(this.bias.value);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    return [...s.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      ...this.extras,
    };
  }
}
