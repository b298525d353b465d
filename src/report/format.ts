/**
 * Number formatting shared by the terminal tables and the HTML report: a fixed number of
 * significant digits, exponent notation for very small and very large magnitudes, and a dash for
 * values the sensitivity result stores as `null` (not finite or not defined).
 */

/** What a `null` (not finite / not defined) value prints as. */
export const MISSING = "—";

/**
 * `x` with `digits` significant digits: plain notation for 1e-3 ≤ |x| < 1e6, exponent notation
 * otherwise; `—` for null, undefined or non-finite values; `0` for zero.
 *
 * @example
 * fmtNum(0.000012345); // "1.234e-5"
 * fmtNum(1234.5678);   // "1235"
 * fmtNum(null);        // "—"
 */
export function fmtNum(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return MISSING;
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  const s = x.toPrecision(digits);
  // toPrecision may itself switch to exponent form (e.g. 123456 with 4 digits); use the integer then.
  if (s.includes("e")) return String(Math.round(x));
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * A share in [0, 1] as a percentage with one decimal.
 *
 * @example
 * fmtPct(0.4567); // "45.7%"
 */
export function fmtPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return MISSING;
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * Milliseconds as a short duration.
 *
 * @example
 * fmtMs(1234); // "1.2 s"
 */
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
