/**
 * Streaming estimators of first-order and total Sobol' indices from blocks of f(A), f(B),
 * f(A_B^(i)) (see design.ts), with Poisson-bootstrap replicates over the N base rows.
 *
 *   Var(y)  ≈ population variance of the 2N values f(A) ∪ f(B)
 *   V_i     ≈ (1/N) Σ_r (f(B)_r − m̂)(f(A_B^(i))_r − f(A)_r)     Saltelli et al. (2010), Table 2 (b)
 *   V_T,i   ≈ (1/2N) Σ_r (f(A)_r − f(A_B^(i))_r)²               Jansen (1999)
 *   S_i = V_i / Var(y),  S_T,i = V_T,i / Var(y)
 *
 * Centring f(B) by the pooled mean m̂ leaves the estimator consistent (Σ (f(A_B^(i)) − f(A)) has
 * mean zero) and removes the variance a large mean would add — SALib centres the outputs the same
 * way. In streaming form: Σ (f(B) − m̂)Δ_i = Σ f(B)Δ_i − m̂ Σ Δ_i with Δ_i = f(A_B^(i)) − f(A), so
 * only sums are kept. All outputs are taken relative to c, the first f(A) of each output: any
 * constant shift cancels algebraically and one near the data avoids cancellation in the sums.
 * A non-finite model output makes that output's sums, and so its indices, NaN: it is counted in
 * `nonFinite`, never dropped.
 */
import { poisson1 } from "../../stats/bootstrap.js";
import { Rng } from "../../../core/rng.js";

/** Per output: Σa, Σa², Σb, Σb² (a = f(A) − c, b = f(B) − c). */
const OUT_SUMS = 4;
/** Per output and feature: Σ bΔ, ΣΔ, ΣΔ². */
const FEAT_SUMS = 3;

/** First-order and total indices and the output variance from one set of sums. */
export interface SobolEstimates {
  /** S_i [K × d]. */
  first: Float64Array;
  /** S_T,i [K × d]. */
  total: Float64Array;
  /** Var(y) [K]. */
  variance: Float64Array;
  /** Mean of y [K]. */
  mean: Float64Array;
}

/**
 * Accumulates the estimator sums over blocks of model outputs, and their Poisson-bootstrap
 * replicates (one Poisson(1) weight per base row and replicate, shared by the row's A, B and
 * A_B^(i) outputs so the replicate keeps the design's pairing).
 *
 * @example
 * const acc = new SobolAccumulator(1, 3, 200, 7);
 * acc.add(m, y); // y: outputs of one SobolDesign block, [(3 + 2)·m × 1]
 * acc.estimates().first; // S_1, S_2, S_3
 */
export class SobolAccumulator {
  private rows = 0;
  private shift: Float64Array | null = null;
  private readonly sums: Float64Array;
  private readonly repSums: Float64Array;
  private readonly repWeight: Float64Array;
  private readonly rng: Rng;
  private readonly nonFiniteCount: Float64Array;
  /** Scratch: one base row's sum terms. */
  private readonly terms: Float64Array;

  constructor(
    readonly k: number,
    readonly d: number,
    readonly replicates: number,
    seed: number,
  ) {
    const width = k * (OUT_SUMS + FEAT_SUMS * d);
    this.sums = new Float64Array(width);
    this.repSums = new Float64Array(replicates * width);
    this.repWeight = new Float64Array(replicates);
    this.rng = new Rng(seed);
    this.nonFiniteCount = new Float64Array(k);
    this.terms = new Float64Array(width);
  }

  /** Base rows seen. */
  get count(): number {
    return this.rows;
  }

  /** Non-finite model outputs seen, per output. */
  get nonFinite(): Float64Array {
    return this.nonFiniteCount.slice();
  }

  /**
   * One block of m base rows: `y` holds the outputs of the block's (d + 2)·m design rows
   * [((d + 2)·m) × K] in the layout of `SobolDesign.nextBlock`.
   */
  add(m: number, y: ArrayLike<number>): void {
    const { k, d, replicates, sums, repSums, repWeight, rng, terms } = this;
    const width = terms.length;
    const shift = (this.shift ??= Float64Array.from({ length: k }, (_, kk) => y[kk]));
    for (let r = 0; r < m; r++) {
      for (let kk = 0; kk < k; kk++) {
        const fa = y[r * k + kk];
        const fb = y[(m + r) * k + kk];
        if (!Number.isFinite(fa)) this.nonFiniteCount[kk]++;
        if (!Number.isFinite(fb)) this.nonFiniteCount[kk]++;
        const a = fa - shift[kk];
        const b = fb - shift[kk];
        const o = kk * (OUT_SUMS + FEAT_SUMS * d);
        terms[o] = a;
        terms[o + 1] = a * a;
        terms[o + 2] = b;
        terms[o + 3] = b * b;
        for (let i = 0; i < d; i++) {
          const fab = y[((2 + i) * m + r) * k + kk];
          if (!Number.isFinite(fab)) this.nonFiniteCount[kk]++;
          const delta = fab - fa;
          const q = o + OUT_SUMS + FEAT_SUMS * i;
          terms[q] = b * delta;
          terms[q + 1] = delta;
          terms[q + 2] = delta * delta;
        }
      }
      for (let c = 0; c < width; c++) sums[c] += terms[c];
      for (let rep = 0; rep < replicates; rep++) {
        const w = poisson1(rng);
        if (w === 0) continue;
        repWeight[rep] += w;
        const so = rep * width;
        for (let c = 0; c < width; c++) repSums[so + c] += w * terms[c];
      }
      this.rows++;
    }
  }

  private estimate(s: Float64Array, offset: number, n: number): SobolEstimates {
    const { k, d } = this;
    const first = new Float64Array(k * d);
    const total = new Float64Array(k * d);
    const variance = new Float64Array(k);
    const mean = new Float64Array(k);
    for (let kk = 0; kk < k; kk++) {
      const o = offset + kk * (OUT_SUMS + FEAT_SUMS * d);
      const m = (s[o] + s[o + 2]) / (2 * n);
      const v = (s[o + 1] + s[o + 3]) / (2 * n) - m * m;
      variance[kk] = v;
      mean[kk] = m + (this.shift?.[kk] ?? NaN);
      for (let i = 0; i < d; i++) {
        const q = o + OUT_SUMS + FEAT_SUMS * i;
        first[kk * d + i] = (s[q] - m * s[q + 1]) / n / v;
        total[kk * d + i] = s[q + 2] / (2 * n) / v;
      }
    }
    return { first, total, variance, mean };
  }

  /** The point estimates over every base row seen. */
  estimates(): SobolEstimates {
    return this.estimate(this.sums, 0, this.rows);
  }

  /** The estimates of bootstrap replicate `rep`. */
  replicate(rep: number): SobolEstimates {
    const width = this.terms.length;
    return this.estimate(this.repSums, rep * width, this.repWeight[rep]);
  }
}
