/**
 * JSON types of the sobol section of the result (docs/sensitivity-schema.md, "Variance-based
 * indices and interactions"): the same object `sobolIndices` returns. Re-exported by
 * sensitivity/result/schema.ts.
 */
import type { SobolIndicesResult } from "../../methods/sobol/indices.js";

/**
 * Variance-based Sobol' indices of the target over independent marginals taken from the data:
 * `indices[] = { output, feature, first, total, firstCi, totalCi, … }` and `evaluations`.
 *
 * @example
 * const section: SobolSection = analyze(model, data, { sobol: { samples: 4096 } }).sobol!;
 * section.indices.map((i) => [i.feature, i.first, i.total]);
 */
export type SobolSection = SobolIndicesResult;
