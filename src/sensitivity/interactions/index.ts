/** Interaction measures from exact second derivatives. */
export {
  crossedDerivatives,
  type CrossedDerivativeOptions,
  type InteractionPair,
  type InteractionsResult,
} from "./crossed.js";
