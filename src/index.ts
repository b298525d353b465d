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
export { registerLayer, type LayerBuilder, type LayerBuildContext } from "./io/build/registry.js";
export type { ModelSource, FileMap } from "./io/source.js";
export { ModelFormatError, UnsupportedLayerError } from "./io/errors.js";
export { saveModel, saveKerasBytes } from "./io/save/save.js";
export { fromTfjs, type TfjsLayersModelLike } from "./io/formats/fromTfjs.js";
export { inspectModel } from "./io/inspect.js";

// Sensitivity analysis: the entry points, their options and their results.
export { analyze, type AnalyzeOptions } from "./sensitivity/analyze.js";
export {
  derivatives,
  type Derivatives,
  type DerivativesOptions,
  type DerivativeTarget,
} from "./sensitivity/engine/derivativeTensors.js";
export { predict, type Prediction } from "./sensitivity/engine/predict.js";
export {
  integratedGradients,
  type IntegratedGradientsOptions,
} from "./sensitivity/methods/integratedGradients.js";
export { smoothGrad, type SmoothGradOptions } from "./sensitivity/methods/smoothGrad.js";
export { expectedGradients, type ExpectedGradientsOptions } from "./sensitivity/methods/expectedGradients.js";
export { inputXGradient } from "./sensitivity/methods/inputXGradient.js";
export { dgsm, type DgsmOptions } from "./sensitivity/methods/dgsm.js";
export { verifyDerivatives, type VerifyOptions } from "./sensitivity/methods/verify.js";
export { taylorWhatIf, type Scenario, type WhatIfOptions } from "./sensitivity/methods/whatif.js";
export { effects, type EffectsOptions, type EffectsResult } from "./sensitivity/methods/effects/effects.js";
export {
  checkConstraints,
  type ConstraintOptions,
  type ConstraintsResult,
} from "./sensitivity/methods/constraints/check.js";
export { pricingConstraints } from "./sensitivity/methods/constraints/spec.js";
export {
  sobolIndices,
  type SobolIndicesOptions,
  type SobolIndicesResult,
} from "./sensitivity/methods/sobol/indices.js";
export {
  crossedDerivatives,
  type CrossedDerivativeOptions,
  type InteractionsResult,
} from "./sensitivity/methods/interactions/crossed.js";
export type { Explained } from "./sensitivity/methods/attributionCommon.js";
export type { CommonOptions, ProgressCallback } from "./sensitivity/engine/context.js";
export type { InputData } from "./sensitivity/engine/data.js";
export type { ModelLike, Target } from "./sensitivity/engine/target.js";
export type { SensitivityResult } from "./sensitivity/result/schema.js";

// Reports of a result.
export { formatAnalysis, type FormatAnalysisOptions } from "./report/terminal.js";
export { renderHtmlReport, type HtmlReportOptions } from "./report/html.js";
export { writeHtmlReport } from "./report/write.js";
export { loadVegaScripts } from "./report/vega.js";
