/** Timing and error measures shared by the benchmark runner. */
import type { Runner } from "./peers/types.js";

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Relative error of one output block: max_i |a_i − b_i| / max_i |b_i|. Normalising by the
 * block's largest reference magnitude (not element by element) keeps entries that are
 * legitimately near zero, e.g. off-diagonal Hessian terms, from inflating the figure.
 * A non-finite value or a length mismatch counts as an infinite error.
 */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!Number.isFinite(d)) return Infinity;
    if (d > num) num = d;
    if (Math.abs(b[i]) > den) den = Math.abs(b[i]);
  }
  return den === 0 ? num : num / den;
}

export interface Timing {
  /** Wall-clock ms per timed run. */
  times: number[];
  /**
   * CPU ms (user + system, all threads of this process) per timed run. Every system measured
   * here computes on one thread, so on an idle machine this tracks wall time; when other
   * processes compete for the cores it is the steadier of the two.
   */
  cpuTimes: number[];
  warmup: number;
  /** The output of the last timed run, for verification. */
  out: ArrayLike<number>[];
  /** Why fewer runs than asked were made, if so. */
  note?: string;
}

/**
 * Runs `warmup` untimed calls (JIT compilation, kernel caches, the first jax-js jit trace) and
 * then `runs` timed ones. A method so slow that its first call exceeds `slowMs` is timed with
 * that call alone, so one pathological peer cannot blow the time budget of the whole run.
 */
export async function time(r: Runner, warmup: number, runs: number, slowMs: number): Promise<Timing> {
  const t0 = performance.now();
  let out = await r.run();
  const first = performance.now() - t0;
  if (first > slowMs)
    return {
      times: [first],
      cpuTimes: [NaN],
      warmup: 0,
      out,
      note: `first call took ${(first / 1000).toFixed(1)} s; timed once, CPU time not measured`,
    };
  for (let i = 1; i < warmup; i++) out = await r.run();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    out = await r.run();
    times.push(performance.now() - t);
    const dc = process.cpuUsage(c);
    cpuTimes.push((dc.user + dc.system) / 1000);
  }
  return { times, cpuTimes, warmup, out };
}
