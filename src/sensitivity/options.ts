/**
 * The options of `analyze`, in a module of their own so each section (./sections/) can read them
 * without importing `analyze` itself.
 */
import type { CommonOptions } from "./engine/context.js";
import type { FinanceOptions } from "./engine/derivatives.js";
import type { DgsmDistributionOption } from "./methods/dgsm.js";
import type { ElasticityOptions } from "./methods/elasticity.js";
import type { ExpectedGradientsOptions } from "./methods/expectedGradients.js";
import type { IntegratedGradientsOptions } from "./methods/integratedGradients.js";
import type { SmoothGradOptions } from "./methods/smoothGrad.js";
import type { Scenario } from "./methods/whatif.js";
import type { EffectsOptions } from "./methods/effects/effects.js";
import type { SobolMarginalOption } from "./methods/sobol/marginals.js";
import type { DerivativeConstraint, ShapeKind } from "./methods/constraints/spec.js";
import type { IntegratedHessiansOptions } from "./methods/interactions/integratedHessians.js";

/**
 * Options of the `sobol` section (`analyze`'s `sobol` option when an object).
 *
 * @example
 * analyze(model, data, { sobol: { samples: 4096, marginals: { price: "uniform" } } });
 */
export interface SobolSectionOptions {
  /** N, the base rows; the model is evaluated N·(D + 2) times. Default 8192. */
  samples?: number;
  /** Bootstrap replicates (default the analysis's `bootstrap`). */
  bootstrap?: number;
  /** Marginals per feature: "empirical" (default), "uniform", "normal" or a spec, by feature name. */
  marginals?: SobolMarginalOption;
}

/**
 * Options of `analyze`; every one is optional.
 *
 * @example
 * const opts: AnalyzeOptions = {
 *   batchSize: 4096,
 *   finance: { price: "price" },
 *   attributionSamples: [0, 10, 20],
 *   integratedGradients: { baseline: "mean", method: "gauss-legendre" },
 *   bootstrap: 500,
 * };
 */
export interface AnalyzeOptions extends CommonOptions {
  /** Seed of every random choice (row samples, noise, bootstrap). Default 0. */
  seed?: number;
  /** Per-sample Hessians (cross terms included). Default: true with `finance`, else false. */
  secondOrder?: boolean;
  /** Keep per-sample results: true (all rows), false (none, the default) or the first n rows. */
  keepPerSample?: boolean | number;
  /** Price-like inputs, e.g. `{ price: "price" }`: adds delta, gamma and crossGamma. */
  finance?: FinanceOptions;
  /** Elasticities (default on), or their relative tolerances. */
  elasticities?: boolean | ElasticityOptions;
  /** Values a summary statistic may keep for exact quantiles before it samples rows. Default 1e6 (8 MB). */
  quantileMaxValues?: number;
  /** Rows to explain: indices, or a count drawn at random (seeded). Default 10; 0 turns attribution off. */
  attributionSamples?: readonly number[] | number;
  /** Default on. */
  integratedGradients?: boolean | IntegratedGradientsOptions;
  /** Default on. */
  smoothGrad?: boolean | SmoothGradOptions;
  /** Default on. */
  expectedGradients?: boolean | ExpectedGradientsOptions;
  /** DGSM section. Default on. */
  dgsm?: boolean;
  dgsmDistribution?: DgsmDistributionOption;
  /** Bootstrap replicates for DGSM intervals (0: none). Default 200. */
  bootstrap?: number;
  /** Level of the bootstrap intervals. Default 0.95. */
  confidenceLevel?: number;
  /** Rows to check against finite differences: indices or a count (seeded). Default 10; 0 turns it off. */
  verifySamples?: readonly number[] | number;
  /** Relative-error threshold of the verification. Default 1e-6. */
  verifyTolerance?: number;
  /** What-if scenarios (Taylor vs exact). */
  whatif?: readonly Scenario[];
  /** Rows the scenarios are evaluated on: indices or a count (seeded). Default every row. */
  whatifSamples?: readonly number[] | number;
  /**
   * Crossed-derivative interactions of every feature pair (off by default; turns second order on).
   * `bootstrap` overrides the analysis's replicates for this section. `integratedHessians` (on
   * with the section) adds Integrated Hessians of the explained rows (`attributionSamples`, with
   * Integrated Gradients' baseline); false turns them off.
   */
  /**
   * Units by feature, input or output name, e.g. `{ price: "USD", y: "USD" }` (an input's unit
   * applies to its features): labels for the tables and the report, kept in `meta.units`.
   */
  units?: Readonly<Record<string, string>>;
  interactions?:
    | boolean
    | {
        bootstrap?: number;
        integratedHessians?: boolean | Omit<IntegratedHessiansOptions, "baseline" | "integratedGradients">;
      };
  /**
   * Effect curves (ICE, PDP, derivative ICE, derivative-based ALE) of the named features, or of
   * the `top` (default 5) by mean |∂y/∂x_j|; off by default.
   */
  effects?: boolean | Pick<EffectsOptions, "features" | "top" | "grid" | "iceRows">;
  /**
   * Variance-based Sobol' indices over independent marginals of the features (empirical by
   * default), N·(D + 2) model evaluations; off by default. `true` is `{ samples: 8192 }`.
   */
  sobol?: boolean | SobolSectionOptions;
  /**
   * Shapes the model must have, per feature name (as in `featureNames`), checked with exact
   * derivatives on every row and on 1024 points of the data's bounding box (the `constraints` section).
   */
  expect?: Readonly<Record<string, readonly ShapeKind[]>>;
  /** Sign or range constraints on first or second derivatives (same section; see `pricingConstraints`). */
  constraints?: readonly DerivativeConstraint[];
}
