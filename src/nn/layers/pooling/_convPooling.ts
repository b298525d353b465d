// Keras: keras/src/layers/pooling/base_pooling.py (BasePooling) and base_global_pooling.py
// (BaseGlobalPooling); output shapes from keras/src/ops/operation_utils.py
// compute_pooling_output_shape.
import { avgPool, globalAvgPool, globalMaxPool, maxPool } from "../../../ops/index.js";
import type { Tensor } from "../../../prims/tensor.js";
import { Layer, type LayerArgs, type ShapeTree } from "../../layer.js";
import type { SymbolicShape } from "../../symbolic.js";
import {
  inLayer,
  layoutAxes,
  opsFormat,
  poolOutputLength,
  requireInputRank,
  requirePositiveOutput,
  standardizePadding,
  standardizeTuple,
} from "../base/_convUtils.js";
import {
  fmtShape,
  standardizeDataFormat,
  where,
  type DataFormatLike,
  type KerasDataFormat,
} from "../base/_util.js";

/** Options of the MaxPooling/AveragePooling layers (Keras's arguments, camelCase). */
export interface PoolingArgs extends LayerArgs {
  /** Window size, one int for every spatial dim or one per dim (default 2). */
  poolSize?: number | readonly number[];
  /** Default (or null): the pool size, i.e. non-overlapping windows. */
  strides?: number | readonly number[] | null;
  /** "valid" (default) or "same" (TF's; average pooling divides by the real elements only). */
  padding?: "valid" | "same";
  dataFormat?: DataFormatLike | null;
}

/** Max or average pooling over windows of `poolSize` (Keras's `BasePooling`). */
export abstract class BasePooling extends Layer {
  readonly rank: number;
  readonly mode: "max" | "average";
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: KerasDataFormat;

  protected constructor(rank: number, mode: "max" | "average", args: PoolingArgs) {
    super(args);
    const at = where(this);
    this.rank = rank;
    this.mode = mode;
    this.poolSize = standardizeTuple(at, "poolSize", args.poolSize ?? 2, rank);
    this.strides = standardizeTuple(at, "strides", args.strides ?? this.poolSize, rank);
    this.padding = standardizePadding(at, args.padding);
    this.dataFormat = standardizeDataFormat(at, args.dataFormat);
  }

  call(x: Tensor): Tensor {
    requireInputRank(this, x.shape, this.rank, this.dataFormat);
    const opts = {
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: opsFormat(this.dataFormat),
    };
    return inLayer(this, () => (this.mode === "max" ? maxPool(x, opts) : avgPool(x, opts)));
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, this.rank, this.dataFormat);
    const { spatial } = layoutAxes(this.rank, this.dataFormat);
    const out = spatial.map((a, i) =>
      poolOutputLength(s[a], this.poolSize[i], this.padding, this.strides[i]),
    );
    requirePositiveOutput(this, s, out, `poolSize ${fmtShape(this.poolSize)} with ${this.padding} padding`);
    const shape = s.slice();
    spatial.forEach((a, i) => (shape[a] = out[i]));
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}

/** Options of the global pooling layers (Keras's arguments, camelCase). */
export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: DataFormatLike | null;
  /** Keep the spatial dims as size 1 (default false: output `[batch, channels]`). */
  keepdims?: boolean;
}

/** Max or mean over every spatial dim (Keras's `BaseGlobalPooling`). */
export abstract class BaseGlobalPooling extends Layer {
  readonly rank: number;
  readonly mode: "max" | "average";
  readonly dataFormat: KerasDataFormat;
  readonly keepdims: boolean;

  protected constructor(rank: number, mode: "max" | "average", args: GlobalPoolingArgs) {
    super(args);
    this.rank = rank;
    this.mode = mode;
    this.dataFormat = standardizeDataFormat(where(this), args.dataFormat);
    this.keepdims = args.keepdims ?? false;
  }

  call(x: Tensor): Tensor {
    requireInputRank(this, x.shape, this.rank, this.dataFormat);
    const opts = { dataFormat: opsFormat(this.dataFormat), keepdims: this.keepdims };
    return inLayer(this, () => (this.mode === "max" ? globalMaxPool(x, opts) : globalAvgPool(x, opts)));
  }

  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const s = inputShape as SymbolicShape;
    requireInputRank(this, s, this.rank, this.dataFormat);
    const { spatial, channel } = layoutAxes(this.rank, this.dataFormat);
    if (!this.keepdims) return [s[0], s[channel]];
    return s.map((d, i) => (spatial.includes(i) ? 1 : d));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}
