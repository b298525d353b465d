/**
 * Streaming summaries with quantiles. Moments, extremes and sign shares are exact over all rows
 * (see `ColumnStats`). Quantiles need the values themselves: they are exact when every row fits
 * within the memory budget (`rows × columns ≤ maxValues`), and otherwise come from a seeded
 * uniform sample of rows kept during the pass. For a sample of m rows the
 * Dvoretzky–Kiefer–Wolfowitz inequality bounds the error in quantile *level*:
 * P(sup |F_m − F| > ε) ≤ 2·exp(−2mε²), e.g. ±0.5% with 99% confidence for m ≈ 106 000.
 */
import { Rng } from "../core/rng.js";
import { sampleRows } from "./sampling.js";
import { ColumnStats, QUANTILE_LEVELS, quantilesOf } from "./stats.js";
import { jnum } from "./json.js";
import type { DistributionStats } from "./schema.js";

/** Default number of values a summarizer may keep for quantiles (80 MB of float64). */
export const DEFAULT_QUANTILE_MAX_VALUES = 10_000_000;

/** Which rows keep their values for quantiles. */
export interface QuantilePlan {
  method: "exact" | "sample";
  /** Sorted row indices whose values are kept (all rows when exact). */
  rows: Int32Array;
}

/** Keep every row when it fits in `maxValues`, else a seeded uniform sample of rows that does. */
export function planQuantiles(n: number, columns: number, maxValues: number, seed: number): QuantilePlan {
  const cap = Math.max(1, Math.floor(maxValues / Math.max(1, columns)));
  if (n <= cap) return { method: "exact", rows: Int32Array.from({ length: n }, (_, i) => i) };
  return { method: "sample", rows: Int32Array.from(sampleRows(n, cap, new Rng(seed))) };
}

function slotOf(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid];
    if (r === row) return mid;
    if (r < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Moments of every column plus the kept values for quantiles. */
export class Summarizer {
  readonly stats: ColumnStats;
  private readonly kept: Float64Array;

  constructor(
    readonly columns: number,
    readonly plan: QuantilePlan,
  ) {
    this.stats = new ColumnStats(columns);
    this.kept = new Float64Array(plan.rows.length * columns).fill(NaN);
  }

  /**
   * Adds row `row`: the values `buf[offset + c]` for each column c. Columns flagged in `excluded`
   * (when given) have no defined value for this row.
   */
  pushRow(row: number, buf: ArrayLike<number>, offset: number, excluded?: Uint8Array): void {
    const slot = slotOf(this.plan.rows, row);
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
    const m = this.plan.rows.length;
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = this.kept[i * this.columns + c];
    return out;
  }

  describe(c: number): DistributionStats {
    return this.stats.describe(c, quantilesOf(this.keptColumn(c), QUANTILE_LEVELS).map(jnum));
  }
}
