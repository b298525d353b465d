/**
 * Running means of per-row squared terms (DGSM's (∂y/∂x_j)², the crossed measure's
 * (∂²y/∂x_i∂x_j)²) with the mean and variance of the outputs, and their Poisson-bootstrap
 * replicates, in one pass over the rows. Replicate variances are built from y − c with c the first
 * row's output: a constant shift is exact algebraically, and one near the data avoids cancellation.
 */
import { Rng } from "../../core/rng.js";
import { poisson1 } from "./bootstrap.js";

/**
 * Σ terms (Neumaier-compensated, rows in order), Welford moments of the outputs, and B bootstrap
 * replicates of both; fed one row at a time.
 *
 * @example
 * const m = new MeanSquares(1, 2, 200, 7);
 * m.addRow(Float64Array.of(1, 4), Float64Array.of(3), 0);
 * m.means(); // Float64Array [1, 4]
 */
export class MeanSquares {
  private readonly sum: Float64Array;
  private readonly comp: Float64Array;
  private rows = 0;
  private readonly yMean: Float64Array;
  private readonly yM2: Float64Array;
  private shift: Float64Array | null = null;
  private readonly rng: Rng;
  private readonly w: Float64Array;
  private readonly s: Float64Array;
  private readonly y1: Float64Array;
  private readonly y2: Float64Array;
  /** Scratch: this row's shifted outputs. */
  private readonly dy: Float64Array;

  /** `k` outputs, `cols` terms per row, `replicates` bootstrap replicates drawn from `seed`. */
  constructor(
    private readonly k: number,
    private readonly cols: number,
    private readonly replicates: number,
    seed: number,
  ) {
    this.sum = new Float64Array(cols);
    this.comp = new Float64Array(cols);
    this.yMean = new Float64Array(k);
    this.yM2 = new Float64Array(k);
    this.rng = new Rng(seed);
    this.w = new Float64Array(replicates);
    this.s = new Float64Array(replicates * cols);
    this.y1 = new Float64Array(replicates * k);
    this.y2 = new Float64Array(replicates * k);
    this.dy = new Float64Array(k);
  }

  /** One row: its `cols` terms, and its outputs `values[offset .. offset + k)`. */
  addRow(terms: Float64Array, values: Float64Array, offset: number): void {
    const { k, cols, replicates, dy, sum, comp, yMean, yM2, rng } = this;
    for (let c = 0; c < cols; c++) {
      const x = terms[c];
      const t = sum[c] + x;
      comp[c] += Math.abs(sum[c]) >= Math.abs(x) ? sum[c] - t + x : x - t + sum[c];
      sum[c] = t;
    }
    const n = ++this.rows;
    const shift = (this.shift ??= values.slice(offset, offset + k));
    for (let kk = 0; kk < k; kk++) {
      const y = values[offset + kk];
      const delta = y - yMean[kk];
      yMean[kk] += delta / n;
      yM2[kk] += delta * (y - yMean[kk]);
      dy[kk] = y - shift[kk];
    }
    // Locals, not fields, in the replicate loop: it runs N × B times.
    const wsum = this.w;
    const s = this.s;
    const y1 = this.y1;
    const y2 = this.y2;
    for (let rep = 0; rep < replicates; rep++) {
      const w = poisson1(rng);
      if (w === 0) continue;
      wsum[rep] += w;
      const so = rep * cols;
      for (let c = 0; c < cols; c++) s[so + c] += w * terms[c];
      const yo = rep * k;
      for (let kk = 0; kk < k; kk++) {
        const wy = w * dy[kk];
        y1[yo + kk] += wy;
        y2[yo + kk] += wy * dy[kk];
      }
    }
  }

  /** Rows seen. */
  get count(): number {
    return this.rows;
  }

  /** Mean of each term over the rows. */
  means(): Float64Array {
    return this.sum.map((s, c) => (s + this.comp[c]) / this.rows);
  }

  /** Population variance of each output over the rows. */
  outputVariance(): Float64Array {
    return this.yM2.map((m2) => m2 / this.rows);
  }

  /** Bootstrap replicates of the means [B × cols] and of Var(y) [B × K]. */
  replicateStats(): { means: Float64Array; variance: Float64Array } {
    const { k, cols, replicates } = this;
    const means = new Float64Array(replicates * cols);
    const variance = new Float64Array(replicates * k);
    for (let rep = 0; rep < replicates; rep++) {
      const w = this.w[rep];
      for (let c = 0; c < cols; c++) means[rep * cols + c] = this.s[rep * cols + c] / w;
      for (let kk = 0; kk < k; kk++) {
        const m1 = this.y1[rep * k + kk] / w;
        variance[rep * k + kk] = this.y2[rep * k + kk] / w - m1 * m1;
      }
    }
    return { means, variance };
  }
}
