/**
 * The one feature ranking of the analysis: by σ_j · mean |∂y/∂x_j|, largest first. The summary's
 * `ranking[].byScaled` and the effects section's default features both rank with these.
 */
import { jnum } from "../result/json.js";

/**
 * σ_j · mean |∂y/∂x_j|: the typical output change for a one-standard-deviation move of feature j,
 * comparable across features measured in different units — what every "top features" choice
 * ranks by (the summary's `byScaled`, the effects section's default features). Null when not finite.
 *
 * @example
 * scaledMeanAbs(0.5, 4); // 2
 * scaledMeanAbs(NaN, 4); // null
 */
export function scaledMeanAbs(meanAbs: number | null, std: number): number | null {
  return meanAbs === null ? null : jnum(meanAbs * std);
}

/**
 * Indices ordered by score, largest first; null (and NaN) last, ties in index order. The order of
 * every feature ranking.
 *
 * @example
 * featureOrder([1, null, 3, 1]); // [2, 0, 3, 1]
 */
export function featureOrder(scores: readonly (number | null)[]): number[] {
  const key = (i: number) => {
    const v = scores[i];
    return v === null || Number.isNaN(v) ? -Infinity : v;
  };
  return scores.map((_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
}
