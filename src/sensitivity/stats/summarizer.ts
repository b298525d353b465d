/**
 * Streaming summaries with quantiles. Moments, extremes and sign shares are exact over all rows
 * (see `ColumnStats`). Quantiles need the values themselves: they are exact when every row fits
 * within the memory budget (`rows × columns ≤ maxValues`), and otherwise come from a seeded
 * uniform sample of rows kept during the pass. For a sample of m rows the
 * Dvoretzky–Kiefer–Wolfowitz inequality bounds the error in quantile *level*:
 * P(sup |F_m − F| > ε) ≤ 2·exp(−2mε²), e.g. ±0.5% with 99% confidence for m ≈ 106 000.
 *
 * The sample is drawn as the rows stream by (Knuth's selection sampling, Algorithm S: row t is
 * kept with probability (m − kept so far)/(n − t)), so no list of rows is ever built and the state
 * is the kept values alone: at most `maxValues` numbers, whatever the number of rows.
 */
import { Rng } from "../../core/rng.js";
import { ColumnStats, QUANTILE_LEVELS, quantilesOf } from "./stats.js";
import { jnum } from "../result/json.js";
import type { DistributionStats } from "../result/schema.js";

/**
 * Default number of values a summarizer may keep for quantiles (8 MB of float64 per statistic):
 * exact quantiles up to 250 000 rows of 4 features, a sample of that many rows beyond.
 */
export const DEFAULT_QUANTILE_MAX_VALUES = 1_000_000;

/** How many rows keep their values for quantiles, and how they are chosen. */
export interface QuantilePlan {
  method: "exact" | "sample";
  /** Rows in all (N). */
  n: number;
  /** Rows whose values are kept (N when exact). */
  count: number;
  /** Seed of the sample (unused when exact). */
  seed: number;
}

/**
 * Keep every row when it fits in `maxValues`, else a seeded uniform sample of rows that does.
 *
 * @example
 * planQuantiles(3_000_000, 4, 1_000_000, 7); // { method: "sample", n: 3000000, count: 250000, seed: 7 }
 */
export function planQuantiles(n: number, columns: number, maxValues: number, seed: number): QuantilePlan {
  const cap = Math.max(1, Math.floor(maxValues / Math.max(1, columns)));
  return n <= cap ? { method: "exact", n, count: n, seed } : { method: "sample", n, count: cap, seed };
}

/**
 * Moments of every column plus the kept values for quantiles. Rows must be pushed in order,
 * 0 … N−1, each once (the streaming pass does so), which makes the sample independent of batching.
 */
export class Summarizer {
  readonly stats: ColumnStats;
  private readonly kept: Float64Array;
  private readonly rng: Rng;
  /** Rows seen and rows kept so far. */
  private seen = 0;
  private taken = 0;

  constructor(
    readonly columns: number,
    readonly plan: QuantilePlan,
  ) {
    this.stats = new ColumnStats(columns);
    this.kept = new Float64Array(plan.count * columns).fill(NaN);
    this.rng = new Rng(plan.seed);
  }

  /** The slot of the next row in `kept`, or −1 when the sample leaves it out (Algorithm S). */
  private nextSlot(row: number): number {
    if (row !== this.seen)
      throw new Error(`internal: Summarizer rows must arrive in order (expected ${this.seen}, got ${row})`);
    const { n, count } = this.plan;
    const t = this.seen++;
    if (this.taken >= count) return -1;
    if (this.plan.method === "exact" || (n - t) * this.rng.nextFloat() < count - this.taken)
      return this.taken++;
    return -1;
  }

  /**
   * Adds row `row`: the values `buf[offset + c]` for each column c. Columns flagged in `excluded`
   * (when given) have no defined value for this row.
   */
  pushRow(row: number, buf: ArrayLike<number>, offset: number, excluded?: Uint8Array): void {
    const slot = this.nextSlot(row);
    const base = slot * this.columns;
    for (let c = 0; c < this.columns; c++) {
      if (excluded !== undefined && excluded[c] === 1) {
        this.stats.exclude(c);
        continue;
      }
      const x = buf[offset + c];
      this.stats.push(c, x);
      if (slot >= 0) this.kept[base + c] = x;
    }
  }

  /** The kept values of column `c` (NaN where excluded or not finite). */
  keptColumn(c: number): Float64Array {
    const m = this.plan.count;
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = this.kept[i * this.columns + c];
    return out;
  }

  describe(c: number): DistributionStats {
    return this.stats.describe(c, quantilesOf(this.keptColumn(c), QUANTILE_LEVELS).map(jnum));
  }
}
