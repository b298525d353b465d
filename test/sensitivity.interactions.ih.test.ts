/**
 * Integrated Hessians (Janizek, Sturmfels & Lee 2021) against closed forms and a brute-force
 * double integral: an additive model has Γ exactly 0 off the diagonal; x1·x2 and x1·x2·x3 have
 * hand-computed Γ; a tanh network matches a float64 Gauss–Legendre double integral of
 * finite-difference Hessians; the completeness checks (Σ_j Γ_ij = IG_i, Σ_ij Γ_ij = y(x) − y(x'))
 * hold within tolerance; a ReLU network (zero Hessian almost everywhere) is flagged, not passed.
 */
import { describe, expect, it } from "vitest";
import { array, random, ValueError, type Tensor } from "../src/index.js";
import { analyze, integratedHessians } from "../src/sensitivity/index.js";
import { gaussLegendre } from "../src/sensitivity/stats/quadrature.js";

type Inputs = Record<string, Tensor>;
const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);

const X = [
  [0.7, -1.2, 0.4],
  [1.5, 0.3, -0.8],
  [-0.6, 0.9, 1.1],
];

describe("integratedHessians: closed forms", () => {
  it("additive model: Γ is exactly 0 off the diagonal and the diagonal is IG", () => {
    const f = ({ x }: Inputs) =>
      col(x, 0).sin().add(col(x, 1).square().mul(0.5)).add(col(x, 2).tanh().mul(2));
    const ih = integratedHessians(f, { x: X }, { baseline: "zeros" });
    expect(ih.converged).toBe(true);
    for (let s = 0; s < 3; s++) {
      const g = ih.interactions[s][0];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) expect(g[i][j]).toBe(0);
      // Closed form of IG from zero: sin x0, x1²/2, 2·tanh x2.
      const [a, b, c] = X[s];
      const want = [Math.sin(a), b * b * 0.5, 2 * Math.tanh(c)];
      for (let i = 0; i < 3; i++) expect(g[i][i]!).toBeCloseTo(want[i], 10);
    }
  });

  it("x1·x2 from a zero baseline: every entry is x1·x2/4; from a baseline b, Γ_12 = Δ1Δ2/4, Γ_11 = Δ1(b2 + Δ2/4)", () => {
    const f = ({ x }: Inputs) => col(x, 0).mul(col(x, 1));
    const data = { x: X.map((r) => r.slice(0, 2)) };
    const ih = integratedHessians(f, data, { baseline: "zeros" });
    for (let s = 0; s < 3; s++) {
      const p = X[s][0] * X[s][1];
      for (const row of ih.interactions[s][0]) for (const v of row) expect(v!).toBeCloseTo(p / 4, 13);
    }
    const b = [0.25, -0.5];
    const ihb = integratedHessians(f, data, { baseline: { x: b } });
    expect(ihb.converged).toBe(true);
    for (let s = 0; s < 3; s++) {
      const [d1, d2] = [X[s][0] - b[0], X[s][1] - b[1]];
      const g = ihb.interactions[s][0];
      expect(g[0][1]!).toBeCloseTo((d1 * d2) / 4, 13);
      expect(g[1][0]!).toBeCloseTo((d1 * d2) / 4, 13);
      expect(g[0][0]!).toBeCloseTo(d1 * (b[1] + d2 / 4), 13);
      expect(g[1][1]!).toBeCloseTo(d2 * (b[0] + d1 / 4), 13);
      // Completeness: Σ Γ = x1x2 − b1b2.
      const total = g.flat().reduce((acc: number, v) => acc + v!, 0);
      expect(total).toBeCloseTo(X[s][0] * X[s][1] - b[0] * b[1], 13);
    }
  });

  it("x1·x2·x3 from zero: every entry is x1·x2·x3/9", () => {
    const f = ({ x }: Inputs) => col(x, 0).mul(col(x, 1)).mul(col(x, 2));
    const ih = integratedHessians(f, { x: X }, { baseline: "zeros" });
    expect(ih.converged).toBe(true);
    for (let s = 0; s < 3; s++) {
      const p = X[s][0] * X[s][1] * X[s][2];
      for (const row of ih.interactions[s][0]) for (const v of row) expect(v!).toBeCloseTo(p / 9, 13);
    }
  });
});

describe("integratedHessians: a tanh network against a brute-force double integral", () => {
  const D = 3;
  const H = 5;
  const W = random.normal([D, H], { seed: 7, std: 1 }).data() as Float64Array;
  const c = random.normal([H], { seed: 8, std: 0.5 }).data() as Float64Array;
  const v = random.normal([H], { seed: 9, std: 1 }).data() as Float64Array;
  const net = ({ x }: Inputs) =>
    x
      .matmul(array(W, { shape: [D, H] }))
      .add(array(c))
      .tanh()
      .matmul(array(v, { shape: [H, 1] }))
      .reshape([-1]);
  const fjs = (z: number[]) => {
    let y = 0;
    for (let h = 0; h < H; h++) {
      let a = c[h];
      for (let j = 0; j < D; j++) a += z[j] * W[j * H + h];
      y += v[h] * Math.tanh(a);
    }
    return y;
  };
  /** Central finite differences in float64: gradient (h = 1e-6) and Hessian (h = 1e-4). */
  const fdGrad = (z: number[], i: number) => {
    const e = 1e-6;
    const p = z.slice();
    const m = z.slice();
    p[i] += e;
    m[i] -= e;
    return (fjs(p) - fjs(m)) / (2 * e);
  };
  const fdHess = (z: number[], i: number, j: number) => {
    const e = 1e-4;
    const at = (si: number, sj: number) => {
      const q = z.slice();
      q[i] += si * e;
      q[j] += sj * e;
      return fjs(q);
    };
    return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * e * e);
  };
  /** Γ by a 40 × 40 Gauss–Legendre double integral of the finite-difference derivatives. */
  const brute = (x: number[], b: number[]) => {
    const { nodes, weights } = gaussLegendre(40);
    const u = nodes.map((t) => (t + 1) / 2);
    const w = weights.map((t) => t / 2);
    const dx = x.map((xi, i) => xi - b[i]);
    const g = Array.from({ length: D }, () => new Array<number>(D).fill(0));
    for (let a = 0; a < u.length; a++)
      for (let bb = 0; bb < u.length; bb++) {
        const t = u[a] * u[bb];
        const z = b.map((bi, i) => bi + t * dx[i]);
        const wt = w[a] * w[bb];
        for (let i = 0; i < D; i++) {
          g[i][i] += wt * fdGrad(z, i) * dx[i];
          for (let j = 0; j < D; j++) g[i][j] += wt * t * fdHess(z, i, j) * dx[i] * dx[j];
        }
      }
    return g;
  };

  it("Γ matches to 1e-6, and both completeness checks hold within tolerance", () => {
    const b = [0.1, -0.2, 0.3];
    const ih = integratedHessians(net, { x: X }, { baseline: { x: b } });
    expect(ih.converged).toBe(true);
    expect(ih.reason).toBeNull();
    expect(ih.maxAbsCompletenessDelta!).toBeLessThanOrEqual(ih.tolerance!);
    expect(ih.maxAbsIgDelta!).toBeLessThanOrEqual(ih.tolerance!);
    for (let s = 0; s < X.length; s++) {
      const want = brute(X[s], b);
      const got = ih.interactions[s][0];
      for (let i = 0; i < D; i++)
        for (let j = 0; j < D; j++) expect(Math.abs(got[i][j]! - want[i][j])).toBeLessThan(1e-6);
      // Row sums are IG; the IG reported beside them is the same rows' IG.
      for (let i = 0; i < D; i++) {
        const sum = got[i].reduce((acc: number, x) => acc + x!, 0);
        expect(Math.abs(sum - ih.integratedGradients[s][0][i]!)).toBeLessThanOrEqual(ih.tolerance!);
        expect(ih.featureSums[s][0][i]).toBeCloseTo(sum, 14);
      }
      const total = got.flat().reduce((acc: number, x) => acc + x!, 0);
      expect(Math.abs(total - (fjs(X[s]) - fjs(b)))).toBeLessThanOrEqual(ih.tolerance! * 2);
    }
  });

  it("a one-point rule with no room to double is flagged with the budget, not passed", () => {
    const ih = integratedHessians(net, { x: X }, { baseline: { x: [2, 2, -2] }, points: 1, maxPoints: 1 });
    expect(ih.converged).toBe(false);
    expect(ih.trustworthy.flat()).toContain(false);
    expect(ih.reason).toMatch(/maxPoints = 1/);
  });
});

describe("integratedHessians: what it cannot do is said", () => {
  it("a ReLU network (zero Hessian almost everywhere) is flagged as stalled, naming ReLU and softplus", () => {
    const W1 = random.normal([3, 8], { seed: 3, std: 1 });
    const b1 = random.normal([8], { seed: 4, std: 0.5 });
    const w2 = random.normal([8, 1], { seed: 5, std: 1 });
    const relu = ({ x }: Inputs) => x.matmul(W1).add(b1).relu().matmul(w2).reshape([-1]);
    const ih = integratedHessians(relu, { x: random.uniform([6, 3], { seed: 1, low: -2, high: 2 }) }, {});
    expect(ih.converged).toBe(false);
    expect(ih.reason).toMatch(/ReLU/);
    expect(ih.reason).toMatch(/softplus/);
  });

  it("a row whose output is not finite is flagged, not integrated: NaN in, null out", () => {
    const f = ({ x }: Inputs) =>
      col(x, 0)
        .log()
        .add(col(x, 1).mul(col(x, 0)));
    const ih = integratedHessians(
      f,
      {
        x: [
          [1, 2],
          [-1, 0.5],
          [3, 1],
        ],
      },
      {},
    );
    expect(ih.trustworthy[1]).toEqual([false]);
    expect(ih.trustworthy[0]).toEqual([true]);
    expect(ih.pointsUsed[1]).toBe(0);
    expect(ih.interactions[1][0].flat().every((v) => v === null)).toBe(true);
    expect(ih.reason).toMatch(/row 1: y\(x\) is not finite/);
  });

  it("bad options are refused by name", () => {
    const f = ({ x }: Inputs) => col(x, 0);
    expect(() => integratedHessians(f, { x: X }, { points: 0 })).toThrow(ValueError);
    expect(() => integratedHessians(f, { x: X }, { points: 16, maxPoints: 8 })).toThrow(/maxPoints/);
    expect(() => integratedHessians(f, { x: X }, { tolerance: -1 })).toThrow(/tolerance/);
  });
});

describe("analyze: interactions.integratedHessians", () => {
  const f = ({ x }: Inputs) => col(x, 0).mul(col(x, 1)).add(col(x, 2).sin());
  const x = random.uniform([40, 3], { seed: 2, low: -1, high: 1 });

  it("on with the section, on the attribution rows and IG's baseline, matching IG", () => {
    const r = analyze(f, { x }, { interactions: true, attributionSamples: 4, bootstrap: 0 });
    const ih = r.interactions!.integratedHessians!;
    expect(ih.rows).toEqual(r.attribution!.rows);
    expect(ih.baseline).toEqual(r.attribution!.integratedGradients!.baseline);
    expect(ih.integratedGradients).toEqual(r.attribution!.integratedGradients!.attributions);
    expect(ih.converged).toBe(true);
    // x2 interacts with nothing: Γ_2j = 0 for j ≠ 2.
    for (const g of ih.interactions) {
      expect(g[0][2][0]).toBe(0);
      expect(g[0][2][1]).toBe(0);
    }
    expect(JSON.parse(JSON.stringify(r.interactions))).toEqual(r.interactions);
  });

  it("off when asked, and null without explained rows", () => {
    const off = analyze(f, { x }, { interactions: { integratedHessians: false }, bootstrap: 0 });
    expect(off.interactions!.integratedHessians).toBeNull();
    const none = analyze(f, { x }, { interactions: true, attributionSamples: 0, bootstrap: 0 });
    expect(none.interactions!.integratedHessians).toBeNull();
  });

  it("bad options fail before the pass", () => {
    expect(() =>
      analyze(f, { x }, { interactions: { integratedHessians: { points: 8, maxPoints: 4 } } }),
    ).toThrow(/maxPoints/);
  });
});
