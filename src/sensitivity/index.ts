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
} from "./engine/derivativeTensors.js";
export { predict, type Prediction } from "./engine/predict.js";
export {
  perSampleDerivatives,
  summarize,
  type FinanceOptions,
  type PerSampleDerivativeOptions,
  type SummarizeOptions,
} from "./engine/derivatives.js";
export { inputXGradient } from "./methods/inputXGradient.js";
export {
  integratedGradients,
  type IntegratedGradientsOptions,
  type BaselineOption,
  type InputBaseline,
} from "./methods/integratedGradients.js";
export { smoothGrad, type SmoothGradOptions } from "./methods/smoothGrad.js";
export { expectedGradients, type ExpectedGradientsOptions } from "./methods/expectedGradients.js";
export {
  dgsm,
  type DgsmOptions,
  type DgsmDistributionOption,
  type DgsmDistributionSpec,
} from "./methods/dgsm.js";
export { verifyDerivatives, type VerifyOptions } from "./methods/verify.js";
export { taylorWhatIf, type Scenario, type ShockSpec, type WhatIfOptions } from "./methods/whatif.js";
export {
  effects,
  type EffectsOptions,
  type EffectsResult,
  type FeatureEffect,
} from "./methods/effects/effects.js";
export {
  checkConstraints,
  type ConstraintCheck,
  type ConstraintOptions,
  type ConstraintPoint,
  type ConstraintRow,
  type ConstraintsResult,
} from "./methods/constraints/check.js";
export {
  pricingConstraints,
  type DerivativeConstraint,
  type PricingRoles,
  type ShapeKind,
} from "./methods/constraints/spec.js";
export {
  gaussLegendre,
  pathQuadrature,
  type QuadratureMethod,
  type QuadratureRule,
} from "./stats/quadrature.js";
export type { AttributionRowsOptions, Explained } from "./methods/attributionCommon.js";
export type { CommonOptions, Progress, ProgressCallback, Stage } from "./engine/context.js";
export type { DataValue, InputData, NamedData } from "./engine/data.js";
export { memoryRowSource, type ColumnInfo, type RowSource } from "./engine/rows.js";
export type { NonFiniteCounts } from "./engine/nonfinite.js";
export type { ElasticityOptions } from "./methods/elasticity.js";
export type { LayoutOptions } from "./engine/prepare.js";
export type { ModelLike, Target, TargetFunction } from "./engine/target.js";
export type * from "./result/schema.js";
export { GRADLENS_VERSION, SCHEMA_VERSION } from "./result/version.js";
export * from "./methods/sobol/index.js";
export * from "./methods/interactions/index.js";
