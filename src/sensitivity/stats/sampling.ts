/**
 * Seeded choices of rows. Everything random in `src/sensitivity` draws from `Rng` streams whose
 * seeds are derived here, so one `seed` option reproduces a whole analysis on every machine.
 */
import { Rng } from "../../core/rng.js";
import { ValueError } from "../../core/errors.js";

/**
 * A seed for one component of an analysis, derived from the user's seed and the component's name
 * (FNV-1a over the name, mixed with the seed), so components draw independent streams and adding
 * a component does not change the numbers of another.
 */
export function subSeed(seed: number, component: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < component.length; i++) h = Math.imul(h ^ component.charCodeAt(i), 0x01000193) >>> 0;
  return (seed >>> 0) * 4294967296 + h;
}

/** A uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng.nextFloat() * n);
}

/**
 * `count` distinct rows of `0..n-1` chosen uniformly without replacement (Floyd's algorithm),
 * sorted ascending. All rows when `count >= n`.
 */
export function sampleRows(n: number, count: number, rng: Rng): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - count; j < n; j++) {
    const t = randInt(rng, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Resolves a "which rows" option: explicit row indices (validated, kept in the given order), or a
 * count of rows to draw at random (seeded, sorted), or `defaultCount` rows when undefined.
 */
export function resolveRows(
  spec: readonly number[] | number | undefined,
  n: number,
  defaultCount: number,
  seed: number,
  option: string,
): number[] {
  if (Array.isArray(spec)) {
    spec.forEach((r) => {
      if (!Number.isInteger(r) || r < 0 || r >= n)
        throw new ValueError(`${option}: row ${r} is not a row index of the data (0 … ${n - 1})`);
    });
    return spec.slice();
  }
  const count = spec === undefined ? defaultCount : (spec as number);
  if (!Number.isInteger(count) || count < 0)
    throw new ValueError(
      `${option}: expected row indices or a non-negative integer count, got ${String(spec)}`,
    );
  return sampleRows(n, Math.min(count, n), new Rng(seed));
}
