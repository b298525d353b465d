/**
 * Moments of each feature over the data: the scales other analyses need (IG's "mean" baseline,
 * SmoothGrad's noise, DGSM's input distributions, finite-difference steps, elasticity tolerances).
 */
import type { Prepared } from "./prepare.js";
import { forEachBatch } from "./rows.js";

export interface FeatureMoments {
  mean: Float64Array;
  /** Population standard deviation (ddof = 0). */
  std: Float64Array;
  rms: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

const cache = new WeakMap<object, FeatureMoments>();

/**
 * Moments over every row, per feature (Welford, rows in order), read batch by batch from the
 * data's row source; computed once per prepared data (a file source is read once for them).
 */
export function featureMoments(
  prep: Pick<Prepared, "n" | "d" | "columns" | "rows" | "diff" | "offsets">,
): FeatureMoments {
  const known = cache.get(prep.rows);
  // Copies: callers own what they get (the arrays are D numbers each).
  if (known !== undefined)
    return {
      mean: known.mean.slice(),
      std: known.std.slice(),
      rms: known.rms.slice(),
      min: known.min.slice(),
      max: known.max.slice(),
    };
  const d = prep.d;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const sq = new Float64Array(d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  forEachBatch(prep.rows, (arrays, start, count) => {
    for (const ci of prep.diff) {
      const { size } = prep.columns[ci];
      const off = prep.offsets[ci];
      const a = arrays[ci];
      for (let q = 0; q < size; q++) {
        const j = off + q;
        let mu = mean[j];
        let s2 = m2[j];
        let ss = sq[j];
        for (let r = 0; r < count; r++) {
          const x = a[r * size + q];
          const delta = x - mu;
          mu += delta / (start + r + 1);
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
  });
  const out = {
    mean,
    std: m2.map((v) => Math.sqrt(v / prep.n)),
    rms: sq.map((v) => Math.sqrt(v / prep.n)),
    min,
    max,
  };
  cache.set(prep.rows, {
    mean: mean.slice(),
    std: out.std.slice(),
    rms: out.rms.slice(),
    min: min.slice(),
    max: max.slice(),
  });
  return out;
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
