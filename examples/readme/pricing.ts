import { derivatives, initializers, layers, Model, random, Sequential, type Tensor } from "gradlens";

class PricingModel extends Model {
  constructor(readonly hidden: Sequential) {
    super({ inputNames: ["referencePrices", "hiddenInputs"] });
  }
  override call([prices, features]: Tensor[]) {
    return this.hidden
      .call(features)
      .add(1)
      .mul(prices.reshape([-1, 1])); // (N,1), not (N,N)
  }
}
const dense = new layers.Dense({ units: 1, name: "output", kernelInitializer: initializers.constant(0.1) });
const model = new PricingModel(new Sequential([dense]));
const inputs = {
  referencePrices: random.uniform([10], { seed: 1, low: 90, high: 110 }),
  hiddenInputs: random.normal([10, 2]),
};
const d = derivatives(model, inputs, { order: 2 });
console.log(d.jacobian.output.referencePrices.toString()); // hidden + 1, shape [10]
console.log(d.jacobian.output.hiddenInputs.toString()); // 0.1 · price, shape [10, 2]
console.log(d.hessian!.output.referencePrices.hiddenInputs.toString()); // cross terms: 0.1
