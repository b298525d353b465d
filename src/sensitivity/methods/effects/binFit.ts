/**
 * The local effects of derivative-based ALE from one pass over the data: per quantile bin of a
 * feature, the exact ∂y/∂x_j of the rows that fall in it, at their own points, summarised by a
 * least-squares line in x_j and integrated exactly over the bin.
 *
 * Why a line and not the bin mean (DALE, Gkolemis, Dalamagas & Diou 2022): the ALE local effect
 * of bin (z_{b−1}, z_b] is ∫ E[∂y/∂x_j | X_j = z] dz over the bin (Apley & Zhu 2020, eq. 4). The
 * mean derivative times the width assumes the bin's rows sit evenly across it; in the tail bins
 * of a quantile grid they crowd the inner edge, and for y = b² on normal data the mean misses the
 * tail bin's rise by a third. A line through the rows' derivatives, evaluated at the bin
 * midpoint, integrates any derivative linear in x_j exactly wherever the rows sit (so a
 * quadratic component is recovered), and needs only five running sums per bin.
 */

/**
 * Running sums per bin for a line fit of each output's ∂y/∂x_j against x_j: with u = x_j − (bin
 * midpoint), Σu and Σu² per bin, and Σg and Σu·g per (output, bin). Centring on the midpoint keeps
 * the sums free of cancellation and makes the integral the line's value at u = 0 times the width.
 *
 * @example
 * const fit = new BinLineFit([0, 1, 2], 1);
 * fit.add(2, 0.5, [3]); // a row in bin 2 (x = 0.5 past its midpoint) with ∂y/∂x = 3
 * fit.localEffectSums(0); // per bin: n_b × (bin width × the line's value at the midpoint)
 */
export class BinLineFit {
  readonly counts: Int32Array;
  private readonly su: Float64Array;
  private readonly suu: Float64Array;
  private readonly sg: Float64Array;
  private readonly sug: Float64Array;
  private readonly mid: Float64Array;
  constructor(
    readonly grid: readonly number[],
    readonly k: number,
  ) {
    const m = grid.length;
    this.counts = new Int32Array(m);
    this.su = new Float64Array(m);
    this.suu = new Float64Array(m);
    this.sg = new Float64Array(k * m);
    this.sug = new Float64Array(k * m);
    this.mid = new Float64Array(m);
    for (let b = 1; b < m; b++) this.mid[b] = (grid[b - 1] + grid[b]) / 2;
  }

  /** Adds one row in bin `b` (≥ 1) with feature value `x` and derivatives `g[kk]` (read at `g[offset + kk·stride]`). */
  add(b: number, x: number, g: ArrayLike<number>, offset = 0, stride = 1): void {
    const m = this.grid.length;
    const u = x - this.mid[b];
    this.counts[b]++;
    this.su[b] += u;
    this.suu[b] += u * u;
    for (let kk = 0; kk < this.k; kk++) {
      const v = g[offset + kk * stride];
      this.sg[kk * m + b] += v;
      this.sug[kk * m + b] += u * v;
    }
  }

  /**
   * Per bin, n_b times the local effect (the line's value at the midpoint times the width); what
   * `accumulate` divides by the counts. A bin whose rows share one value (no spread to fit a
   * slope, relative variance below 1e-12 of the width²) gets the mean derivative; an empty bin 0.
   */
  localEffectSums(kk: number): Float64Array {
    const m = this.grid.length;
    const out = new Float64Array(m);
    for (let b = 1; b < m; b++) {
      const n = this.counts[b];
      if (n === 0) continue;
      const w = this.grid[b] - this.grid[b - 1];
      const uBar = this.su[b] / n;
      const gBar = this.sg[kk * m + b] / n;
      const varU = this.suu[b] / n - uBar * uBar;
      const cov = this.sug[kk * m + b] / n - uBar * gBar;
      const slope = varU > 1e-12 * w * w ? cov / varU : 0;
      out[b] = n * w * (gBar - slope * uBar);
    }
    return out;
  }
}
