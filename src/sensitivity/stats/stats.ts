/**
 * Streaming statistics over many columns at once (one column per output × feature pair). Values
 * are pushed one row at a time in row order, so the result is bit-for-bit the same however the
 * rows were batched. Means and variances use Welford's update (Welford 1962); sums of |x| and x²
 * use Neumaier's compensated summation, so a million rows lose no accuracy to rounding.
 */
import { jnum } from "../result/json.js";
import type { DistributionStats, JsonNumber } from "../result/schemaBase.js";

/** The quantile levels every summary reports. */
export const QUANTILE_LEVELS: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Neumaier-compensated running sums, one per column. */
class CompensatedSums {
  readonly sum: Float64Array;
  private readonly comp: Float64Array;
  constructor(n: number) {
    this.sum = new Float64Array(n);
    this.comp = new Float64Array(n);
  }
  add(c: number, x: number): void {
    const s = this.sum[c];
    const t = s + x;
    this.comp[c] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.sum[c] = t;
  }
  value(c: number): number {
    return this.sum[c] + this.comp[c];
  }
}

/**
 * Running count, mean, variance, mean |x|, mean x², min, max and sign counts per column. Values
 * that are not finite are counted in `nonFinite` and left out of every statistic; values a caller
 * chooses not to define (an elasticity at y ≈ 0) are counted in `excluded`.
 */
export class ColumnStats {
  readonly count: Float64Array;
  readonly nonFinite: Float64Array;
  readonly excluded: Float64Array;
  readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly sumAbs: CompensatedSums;
  private readonly sumSq: CompensatedSums;
  readonly min: Float64Array;
  readonly max: Float64Array;
  private readonly positive: Float64Array;
  private readonly negative: Float64Array;

  constructor(readonly columns: number) {
    const f = () => new Float64Array(columns);
    this.count = f();
    this.nonFinite = f();
    this.excluded = f();
    this.mean = f();
    this.m2 = f();
    this.sumAbs = new CompensatedSums(columns);
    this.sumSq = new CompensatedSums(columns);
    this.min = f().fill(Infinity);
    this.max = f().fill(-Infinity);
    this.positive = f();
    this.negative = f();
  }

  /** Adds one value to column `c`. */
  push(c: number, x: number): void {
    if (!Number.isFinite(x)) {
      this.nonFinite[c]++;
      return;
    }
    const n = ++this.count[c];
    const d = x - this.mean[c];
    this.mean[c] += d / n;
    this.m2[c] += d * (x - this.mean[c]);
    this.sumAbs.add(c, Math.abs(x));
    this.sumSq.add(c, x * x);
    if (x < this.min[c]) this.min[c] = x;
    if (x > this.max[c]) this.max[c] = x;
    if (x > 0) this.positive[c]++;
    else if (x < 0) this.negative[c]++;
  }

  /** Records that column `c` has no defined value for one row. */
  exclude(c: number): void {
    this.excluded[c]++;
  }

  meanAbs(c: number): number {
    return this.count[c] > 0 ? this.sumAbs.value(c) / this.count[c] : NaN;
  }

  /** Mean of x² (the DGSM ν when the column holds derivatives). */
  meanSquare(c: number): number {
    return this.count[c] > 0 ? this.sumSq.value(c) / this.count[c] : NaN;
  }

  /** Population variance (ddof = 0), so that rms² = mean² + std². */
  variance(c: number): number {
    return this.count[c] > 0 ? this.m2[c] / this.count[c] : NaN;
  }

  /** The JSON summary of column `c`, with quantiles computed by the caller. */
  describe(c: number, quantiles: JsonNumber[]): DistributionStats {
    const n = this.count[c];
    const empty = n === 0;
    return {
      count: n,
      nonFinite: this.nonFinite[c],
      excluded: this.excluded[c],
      mean: empty ? null : jnum(this.mean[c]),
      meanAbs: jnum(this.meanAbs(c)),
      rms: jnum(Math.sqrt(this.meanSquare(c))),
      std: jnum(Math.sqrt(this.variance(c))),
      min: empty ? null : jnum(this.min[c]),
      max: empty ? null : jnum(this.max[c]),
      quantiles,
      positiveShare: empty ? null : jnum(this.positive[c] / n),
      negativeShare: empty ? null : jnum(this.negative[c] / n),
    };
  }
}

/**
 * Quantile of sorted finite values by linear interpolation between order statistics (NumPy's
 * default "linear" method, Hyndman & Fan 1996 type 7).
 */
export function sortedQuantile(sorted: ArrayLike<number>, level: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * level;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The quantiles at `levels` of the finite values among `values` (type 7, as `sortedQuantile`). */
export function quantilesOf(
  values: ArrayLike<number>,
  levels: readonly number[] = QUANTILE_LEVELS,
): number[] {
  const buf = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) buf[m++] = values[i];
  const a = buf.subarray(0, m);
  if (m === 0) return levels.map(() => NaN);
  // Only a few order statistics are needed, so select them (O(m) each) instead of sorting.
  // Ranks are selected in increasing order; each selection leaves smaller values to its left,
  // so the next search starts there.
  const ranks = [
    ...new Set(
      levels.flatMap((q) => [Math.floor((m - 1) * q), Math.min(m - 1, Math.floor((m - 1) * q) + 1)]),
    ),
  ].sort((x, y) => x - y);
  const at = new Map<number, number>();
  let from = 0;
  for (const r of ranks) {
    select(a, r, from, m - 1);
    at.set(r, a[r]);
    from = r;
  }
  return levels.map((q) => {
    const h = (m - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(m - 1, lo + 1);
    return at.get(lo)! + (h - lo) * (at.get(hi)! - at.get(lo)!);
  });
}

/**
 * Rearranges a[left..right] so that a[k] holds the value of rank k within it, smaller-or-equal
 * values before it and greater-or-equal after (Hoare's FIND with a median-of-three pivot; equal
 * values split evenly, so constant columns take linear time).
 */
function select(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot value.
    const x = a[left];
    const y = a[mid];
    const z = a[right];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
