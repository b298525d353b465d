// Keras: keras/src/layers/preprocessing/normalization.py. Weights (adapt state, non-trainable, in
// this order): `mean` and `variance` shaped like the kept axes, and an integer scalar `count` kept
// "for backwards compatibility" — tf.keras 2.x (layers/preprocessing/normalization.py) stores the
// same three (count as int64; here int32). With `mean`/`variance` given to the constructor there
// are no weights. Both Keras versions divide by max(sqrt(variance), 1e-7) (backend.epsilon()).
import { ShapeError, ValueError } from "../../../core/errors.js";
import { array, maximum, type TensorLike } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type CallArgs, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { Weight } from "../../weight.js";
import { at, fmtShape, singleShape, singleTensor } from "../base/_util.js";

/** Nested numbers, as a mean/variance given in a config. */
type NestedNumbers = number | NestedNumbers[];

/**
 * Options of Normalization (Keras's arguments, camelCase).
 *
 * @example new layers.Normalization({ mean: [0, 10], variance: [1, 4] })
 */
export interface NormalizationArgs extends LayerArgs {
  /** Axes with their own mean and variance (default -1); null or [] for one scalar mean and variance. */
  axis?: number | number[] | null;
  /** Mean(s), broadcast to the kept axes (right-aligned); give with `variance`. */
  mean?: NestedNumbers | null;
  /** Variance(s), same shape as `mean`. */
  variance?: NestedNumbers | null;
  /** Apply the inverse: `mean + x · sqrt(variance)`. */
  invert?: boolean;
}

const EPSILON = 1e-7;

const shapeOfNested = (v: NestedNumbers): number[] =>
  Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOfNested(v[0]) : [])] : [];

/**
 * Feature-wise standardisation with stored statistics: `(x − mean) / max(sqrt(variance), 1e-7)`,
 * or the inverse with `invert`. The statistics come from the constructor (`mean`, `variance`) or
 * from weights `mean`, `variance`, `count` set with `setWeights` (Keras's `adapt` state).
 *
 * @example
 * const norm = new layers.Normalization({ mean: [1, 2], variance: [4, 9] });
 * norm.call(array([[3, 8]])); // [[1, 2]]
 */
export class Normalization extends Layer {
  static override className = "Normalization";
  /** Kept axes as given (Keras stores a tuple; an int becomes one axis). */
  readonly axis: number[];
  readonly inputMean: NestedNumbers | null;
  readonly inputVariance: NestedNumbers | null;
  readonly invert: boolean;
  adaptMean: Weight | null = null;
  adaptVariance: Weight | null = null;
  count: Weight | null = null;
  /** Constant statistics broadcast to the input's rank (when given to the constructor). */
  private constMean: Tensor | null = null;
  private constVariance: Tensor | null = null;
  private broadcastShape: number[] = [];

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const a = args.axis === undefined ? -1 : args.axis;
    this.axis = a === null ? [] : typeof a === "number" ? [a] : a.slice();
    this.inputMean = args.mean ?? null;
    this.inputVariance = args.variance ?? null;
    this.invert = args.invert ?? false;
    if ((this.inputMean === null) !== (this.inputVariance === null))
      throw new ValueError(at(this, "when setting values directly, both mean and variance must be given"));
    if (this.inputMean !== null) {
      const ms = shapeOfNested(this.inputMean);
      const vs = shapeOfNested(this.inputVariance!);
      if (fmtShape(ms) !== fmtShape(vs))
        throw new ValueError(
          at(this, `mean ${fmtShape(ms)} and variance ${fmtShape(vs)} must have the same shape`),
        );
      if (ms.length > this.axis.length)
        throw new ValueError(
          at(
            this,
            `the rank of mean (${ms.length}) must not exceed the number of axes (${this.axis.length})`,
          ),
        );
    }
    this.supportsMasking = true;
  }

  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    const ndim = s.length;
    for (const a of this.axis)
      if (!Number.isInteger(a) || a < -ndim || a >= ndim)
        throw new ValueError(at(this, `axis ${a} is out of range for inputs of rank ${ndim}`));
    const keep = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((x, y) => x - y);
    for (const d of keep)
      if (s[d] === null)
        throw new ShapeError(
          at(this, `kept axis ${d} must have a known size, got input shape ${fmtShape(s)}`),
        );
    this.broadcastShape = s.map((d, i) => (keep.includes(i) ? (d as number) : 1));
    const statShape = keep.map((d) => s[d] as number);
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight("mean", statShape, "zeros", { trainable: false });
      this.adaptVariance = this.addWeight("variance", statShape, "ones", { trainable: false });
      this.count = this.addWeight("count", [], "zeros", { trainable: false, dtype: "int32" });
    } else {
      this.constMean = this.broadcastStat(this.inputMean, keep);
      this.constVariance = this.broadcastStat(this.inputVariance!, keep);
    }
    this.built = true;
  }

  /** A given statistic aligned right-to-left with the kept axes, broadcast to the input's rank. */
  private broadcastStat(v: NestedNumbers, keep: number[]): Tensor {
    const t = array(v as TensorLike, { dtype: this.dtype });
    const expanded = this.broadcastShape.map(() => 1);
    t.shape.forEach((d, i) => {
      expanded[keep[keep.length - t.ndim + i]] = d;
    });
    try {
      return t.reshape(expanded).broadcastTo(this.broadcastShape);
    } catch {
      throw new ShapeError(
        at(
          this,
          `mean/variance of shape ${fmtShape(t.shape)} cannot broadcast to the kept axes ${fmtShape(this.broadcastShape)}`,
        ),
      );
    }
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    const b = this.broadcastShape;
    if (x.ndim !== b.length || b.some((d, i) => d !== 1 && d !== x.shape[i]))
      throw new ShapeError(
        at(this, `expected input broadcastable with ${fmtShape(b)}, got ${fmtShape(x.shape)}`),
      );
    const m = this.constMean ?? this.adaptMean!.value.reshape(b);
    const v = this.constVariance ?? this.adaptVariance!.value.reshape(b);
    const sd = maximum(v.sqrt(), EPSILON);
    return this.invert ? m.add(x.mul(sd)) : x.sub(m).div(sd);
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis.slice(),
      invert: this.invert,
      mean: this.inputMean,
      variance: this.inputVariance,
    };
  }
}
