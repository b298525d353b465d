/** Sobol' sequences and variance-based Sobol' indices. */
export { SobolSequence, type SobolSequenceOptions } from "./sequence.js";
export {
  normalQuantile,
  sobolMarginalsFromData,
  type SobolMarginal,
  type SobolMarginalInfo,
  type SobolMarginalOption,
} from "./marginals.js";
export {
  sobolIndices,
  type SobolFunction,
  type SobolIndexRow,
  type SobolIndicesOptions,
  type SobolIndicesResult,
} from "./indices.js";
