/**
 * The points the transcendental kernels are measured on (scripts/ulp-accuracy.ts, 10^7 per
 * function; test/kernels.transcendental.test.ts, 10^5): a quarter uniform in the 64-bit patterns
 * (every double: subnormals, huge, ±∞, NaN), a quarter uniform over the working range, a quarter
 * log-uniform in magnitude down to 2^-1074 (both signs), a quarter within ±4096 ulps and ±0.1%
 * of the branch points and overflow/underflow thresholds; the special values first.
 */
import type { REFERENCES } from "./ddReference.js";

export type KernelName = keyof typeof REFERENCES;

/** Working range and branch points/thresholds worth probing closely, per function. */
export const DOMAINS: Record<KernelName, { range: [number, number]; points: number[] }> = {
  exp: {
    range: [-746, 710],
    points: [
      709.782712893384, -745.1332191019411, -708.3964185322641, 0.34657359027997264, 1.0397207708399179,
      3.725290298461914e-9, 0,
    ],
  },
  expm1: {
    range: [-40, 710],
    points: [
      709.782712893384, 38.816242111356935, 0.34657359027997264, 1.0397207708399179, 5.551115123125783e-17,
      -0.25, 0,
    ],
  },
  log: {
    range: [0, 4],
    points: [1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, 2.2250738585072014e-308, 1.7976931348623157e308],
  },
  log1p: {
    range: [-1, 4],
    points: [-1, 0, 0.41421356237309503, -0.2928932188134524, 1.862645149230957e-9, 9007199254740992],
  },
  tanh: { range: [-23, 23], points: [22, 1, 0.125, 3.725290298461914e-9, 0] },
  sigmoid: {
    range: [-746, 40],
    points: [0, -708.3964185322641, -745.1332191019411, 36.7368005696771, -36.7368005696771],
  },
  erf: {
    range: [-7, 7],
    points: [0.84375, 1.25, 2.857142857142857, 6, 3.725290298461914e-9, 2.2250738585072014e-308],
  },
};

export const SPECIALS = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  1,
  -1,
  0.5,
  -0.5,
];

/** mulberry32: a small seeded generator so runs are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The double j ulps (j may be negative) away from t, stepping through the bit patterns. */
export function ulpStep(t: number, j: number): number {
  F[0] = t;
  const big = BigInt.asIntN(64, (BigInt(U[HI]) << 32n) | BigInt(U[1 - HI]));
  // map sign-magnitude bits to a monotone integer line
  const line = big < 0n ? -(big & 0x7fffffffffffffffn) : big;
  const moved = line + BigInt(j);
  const bits = moved < 0n ? -moved | -0x8000000000000000n : moved;
  const u = BigInt.asUintN(64, bits);
  U[HI] = Number(u >> 32n);
  U[1 - HI] = Number(u & 0xffffffffn);
  return F[0];
}

/** The i-th of n points for one function (deterministic given the seed). */
export function* points(name: KernelName, n: number, seed: number): Generator<number> {
  const r = rng(seed);
  const { range, points: pts } = DOMAINS[name];
  for (const s of SPECIALS) yield s;
  const q = Math.floor(n / 4);
  for (let i = 0; i < q; i++) {
    U[HI] = (r() * 4294967296) >>> 0;
    U[1 - HI] = (r() * 4294967296) >>> 0;
    yield F[0];
  }
  for (let i = 0; i < q; i++) yield range[0] + (range[1] - range[0]) * r();
  for (let i = 0; i < q; i++) yield (r() < 0.5 ? -1 : 1) * 2 ** (-1074 * r());
  const rest = n - 3 * q - SPECIALS.length;
  for (let i = 0; i < rest; i++) {
    const t = pts[i % pts.length];
    if (r() < 0.5) yield ulpStep(t, Math.round((r() - 0.5) * 8192));
    else yield t * (1 + (r() - 0.5) * 2e-3) + (r() - 0.5) * 1e-300;
  }
}
