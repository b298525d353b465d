import { describe, expect, it } from "vitest";
import { array, grad, hessian, jacfwd, jacrev, matmul, tanh, vmap } from "../src/index.js";
import { allclose, checkGrads } from "../src/testing/index.js";

describe("engine smoke", () => {
  it("has no perturbation confusion: d/dx [x · d/dy (x + y)] = 1", () => {
    const inner = (x: ReturnType<typeof array>) => grad((y: ReturnType<typeof array>) => x.add(y))(array(0));
    expect(grad((x: ReturnType<typeof array>) => x.mul(inner(x)))(array(3)).item()).toBe(1);
  });

  it("computes a Hessian of a cubic exactly", () => {
    const h = hessian((x: ReturnType<typeof array>) => x.pow(3).sum())(array([1, 2]));
    expect(h.toArray()).toEqual([
      [6, 0],
      [0, 12],
    ]);
  });

  it("agrees forward and reverse on a small network, and vmap equals a loop", () => {
    const W = array([
      [0.3, -0.2],
      [0.1, 0.5],
      [-0.4, 0.2],
    ]);
    const f = (x: ReturnType<typeof array>) => tanh(matmul(x, W));
    const x = array([0.2, -0.7, 1.1]);
    expect(allclose(jacfwd(f)(x), jacrev(f)(x), { rtol: 1e-12 })).toBe(true);
    const X = array([
      [0.2, -0.7, 1.1],
      [1.0, 0.3, -0.5],
    ]);
    const batched = vmap(jacrev(f))(X);
    expect(allclose(batched.slice([1]), jacrev(f)(X.slice([1])), { rtol: 1e-12 })).toBe(true);
    checkGrads((x: ReturnType<typeof array>) => f(x).sum(), [x], { order: 2 });
  });
});
