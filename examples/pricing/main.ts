/**
 * `npm run demo`: the pricing model end to end. Prints per-sample values and derivatives of the
 * seed model and of a richer MLP variant, checked against closed forms and finite differences.
 */
import { runDerivativesDemo } from "./derivativesDemo.js";

const result = runDerivativesDemo({ rows: 10, print: (l) => console.log(l) });
const worst = Math.max(
  result.closedFormError.dPrice,
  result.closedFormError.dFeatures,
  result.finiteDifferenceError.seed,
  result.finiteDifferenceError.mlp,
);
if (worst > 1e-6) {
  console.error(`derivative checks failed (max rel err ${worst})`);
  process.exit(1);
}
