/**
 * Sensitivity analysis of models with respect to their inputs: `analyze` for everything at once,
 * and the lower-level functions it composes.
 */
export { analyze, type AnalyzeOptions } from "./analyze.js";
export {
  derivatives,
  type Derivatives,
  type DerivativesOptions,
  type DerivativeTarget,
} from "./derivativeTensors.js";
export { predict, type Prediction } from "./predict.js";
export {
  perSampleDerivatives,
  summarize,
  type FinanceOptions,
  type PerSampleDerivativeOptions,
  type SummarizeOptions,
} from "./derivatives.js";
export { inputXGradient } from "./inputXGradient.js";
export {
  integratedGradients,
  type IntegratedGradientsOptions,
  type BaselineOption,
  type InputBaseline,
} from "./integratedGradients.js";
export { smoothGrad, type SmoothGradOptions } from "./smoothGrad.js";
export { expectedGradients, type ExpectedGradientsOptions } from "./expectedGradients.js";
export { dgsm, type DgsmOptions, type DgsmDistributionOption, type DgsmDistributionSpec } from "./dgsm.js";
export { verifyDerivatives, type VerifyOptions } from "./verify.js";
export { taylorWhatIf, type Scenario, type ShockSpec, type WhatIfOptions } from "./whatif.js";
export { effects, type EffectsOptions, type EffectsResult, type FeatureEffect } from "./effects/effects.js";
export {
  checkConstraints,
  type ConstraintCheck,
  type ConstraintOptions,
  type ConstraintPoint,
  type ConstraintRow,
  type ConstraintsResult,
} from "./constraints/check.js";
export {
  pricingConstraints,
  type DerivativeConstraint,
  type PricingRoles,
  type ShapeKind,
} from "./constraints/spec.js";
export { gaussLegendre, pathQuadrature, type QuadratureMethod, type QuadratureRule } from "./quadrature.js";
export type { AttributionRowsOptions, Explained } from "./attributionCommon.js";
export type { CommonOptions, Progress, ProgressCallback, Stage } from "./context.js";
export type { DataValue, InputData, NamedData } from "./data.js";
export { memoryRowSource, type ColumnInfo, type RowSource } from "./rows.js";
export type { NonFiniteCounts } from "./nonfinite.js";
export type { ElasticityOptions } from "./elasticity.js";
export type { LayoutOptions } from "./prepare.js";
export type { ModelLike, Target, TargetFunction } from "./target.js";
export type * from "./schema.js";
export { GRADLENS_VERSION, SCHEMA_VERSION } from "./version.js";
export * from "./sobol/index.js";
export * from "./interactions/index.js";
