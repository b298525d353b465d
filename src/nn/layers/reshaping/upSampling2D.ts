// Keras: keras/src/layers/reshaping/up_sampling2d.py. "nearest" repeats rows and columns;
// "bilinear" is ops.image.resize (antialias off), i.e. TF2's resize / jax.image.resize: half-pixel
// centres, source coordinate c = (o + 0.5)/size − 0.5, clamped to the edges. Standalone Keras ≤ 2.2
// used TF1's resize_bilinear (c = o/size) instead, which differs at every other output row.
import { ValueError } from "../../../core/errors.js";
import { NDArray } from "../../../core/ndarray.js";
import { moveaxis, tensordot } from "../../../ops/index.js";
import { Concrete, type Tensor } from "../../../prims/tensor.js";
import { BaseUpSampling, type UpSamplingArgs } from "./_convSpatial.js";
import { layoutAxes, requireInputRank } from "../base/_convUtils.js";
import { where } from "../base/_util.js";

/**
 * The resize methods Keras accepts; gradlens implements the first two.
 *
 * @example new layers.UpSampling2D({ size: 2, interpolation: "nearest" })
 */
export type Interpolation = "nearest" | "bilinear" | "bicubic" | "lanczos3" | "lanczos5" | "area";

const IMPLEMENTED = ["nearest", "bilinear"];
const KERAS_ONLY = ["bicubic", "lanczos3", "lanczos5", "area"];

/**
 * Options of UpSampling2D (Keras's arguments, camelCase).
 *
 * @example new layers.UpSampling2D({ size: [2, 2], interpolation: "bilinear" })
 */
export interface UpSampling2DArgs extends UpSamplingArgs {
  /** "nearest" (default) or "bilinear". */
  interpolation?: Interpolation;
}

/**
 * The `[n·size, n]` matrix of linear interpolation with half-pixel centres: row o holds the
 * weights 1 − f and f of the two input samples around c = (o + 0.5)/size − 0.5 (both clamped).
 */
function bilinearMatrix(n: number, size: number, dtype: Tensor["dtype"]): Tensor {
  const m = NDArray.zeros(dtype, [n * size, n]);
  for (let o = 0; o < n * size; o++) {
    const c = (o + 0.5) / size - 0.5;
    const i0 = Math.floor(c);
    const f = c - i0;
    const lo = Math.min(Math.max(i0, 0), n - 1);
    const hi = Math.min(Math.max(i0 + 1, 0), n - 1);
    m.data[o * n + lo] += 1 - f;
    m.data[o * n + hi] += f;
  }
  return new Concrete(m);
}

/**
 * Upsamples the rows and columns of `[batch, rows, cols, channels]` (or channels first) by
 * `size`: nearest neighbour (repeat) or bilinear interpolation. Both are linear in the input, so
 * derivatives are exact to any order.
 *
 * @example
 * const up = new layers.UpSampling2D({ size: 2, interpolation: "bilinear" });
 * up.call(zeros([1, 4, 4, 3])).shape; // [1, 8, 8, 3]
 */
export class UpSampling2D extends BaseUpSampling {
  static override className = "UpSampling2D";
  readonly interpolation: "nearest" | "bilinear";

  constructor(args: UpSampling2DArgs = {}) {
    super(2, args);
    const method = (args.interpolation ?? "nearest").toLowerCase();
    if (KERAS_ONLY.includes(method))
      throw new ValueError(
        `${where(this)}: interpolation "${method}" is not implemented in gradlens; use "nearest" or "bilinear"`,
      );
    if (!IMPLEMENTED.includes(method))
      throw new ValueError(
        `${where(this)}: interpolation must be one of ${[...IMPLEMENTED, ...KERAS_ONLY].join(", ")}, ` +
          `got ${JSON.stringify(args.interpolation)}`,
      );
    this.interpolation = method as "nearest" | "bilinear";
  }

  override call(x: Tensor): Tensor {
    if (this.interpolation === "nearest") return super.call(x);
    requireInputRank(this, x.shape, 2, this.dataFormat);
    let y = x.dtype === "float32" || x.dtype === "float64" ? x : x.astype("float64");
    layoutAxes(2, this.dataFormat).spatial.forEach((axis, i) => {
      if (this.size[i] === 1) return;
      // Contract the axis with the interpolation matrix; the new axis lands last, move it back.
      const w = bilinearMatrix(y.shape[axis], this.size[i], y.dtype);
      y = moveaxis(tensordot(y, w, [[axis], [1]]), -1, axis);
    });
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}
