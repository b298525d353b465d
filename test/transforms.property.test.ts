/**
 * Properties of the transforms on random small compositions (test/helpers/models.ts), plus the
 * API surface: pytrees, argnums/argnames, hasAux, inAxes/outAxes, errors.
 *
 * Conventions at non-differentiable points (JAX's), asserted below:
 * - relu'(0) = 0 (relu is `where(x > 0, x, 0)`);
 * - |x|'(0) = 0 (d|x| = sign(x)·dx);
 * - maximum/minimum at a tie give each argument half: d max(x, y) = (dx + dy)/2 when x = y, and
 *   max/min reductions share the derivative equally among tied maxima;
 * - sign, floor, ceil and round have derivative 0 everywhere (comparisons and argmax too);
 * - sqrt'(0) = +inf;
 * - elu'(0) = α (the `x > 0` branch is not taken at 0); softplus is smooth, softplus'(0) = 1/2.
 */
import { describe, expect, it } from "vitest";
import * as G from "../src/index.js";
import {
  array,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
  DTypeError,
  TracerError,
  ValueError,
  type Tensor,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { forSeeds, type Gen } from "./helpers/gen.js";
import { randomModel } from "./helpers/models.js";

const close = (a: unknown, b: unknown, rtol = 1e-10, atol = 1e-12) =>
  assertAllclose(a as Tensor, b as Tensor, { rtol, atol });
const stack0 = (ts: Tensor[]) => G.stack(ts, 0);
const rows = (x: Tensor) => Array.from({ length: x.shape[0] }, (_, i) => x.slice([i]));

describe("random compositions", () => {
  it("jacfwd ≈ jacrev", () => {
    forSeeds(24, (g) => {
      const m = randomModel(g);
      const x = g.uniform([m.d], -1, 1);
      close(jacfwd(m.f)(x), jacrev(m.f)(x));
    });
  });

  it("derivatives agree with finite differences (checkGrads, 2nd order)", () => {
    forSeeds(6, (g) => {
      const m = randomModel(g);
      checkGrads(m.f, [g.uniform([m.d], -1, 1)], { order: 2, seed: g.seed });
    });
  });

  it("Hessians are symmetric and equal jacrev(jacfwd) and jacrev(jacrev)", () => {
    forSeeds(8, (g) => {
      const m = randomModel(g);
      const x = g.uniform([m.d], -1, 1);
      const H = hessian(m.scalar)(x);
      expect(H.shape).toEqual([m.d, m.d]);
      close(H, H.transpose());
      close(H, jacrev(jacfwd(m.scalar))(x));
      close(H, jacrev(jacrev(m.scalar))(x));
    });
  });

  it("jvp(grad f)(x; v) = H·v, and hvp agrees", () => {
    forSeeds(8, (g) => {
      const m = randomModel(g);
      const x = g.uniform([m.d], -1, 1);
      const v = g.uniform([m.d], -1, 1);
      const Hv = G.matmul(hessian(m.scalar)(x), v);
      close(jvp(grad(m.scalar), [x], [v])[1], Hv);
      close(hvp(m.scalar, [x], [v]), Hv);
    });
  });

  it("vmap(f), vmap(jacrev(f)), vmap(hessian(f)) and nested vmap equal loops", () => {
    forSeeds(6, (g) => {
      const m = randomModel(g);
      const B = g.int(1, 3);
      const X = g.uniform([B, m.d], -1, 1);
      close(vmap(m.f)(X), stack0(rows(X).map(m.f)));
      close(vmap(jacrev(m.f))(X), stack0(rows(X).map((r) => jacrev(m.f)(r))));
      close(vmap(jacfwd(m.f))(X), stack0(rows(X).map((r) => jacfwd(m.f)(r))));
      close(vmap(hessian(m.scalar))(X), stack0(rows(X).map((r) => hessian(m.scalar)(r))));
      close(vmap(grad(m.scalar))(X), stack0(rows(X).map((r) => grad(m.scalar)(r))));
      const XX = g.uniform([2, B, m.d], -1, 1);
      close(vmap(vmap(m.f))(XX), stack0(rows(XX).map((b) => stack0(rows(b).map(m.f)))));
      // The batch axis last on input and output.
      const Xt = X.transpose();
      close(vmap(m.f, { inAxes: -1, outAxes: -1 })(Xt), vmap(m.f)(X).transpose());
    });
  });

  it("grad of a vmapped sum equals the sum of per-example grads (vmap under reverse mode)", () => {
    forSeeds(4, (g) => {
      const m = randomModel(g);
      const X = g.uniform([3, m.d], -1, 1);
      const total = (Xs: Tensor) => vmap(m.scalar)(Xs).sum();
      close(grad(total)(X), vmap(grad(m.scalar))(X));
    });
  });
});

describe("classic nested-derivative checks", () => {
  it("has no perturbation confusion: d/dx [x · d/dy (x + y)] = 1", () => {
    const f = (x: Tensor) => x.mul(grad((y: Tensor) => x.add(y))(array(0)));
    expect(grad(f)(array(3)).item()).toBe(1);
    // And in forward mode: jvp inside jvp.
    const g = (x: Tensor) => x.mul(jvp((y: Tensor) => x.add(y), [array(0)], [array(1)])[1]);
    expect(jvp(g, [array(3)], [array(1)])[1].item()).toBe(1);
  });

  it("third derivatives of sin match the closed form -cos, in every mode combination", () => {
    const x = array([0.4, -1.3, 2.2]);
    const f = (t: Tensor) => G.sin(t).sum();
    const expected = G.cos(x).neg();
    close(grad((t: Tensor) => grad((u: Tensor) => grad(f)(u).sum())(t).sum())(x), expected, 1e-13);
    const third = jacfwd(jacfwd(jacrev(f)))(x);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 3; k++) {
          const want = i === j && j === k ? -Math.cos(x.data()[i]) : 0;
          expect(third.slice([i, j, k]).item()).toBeCloseTo(want, 14);
        }
  });

  it("grad over grad (reverse-over-reverse) equals the closed form", () => {
    // f(x) = Σ x_i³ y with y = Σ x: ∂/∂x [Σ_j ∂f/∂x_j] computed twice in reverse mode.
    const inner = (x: Tensor) => grad((y: Tensor) => y.mul(y).mul(x).sum())(x).sum();
    // inner(x) = Σ 2 x_i · x_i = 2 Σ x², so its gradient is 4x.
    close(grad(inner)(array([1, -2, 0.5])), array([4, -8, 2]));
  });

  it("stopGradient blocks derivatives but not values, on trees too", () => {
    expect(grad((x: Tensor) => x.mul(stopGradient(x)))(array(3)).item()).toBe(3);
    const tree = stopGradient({ a: array(2), b: [array(3)] });
    expect(tree.a.item()).toBe(2);
    const g = grad((x: Tensor) => {
      const s = stopGradient({ p: x, q: [x.mul(2)] });
      return x.mul(s.p).add(s.q[0]);
    })(array(5));
    expect(g.item()).toBe(5);
    // Second order: d²/dx² [x² · sg(x)] = 2·x.
    expect(grad(grad((x: Tensor) => x.mul(x).mul(stopGradient(x))))(array(3)).item()).toBe(6);
  });
});

describe("JAX conventions at non-differentiable points", () => {
  const d = (f: (x: Tensor) => Tensor, x: number) => grad(f)(array(x)).item();
  it("relu'(0) = 0, |x|'(0) = 0, sign' = floor' = ceil' = round' = 0, sqrt'(0) = inf", () => {
    expect(d((x) => G.relu(x), 0)).toBe(0);
    expect(d((x) => G.relu(x), 1e-300)).toBe(1);
    expect(d((x) => G.abs(x), 0)).toBe(0);
    expect(d((x) => G.abs(x), -2)).toBe(-1);
    for (const f of [G.sign, G.floor, G.ceil, G.round]) {
      expect(d((x) => f(x), 0)).toBe(0);
      expect(d((x) => f(x), 1.5)).toBe(0);
    }
    expect(d((x) => G.sqrt(x), 0)).toBe(Infinity);
  });

  it("maximum/minimum ties give each side 1/2; max reductions share equally among ties", () => {
    const [gx, gy] = grad((x: Tensor, y: Tensor) => G.maximum(x, y), { argnums: [0, 1] })(array(2), array(2));
    expect([gx.item(), gy.item()]).toEqual([0.5, 0.5]);
    const [hx, hy] = grad((x: Tensor, y: Tensor) => G.minimum(x, y), { argnums: [0, 1] })(array(2), array(2));
    expect([hx.item(), hy.item()]).toEqual([0.5, 0.5]);
    expect(d((x) => G.maximum(x, 0), 0)).toBe(0.5);
    expect(grad((x: Tensor) => x.max())(array([1, 3, 3, 2])).toArray()).toEqual([0, 0.5, 0.5, 0]);
    expect(grad((x: Tensor) => x.min())(array([1, 1, 1])).toArray()).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // Forward mode agrees with reverse mode.
    expect(jvp((x: Tensor) => x.max(), [array([1, 3, 3])], [array([0, 1, 0])])[1].item()).toBe(0.5);
  });

  it("comparisons, argmax and where's condition carry no derivative", () => {
    expect(d((x) => G.greater(x, 0).astype("float64"), 0)).toBe(0);
    expect(d((x) => G.argmax(G.stack([x, x.neg()])).astype("float64"), 1)).toBe(0);
    expect(d((x) => G.where(G.greater(x, 0), x.mul(3), x.mul(-1)), 2)).toBe(3);
    expect(d((x) => G.where(G.greater(x, 0), x.mul(3), x.mul(-1)), -2)).toBe(-1);
  });

  it("elu'(0) = α; softplus is smooth at 0 (σ(0) = 1/2, σ'(0) = 1/4)", () => {
    expect(d((x) => G.elu(x, 0.5), 0)).toBe(0.5);
    expect(d((x) => G.elu(x), 0)).toBe(1);
    expect(d((x) => G.softplus(x), 0)).toBe(0.5);
    expect(grad(grad((x: Tensor) => G.softplus(x)))(array(0)).item()).toBeCloseTo(0.25, 15);
    expect(d((x) => G.logSigmoid(x), 0)).toBe(0.5);
  });
});

describe("pytrees and argument selection", () => {
  const price = array(2);
  const features = array([1, -1, 0.5]);

  it("grad with argnames returns an object with exactly those keys", () => {
    const f = (o: { price: Tensor; features: Tensor; scale: Tensor }) =>
      G.tanh(o.features).sum().add(1).mul(o.price).mul(o.scale);
    const gr = grad(f, { argnames: ["price", "features"] })({ price, features, scale: array(3) });
    expect(Object.keys(gr).sort()).toEqual(["features", "price"]);
    close(gr.price, G.tanh(features).sum().add(1).mul(3));
    close(gr.features, G.tanh(features).square().neg().add(1).mul(6));
  });

  it("grad with argnums [0, 2] returns a tuple for those arguments", () => {
    const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(b).mul(c.sum());
    const [ga, gc] = grad(f, { argnums: [0, 2] })(array(2), array(3), array([5, 7]));
    expect(ga.item()).toBe(36);
    expect(gc.toArray()).toEqual([6, 6]);
  });

  it("differentiates nested arrays and objects, keeping their structure", () => {
    const f = (p: { w: Tensor[]; b: { c: Tensor } }, x: Tensor) =>
      p.w[0].mul(x).add(p.w[1].mul(x.square())).sum().add(p.b.c.square());
    const p = { w: [array([1, 2]), array([3, 4])], b: { c: array(5) } };
    const gp = grad(f)(p, array([1, 2]));
    expect(gp.w[0].toArray()).toEqual([1, 2]);
    expect(gp.w[1].toArray()).toEqual([1, 4]);
    expect(gp.b.c.item()).toBe(10);
    // jacrev/jacfwd keep [output..., input...] blocks per leaf.
    const J = jacrev((q: { a: Tensor; b: Tensor }) => q.a.mul(q.b))({
      a: array([1, 2]),
      b: array([3, 4]),
    });
    expect(J.a.toArray()).toEqual([
      [3, 0],
      [0, 4],
    ]);
    close(
      J.b,
      (
        jacfwd((q: { a: Tensor; b: Tensor }) => q.a.mul(q.b))({ a: array([1, 2]), b: array([3, 4]) }) as {
          b: Tensor;
        }
      ).b,
    );
  });

  it("hessian with argnames is nested by argument", () => {
    const f = (o: { p: Tensor; f: Tensor }) => o.p.square().mul(o.f.sum());
    const H = hessian(f, { argnames: ["p", "f"] })({ p: array(2), f: array([1, 2]) }) as Record<
      string,
      Record<string, Tensor>
    >;
    expect(H.p.p.item()).toBe(6);
    expect(H.p.f.toArray()).toEqual([4, 4]);
    expect(H.f.p.toArray()).toEqual([4, 4]);
    expect(H.f.f.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it("hasAux and valueAndGrad", () => {
    const f = (x: Tensor): [Tensor, { mean: Tensor; n: number }] => [
      x.square().sum(),
      { mean: x.mean(), n: x.shape[0] },
    ];
    const [g, aux] = grad(f, { hasAux: true })(array([1, 2]));
    expect(g.toArray()).toEqual([2, 4]);
    expect(aux.mean.item()).toBe(1.5);
    const [[v, aux2], g2] = valueAndGrad(f, { hasAux: true })(array([1, 2]));
    expect(v.item()).toBe(5);
    expect(aux2.mean.item()).toBe(1.5);
    expect(g2.toArray()).toEqual([2, 4]);
    const [v3, g3] = valueAndGrad((x: Tensor) => x.sin().sum())(array([0.5]));
    expect(v3.item()).toBe(Math.sin(0.5));
    expect(g3.toArray()).toEqual([Math.cos(0.5)]);
  });

  it("linearize computes once and is reusable for many tangents", () => {
    let calls = 0;
    const f = (x: Tensor) => {
      calls++;
      return G.sin(x).mul(x);
    };
    const x = array([0.7, -0.2]);
    const [y, fLin] = linearize(f, x);
    close(y, G.sin(x).mul(x));
    const deriv = G.cos(x).mul(x).add(G.sin(x));
    for (const t of [array([1, 0]), array([0, 1]), array([2, -3])]) close(fLin(t), deriv.mul(t));
    expect(calls).toBe(1);
  });

  it("vjp of a function with tuple outputs takes a tuple cotangent and returns one per argument", () => {
    const [out, pullback] = vjp((a: Tensor, b: Tensor) => [a.mul(b), a.add(b)], array(2), array(3));
    expect(out.map((t) => t.item())).toEqual([6, 5]);
    const [ca, cb] = pullback([array(1), array(10)]);
    expect([ca.item(), cb.item()]).toEqual([13, 12]);
  });

  it("grad of float32 inputs gives float32 gradients (also Hessians and Jacobians)", () => {
    const x = array(new Float32Array([0.5, -1]));
    const f = (t: Tensor) => G.tanh(t).mul(t).sum();
    const g = grad(f)(x);
    expect(g.dtype).toBe("float32");
    close(g, grad(f)(x.astype("float64")), 1e-6, 1e-7);
    expect(hessian(f)(x).dtype).toBe("float32");
    expect(jacfwd((t: Tensor) => t.sin())(x).dtype).toBe("float32");
    expect(jacrev((t: Tensor) => t.sin())(x).dtype).toBe("float32");
  });

  it("integer inputs to grad give a DTypeError naming the argument", () => {
    const ints = array([1, 2], { dtype: "int32" });
    expect(() => grad((x: Tensor) => x.sum())(ints)).toThrow(DTypeError);
    expect(() => grad((x: Tensor) => x.sum())(ints)).toThrow(/argument 0 has dtype int32/);
    expect(() => grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(array(1), ints)).toThrow(
      /argument 1 has dtype int32/,
    );
    expect(() =>
      grad((o: { p: Tensor; ids: Tensor }) => o.p, { argnames: ["p", "ids"] })({ p: array(1), ids: ints }),
    ).toThrow(/argument 0\.ids has dtype int32/);
    // Integer arguments that are not differentiated are fine.
    expect(grad((x: Tensor, i: Tensor) => G.take(x, i).sum())(array([1, 2, 3]), ints).toArray()).toEqual([
      0, 1, 1,
    ]);
  });

  it("an escaped tracer gives a TracerError", () => {
    let leaked: Tensor | null = null;
    grad((x: Tensor) => {
      leaked = x;
      return x.square();
    })(array(1));
    expect(() => leaked!.add(1)).toThrow(TracerError);
    let leakedV: Tensor | null = null;
    vmap((x: Tensor) => (leakedV = x.mul(2)))(array([1, 2]));
    expect(() => G.sin(leakedV!)).toThrow(TracerError);
  });
});

describe("vmap axes", () => {
  const X = array([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("inAxes numbers, negatives, null and tree prefixes", () => {
    expect(vmap((r: Tensor) => r.sum())(X).toArray()).toEqual([6, 15]);
    expect(vmap((c: Tensor) => c.sum(), { inAxes: 1 })(X).toArray()).toEqual([5, 7, 9]);
    expect(vmap((c: Tensor) => c.sum(), { inAxes: -1 })(X).toArray()).toEqual([5, 7, 9]);
    const w = array([1, 0, -1]);
    expect(vmap((r: Tensor, v: Tensor) => r.mul(v).sum(), { inAxes: [0, null] })(X, w).toArray()).toEqual([
      -2, -2,
    ]);
    const f = (o: { x: Tensor; w: Tensor }, s: Tensor) => o.x.mul(o.w).sum().mul(s);
    const out = vmap(f, { inAxes: [{ x: 1, w: null }, null] })({ x: X, w: array([1, -1]) }, array(2));
    expect(out.toArray()).toEqual([-6, -6, -6]);
    // A prefix: one spec for a whole subtree.
    const out2 = vmap((o: { a: Tensor; b: Tensor }) => o.a.add(o.b), { inAxes: [0] })({
      a: X,
      b: X,
    });
    expect(out2.toArray()).toEqual(X.mul(2).toArray());
  });

  it("outAxes numbers, negatives, null and tree prefixes", () => {
    const f = (r: Tensor) => ({ twice: r.mul(2), total: r.sum(), one: array(1) });
    const out = vmap(f, { outAxes: { twice: -1, total: 0, one: null } })(X) as Record<string, Tensor>;
    expect(out.twice.toArray()).toEqual(X.mul(2).transpose().toArray());
    expect(out.total.toArray()).toEqual([6, 15]);
    // outAxes null: the output is not batched and is returned as is (regression: `null` was read as 0).
    expect(out.one.shape).toEqual([]);
    expect(() => vmap((r: Tensor) => r, { outAxes: null })(X)).toThrow(ValueError);
    expect(vmap((r: Tensor) => r.mul(2), { outAxes: 1 })(X).toArray()).toEqual(
      X.mul(2).transpose().toArray(),
    );
  });

  it("unbatched outputs are broadcast along the batch axis by default", () => {
    expect(vmap((_row: Tensor) => array(7))(X).toArray()).toEqual([7, 7]);
  });

  it("rejects bad axes with clear errors", () => {
    // Regression: a scalar with inAxes 0 used to reach the batching rules (axis 0 passed the range check).
    expect(() => vmap((x: Tensor) => x.mul(2))(array(3))).toThrow(
      /axis 0 is out of range for an array of rank 0/,
    );
    expect(() => vmap((x: Tensor) => x, { inAxes: 2 })(X)).toThrow(ValueError);
    expect(() => vmap((x: Tensor) => x, { inAxes: null })(X)).toThrow(/no argument is mapped/);
    expect(() => vmap((a: Tensor, b: Tensor) => a.add(b))(X, array([1, 2, 3]))).toThrow(/different sizes/);
  });
});

describe("vmap of per-sample derivatives with unbatched parameters", () => {
  it("vmap(grad(loss), inAxes [0, null]) equals per-row grads", () => {
    forSeeds(3, (g: Gen) => {
      const W = g.uniform([3, 2], -1, 1);
      const X = g.uniform([4, 3], -1, 1);
      const loss = (x: Tensor, w: Tensor) => G.logsumexp(G.matmul(x, w));
      const per = vmap(grad(loss, { argnums: 1 }), { inAxes: [0, null] })(X, W);
      close(per, stack0(rows(X).map((r) => grad(loss, { argnums: 1 })(r, W))));
      const perX = vmap(hessian(loss), { inAxes: [0, null] })(X, W);
      close(perX, stack0(rows(X).map((r) => hessian(loss)(r, W))));
    });
  });
});
