/** Sobol' sequences and variance-based Sobol' indices. */
export { SobolSequence, type SobolSequenceOptions } from "./sequence.js";
export { normalQuantile, type SobolMarginal, type SobolMarginalInfo } from "./marginals.js";
export {
  sobolIndices,
  type SobolFunction,
  type SobolIndexRow,
  type SobolIndicesOptions,
  type SobolIndicesResult,
} from "./indices.js";
