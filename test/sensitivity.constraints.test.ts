import { describe, expect, it } from "vitest";
import { array, erf, random, type Tensor } from "../src/index.js";
import { checkConstraints, pricingConstraints } from "../src/sensitivity/index.js";
import { firstPrimes, halton, radicalInverse } from "../src/sensitivity/methods/constraints/halton.js";

const arr = (t: Tensor) => t.toArray() as number[];

describe("randomized Halton points", () => {
  it("are radical inverses in the first prime bases, rotated by a seeded shift", () => {
    expect(firstPrimes(6)).toEqual([2, 3, 5, 7, 11, 13]);
    expect([1, 2, 3, 4, 5].map((i) => radicalInverse(i, 2))).toEqual([0.5, 0.25, 0.75, 0.125, 0.625]);
    expect(radicalInverse(5, 3)).toBeCloseTo(2 / 3 + 1 / 9, 15); // 5 = 12₃ → 0.21₃
    const a = halton(0, 64, 2, 9);
    const b = halton(0, 64, 2, 9);
    expect(a).toEqual(b);
    const shift = a[0] - 0.5;
    for (let i = 0; i < 64; i++) {
      const u = radicalInverse(i + 1, 2) + shift;
      expect(a[2 * i]).toBeCloseTo(u - Math.floor(u), 14);
    }
    // A continuation starts where the first batch ended.
    expect(halton(10, 5, 2, 9)).toEqual(a.subarray(20, 30));
  });
});

describe("shape constraints of y = a³ + a + exp(b)", () => {
  const model = ({ a, b }: Record<string, Tensor>) => a.pow(3).add(a).add(b.exp());
  const a = random.normal([400], { seed: 1 });
  const b = random.normal([400], { seed: 2 });
  const as = arr(a);
  const r = checkConstraints(
    model,
    { a, b },
    {
      expect: { a: ["increasing", "convex"], b: ["increasing", "convex"] },
      box: { samples: 2048, seed: 3 },
    },
  );
  const check = (feature: string, expect: string) =>
    r.checks.find((c) => c.feature === feature && c.expect === expect)!;

  it("passes increasing in a and b and convex in b, on the rows and on the box", () => {
    for (const [f, e] of [
      ["a", "increasing"],
      ["b", "increasing"],
      ["b", "convex"],
    ]) {
      const c = check(f, e);
      expect(c).toMatchObject({
        status: "satisfied",
        violations: 0,
        share: 0,
        rows: 400,
        nonFinite: 0,
        magnitude: 0,
      });
      expect(c.worstRows).toEqual([]);
      expect(c.boxShare).toBe(0);
    }
    expect(r.box).toMatchObject({ samples: 2048, seed: 3, sequence: "sobol" });
  });

  it("fails convex in a on exactly the rows with a < 0, worst first, with their derivatives", () => {
    const c = check("a", "convex");
    const negative = as.filter((v) => v < 0).length;
    expect(c.status).toBe("violated");
    expect(c.violations).toBe(negative);
    expect(c.share).toBe(negative / 400);
    expect(c.lower).toBe(0);
    expect(c.upper).toBeNull();
    const order = as
      .map((v, i) => [v, i])
      .filter(([v]) => v < 0)
      .sort((x, y) => x[0] - y[0])
      .map(([, i]) => i);
    expect(c.worstRows.map((w) => w.row)).toEqual(order.slice(0, 5));
    const w = c.worstRows[0];
    const x = as[w.row];
    expect(w.derivative).toBeCloseTo(6 * x, 12);
    expect(w.value).toBeCloseTo(x ** 3 + x + Math.exp(arr(b)[w.row]), 12);
    expect(w.features).toEqual({ a: x });
    expect(c.magnitude).toBeCloseTo(-6 * Math.min(...as), 12);
    // On the box, a < 0 covers (0 − min)/(max − min) of the range of a.
    const lo = Math.min(...as);
    const hi = Math.max(...as);
    expect(c.boxShare!).toBeCloseTo(-lo / (hi - lo), 2);
    expect(c.box!.worst[0].derivative).toBeLessThan(6 * lo + 0.1);
    expect(r.violated).toBe(1);
  });
});

describe("derivative sign and range constraints", () => {
  const model = ({ a, b }: Record<string, Tensor>) => a.mul(b).add(a.sin());
  const a = random.uniform([200], { seed: 4, low: -3, high: 3 });
  const b = random.uniform([200], { seed: 5, low: 0.5, high: 2 });

  it("checks mixed second derivatives and derivative ranges", () => {
    const r = checkConstraints(
      model,
      { a, b },
      {
        constraints: [
          { derivative: ["a", "b"], sign: ">=0" }, // ∂²y/∂a∂b = 1
          { derivative: ["b", "a"], sign: "<=0", label: "substitutes" },
          { derivative: ["b"], range: [-3, 3] }, // ∂y/∂b = a
          { derivative: ["a"], range: [null, 2] }, // ∂y/∂a = b + cos a
        ],
        box: false,
      },
    );
    expect(r.box).toBeNull();
    const [cross, sub, rangeB, upperA] = r.checks;
    expect(cross).toMatchObject({
      feature: "a, b",
      derivative: ["a", "b"],
      expect: "d2/dadb >=0",
      status: "satisfied",
    });
    expect(cross.boxShare).toBeNull();
    expect(sub).toMatchObject({ expect: "substitutes", status: "violated", violations: 200, share: 1 });
    expect(sub.magnitude).toBeCloseTo(1, 12);
    expect(rangeB).toMatchObject({ expect: "d/db in [-3, 3]", status: "satisfied", lower: -3, upper: 3 });
    const bs = arr(b);
    const over = arr(a).filter((x, i) => bs[i] + Math.cos(x) > 2 + 1e-9).length;
    expect(over).toBeGreaterThan(5);
    expect(upperA).toMatchObject({ expect: "d/da in [, 2]", violations: over, lower: null, upper: 2 });
  });

  it("reports non-finite derivatives apart, as unverified rather than passed", () => {
    const r = checkConstraints(
      ({ x }: Record<string, Tensor>) => x.sqrt(),
      { x: array([1, 4, -1, 9]) },
      {
        expect: { x: ["increasing"] },
        box: false,
      },
    );
    expect(r.checks[0]).toMatchObject({ status: "unverified", violations: 0, nonFinite: 1, rows: 4 });
    expect(r.violated).toBe(0);
  });

  it("refuses unknown features, shapes, outputs and malformed constraints, naming them", () => {
    const data = { a, b };
    expect(() => checkConstraints(model, data, { expect: { price: ["increasing"] } })).toThrow(
      /'price' is not a feature \(features: a, b\)/,
    );
    expect(() => checkConstraints(model, data, { expect: { a: ["monotone" as "increasing"] } })).toThrow(
      /unknown shape 'monotone' for feature 'a'/,
    );
    expect(() =>
      checkConstraints(model, data, { constraints: [{ derivative: ["a"], sign: ">=0", range: [0, 1] }] }),
    ).toThrow(/exactly one of sign or range/);
    expect(() =>
      checkConstraints(model, data, { constraints: [{ derivative: ["a"], range: [1, 0] }] }),
    ).toThrow(/low ≤ high/);
    expect(() =>
      checkConstraints(model, data, { constraints: [{ derivative: ["a"], sign: ">=0", output: "price" }] }),
    ).toThrow(/output 'price' is not an output component \(outputs: output\)/);
    expect(() => checkConstraints(model, data, {})).toThrow(/nothing to check/);
  });
});

/** Black–Scholes call (no dividends, rate r) with Φ(x) = (1 + erf(x/√2))/2. */
function blackScholes(r: number, bump?: (K: Tensor) => Tensor) {
  const Phi = (x: Tensor) => erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5);
  return ({ S, K, T, sigma }: Record<string, Tensor>) => {
    const vol = sigma.mul(T.sqrt());
    const d1 = S.div(K).log().add(sigma.square().mul(0.5).add(r).mul(T)).div(vol);
    const d2 = d1.sub(vol);
    const call = S.mul(Phi(d1)).sub(K.mul(T.mul(-r).exp()).mul(Phi(d2)));
    return bump ? call.add(bump(K)) : call;
  };
}

describe("the pricing preset on Black–Scholes calls", () => {
  const n = 600;
  const data = {
    S: random.uniform([n], { seed: 11, low: 80, high: 120 }),
    K: random.uniform([n], { seed: 12, low: 80, high: 120 }),
    T: random.uniform([n], { seed: 13, low: 0.1, high: 2 }),
    sigma: random.uniform([n], { seed: 14, low: 0.1, high: 0.5 }),
  };
  const roles = { spot: "S", strike: "K", maturity: "T", volatility: "sigma" };

  it("passes: decreasing and convex in strike, increasing in maturity and volatility, delta in [0, 1]", () => {
    const constraints = pricingConstraints(roles);
    expect(constraints.map((c) => c.label)).toEqual([
      "decreasing",
      "convex",
      "increasing",
      "increasing",
      "delta in [0, 1]",
    ]);
    const r = checkConstraints(blackScholes(0.02), data, { constraints, box: { samples: 1024 } });
    expect(r.violated).toBe(0);
    for (const c of r.checks) {
      expect(c.status, `${c.feature} ${c.expect}`).toBe("satisfied");
      expect(c.boxShare).toBe(0);
    }
  });

  it("fails convexity in strike on exactly the rows of a planted butterfly arbitrage", () => {
    // C + A·exp(−((K − 100)/w)²): its second strike derivative A·e^{−u²}(4u² − 2)/w² dips below
    // the call's gamma in strike, e^{−rT}φ(d₂)/(Kσ√T), near K = 100.
    const A = 0.6;
    const w = 4;
    const r = 0.02;
    const bump = (K: Tensor) => K.sub(100).div(w).square().neg().exp().mul(A);
    const res = checkConstraints(blackScholes(r, bump), data, {
      constraints: pricingConstraints({ strike: "K" }),
      box: false,
    });
    const convex = res.checks.find((c) => c.expect === "convex")!;
    const [S, K, T, sig] = [data.S, data.K, data.T, data.sigma].map(arr);
    const exact = K.map((k, i) => {
      const vol = sig[i] * Math.sqrt(T[i]);
      const d2 = (Math.log(S[i] / k) + (r - (sig[i] * sig[i]) / 2) * T[i]) / vol;
      const gammaK = (Math.exp(-r * T[i]) * Math.exp(-(d2 * d2) / 2)) / Math.sqrt(2 * Math.PI) / (k * vol);
      const u = (k - 100) / w;
      return gammaK + (A * Math.exp(-u * u) * (4 * u * u - 2)) / (w * w);
    });
    const want = exact.flatMap((g, i) => (g < 0 ? [i] : []));
    expect(want.length).toBeGreaterThan(20);
    expect(exact.every((g) => Math.abs(g) > 1e-6)).toBe(true); // no row on the edge
    expect(convex.status).toBe("violated");
    expect(convex.violations).toBe(want.length);
    const worst = want.sort((i, j) => exact[i] - exact[j]).slice(0, 5);
    expect(convex.worstRows.map((x) => x.row)).toEqual(worst);
    convex.worstRows.forEach((x) => {
      expect(x.derivative).toBeCloseTo(exact[x.row], 9);
      expect(x.features).toEqual({ K: K[x.row] });
    });
  });
});

describe("constraints in small batches", () => {
  it("give the same checks whatever the batch size, for rows and box points", () => {
    const model = ({ a, b }: Record<string, Tensor>) => a.mul(b).add(a.sin()).add(b.pow(3));
    const data = { a: random.normal([37], { seed: 8 }), b: random.normal([37], { seed: 9 }) };
    const opts = {
      expect: { a: ["convex" as const], b: ["increasing" as const, "convex" as const] },
      constraints: [{ derivative: ["a", "b"] as const, sign: "<=0" as const }],
      box: { samples: 50, seed: 1 },
    };
    const small = checkConstraints(model, data, { ...opts, batchSize: 4 });
    expect(small).toEqual(checkConstraints(model, data, opts));
    // ∂²y/∂b² = 6b: the rows with b < 0 violate convexity in b.
    const bs = arr(data.b);
    expect(small.checks[2].violations).toBe(bs.filter((v) => v < 0).length);
    expect(small.checks[3].violations).toBe(37); // ∂²y/∂a∂b = 1
  });
});

describe("the bounding-box sample is the scrambled Sobol' design", () => {
  it("y = x² declared decreasing: every box point violates, and the worst are Sobol' points scaled to [min, max]", async () => {
    const { SobolSequence } = await import("../src/sensitivity/methods/sobol/sequence.js");
    const x = array([-2, -1, 0, 1, 3]);
    const r = checkConstraints(
      ({ x: v }: Record<string, Tensor>) => v.square(),
      { x },
      { expect: { x: ["decreasing"] }, box: { samples: 64, seed: 5 }, worst: 3 },
    );
    expect(r.box).toMatchObject({ samples: 64, seed: 5, sequence: "sobol", low: [-2], high: [3] });
    const design = Array.from(new SobolSequence(1, { seed: 5 }).next(64), (u) => -2 + 5 * u);
    const c = r.checks[0];
    // Violating box points: those with 2x > 0; the worst is the largest x of the design.
    expect(c.box!.violations).toBe(design.filter((v) => 2 * v > c.tolerance!).length);
    expect(c.box!.worst[0].point[0]).toBeCloseTo(Math.max(...design), 12);
    for (const p of c.box!.worst) expect(design.some((v) => Math.abs(v - p.point[0]!) < 1e-12)).toBe(true);
  });
});
