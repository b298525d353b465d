/**
 * Moments of each feature over the data: the scales other analyses need (IG's "mean" baseline,
 * SmoothGrad's noise, DGSM's input distributions, finite-difference steps, elasticity tolerances).
 */
import type { Prepared } from "./prepare.js";

export interface FeatureMoments {
  mean: Float64Array;
  /** Population standard deviation (ddof = 0). */
  std: Float64Array;
  rms: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** Moments over every row, per feature (Welford, rows in order). */
export function featureMoments(
  prep: Pick<Prepared, "n" | "d" | "columns" | "diff" | "offsets">,
): FeatureMoments {
  const d = prep.d;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const sq = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  for (const ci of prep.diff) {
    const c = prep.columns[ci];
    const off = prep.offsets[ci];
    for (let q = 0; q < c.size; q++) {
      const j = off + q;
      let mu = 0;
      let s2 = 0;
      let ss = 0;
      for (let r = 0; r < prep.n; r++) {
        const x = c.data[r * c.size + q];
        const delta = x - mu;
        mu += delta / (r + 1);
        s2 += delta * (x - mu);
        ss += x * x;
        if (x < min[j]) min[j] = x;
        if (x > max[j]) max[j] = x;
      }
      mean[j] = mu;
      m2[j] = s2;
      sq[j] = ss;
    }
  }
  return {
    mean,
    std: m2.map((v) => Math.sqrt(v / prep.n)),
    rms: sq.map((v) => Math.sqrt(v / prep.n)),
    min,
    max,
  };
}

/** Mean and population variance of each of `k` columns of a row-major [n × k] buffer. */
export function columnMoments(
  buf: Float64Array,
  n: number,
  k: number,
): { mean: Float64Array; variance: Float64Array; rms: Float64Array } {
  const mean = new Float64Array(k);
  const m2 = new Float64Array(k);
  const sq = new Float64Array(k);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < k; c++) {
      const x = buf[r * k + c];
      const delta = x - mean[c];
      mean[c] += delta / (r + 1);
      m2[c] += delta * (x - mean[c]);
      sq[c] += x * x;
    }
  return { mean, variance: m2.map((v) => v / n), rms: sq.map((v) => Math.sqrt(v / n)) };
}
