// Keras: keras/src/layers/activations/prelu.py (Keras 2: keras/layers/advanced_activations.py, same
// weight and formula).
import { ShapeError } from "../../../core/errors.js";
import { relu } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import * as initializers from "../../initializers.js";
import { type LayerArgs, type ShapeTree } from "../../layer.js";
import type { Weight } from "../../weight.js";
import { trainingOnlyOptions, type InitializerLike, type TrainingOnlyArgs } from "../base/_options.js";
import { ElementwiseActivation } from "./_activationLayer.js";
import { at, fmtShape, singleShape } from "../base/_util.js";

/**
 * Options of PReLU (Keras's arguments, camelCase).
 *
 * @example new layers.PReLU({ sharedAxes: [1, 2] })
 */
export interface PReLUArgs extends LayerArgs, TrainingOnlyArgs<"alpha"> {
  /** Initial slopes (Keras default zeros). */
  alphaInitializer?: InitializerLike;
  /** Axes (1-based, counting the batch dim as 0) that share one slope, e.g. [1, 2] for images. */
  sharedAxes?: number | number[] | null;
}

/**
 * Parametric ReLU: `x` for x ≥ 0, `alpha · x` otherwise, with a learned `alpha` per entry of a
 * sample (shape = input shape without the batch dim, size 1 along `sharedAxes`).
 *
 * @example
 * const p = new layers.PReLU({ alphaInitializer: initializers.constant(0.25) });
 * p.call(array([[-4, 4]])); // [[-1, 4]]
 */
export class PReLU extends ElementwiseActivation {
  static override className = "PReLU";
  readonly alphaInitializer: initializers.Initializer;
  readonly sharedAxes: number[] | null;
  private readonly extras: Record<string, unknown>;
  alpha!: Weight;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = initializers.get(args.alphaInitializer, "zeros");
    const s = args.sharedAxes ?? null;
    this.sharedAxes = s === null ? null : typeof s === "number" ? [s] : s.slice();
    this.extras = trainingOnlyOptions(args, ["alpha"]);
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    const shape = s.slice(1);
    for (const a of this.sharedAxes ?? []) {
      if (!Number.isInteger(a) || a < 1 || a >= s.length)
        throw new ShapeError(at(this, `shared axis ${a} is out of range for input shape ${fmtShape(s)}`));
      shape[a - 1] = 1;
    }
    if (shape.some((d) => d === null))
      throw new ShapeError(at(this, `needs known non-shared dims, got input shape ${fmtShape(s)}`));
    this.alpha = this.addWeight("alpha", shape as number[], this.alphaInitializer);
    this.built = true;
  }

  protected activate(x: Tensor): Tensor {
    const a = this.alpha.shape;
    const s = x.shape.slice(1);
    if (s.length !== a.length || a.some((d, i) => d !== 1 && d !== s[i]))
      throw new ShapeError(at(this, `alpha of shape ${fmtShape(a)} does not fit input ${fmtShape(x.shape)}`));
    return relu(x).sub(this.alpha.value.mul(relu(x.neg())));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: initializers.serialize(this.alphaInitializer),
      ...this.extras,
      sharedAxes: this.sharedAxes === null ? null : this.sharedAxes.slice(),
    };
  }
}
