/**
 * The Sobol' low-discrepancy sequence in base 2 (Sobol' 1967), generated in Gray-code order
 * (Antonov & Saleev 1979) from Joe & Kuo's direction numbers, optionally randomised by a linear
 * matrix scramble plus a digital shift (Matoušek 1998; Owen 2003, "Variance with alternative
 * scramblings of digital nets") — the "LMS + shift" scramble scipy.stats.qmc.Sobol uses. Each
 * dimension's direction numbers v_k are multiplied by a random lower-triangular binary matrix with
 * unit diagonal (digit p of the result mixes input digits 1 … p, so nets stay nets) and every
 * point is XORed with a random 32-bit shift, so each point is uniform on the unit cube while the
 * set keeps its (t, m, s)-net structure. Unscrambled, the points match scipy's
 * `Sobol(d, scramble=False)` exactly (both start at the origin).
 */
import { ValueError } from "../../../core/errors.js";
import { Rng } from "../../../core/rng.js";
import { directionNumbers, SOBOL_BITS, SOBOL_MAX_DIMENSION } from "./directions.js";

/**
 * Options of a `SobolSequence`.
 *
 * @example
 * const opts: SobolSequenceOptions = { scramble: true, seed: 42 };
 */
export interface SobolSequenceOptions {
  /** Randomise by a linear matrix scramble and a digital shift. Default true. */
  scramble?: boolean;
  /** Seed of the scramble (ignored when `scramble` is false). Default 0. */
  seed?: number;
}

const TWO_32 = 4294967296;

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Applies a random lower-triangular binary matrix with unit diagonal to each direction number.
 * Digit p (p = 0 the most significant, bit 31) of the result is the parity of the input digits
 * selected by row p of the matrix: digit p itself and a random subset of the digits above it.
 */
function scrambleDirections(v: Uint32Array, rng: Rng): Uint32Array {
  const rows = new Uint32Array(SOBOL_BITS);
  for (let p = 0; p < SOBOL_BITS; p++) {
    const above = p === 0 ? 0 : (0xffffffff << (SOBOL_BITS - p)) >>> 0;
    rows[p] = ((rng.nextUint32() & above) | (1 << (SOBOL_BITS - 1 - p))) >>> 0;
  }
  const out = new Uint32Array(SOBOL_BITS);
  for (let k = 0; k < SOBOL_BITS; k++) {
    let y = 0;
    for (let p = 0; p < SOBOL_BITS; p++) if (parity(v[k] & rows[p])) y |= 1 << (SOBOL_BITS - 1 - p);
    out[k] = y >>> 0;
  }
  return out;
}

/**
 * A stream of Sobol' points in [0, 1)^dimension with 32-bit resolution. Points come in order
 * from index 0; any prefix of 2^m points is a (t, m, s)-net, so powers of two give the best
 * balance. Unscrambled point 0 is the origin.
 *
 * @example
 * const seq = new SobolSequence(2, { scramble: false });
 * seq.next(4); // Float64Array [0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75]
 * const scrambled = new SobolSequence(5, { seed: 7 }).next(1024); // 1024 × 5, row-major
 */
export class SobolSequence {
  /** Direction numbers per dimension (scrambled when asked). */
  private readonly v: Uint32Array[];
  /** The current point's integer coordinates. */
  private readonly x: Uint32Array;
  private index = 0;

  constructor(
    readonly dimension: number,
    opts: SobolSequenceOptions = {},
  ) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION)
      throw new ValueError(
        `SobolSequence: dimension must be an integer in [1, ${SOBOL_MAX_DIMENSION}] (the direction-number table's size), got ${dimension}`,
      );
    const scramble = opts.scramble ?? true;
    const rng = scramble ? new Rng(opts.seed ?? 0) : null;
    this.v = [];
    this.x = new Uint32Array(dimension);
    for (let j = 0; j < dimension; j++) {
      const v = directionNumbers(j + 1);
      this.v.push(rng ? scrambleDirections(v, rng) : v);
      // The digital shift: point 0 is the shift itself.
      if (rng) this.x[j] = rng.nextUint32();
    }
  }

  /** Index of the next point. */
  get position(): number {
    return this.index;
  }

  /** The next `count` points as integers (coordinate × 2^32), row-major [count × dimension]. */
  nextInts(count: number): Uint32Array {
    if (!Number.isInteger(count) || count < 0)
      throw new ValueError(`SobolSequence: count must be a non-negative integer, got ${count}`);
    if (this.index + count > TWO_32)
      throw new ValueError(
        `SobolSequence: only 2^32 points exist at 32-bit resolution; asked for ${count} after ${this.index}`,
      );
    const { dimension: d, x, v } = this;
    const out = new Uint32Array(count * d);
    for (let r = 0; r < count; r++) {
      out.set(x, r * d);
      // Gray code: point i+1 differs from point i by the direction number of the lowest zero
      // bit of i, i.e. the trailing-zero count of i + 1.
      const next = this.index + 1;
      this.index = next;
      if (next >= TWO_32) continue;
      const c = 31 - Math.clz32(next & -next);
      for (let j = 0; j < d; j++) x[j] ^= v[j][c];
    }
    return out;
  }

  /** The next `count` points in [0, 1), row-major [count × dimension]. */
  next(count: number): Float64Array {
    const ints = this.nextInts(count);
    const out = new Float64Array(ints.length);
    for (let i = 0; i < ints.length; i++) out[i] = ints[i] / TWO_32;
    return out;
  }
}
