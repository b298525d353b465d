/**
 * Models with known derivatives for the sensitivity tests, written with gradlens ops.
 */
import { array, concatenate, random, tanh, type Tensor } from "../../src/index.js";

/** y = x·w + b on x [N, D]; output [N]. */
export function linearModel(w: number[], b: number) {
  const W = array(w.map((v) => [v]));
  return ({ x }: Record<string, Tensor>) => x.matmul(W).add(b).reshape([-1]);
}

/** The pricing model y = (features·w + 1)·price; price [N], features [N, D]; output [N, 1]. */
export function pricingModel(w: number[]) {
  const W = array(w.map((v) => [v]));
  return ({ price, features }: Record<string, Tensor>) =>
    features
      .matmul(W)
      .add(1)
      .mul(price.reshape([-1, 1]));
}

/** y = (tanh(features·W1)·w2 + 1)·price: a nonlinear pricing model; output [N, 1]. */
export function nonlinearPricingModel(d: number, hidden: number, seed = 1) {
  const W1 = random.normal([d, hidden], { seed, std: 0.6 });
  const w2 = random.normal([hidden, 1], { seed: seed + 1, std: 0.4 });
  return ({ price, features }: Record<string, Tensor>) =>
    tanh(features.matmul(W1))
      .matmul(w2)
      .add(1)
      .mul(price.reshape([-1, 1]));
}

/** The benchmark pricing model: hidden MLP [d → 64 → 64 → 1] with tanh. */
export function mlpPricingModel(d = 8, seed = 11) {
  const W1 = random.normal([d, 64], { seed, std: 1 / Math.sqrt(d) });
  const b1 = random.normal([64], { seed: seed + 1, std: 0.1 });
  const W2 = random.normal([64, 64], { seed: seed + 2, std: 1 / 8 });
  const b2 = random.normal([64], { seed: seed + 3, std: 0.1 });
  const W3 = random.normal([64, 1], { seed: seed + 4, std: 1 / 8 });
  return ({ price, features }: Record<string, Tensor>) =>
    tanh(tanh(features.matmul(W1).add(b1)).matmul(W2).add(b2))
      .matmul(W3)
      .add(1)
      .mul(price.reshape([-1, 1]));
}

/** y_k = ½ xᵀA_k x + b_kᵀx for k = 0…K−1 (A_k symmetric); output [N, K]. */
export function quadraticModel(As: number[][][], bs: number[][]) {
  const A = As.map((a) => array(a));
  const B = bs.map((b) => array(b.map((v) => [v])));
  return ({ x }: Record<string, Tensor>) =>
    concatenate(
      A.map((a, k) => x.matmul(a).mul(x).sum({ axis: 1, keepdims: true }).mul(0.5).add(x.matmul(B[k]))),
      1,
    );
}

/** A small tanh MLP with a scalar output per sample, [N, D] → [N]. */
export function mlp(d: number, hidden: number, seed = 3) {
  const W1 = random.normal([d, hidden], { seed, std: 1.2 });
  const b1 = random.normal([hidden], { seed: seed + 1, std: 0.5 });
  const w2 = random.normal([hidden, 1], { seed: seed + 2, std: 1 });
  return ({ x }: Record<string, Tensor>) => tanh(x.matmul(W1).add(b1)).matmul(w2).reshape([-1]);
}

/** y = Σ_j a_j x_j²; output [N]. */
export function sumOfSquaresModel(a: number[]) {
  const A = array(a);
  return ({ x }: Record<string, Tensor>) => x.square().mul(A).sum({ axis: 1 });
}

/** Central finite difference of a scalar function of one row of numbers, float64. */
export function centralDifference(f: (x: number[]) => number, x: number[], j: number, h = 1e-5): number {
  const xp = x.slice();
  const xm = x.slice();
  xp[j] += h;
  xm[j] -= h;
  return (f(xp) - f(xm)) / (xp[j] - xm[j]);
}
