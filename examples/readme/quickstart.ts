import { array, grad, hessian, matmul, random, tanh, vmap, type Tensor } from "gradlens";

const [W1, W2] = [
  random.normal([8, 64], { seed: 1, std: 0.3 }),
  random.normal([64, 1], { seed: 2, std: 0.1 }),
];
const mlp = (x: Tensor) => matmul(tanh(matmul(x, W1)), W2).reshape([]);
const y = (x: Tensor, price: Tensor) => mlp(x).add(1).mul(price); // one sample: x [8], price []

const X = random.normal([1000, 8], { seed: 3 });
const prices = random.uniform([1000], { seed: 4, low: 90, high: 110 });
const [dX, dPrice] = vmap(grad(y, { argnums: [0, 1] }))(X, prices); // [1000, 8] and [1000]
const H = vmap(hessian(y))(X, prices); // per-sample Hessian w.r.t. x: [1000, 8, 8]
console.log(dPrice.slice([[0, 3]]).toString(), dX.shape, H.shape, array(1).toString());
