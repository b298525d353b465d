/**
 * The Poisson bootstrap, a streaming form of Efron's bootstrap for large data: instead of
 * resampling N rows with replacement (multinomial counts), every row gets an independent
 * Poisson(1) weight in every replicate, so replicates are built in one pass with no stored rows
 * and the same result however the rows are batched (Hanley & MacGibbon 2006; Chamandy, Muralidharan,
 * Najmi & Naidu 2012, "Estimating uncertainty for massive data streams"). Intervals are percentile
 * intervals of the replicate statistics.
 */
import type { Rng } from "../../core/rng.js";
import { sortedQuantile } from "./stats.js";

/** P(X ≤ k) of Poisson(1), scaled to 2^32, for k = 0…19 (P(X > 19) < 1e-18). */
const POISSON1_CDF: Uint32Array = (() => {
  const out = new Uint32Array(20);
  let p = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; k < 20; k++) {
    cdf += p;
    out[k] = Math.min(4294967295, Math.floor(cdf * 4294967296));
    p /= k + 1;
  }
  out[19] = 4294967295;
  return out;
})();

const [C0, C1, C2, C3] = POISSON1_CDF;

/** A Poisson(1) draw by inversion on 32 random bits (the first steps unrolled: 98% of draws are ≤ 3). */
export function poisson1(rng: Rng): number {
  const u = rng.nextUint32();
  if (u < C0) return 0;
  if (u < C1) return 1;
  if (u < C2) return 2;
  if (u < C3) return 3;
  let k = 4;
  while (k < 19 && u >= POISSON1_CDF[k]) k++;
  return k;
}

/** Percentile interval at `level` (e.g. 0.95) of the finite replicate values, or null if none. */
export function percentileInterval(replicates: ArrayLike<number>, level: number): [number, number] | null {
  const finite: number[] = [];
  for (let i = 0; i < replicates.length; i++) if (Number.isFinite(replicates[i])) finite.push(replicates[i]);
  if (finite.length === 0 || finite.length < replicates.length) return null;
  const sorted = Float64Array.from(finite).sort();
  return [sortedQuantile(sorted, (1 - level) / 2), sortedQuantile(sorted, (1 + level) / 2)];
}
