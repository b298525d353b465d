/**
 * Independent input marginals for variance-based indices, as inverse CDFs that map a uniform
 * coordinate u ∈ (0, 1) of the design to a feature value: declared distributions (uniform,
 * normal — the forms of DGSM's distribution specs) or the empirical distribution of a data column
 * (its quantile function, NumPy's "linear" interpolation between order statistics).
 */
import { ValueError } from "../../../core/errors.js";
import { erfc } from "../../../kernels/special.js";
import { sortedQuantile } from "../../stats/stats.js";

/**
 * The distribution of one input: uniform on [low, high], normal N(mean, std²), or the empirical
 * distribution of observed values.
 *
 * @example
 * const price: SobolMarginal = { type: "uniform", low: 50, high: 150 };
 * const vol: SobolMarginal = { type: "normal", mean: 0.2, std: 0.05 };
 * const age: SobolMarginal = { type: "empirical", values: ages };
 */
export type SobolMarginal =
  | { type: "uniform"; low: number; high: number }
  | { type: "normal"; mean?: number; std: number }
  | { type: "empirical"; values: ArrayLike<number> };

/**
 * What a result records about each marginal (the values of an empirical one are summarised by
 * their count, min and max).
 *
 * @example
 * const info: SobolMarginalInfo = { feature: "x0", type: "uniform", low: 0, high: 1, mean: null, std: null, count: null };
 */
export interface SobolMarginalInfo {
  feature: string;
  type: "uniform" | "normal" | "empirical";
  low: number | null;
  high: number | null;
  mean: number | null;
  std: number | null;
  /** Observations behind an empirical marginal. */
  count: number | null;
}

/**
 * Φ⁻¹(p), the standard normal quantile: Acklam's rational approximation (relative error
 * 1.15e-9) refined by one Halley step on Φ(x) − p with Φ from an accurate erfc, which brings it to
 * about machine precision. Φ⁻¹(0) = −∞, Φ⁻¹(1) = ∞, NaN outside [0, 1].
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow || p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(p < pLow ? p : 1 - p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > pLow) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  // Halley step: e = Φ(x) − p, computed from the tail that does not cancel.
  const e = x < 0 ? 0.5 * erfc(-x / Math.SQRT2) - p : 1 - p - 0.5 * erfc(x / Math.SQRT2);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** A validated marginal: its inverse CDF and its description. */
export interface ResolvedMarginal {
  quantile: (u: number) => number;
  info: SobolMarginalInfo;
}

/** Checks a marginal spec and builds its inverse CDF; `who` and `feature` name it in errors. */
export function resolveMarginal(spec: SobolMarginal, feature: string, who: string): ResolvedMarginal {
  const fail = (why: string) => new ValueError(`${who}: the marginal of feature '${feature}' ${why}`);
  const none = { low: null, high: null, mean: null, std: null, count: null };
  if (typeof spec !== "object" || spec === null)
    throw fail(`must be an object with a type ("uniform", "normal" or "empirical"), got ${String(spec)}`);
  if (spec.type === "uniform") {
    const { low, high } = spec;
    if (!(Number.isFinite(low) && Number.isFinite(high) && high >= low))
      throw fail(`is uniform on [${low}, ${high}]; low and high must be finite with low ≤ high`);
    return {
      quantile: (u) => low + (high - low) * u,
      info: { feature, type: "uniform", ...none, low, high },
    };
  }
  if (spec.type === "normal") {
    const { mean, std } = spec;
    if (mean === undefined)
      throw fail(`is normal without a mean; give one (there is no data to take it from)`);
    if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0))
      throw fail(`is normal with mean ${mean} and std ${std}; both must be finite and std ≥ 0`);
    return {
      quantile: (u) => mean + std * normalQuantile(u),
      info: { feature, type: "normal", ...none, mean, std },
    };
  }
  if (spec.type === "empirical") {
    const values = spec.values;
    if (
      values === null ||
      typeof values !== "object" ||
      typeof values.length !== "number" ||
      values.length === 0
    )
      throw fail(`is empirical with no values`);
    const sorted = Float64Array.from(values as ArrayLike<number>);
    for (let i = 0; i < sorted.length; i++)
      if (!Number.isFinite(sorted[i]))
        throw fail(`is empirical and value ${i} is ${sorted[i]}; every value must be finite`);
    sorted.sort();
    return {
      quantile: (u) => sortedQuantile(sorted, u),
      info: {
        feature,
        type: "empirical",
        ...none,
        low: sorted[0],
        high: sorted[sorted.length - 1],
        count: sorted.length,
      },
    };
  }
  throw fail(
    `has unknown type '${String((spec as { type: unknown }).type)}' (expected "uniform", "normal" or "empirical")`,
  );
}

/**
 * How to take a feature's marginal from its data column: its empirical distribution (the
 * default), a uniform over its range or a normal with its mean and standard deviation (the DGSM
 * kinds), or an explicit spec.
 *
 * @example
 * const option: SobolMarginalOption = { price: "empirical", vol: { type: "normal", std: 0.05 }, features: "uniform" };
 */
export type SobolMarginalOption =
  "empirical" | "uniform" | "normal" | Record<string, "empirical" | "uniform" | "normal" | SobolMarginal>;

/**
 * Marginals for `sobolIndices` from data columns (one per feature, keys in feature order): each
 * feature's empirical distribution, or a uniform/normal fitted to it (min–max; mean and
 * population std), or what `option` declares for it by name. A declared normal without a mean
 * takes the column's mean, as in DGSM.
 *
 * @example
 * const marginals = sobolMarginalsFromData({ price: prices, vol: vols }, { vol: "normal" });
 * sobolIndices(f, marginals, { samples: 4096 });
 */
export function sobolMarginalsFromData(
  columns: Record<string, ArrayLike<number>>,
  option: SobolMarginalOption = "empirical",
): Record<string, SobolMarginal> {
  if (typeof option === "object" && option !== null)
    for (const key of Object.keys(option))
      if (!(key in columns))
        throw new ValueError(`sobolMarginalsFromData: the option names '${key}', which is not a data column`);
  const out: Record<string, SobolMarginal> = {};
  for (const [name, values] of Object.entries(columns)) {
    const spec = typeof option === "string" ? option : (option[name] ?? "empirical");
    if (typeof spec === "object") {
      out[name] =
        spec.type === "normal" && spec.mean === undefined
          ? { ...spec, mean: moments(values, name).mean }
          : spec;
      continue;
    }
    if (spec === "empirical") {
      out[name] = { type: "empirical", values };
      continue;
    }
    const m = moments(values, name);
    if (spec === "uniform") out[name] = { type: "uniform", low: m.min, high: m.max };
    else if (spec === "normal") out[name] = { type: "normal", mean: m.mean, std: m.std };
    else
      throw new ValueError(
        `sobolMarginalsFromData: unknown marginal '${String(spec)}' for '${name}' (expected "empirical", "uniform", "normal" or a spec)`,
      );
  }
  return out;
}

/** Min, max, mean and population std of a finite column (Welford). */
function moments(values: ArrayLike<number>, name: string) {
  if (values.length === 0) throw new ValueError(`sobolMarginalsFromData: column '${name}' is empty`);
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x))
      throw new ValueError(
        `sobolMarginalsFromData: value ${i} of column '${name}' is ${x}; every value must be finite`,
      );
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { mean, std: Math.sqrt(m2 / values.length), min, max };
}
