/**
 * The pricing model of gradlens's first user, built the Keras way in TypeScript:
 * a subclassed Model whose call() takes [referencePrices, hiddenInputs], runs a hidden model on
 * the features and returns (hidden(features) + 1) · referencePrices.
 */
import { initializers, layers, Model, Sequential, type ShapeTree, type Tensor } from "gradlens";

/** The seed hidden model: one Dense(1) named "output" over 2 features, kernel 0.1, bias 0. */
export function seedHiddenModel(): Sequential {
  return new Sequential([
    new layers.Dense({
      units: 1,
      name: "output",
      useBias: true,
      inputShape: [2],
      kernelInitializer: initializers.constant(0.1),
      biasInitializer: initializers.constant(0),
    }),
  ]);
}

/**
 * A "trained-looking" hidden model: an [8 → 64 → 64 → 1] tanh MLP with seeded Glorot weights,
 * small biases and a small output layer, so the pricing adjustment stays within a few percent.
 */
export function mlpHiddenModel(seed = 7): Sequential {
  return new Sequential([
    new layers.Dense({
      units: 64,
      activation: "tanh",
      inputShape: [8],
      kernelInitializer: initializers.glorotNormal({ seed }),
      biasInitializer: initializers.randomNormal({ stddev: 0.1, seed: seed + 1 }),
    }),
    new layers.Dense({
      units: 64,
      activation: "tanh",
      kernelInitializer: initializers.glorotNormal({ seed: seed + 2 }),
      biasInitializer: initializers.randomNormal({ stddev: 0.1, seed: seed + 3 }),
    }),
    new layers.Dense({
      units: 1,
      name: "output",
      kernelInitializer: initializers.randomNormal({ stddev: 0.02, seed: seed + 4 }),
      biasInitializer: initializers.zeros(),
    }),
  ]);
}

/**
 * The original Keras code, faithfully: prices of shape (N,) times a (N, 1) hidden output.
 * That broadcasts to (N, N) although computeOutputShape declares (N, 1); gradlens warns.
 */
export class BuggyPricingModel extends Model {
  constructor(readonly hidden: Model) {
    super({ inputNames: ["referencePrices", "hiddenInputs"], outputNames: ["price"] });
  }
  override call([referencePrices, hiddenInputs]: Tensor[]): Tensor {
    return (this.hidden.call(hiddenInputs) as Tensor).add(1).mul(referencePrices);
  }
  override computeOutputShape(inputShape: ShapeTree): ShapeTree {
    const [prices] = inputShape as (number | null)[][];
    return [prices[0], 1];
  }
}

/** The fixed model: prices are reshaped to (N, 1) so the product stays per-sample. */
export class PricingModel extends BuggyPricingModel {
  override call([referencePrices, hiddenInputs]: Tensor[]): Tensor {
    return (this.hidden.call(hiddenInputs) as Tensor).add(1).mul(referencePrices.reshape([-1, 1]));
  }
}
