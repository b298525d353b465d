import { describe, expect, it } from "vitest";
import { random, ValueError, type Tensor } from "../src/index.js";
import { crossedDerivatives, dgsm, sobolIndices } from "../src/sensitivity/index.js";

const col = (x: Tensor, j: number) =>
  x
    .slice([
      [0, null],
      [j, j + 1],
    ])
    .reshape([-1]);
const A = 7;
const B = 0.1;
const PI = Math.PI;
const ishigami = ({ x }: Record<string, Tensor>) =>
  col(x, 0)
    .sin()
    .add(col(x, 1).sin().square().mul(A))
    .add(col(x, 2).pow(4).mul(B).mul(col(x, 0).sin()));
const names = { featureNames: { x: ["x1", "x2", "x3"] } };
const U = { type: "uniform", low: -PI, high: PI } as const;
const uniformPi = { x1: U, x2: U, x3: U };

describe("crossedDerivatives", () => {
  const n = 4000;
  const x = random.uniform([n, 3], { seed: 11, low: -PI, high: PI });
  const rows = x.data() as Float64Array;
  const r = crossedDerivatives(ishigami, { x }, { ...names, dgsmDistribution: uniformPi, seed: 2 });

  it("Ishigami: only (x1, x3) interacts, with ν exactly the row mean of (4b·x3³·cos x1)²", () => {
    expect(r.rows).toBe(n);
    expect(r.pairs.map((p) => p.features)).toEqual([
      ["x1", "x3"],
      ["x1", "x2"],
      ["x2", "x3"],
    ]);
    // Hand-computed expectation over the sampled rows: ∂²y/∂x1∂x3 = 4b·x3³·cos x1.
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const h = 4 * B * rows[i * 3 + 2] ** 3 * Math.cos(rows[i * 3]);
      sum += h * h;
    }
    const top = r.pairs[0];
    expect(Math.abs(top.nu! / (sum / n) - 1)).toBeLessThan(1e-12);
    // ... and close to its population value 16b²·E[x3⁶]·E[cos² x1] = 16b²·(π⁶/7)·(1/2).
    expect(top.nu! / ((16 * B * B * PI ** 6) / 7 / 2)).toBeCloseTo(1, 1);
    // No other pair has a crossed derivative at all.
    expect(r.pairs[1].nu).toBe(0);
    expect(r.pairs[2].nu).toBe(0);
    expect(r.pairs[1].bound).toBe(0);
    expect(r.pairs[1].ci).toEqual([0, 0]);
  });

  it("bounds the analytic total interaction index D_13/V from above, with the DGSM constants", () => {
    const V = (A * A) / 8 + (B * PI ** 4) / 5 + (B * B * PI ** 8) / 18 + 0.5;
    const V13 = B * B * PI ** 8 * (1 / 18 - 1 / 50);
    const top = r.pairs[0];
    expect(top.bound!).toBeGreaterThanOrEqual(V13 / V);
    // C = (2π)²/π² = 4 for each of x1, x3 (uniform on [−π, π]).
    expect(r.distributions.map((d) => d.poincareConstant)).toEqual(
      [4, 4, 4].map((c) => expect.closeTo(c, 14)),
    );
    expect(top.bound).toBeCloseTo((16 * top.nu!) / r.outputVariance[0].variance!, 12);
    const [lo, hi] = top.ci as [number, number];
    expect(lo).toBeLessThan(top.nu!);
    expect(hi).toBeGreaterThan(top.nu!);
    const [blo, bhi] = top.boundCi as [number, number];
    expect(blo).toBeLessThan(top.bound!);
    expect(bhi).toBeGreaterThan(top.bound!);
    expect(r.bootstrap).toEqual({ replicates: 200, level: 0.95, seed: 2, method: "poisson" });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("agrees with the Sobol' indices: bound ≥ S_T,1 − S_1 ≥ the pair's share, and DGSM's bounds hold too", () => {
    const s = sobolIndices((z: Tensor) => ishigami({ x: z }), uniformPi, { samples: 4096, seed: 5 });
    const interaction1 = s.indices[0].total! - s.indices[0].first!;
    expect(r.pairs[0].bound!).toBeGreaterThan(interaction1);
    const g = dgsm(ishigami, { x }, { ...names, dgsmDistribution: uniformPi, bootstrap: 0 });
    g.entries.forEach((e, j) => expect(e.sobolTotalUpperBound!).toBeGreaterThan(s.indices[j].total!));
  });

  it("additive model: every ν is exactly 0", () => {
    const additive = ({ x }: Record<string, Tensor>) =>
      col(x, 0).sin().add(col(x, 1).square().mul(3)).add(col(x, 2).exp()).add(col(x, 3).tanh());
    const z = random.normal([500, 4], { seed: 3 });
    const a = crossedDerivatives(additive, { x: z }, { bootstrap: 20 });
    expect(a.pairs).toHaveLength(6);
    a.pairs.forEach((p) => {
      expect(p.nu).toBe(0);
      expect(p.bound).toBe(0);
    });
  });

  it("polynomial with two outputs: ν from the closed-form Hessian, normal constants σ_i²σ_j²", () => {
    // y0 = x0·x1 + 2·x1·x2² (∂²/∂x0∂x1 = 1, ∂²/∂x1∂x2 = 4x2, ∂²/∂x0∂x2 = 0); y1 = x0·x2 (∂²/∂x0∂x2 = 1).
    const f = ({ x }: Record<string, Tensor>) => ({
      y0: col(x, 0)
        .mul(col(x, 1))
        .add(col(x, 1).mul(col(x, 2).square()).mul(2))
        .reshape([-1, 1]),
      y1: col(x, 0).mul(col(x, 2)).reshape([-1, 1]),
    });
    const z = random.normal([3000, 3], { seed: 8 });
    const zr = z.data() as Float64Array;
    const p = crossedDerivatives(f, { x: z }, { dgsmDistribution: "normal", bootstrap: 0 });
    expect(p.bootstrap).toBeNull();
    const find = (out: string, a: string, b: string) =>
      p.pairs.find((q) => q.output === out && q.features[0] === a && q.features[1] === b)!;
    let m2 = 0;
    for (let i = 0; i < 3000; i++) m2 += (4 * zr[i * 3 + 2]) ** 2;
    expect(find("y0", "x[0]", "x[1]").nu).toBeCloseTo(1, 13);
    expect(find("y0", "x[1]", "x[2]").nu! / (m2 / 3000)).toBeCloseTo(1, 12);
    expect(find("y0", "x[0]", "x[2]").nu).toBe(0);
    expect(find("y1", "x[0]", "x[2]").nu).toBeCloseTo(1, 13);
    expect(find("y1", "x[0]", "x[1]").nu).toBe(0);
    // Ranked by ν across outputs.
    const nus = p.pairs.map((q) => q.nu!);
    expect([...nus].sort((a, b) => b - a)).toEqual(nus);
    // Normal inputs: C = σ², σ from the data.
    const q = find("y1", "x[0]", "x[2]");
    const [c0, , c2] = p.distributions.map((d) => d.poincareConstant!);
    expect(c0).toBeCloseTo(p.distributions[0].std! ** 2, 14);
    expect(q.bound).toBeCloseTo((c0 * c2 * q.nu!) / p.outputVariance[1].variance!, 12);
    // y1 = x0·x2 with independent standard normals is a pure interaction: D_02^super/V = 1 ≤ bound.
    expect(q.bound!).toBeGreaterThan(0.9);
  });

  it("NaN in gives NaN out: a NaN row makes ν, the bound and their intervals null", () => {
    const z = random.normal([200, 3], { seed: 4 }).data() as Float64Array;
    z[7 * 3 + 1] = NaN;
    const q = crossedDerivatives(
      ishigami,
      { x: Array.from({ length: 200 }, (_, i) => Array.from(z.subarray(i * 3, i * 3 + 3))) },
      { bootstrap: 20 },
    );
    // x2 enters only through sin² x2, so ∂²y/∂x1∂x3 stays finite on the NaN row; the pairs with x2 do not.
    for (const p of q.pairs) {
      const withX2 = p.featureIndices.includes(1);
      expect(p.nu === null, `${p.features.join("×")}`).toBe(withX2);
      if (withX2) expect(p.ci).toBeNull();
    }
    expect(q.outputVariance[0].variance).toBeNull();
    expect(q.pairs.every((p) => p.bound === null)).toBe(true);
  });

  it("has no pairs for one feature, and refuses bad options", () => {
    const one = crossedDerivatives(({ x }: Record<string, Tensor>) => x.square().reshape([-1]), {
      x: random.normal([50], { seed: 1 }),
    });
    expect(one.pairs).toEqual([]);
    expect(() => crossedDerivatives(ishigami, { x }, { bootstrap: -1 })).toThrow(ValueError);
    expect(() => crossedDerivatives(ishigami, { x }, { confidenceLevel: 2 })).toThrow(/confidenceLevel/);
  });
});
