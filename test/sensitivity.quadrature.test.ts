import { describe, expect, it } from "vitest";
import { ValueError } from "../src/index.js";
import { gaussLegendre, pathQuadrature } from "../src/sensitivity/index.js";

// Abramowitz & Stegun, Table 25.4 (abscissas ±x_i and weights w_i on [-1, 1]).
const TABLE: Record<number, [number, number][]> = {
  2: [[0.577350269189626, 1.0]],
  3: [
    [0.0, 0.888888888888889],
    [0.774596669241483, 0.555555555555556],
  ],
  4: [
    [0.339981043584856, 0.652145154862546],
    [0.861136311594053, 0.347854845137454],
  ],
  5: [
    [0.0, 0.568888888888889],
    [0.538469310105683, 0.478628670499366],
    [0.906179845938664, 0.236926885056189],
  ],
  10: [
    [0.148874338981631, 0.295524224714753],
    [0.433395394129247, 0.269266719309996],
    [0.679409568299024, 0.219086362515982],
    [0.865063366688985, 0.149451349150581],
    [0.973906528517172, 0.066671344308688],
  ],
};

describe("gaussLegendre", () => {
  it.each(Object.keys(TABLE).map(Number))("matches the tabulated %i-point rule", (n) => {
    const { nodes, weights } = gaussLegendre(n);
    expect(nodes).toHaveLength(n);
    const positive = nodes.map((x, i) => [x, weights[i]]).filter(([x]) => x >= -1e-300);
    expect(positive).toHaveLength(TABLE[n].length);
    positive.forEach(([x, w], i) => {
      expect(x).toBeCloseTo(TABLE[n][i][0], 14);
      expect(w).toBeCloseTo(TABLE[n][i][1], 14);
    });
  });

  it("matches closed forms to machine precision", () => {
    const r4 = gaussLegendre(4);
    const inner = Math.sqrt(3 / 7 - (2 / 7) * Math.sqrt(6 / 5));
    const outer = Math.sqrt(3 / 7 + (2 / 7) * Math.sqrt(6 / 5));
    expect(r4.nodes[2]).toBeCloseTo(inner, 15);
    expect(r4.nodes[3]).toBeCloseTo(outer, 15);
    expect(r4.weights[2]).toBeCloseTo((18 + Math.sqrt(30)) / 36, 15);
    expect(r4.weights[3]).toBeCloseTo((18 - Math.sqrt(30)) / 36, 15);
    const r5 = gaussLegendre(5);
    expect(r5.nodes[4]).toBeCloseTo(Math.sqrt(5 + 2 * Math.sqrt(10 / 7)) / 3, 15);
    expect(r5.weights[2]).toBeCloseTo(128 / 225, 15);
    expect(r5.weights[4]).toBeCloseTo((322 - 13 * Math.sqrt(70)) / 900, 15);
    expect(gaussLegendre(1)).toEqual({ nodes: [0], weights: [2] });
  });

  it("integrates polynomials of degree ≤ 2n − 1 exactly, and x^2n with the known error", () => {
    // Error of the n-point rule on x^(2n): 2^(2n+1) (n!)^4 / ((2n+1) ((2n)!)^2) (A&S 25.4.30).
    const logFact = (m: number) =>
      Array.from({ length: m }, (_, i) => Math.log(i + 1)).reduce((a, b) => a + b, 0);
    const knownError = (n: number) =>
      Math.exp((2 * n + 1) * Math.log(2) + 4 * logFact(n) - Math.log(2 * n + 1) - 2 * logFact(2 * n));
    for (const n of [1, 2, 3, 7, 16, 64]) {
      const { nodes, weights } = gaussLegendre(n);
      const integral = (p: number) => nodes.reduce((s, x, i) => s + weights[i] * x ** p, 0);
      for (let p = 0; p <= 2 * n - 1; p++) {
        const exact = p % 2 === 1 ? 0 : 2 / (p + 1);
        expect(Math.abs(integral(p) - exact)).toBeLessThan(1e-13);
      }
      if (n <= 16) expect((2 / (2 * n + 1) - integral(2 * n)) / knownError(n)).toBeCloseTo(1, 3);
      expect(nodes.every((x, i) => i === 0 || x > nodes[i - 1])).toBe(true);
    }
  });

  it("rejects a non-positive or fractional order", () => {
    expect(() => gaussLegendre(0)).toThrow(ValueError);
    expect(() => gaussLegendre(2.5)).toThrow(/positive integer, got 2.5/);
  });
});

describe("pathQuadrature on [0, 1]", () => {
  it("builds the documented Riemann and trapezoid rules", () => {
    expect(pathQuadrature("riemann-left", 4)).toEqual({
      nodes: [0, 0.25, 0.5, 0.75],
      weights: [0.25, 0.25, 0.25, 0.25],
    });
    expect(pathQuadrature("riemann-mid", 2)).toEqual({ nodes: [0.25, 0.75], weights: [0.5, 0.5] });
    expect(pathQuadrature("trapezoid", 2)).toEqual({ nodes: [0, 0.5, 1], weights: [0.25, 0.5, 0.25] });
  });

  it("has weights summing to 1 and converges at the expected orders on ∫₀¹ e^α dα", () => {
    const exact = Math.E - 1;
    const err = (m: "riemann-left" | "riemann-mid" | "trapezoid" | "gauss-legendre", s: number) => {
      const r = pathQuadrature(m, s);
      expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      return Math.abs(r.nodes.reduce((acc, a, i) => acc + r.weights[i] * Math.exp(a), 0) - exact);
    };
    // Halving h: first order halves the error, second order quarters it.
    expect(err("riemann-left", 64) / err("riemann-left", 128)).toBeCloseTo(2, 1);
    expect(err("riemann-mid", 64) / err("riemann-mid", 128)).toBeCloseTo(4, 1);
    expect(err("trapezoid", 64) / err("trapezoid", 128)).toBeCloseTo(4, 1);
    expect(err("gauss-legendre", 6)).toBeLessThan(1e-13);
  });
});
