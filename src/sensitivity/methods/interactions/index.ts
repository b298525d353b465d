/** Interaction measures from exact second derivatives. */
export { integratedHessians, type IntegratedHessiansOptions } from "./integratedHessians.js";
export {
  crossedDerivatives,
  type CrossedDerivativeOptions,
  type InteractionPair,
  type InteractionsResult,
} from "./crossed.js";
