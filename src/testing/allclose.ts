import { GradlensError } from "../core/errors.js";
import { broadcastShapes } from "../core/shape.js";
import { broadcastTo } from "../kernels/movement.js";
import { array, type TensorLike } from "../ops/creation.js";
import { concreteValue } from "../prims/tensor.js";
import { Tensor } from "../prims/tensor.js";

/**
 * Tolerances of `allclose`, `assertAllclose` and `closeness`.
 *
 * @example
 * allclose(array([1, NaN]), [1, NaN], { rtol: 1e-12, atol: 0, equalNan: true }); // true
 */
export interface CloseOptions {
  /** Relative tolerance (NumPy's default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (NumPy's default 1e-8). */
  atol?: number;
  /** Treat NaNs in the same position as equal. */
  equalNan?: boolean;
}

/**
 * Why two arrays differ, or null when they are close: |a − b| ≤ atol + rtol·|b| everywhere, after
 * broadcasting the two against each other as NumPy's `allclose` does (`allclose(x, 0)` checks
 * every element of x).
 *
 * @example
 * closeness(array([1, 2]), [1, 2]); // null
 * closeness(array([1, 2.1]), [1, 2]); // "1 of 2 elements differ (rtol=0.00001, atol=1e-8); worst at …"
 */
export function closeness(actual: TensorLike, expected: TensorLike, opts: CloseOptions = {}): string | null {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-8;
  const a0 = concreteValue(actual instanceof Tensor ? actual : array(actual), "allclose");
  const b0 = concreteValue(expected instanceof Tensor ? expected : array(expected), "allclose");
  let shape: number[];
  try {
    shape = broadcastShapes("allclose", a0.shape, b0.shape);
  } catch {
    return `shapes differ: [${a0.shape}] vs expected [${b0.shape}]`;
  }
  const a = broadcastTo(a0, shape);
  const b = broadcastTo(b0, shape);
  let worst = -1;
  let worstExcess = 0;
  let bad = 0;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (opts.equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
      bad++;
      if (worst < 0) worst = i;
      worstExcess = Infinity;
      continue;
    }
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0) {
      bad++;
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (bad === 0) return null;
  const x = a.data[worst];
  const y = b.data[worst];
  return (
    `${bad} of ${a.size} elements differ (rtol=${rtol}, atol=${atol}); worst at flat index ${worst}: ` +
    `got ${x}, expected ${y} (abs err ${Math.abs(x - y).toExponential(3)}, rel err ${(Math.abs(x - y) / Math.abs(y)).toExponential(3)})`
  );
}

/**
 * NumPy's `allclose`: true when |actual − expected| ≤ atol + rtol·|expected| element-wise.
 *
 * @example allclose(grad(f)(x), [1, 2, 3], { rtol: 1e-10 })
 */
export function allclose(actual: TensorLike, expected: TensorLike, opts: CloseOptions = {}): boolean {
  return closeness(actual, expected, opts) === null;
}

/**
 * Error thrown by `assertAllclose` and `checkGrads`.
 *
 * @example
 * assertAllclose(array([1, 2.1]), [1, 2], { what: "price" }); // throws AssertionMismatch: price: 1 of 2 …
 */
export class AssertionMismatch extends GradlensError {
  override name = "AssertionMismatch";
}

/**
 * Throws an `AssertionMismatch` describing the worst element when arrays are not close.
 *
 * @example assertAllclose(y, expected, { rtol: 1e-12 })
 */
export function assertAllclose(
  actual: TensorLike,
  expected: TensorLike,
  opts: CloseOptions & { what?: string } = {},
): void {
  const why = closeness(actual, expected, opts);
  if (why !== null) throw new AssertionMismatch(`${opts.what ?? "allclose"}: ${why}`);
}
