/**
 * A small sensitivity result for the report tests: a nonlinear pricing-like target with two
 * outputs, finance on the price input, attribution, DGSM, verification and two what-if scenarios,
 * and hostile feature/output names that try to inject markup and script into the HTML report.
 */
import { array, random, tanh, type Tensor } from "../src/index.js";
import { analyze, type AnalyzeOptions } from "../src/sensitivity/index.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";

/** Names that would run script if they reached the page unescaped (each sets window.__pwned). */
export const HOSTILE = {
  feature1: "</script><script>window.__pwned=1</script>",
  feature2: "<img src=x onerror=window.__pwned=2>",
  feature3: `q"'&amp;<b>`,
  output: "<svg onload=window.__pwned=3>",
};

export const FEATURE_NAMES = ["alpha", HOSTILE.feature1, HOSTILE.feature2, HOSTILE.feature3];

const W = array([
  [0.8, -0.3],
  [-0.5, 0.4],
  [0.3, 0.9],
  [0.05, -0.2],
]);
const v = array([[0.6], [-0.4]]);

/** value = (tanh(x·W)·v + 1)·price and a second output tanh(x·W)[:, 1]·price/100. */
export function fixtureTarget({ price, features }: Record<string, Tensor>): Record<string, Tensor> {
  const h = tanh(features.matmul(W));
  const p = price.reshape([-1, 1]);
  return {
    value: h.matmul(v).add(1).mul(p),
    [HOSTILE.output]: h
      .slice([null, [1, 2]])
      .mul(p)
      .div(100),
  };
}

/** The analysis of `fixtureTarget` on `n` seeded rows (`extra` options added, e.g. `{ interactions: true }`). */
export function fixtureResult(n = 240, extra: AnalyzeOptions = {}): SensitivityResult {
  const price = random.uniform([n], { seed: 11, low: 80, high: 120 });
  const features = random.normal([n, 4], { seed: 12 });
  return analyze(
    fixtureTarget,
    { price, features },
    {
      featureNames: { features: FEATURE_NAMES },
      finance: { price: "price" },
      keepPerSample: 120,
      attributionSamples: 4,
      integratedGradients: { baseline: "mean" },
      smoothGrad: false,
      expectedGradients: false,
      bootstrap: 50,
      verifySamples: 5,
      whatif: [
        { name: "price +1%", shock: { price: { relative: 0.01 } } },
        { name: `${HOSTILE.feature2} +0.5`, shock: { features: { index: 2, absolute: 0.5 } } },
      ],
      seed: 3,
      ...extra,
    },
  );
}
