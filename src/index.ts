/**
 * gradlens: exact float64 derivatives of Keras-style models with respect to their inputs.
 *
 * The root entry point holds what an application uses: tensors and their ops, the transforms,
 * model building, loading and saving models, the sensitivity entry points with their options and
 * result types, the report writers and the errors. Everything else has a subpath of its own:
 * `gradlens/sensitivity` (the full result schema, Sobol' sequences, quadrature rules),
 * `gradlens/report` (tables, Vega-Lite specs, frame writers), `gradlens/io` (serialization,
 * the layer registry), `gradlens/nn`, `gradlens/testing`, `gradlens/cli`.
 *
 * @example
 * import { array, grad, vmap } from "gradlens";
 * const f = (x) => x.tanh().sum();
 * grad(f)(array([0.1, 0.2]));
 */
export { Tensor } from "./prims/tensor.js";
export type { Aval } from "./prims/tensor.js";
export type { DType, DataArray } from "./core/dtype.js";
export type { Shape } from "./core/shape.js";
export type { NestedArray } from "./core/ndarray.js";
export { GradlensError, ShapeError, DTypeError, ValueError, TracerError } from "./core/errors.js";
export { Rng } from "./core/rng.js";
export * from "./api/index.js";
export * from "./ops/index.js";
export * from "./nn/index.js";

// Model files.
export { loadModel, type LoadOptions, type ModelFileInfo, type ModelFileFormat } from "./io/load.js";
export { registerLayer, type LayerBuilder, type LayerBuildContext } from "./io/registry.js";
export type { ModelSource, FileMap } from "./io/source.js";
export { ModelFormatError, UnsupportedLayerError } from "./io/errors.js";
export { saveModel, saveKerasBytes } from "./io/save.js";
export { fromTfjs, type TfjsLayersModelLike } from "./io/fromTfjs.js";
export { inspectModel } from "./io/inspect.js";

// Sensitivity analysis: the entry points, their options and their results.
export { analyze, type AnalyzeOptions } from "./sensitivity/analyze.js";
export {
  derivatives,
  type Derivatives,
  type DerivativesOptions,
  type DerivativeTarget,
} from "./sensitivity/derivativeTensors.js";
export { predict, type Prediction } from "./sensitivity/predict.js";
export { integratedGradients, type IntegratedGradientsOptions } from "./sensitivity/integratedGradients.js";
export { smoothGrad, type SmoothGradOptions } from "./sensitivity/smoothGrad.js";
export { expectedGradients, type ExpectedGradientsOptions } from "./sensitivity/expectedGradients.js";
export { inputXGradient } from "./sensitivity/inputXGradient.js";
export { dgsm, type DgsmOptions } from "./sensitivity/dgsm.js";
export { verifyDerivatives, type VerifyOptions } from "./sensitivity/verify.js";
export { taylorWhatIf, type Scenario, type WhatIfOptions } from "./sensitivity/whatif.js";
export { effects, type EffectsOptions, type EffectsResult } from "./sensitivity/effects/effects.js";
export {
  checkConstraints,
  type ConstraintOptions,
  type ConstraintsResult,
} from "./sensitivity/constraints/check.js";
export { pricingConstraints } from "./sensitivity/constraints/spec.js";
export {
  sobolIndices,
  type SobolIndicesOptions,
  type SobolIndicesResult,
} from "./sensitivity/sobol/indices.js";
export {
  crossedDerivatives,
  type CrossedDerivativeOptions,
  type InteractionsResult,
} from "./sensitivity/interactions/crossed.js";
export type { Explained } from "./sensitivity/attributionCommon.js";
export type { CommonOptions, ProgressCallback } from "./sensitivity/context.js";
export type { InputData } from "./sensitivity/data.js";
export type { ModelLike, Target } from "./sensitivity/target.js";
export type { SensitivityResult } from "./sensitivity/schema.js";

// Reports of a result.
export { formatAnalysis, type FormatAnalysisOptions } from "./report/terminal.js";
export { renderHtmlReport, type HtmlReportOptions } from "./report/html.js";
export { writeHtmlReport } from "./report/write.js";
export { loadVegaScripts } from "./report/vega.js";
