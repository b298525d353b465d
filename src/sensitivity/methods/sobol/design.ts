/**
 * The sampling design of Saltelli-type estimators of Sobol' indices (Saltelli 2002; Saltelli et
 * al. 2010): two independent N × d matrices A and B — the first and last d coordinates of a 2d-
 * dimensional scrambled Sobol' sequence — and, for each feature i, A_B^(i): A with column i taken
 * from B. Rows are produced in blocks so that only one block of design rows and model outputs is
 * alive at a time; a block of m base rows holds (d + 2)·m rows laid out as
 * [A (m rows), B (m rows), A_B^(1) (m rows), …, A_B^(d) (m rows)].
 */
import { ValueError } from "../../../core/errors.js";
import { SOBOL_MAX_DIMENSION } from "./directions.js";
import type { ResolvedMarginal } from "./marginals.js";
import { SobolSequence } from "./sequence.js";

const TWO_32 = 4294967296;

/**
 * Generator of the A, B, A_B^(i) rows, mapped through the marginals' inverse CDFs. Coordinates are
 * taken at the centre of their 2^-32 cell, (k + ½)/2^32, so no u is exactly 0 or 1 and a normal
 * marginal never maps a design point to ±∞.
 *
 * @example
 * const design = new SobolDesign([resolveMarginal({ type: "uniform", low: 0, high: 1 }, "x0", "demo")], 7);
 * const block = design.nextBlock(256); // 3·256 rows × 1 column: A, B, A_B^(0)
 */
export class SobolDesign {
  readonly d: number;
  private readonly seq: SobolSequence;
  private readonly quantiles: ((u: number) => number)[];

  constructor(marginals: readonly ResolvedMarginal[], seed: number) {
    const d = marginals.length;
    if (d < 1) throw new ValueError("sobolIndices: at least one feature (marginal) is needed");
    if (2 * d > SOBOL_MAX_DIMENSION)
      throw new ValueError(
        `sobolIndices: ${d} features need a ${2 * d}-dimensional Sobol' design; the direction numbers cover ${SOBOL_MAX_DIMENSION} (at most ${SOBOL_MAX_DIMENSION / 2} features)`,
      );
    this.d = d;
    this.seq = new SobolSequence(2 * d, { scramble: true, seed });
    this.quantiles = marginals.map((m) => m.quantile);
  }

  /** Base rows drawn so far. */
  get position(): number {
    return this.seq.position;
  }

  /** The next m base rows as a block of (d + 2)·m design rows [((d + 2)·m) × d], row-major. */
  nextBlock(m: number): Float64Array {
    const { d, quantiles } = this;
    const ints = this.seq.nextInts(m);
    const out = new Float64Array((d + 2) * m * d);
    const a = new Float64Array(d);
    const b = new Float64Array(d);
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < d; j++) {
        a[j] = quantiles[j]((ints[r * 2 * d + j] + 0.5) / TWO_32);
        b[j] = quantiles[j]((ints[r * 2 * d + d + j] + 0.5) / TWO_32);
      }
      out.set(a, r * d);
      out.set(b, (m + r) * d);
      for (let i = 0; i < d; i++) {
        const o = ((2 + i) * m + r) * d;
        out.set(a, o);
        out[o + i] = b[i];
      }
    }
    return out;
  }
}
