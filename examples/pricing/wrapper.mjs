// The quant's pricing wrapper for `gradlens --wrap`: the loaded model is the hidden network
// (examples/pricing/hidden.keras, 8 features → 1), and the price the analysis differentiates is
//   value = (hidden(features) + 1) · price
// per row. `price` arrives as [N] (one CSV column) and `features` as [N, 8]; reshaping the price
// to [N, 1] keeps the product per row (an [N, 1] × [N] product would broadcast to [N, N]).
//
//   gradlens analyze examples/pricing/hidden.keras --data examples/pricing/data/pricing.csv \
//     --wrap examples/pricing/wrapper.mjs --finance price=price

/** The inputs the wrapper takes; CSV columns map to them (`price` by name, the rest to `features`). */
export const inputNames = ["price", "features"];

/** The name of the output in tables and reports. */
export const outputNames = ["value"];

/**
 * @param {{ call(x: unknown): any }} model the loaded hidden model
 * @param {Record<string, any>} inputs batch-first tensors by input name
 */
export default function wrap(model, { price, features }) {
  return model
    .call(features)
    .add(1)
    .mul(price.reshape([-1, 1]));
}
