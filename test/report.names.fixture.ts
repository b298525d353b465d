/**
 * A sensitivity result whose input, feature, output and title strings hold everything that breaks
 * code but not data: line and paragraph separators (U+2028/U+2029, line terminators inside a Vega
 * expression), quotes of both kinds, backslashes, a template-literal opener and `</script>`. Every
 * name carries the marker "ᗢ" so a test can tell whether it reached an expression.
 */
import { array, random, tanh, type Tensor } from "../src/index.js";
import { analyze } from "../src/sensitivity/index.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

export const MARK = "ᗢ";
const ODD = `${MARK}\u2028"q" 'a' \\ \\u2028 \u2029</script>\${x}`;

export const ODD_NAMES = {
  /** An input whose features keep their default names (`<input>[j]`). */
  input: `in ${ODD}`,
  feature: `feat ${ODD}`,
  output: `out ${ODD}`,
  title: `title ${ODD}`,
};

const W = array([
  [0.8, -0.3],
  [-0.5, 0.4],
  [0.3, 0.9],
]);

/** y = tanh(x·W)·1 · price, plus a second input with default feature names. */
export function oddNamesResult(n = 80): SensitivityResult {
  const target = (d: Record<string, Tensor>) => ({
    [ODD_NAMES.output]: tanh(d.x.matmul(W))
      .sum({ axis: 1, keepdims: true })
      .mul(d.price.reshape([-1, 1]))
      .add(d[ODD_NAMES.input].sum({ axis: 1, keepdims: true }).square()),
  });
  return analyze(
    target,
    {
      x: random.normal([n, 3], { seed: 1 }),
      price: random.uniform([n], { seed: 2, low: 1, high: 2 }),
      [ODD_NAMES.input]: random.normal([n, 2], { seed: 3 }),
    },
    {
      featureNames: { x: [ODD_NAMES.feature, `${ODD_NAMES.feature} 2`, "plain"] },
      finance: { price: "price" },
      keepPerSample: 40,
      attributionSamples: 3,
      integratedGradients: { baseline: "mean" },
      smoothGrad: false,
      expectedGradients: false,
      bootstrap: 20,
      verifySamples: 2,
      seed: 1,
    },
  );
}
