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

export interface Sample {
  out: ArrayLike<number>[];
  wallMs: number;
  /**
   * CPU ms (user + system, all threads of this process). Every system measured here computes on
   * one thread, so on an idle machine this tracks wall time; when other processes compete for
   * the cores it is the steadier of the two.
   */
  cpuMs: number;
}

/** One call of a runner, with its wall and CPU time. */
export async function timedRun(r: Runner): Promise<Sample> {
  await r.activate?.();
  const c = process.cpuUsage();
  const t = performance.now();
  const out = await r.run();
  const wallMs = performance.now() - t;
  const dc = process.cpuUsage(c);
  const self = r.selfTimed?.();
  if (self) return { out, ...self };
  return { out, wallMs, cpuMs: (dc.user + dc.system) / 1000 };
}
