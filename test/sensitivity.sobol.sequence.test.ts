import { describe, expect, it } from "vitest";
import { ValueError } from "../src/index.js";
import { normalQuantile, SobolSequence } from "../src/sensitivity/index.js";
import { directionNumbers, JOE_KUO_PARAMETERS } from "../src/sensitivity/methods/sobol/directions.js";
import { erfc } from "../src/kernels/special.js";

/** Points of a sequence as rows. */
function rows(seq: SobolSequence, n: number): number[][] {
  const flat = seq.next(n);
  const d = seq.dimension;
  return Array.from({ length: n }, (_, r) => Array.from(flat.subarray(r * d, (r + 1) * d)));
}

/** Multiplication modulo the polynomial `poly` of degree s over GF(2). */
function mulmod(x: number, y: number, poly: number, s: number): number {
  let r = 0;
  while (y) {
    if (y & 1) r ^= x;
    y >>>= 1;
    x <<= 1;
    if ((x >>> s) & 1) x ^= poly;
  }
  return r;
}

/** Whether x is a generator of GF(2^s)* modulo `poly`, i.e. whether the polynomial is primitive. */
function isPrimitive(poly: number, s: number): boolean {
  const order = 2 ** s - 1;
  const power = (e: number) => {
    let r = 1;
    let b = s === 1 ? 1 : 2; // x mod (x + 1) = 1
    for (; e > 0; e = Math.floor(e / 2)) {
      if (e & 1) r = mulmod(r, b, poly, s);
      b = mulmod(b, b, poly, s);
    }
    return r;
  };
  const primes: number[] = [];
  for (let p = 2, m = order; p <= m; p++)
    if (m % p === 0) {
      primes.push(p);
      while (m % p === 0) m /= p;
    }
  return power(order) === 1 && primes.every((p) => power(order / p) !== 1);
}

function totient(n: number): number {
  let r = n;
  for (let p = 2, m = n; p <= m; p++)
    if (m % p === 0) {
      r -= r / p;
      while (m % p === 0) m /= p;
    }
  return r;
}

describe("Joe–Kuo direction numbers", () => {
  it("are well formed: primitive polynomials in Joe–Kuo order, odd m_k < 2^k", () => {
    expect(JOE_KUO_PARAMETERS).toHaveLength(127);
    const byDegree = new Map<number, number[]>();
    JOE_KUO_PARAMETERS.forEach(({ s, a, m }, i) => {
      expect(m, `dimension ${i + 2}`).toHaveLength(s);
      m.forEach((mk, k) => {
        expect(mk % 2, `m_${k + 1} of dimension ${i + 2}`).toBe(1);
        expect(mk).toBeLessThan(2 ** (k + 1));
      });
      expect(isPrimitive((1 << s) | (a << 1) | 1, s), `polynomial of dimension ${i + 2}`).toBe(true);
      byDegree.set(s, [...(byDegree.get(s) ?? []), a]);
    });
    // Every primitive polynomial of degrees 1 … 9, each once, in increasing order of a.
    for (let s = 1; s <= 9; s++) {
      const as = byDegree.get(s)!;
      expect(as.length, `degree ${s}`).toBe(totient(2 ** s - 1) / s);
      expect([...as].sort((x, y) => x - y)).toEqual(as);
    }
  });

  it("follow the recurrence by hand for dimension 3 (s = 2, a = 1, m = 1, 3)", () => {
    const v = directionNumbers(3);
    // v_1 = .1, v_2 = .11, v_3 = v_1 ⊕ v_1/4 ⊕ v_2 = .011, v_4 = v_2 ⊕ v_2/4 ⊕ v_3 = .1001
    expect([v[0], v[1], v[2], v[3]].map((x) => x / 2 ** 32)).toEqual([0.5, 0.75, 0.375, 0.5625]);
  });
});

describe("SobolSequence", () => {
  it("matches scipy.stats.qmc.Sobol(d=2, scramble=False).random_base2(3) and Joe–Kuo dimension 3", () => {
    const pts = rows(new SobolSequence(3, { scramble: false }), 9);
    expect(pts.map((p) => p[0])).toEqual([0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875]);
    expect(pts.map((p) => p[1])).toEqual([0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625, 0.3125]);
    // Point i XORs the direction numbers of the bits of gray(i) = i ⊕ i/2: i = 2 → 3 → v_1 ⊕ v_2 = .01,
    // i = 6 → 5 → v_1 ⊕ v_3 = .111, i = 8 → 12 → v_3 ⊕ v_4 = .011 ⊕ .1001 = .1111.
    expect(pts.map((p) => p[2])).toEqual([0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375, 0.9375]);
  });

  it("is a (0, m, 2)-net in dimensions 1–2 and stratifies every coordinate, scrambled or not", () => {
    const m = 10;
    const n = 2 ** m;
    for (const opts of [{ scramble: false }, { seed: 1 }, { seed: 2 }]) {
      const pts = rows(new SobolSequence(8, opts), n);
      // Every coordinate: one point per interval [k/n, (k+1)/n).
      for (let j = 0; j < 8; j++) {
        const cells = new Set(pts.map((p) => Math.floor(p[j] * n)));
        expect(cells.size, `coordinate ${j} with ${JSON.stringify(opts)}`).toBe(n);
      }
      // Dimensions 1–2: every elementary box of area 1/n holds exactly one point (t = 0).
      for (let a = 0; a <= m; a++) {
        const cells = new Set(
          pts.map((p) => Math.floor(p[0] * 2 ** a) * n + Math.floor(p[1] * 2 ** (m - a))),
        );
        expect(cells.size, `boxes 2^-${a} × 2^-${m - a}`).toBe(n);
      }
    }
  });

  it("is deterministic by seed, and different seeds give different points in [0, 1)", () => {
    const a = new SobolSequence(5, { seed: 42 }).next(256);
    const b = new SobolSequence(5, { seed: 42 }).next(256);
    const c = new SobolSequence(5, { seed: 43 }).next(256);
    const plain = new SobolSequence(5, { scramble: false }).next(256);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(plain);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    // Drawing in pieces gives the same stream.
    const seq = new SobolSequence(5, { seed: 42 });
    const pieces = new Float64Array(256 * 5);
    pieces.set(seq.next(100), 0);
    pieces.set(seq.next(156), 500);
    expect(pieces).toEqual(a);
    expect(seq.position).toBe(256);
  });

  it("integrates a smooth product with a fraction of Monte Carlo's error (low discrepancy)", () => {
    // ∫ ∏_{j<5} 3x_j² dx = 1 on [0,1]^5; σ² = (9/5)^5 − 1 ≈ 17.9, so plain MC at N = 4096
    // errs by about σ/√N ≈ 0.066.
    const n = 4096;
    const d = 5;
    const mcError = Math.sqrt((9 / 5) ** 5 - 1) / Math.sqrt(n);
    let sq = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const x = new SobolSequence(d, { seed }).next(n);
      let sum = 0;
      for (let r = 0; r < n; r++) {
        let p = 1;
        for (let j = 0; j < d; j++) p *= 3 * x[r * d + j] ** 2;
        sum += p;
      }
      sq += (sum / n - 1) ** 2;
    }
    expect(Math.sqrt(sq / 5)).toBeLessThan(0.2 * mcError);
  });

  it("refuses a dimension outside the table and a bad count", () => {
    expect(() => new SobolSequence(0)).toThrow(ValueError);
    expect(() => new SobolSequence(129)).toThrow(/\[1, 128\]/);
    expect(() => new SobolSequence(2).next(-1)).toThrow(ValueError);
  });
});

describe("normalQuantile", () => {
  it("matches known quantiles and inverts Φ to machine precision", () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(NaN)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
    for (let e = -300; e <= -1; e += 7) {
      const p = 10 ** e;
      // Φ's relative sensitivity is |x|·dx, so a last-bit error in x = −37 moves Φ by ~1e-13.
      const x = normalQuantile(p);
      expect(Math.abs(phi(x) / p - 1), `p = 1e${e}`).toBeLessThan(4e-16 * (1 + x * x));
    }
    for (let p = 0.01; p < 1; p += 0.0137) {
      expect(Math.abs(phi(normalQuantile(p)) - p)).toBeLessThan(4e-15);
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 12);
    }
  });
});
