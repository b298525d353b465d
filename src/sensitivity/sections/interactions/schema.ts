/**
 * JSON types of the interactions section of the result (docs/sensitivity-schema.md, "Variance-based
 * indices and interactions"): the object `crossedDerivatives` returns, plus Integrated Hessians of
 * the explained rows. Re-exported by sensitivity/result/schema.ts.
 */
import type { InteractionsResult } from "../../methods/interactions/crossed.js";
import type { JsonNumber } from "../../result/schemaBase.js";

/**
 * Integrated Hessians (Janizek, Sturmfels & Lee 2021) of the explained rows (those of Integrated
 * Gradients, with its baseline). Indices: s = explained sample (position in `rows`), k = output,
 * i, j = features. Γ is symmetric; its diagonal holds each feature's main effect, and its rows sum
 * to Integrated Gradients (checked in `igDelta`), its entries to y(x) − y(x') (`completenessDelta`).
 *
 * @example
 * const ih: IntegratedHessiansSection = analyze(model, data, { interactions: true }).interactions!.integratedHessians!;
 * const s = ih.rows.indexOf(42);
 * ih.interactions[s][0]; // D × D matrix of row 42, output 0
 * ih.converged; // both completeness checks within ih.tolerance for every row and output
 */
export interface IntegratedHessiansSection {
  /** Data row of each explained sample. */
  rows: number[];
  baseline: { kind: "zeros" | "mean" | "values"; features: JsonNumber[] };
  /** Tensor-product Gauss–Legendre rule in (α, β). */
  method: "gauss-legendre";
  /** Points per axis of the first attempt. */
  points: number;
  /** Cap on the points per axis. */
  maxPoints: number;
  /** Points per axis of each sample's final rule, [s] (0 when not integrated). */
  pointsUsed: number[];
  /** Hessians (and gradients) evaluated, all attempts. */
  hessianEvaluations: number;
  /** Absolute tolerance of both completeness checks (output units). */
  tolerance: JsonNumber;
  /** Every sample trustworthy for every output. */
  converged: boolean;
  /** [s][k]: finite, both checks within the tolerance, and the row's IG converged. */
  trustworthy: boolean[][];
  /** Why some samples are not trustworthy, and what to change; null when converged. */
  reason: string | null;
  /** Γ, [s][k][i][j]. */
  interactions: JsonNumber[][][][];
  /** Mean |Γ_ij| over the samples, [k][i][j]. */
  meanAbs: JsonNumber[][][];
  /** Σ_j Γ_ij, [s][k][i]. */
  featureSums: JsonNumber[][][];
  /** Integrated Gradients IG_i of the same rows and baseline, [s][k][i]. */
  integratedGradients: JsonNumber[][][];
  /** Σ_j Γ_ij − IG_i, [s][k][i]. */
  igDelta: JsonNumber[][][];
  /** Σ_ij Γ_ij − (y_k(x) − y_k(x')), [s][k]. */
  completenessDelta: JsonNumber[][];
  maxAbsCompletenessDelta: JsonNumber;
  maxAbsIgDelta: JsonNumber;
  /** y(x) and y(x'), [s][k]. */
  output: JsonNumber[][];
  baselineOutput: JsonNumber[][];
}

/**
 * Crossed-derivative interaction measures of every feature pair, as `crossedDerivatives` gives
 * them: `pairs[] = { output, features: [a, b], nu, bound, ci, … }` sorted by ν descending, and
 * Integrated Hessians of the explained rows (null when off or no rows are explained; absent in
 * results written before it existed).
 *
 * @example
 * const section: InteractionsSection = analyze(model, data, { interactions: true }).interactions!;
 * section.pairs[0].features; // the pair with the largest E[(∂²y/∂x_a∂x_b)²]
 */
export type InteractionsSection = InteractionsResult & {
  integratedHessians?: IntegratedHessiansSection | null;
};
