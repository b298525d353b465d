// Keras: keras/src/layers/normalization/group_normalization.py (Keras 3; tf.keras ≥ 2.11 and
// TensorFlow Addons' GroupNormalization compute the same with the same weights).
import { ShapeError, ValueError } from "../../../core/errors.js";
import { mean, variance } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import type { CallArgs, ShapeTree } from "../../layer.js";
import { AffineNormalization, type AffineNormalizationArgs } from "./_affineNormalization.js";
import { at, fmtShape, normAxis, singleShape, singleTensor } from "../base/_util.js";

/**
 * Options of GroupNormalization (Keras's arguments, camelCase).
 *
 * @example new layers.GroupNormalization({ groups: 4, axis: 1, epsilon: 1e-5 })
 */
export interface GroupNormalizationArgs extends AffineNormalizationArgs {
  /** Number of channel groups (Keras default 32); -1 means one group per channel. */
  groups?: number;
  /** The channel axis (default -1). */
  axis?: number;
}

/**
 * Group normalisation: the channels are split into `groups` groups, and each sample is normalised
 * over every non-batch dim within each group; then per-channel `gamma` and `beta` apply.
 *
 * @example
 * new layers.GroupNormalization({ groups: 2 }).call(random.normal([2, 5, 4])).shape; // [2, 5, 4]
 */
export class GroupNormalization extends AffineNormalization {
  static override className = "GroupNormalization";
  readonly groups: number;
  readonly axis: number;
  /** Groups actually used (−1 resolved), once built. */
  private nGroups = 0;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 32;
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.groups) || (this.groups < 1 && this.groups !== -1))
      throw new ValueError(at(this, `groups must be a positive integer or -1, got ${this.groups}`));
  }
  override build(inputShape: ShapeTree): void {
    const s = singleShape(this, inputShape);
    const a = normAxis(this, this.axis, s.length);
    const dim = s[a];
    if (dim === null)
      throw new ShapeError(
        at(this, `axis ${this.axis} of the input must be known, got shape ${fmtShape(s)}`),
      );
    const g = this.groups === -1 ? dim : this.groups;
    if (dim < g)
      throw new ValueError(
        at(this, `number of groups (${g}) cannot be more than the number of channels (${dim})`),
      );
    if (dim % g !== 0)
      throw new ValueError(
        at(this, `number of channels (${dim}) must be a multiple of the number of groups (${g})`),
      );
    this.nGroups = g;
    this.addAffineWeights([dim]);
    this.built = true;
  }

  call(inputs: Tensor, kwargs?: CallArgs): Tensor {
    void kwargs;
    const x = singleTensor(this, inputs);
    const a = normAxis(this, this.axis, x.ndim);
    const dim = x.shape[a];
    const g = this.nGroups;
    const want = (this.gamma ?? this.beta)?.shape[0] ?? dim;
    if (dim !== want || dim % g !== 0)
      throw new ShapeError(
        at(this, `expected ${want} channels on axis ${a}, got input of shape ${fmtShape(x.shape)}`),
      );
    // [.., C, ..] → [.., G, C/G, ..]; moments over every axis but the batch and the group axis.
    const grouped = [...x.shape.slice(0, a), g, dim / g, ...x.shape.slice(a + 1)];
    const xg = x.reshape(grouped);
    const axes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== a);
    const param = grouped.map((d, i) => (i === a || i === a + 1 ? d : 1));
    const moments = { axis: axes, keepdims: true };
    return this.affine(xg, mean(xg, moments), variance(xg, moments), (p) => p.reshape(param)).reshape(
      x.shape,
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      ...this.affineConfig(),
      ...this.initializerConfig(),
      ...this.extras,
    };
  }
}
