/**
 * A randomized Halton sequence on [0, 1)^D: coordinate j of point i is the radical inverse of i in
 * the j-th prime base (Halton 1960), shifted by a seeded uniform offset modulo 1
 * (Cranley–Patterson rotation), so each seed gives a different, equally well-spread design and the
 * point at the origin is not always included. Fine for the few to few dozen dimensions of tabular
 * models; Sobol' points with Joe–Kuo directions spread better in high dimensions.
 */
import { Rng } from "../../../core/rng.js";

/** The first `d` primes. */
export function firstPrimes(d: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < d; c++) if (out.every((p) => p * p > c || c % p !== 0)) out.push(c);
  return out;
}

/** Radical inverse of `i` in `base`: the digits of i mirrored about the radix point. */
export function radicalInverse(i: number, base: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= base;
    r += f * (i % base);
    i = Math.floor(i / base);
  }
  return r;
}

/** Points `start` … `start + count − 1` (counting from 1, skipping the all-zero point 0) as [count × d]. */
export function halton(start: number, count: number, d: number, seed: number): Float64Array {
  const primes = firstPrimes(d);
  const rng = new Rng(seed);
  const shift = primes.map(() => rng.nextFloat());
  const out = new Float64Array(count * d);
  for (let r = 0; r < count; r++)
    for (let j = 0; j < d; j++) {
      const u = radicalInverse(start + r + 1, primes[j]) + shift[j];
      out[r * d + j] = u >= 1 ? u - 1 : u;
    }
  return out;
}
