// Keras: keras/src/layers/merging/dot.py (`batch_dot`). With `normalize`, Keras 3 L2-normalises with
// `x · min(1/‖x‖, 1/ε)`, ε = 1e-7 (ops.normalize); Keras 2 used `x / sqrt(max(‖x‖², 1e-12))`. The
// two differ only for vectors of norm below 1e-6.
import { ShapeError, ValueError } from "../../../core/errors.js";
import { einsum } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, LayerArgs, LayerInputs, ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import { l2Normalize } from "../base/_l2.js";
import { Merge } from "./_merge.js";
import { at, fmtShape, normAxis, shapeList, tensorList } from "../base/_util.js";

/**
 * Options of Dot (Keras's arguments, camelCase).
 *
 * @example new layers.Dot({ axes: [2, 2], normalize: true })
 */
export interface DotArgs extends LayerArgs {
  /** Axis (the same for both inputs) or `[axisOfFirst, axisOfSecond]`; never the batch axis 0. */
  axes: number | [number, number];
  /** L2-normalise both inputs along their axes first (the result is then a cosine similarity). */
  normalize?: boolean;
}

/**
 * Per-sample dot product of two inputs along the given axes (Keras's `batch_dot`): the output is
 * `[N, …first's other dims, …second's other dims]`, and `[N, 1]` when nothing else is left.
 *
 * @example
 * new layers.Dot({ axes: 1 }).call([array([[1, 2]]), array([[3, 4]])]); // [[11]]
 */
export class Dot extends Merge {
  static override className = "Dot";
  protected override readonly arity = 2;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    const a = args.axes;
    if (!(Number.isInteger(a) || (Array.isArray(a) && a.length === 2 && a.every(Number.isInteger))))
      throw new ValueError(
        at(this, `axes must be an integer or a pair of integers, got ${JSON.stringify(a)}`),
      );
    this.axes = Array.isArray(a) ? [a[0], a[1]] : (a as number);
    this.normalize = args.normalize ?? false;
  }

  /** The two contraction axes for inputs of the given shapes (checked). */
  private resolve(s1: readonly (number | null)[], s2: readonly (number | null)[]): [number, number] {
    const [a, b] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const a0 = normAxis(this, a, s1.length, "axes[0]");
    const a1 = normAxis(this, b, s2.length, "axes[1]");
    if (s1.length < 2 || s2.length < 2)
      throw new ShapeError(at(this, `needs inputs of rank ≥ 2, got ${fmtShape(s1)} and ${fmtShape(s2)}`));
    if (a0 === 0 || a1 === 0)
      throw new ValueError(at(this, "cannot take the dot product over the batch axis 0"));
    if (s1[a0] !== null && s2[a1] !== null && s1[a0] !== s2[a1])
      throw new ShapeError(
        at(
          this,
          `incompatible shapes ${fmtShape(s1)} and ${fmtShape(s2)}: axis ${a0} has ${s1[a0]}, axis ${a1} has ${s2[a1]}`,
        ),
      );
    return [a0, a1];
  }

  protected merge([x0, y0]: Tensor[]): Tensor {
    const [a0, a1] = this.resolve(x0.shape, y0.shape);
    const x = this.normalize ? l2Normalize(x0, [a0], 1e-7) : x0;
    const y = this.normalize ? l2Normalize(y0, [a1], 1e-7) : y0;
    // batch_dot as one einsum: shared batch letter, shared contraction letter, the rest free.
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const xs = [...letters.slice(2, 2 + x.ndim)];
    const ys = [...letters.slice(2 + x.ndim, 2 + x.ndim + y.ndim)];
    xs[0] = ys[0] = "a";
    xs[a0] = ys[a1] = "b";
    const out = [
      "a",
      ...xs.filter((c, i) => i !== 0 && i !== a0),
      ...ys.filter((c, i) => i !== 0 && i !== a1),
    ];
    const r = einsum(`${xs.join("")},${ys.join("")}->${out.join("")}`, x, y);
    return r.ndim === 1 ? r.reshape([r.shape[0], 1]) : r;
  }

  override call(inputs: LayerInputs, kwargs: CallArgs = {}): Tensor {
    void kwargs;
    const xs = tensorList(this, inputs, "should be called on a list of 2 inputs");
    if (xs.length !== 2)
      throw new ValueError(at(this, `should be called on exactly 2 inputs, got ${xs.length}`));
    return this.merge(xs);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const shapes = shapeList(this, inputShape, "should be called on a list of 2 inputs");
    if (shapes.length !== 2)
      throw new ValueError(at(this, `should be called on exactly 2 inputs, got ${shapes.length}`));
    const [s1, s2] = shapes;
    const [a0, a1] = this.resolve(s1, s2);
    const out: SymbolicShape = [
      s1[0] ?? s2[0],
      ...s1.filter((_, i) => i !== 0 && i !== a0),
      ...s2.filter((_, i) => i !== 0 && i !== a1),
    ];
    return out.length === 1 ? [out[0], 1] : out;
  }

  /** Keras's Dot drops masks. */
  override computeMask(inputs?: LayerInputs, mask?: CallArgs["mask"]): null {
    void inputs;
    void mask;
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axes: Array.isArray(this.axes) ? this.axes.slice() : this.axes,
      normalize: this.normalize,
    };
  }
}
