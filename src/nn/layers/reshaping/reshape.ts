// Keras: keras/src/layers/reshaping/reshape.py (Keras 2: keras/layers/core.py, same semantics).
import { ShapeError, ValueError } from "../../../core/errors.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { at, fmtShape, prodOrNull, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of Reshape (Keras's arguments, camelCase).
 *
 * @example new layers.Reshape({ targetShape: [3, -1] })
 */
export interface ReshapeArgs extends LayerArgs {
  /** Per-sample target shape (without the batch dim); one entry may be -1 (inferred). */
  targetShape: number[];
}

/**
 * Reshapes each sample to `targetShape`; the batch dim is kept.
 *
 * @example
 * new layers.Reshape({ targetShape: [-1, 2] }).call(zeros([5, 6])).shape; // [5, 3, 2]
 */
export class Reshape extends Layer {
  static override className = "Reshape";
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d < 0 && d !== -1)))
      throw new ValueError(
        at(
          this,
          `targetShape must be a list of non-negative integers (one may be -1), got ${JSON.stringify(t)}`,
        ),
      );
    if (t.filter((d) => d === -1).length > 1)
      throw new ValueError(at(this, `targetShape may contain at most one -1, got ${fmtShape(t)}`));
    this.targetShape = t.slice();
  }

  /** The target shape with -1 resolved for `size` elements per sample (null if size unknown). */
  private resolve(size: number | null, inputShape: SymbolicShape): SymbolicShape {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.includes(-1);
    const bad = () =>
      new ShapeError(
        at(
          this,
          `cannot reshape input of shape ${fmtShape(inputShape)} (${size} values per sample) to ${fmtShape(this.targetShape)}`,
        ),
      );
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (!unknown) {
      if (known !== size) throw bad();
      return this.targetShape.slice();
    }
    if (known === 0 || size % known !== 0) throw bad();
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(inputs: Tensor): Tensor {
    const x = singleTensor(this, inputs);
    const s = x.shape;
    const out = this.resolve(prodOrNull(s.slice(1)), s) as number[];
    return x.reshape([s[0], ...out]);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = singleShape(this, inputShape);
    return [s[0] ?? null, ...this.resolve(prodOrNull(s.slice(1)), s)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}
