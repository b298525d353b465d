/**
 * The pure arithmetic of effect plots, apart from any model: the quantile grid of a feature, the
 * bin each value falls in, and the accumulation and centring of accumulated local effects.
 */
import { quantilesOf } from "../../stats/stats.js";

/**
 * The distinct values among the quantiles of the finite `values` at levels 0, 1/(m−1), …, 1
 * (type 7, as everywhere in gradlens), ascending. A discrete feature yields fewer than `m`
 * points; a constant or all-non-finite one yields one point or none.
 */
export function quantileGrid(values: ArrayLike<number>, m: number): number[] {
  const levels = m === 1 ? [0.5] : Array.from({ length: m }, (_, i) => i / (m - 1));
  const q = quantilesOf(values, levels).filter((x) => Number.isFinite(x));
  const out: number[] = [];
  for (const x of q) if (out.length === 0 || x > out[out.length - 1]) out.push(x);
  return out;
}

/**
 * The ALE bin of `x` on `grid`: b ≥ 1 with grid[b−1] < x ≤ grid[b], the first bin also taking
 * x = grid[0] (Apley & Zhu 2020, eq. 15: the lowest value joins the first interval). −1 for a
 * value outside the grid or not finite.
 */
export function binOf(grid: readonly number[], x: number): number {
  const m = grid.length;
  if (m < 2 || !(x >= grid[0] && x <= grid[m - 1])) return -1;
  let lo = 1;
  let hi = m - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= grid[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Accumulated local effects at the grid points from the per-bin sums of local effects
 * (Σ over the bin's rows of the local effect: here the row's exact ∂y/∂x_j times the bin width) and
 * the bin counts: f(z_0) = 0, f(z_b) = f(z_{b−1}) + sum_b / n_b, then centred so that the
 * bin-count-weighted mean of the bin-midpoint values is 0 (Apley & Zhu 2020, eq. 16):
 * f̃(z_b) = f(z_b) − Σ_b n_b (f(z_{b−1}) + f(z_b))/2 / Σ_b n_b. An empty bin contributes no
 * local effect (interior quantile bins are never empty; bins only merge for ties).
 */
export function accumulate(sums: ArrayLike<number>, counts: ArrayLike<number>): Float64Array {
  const m = sums.length;
  const f = new Float64Array(m);
  for (let b = 1; b < m; b++) f[b] = f[b - 1] + (counts[b] > 0 ? sums[b] / counts[b] : 0);
  let total = 0;
  let weighted = 0;
  for (let b = 1; b < m; b++) {
    total += counts[b];
    weighted += (counts[b] * (f[b - 1] + f[b])) / 2;
  }
  const c = total > 0 ? weighted / total : 0;
  return f.map((v) => v - c);
}
