import { analyze, matmul, random, tanh, type Tensor } from "gradlens";

const W1 = random.normal([8, 64], { seed: 1, std: 0.3 });
const W2 = random.normal([64, 1], { seed: 2, std: 0.02 });
const hidden = (x: Tensor) => matmul(tanh(matmul(x, W1)), W2); // [N, 8] → [N, 1]
const pricing = ({ price, features }: Record<string, Tensor>) =>
  hidden(features)
    .add(1)
    .mul(price.reshape([-1, 1])); // (hidden + 1) · price, [N, 1]

const data = {
  price: random.uniform([2000], { seed: 3, low: 80, high: 120 }),
  features: random.normal([2000, 8], { seed: 4 }),
};
const result = analyze(pricing, data, {
  featureNames: { features: ["moneyness", "maturity", "vol", "rate", "div", "skew", "liq", "spread"] },
  finance: { price: "price" }, // delta, gamma, cross-gammas (turns on Hessians)
  whatif: [{ name: "price +1%", shock: { price: { relative: 0.01 } } }],
});
const top = result.summary.ranking[0].byScaled.slice(0, 3);
console.log(top.map((f) => `${f.feature}: ${f.value?.toFixed(3)}`).join(", ")); // by mean |∂y/∂x|
console.log("delta", result.summary.finance!.delta[0].stats.mean, "verified", result.verification!.passed);
console.log(JSON.stringify(result).length, "bytes of JSON, schema", result.schemaVersion);
