/**
 * Pieces shared by the attribution methods: which rows to explain, the result envelope of the
 * standalone functions, and mean |attribution| tables.
 */
import type { CommonOptions, Context } from "../engine/context.js";
import { jcube, jmat } from "../result/json.js";
import { resolveRows } from "../stats/sampling.js";
import type { JsonNumber } from "../result/schema.js";

/**
 * Options of the standalone attribution functions.
 *
 * @example
 * inputXGradient(model, data, { rows: 20, seed: 1 }); // 20 random rows
 */
export interface AttributionRowsOptions extends CommonOptions {
  /** Rows to explain: indices, or a count drawn at random (seeded). Default: every row. */
  rows?: readonly number[] | number;
  seed?: number;
}

/**
 * What a standalone attribution function returns: its section plus the names to read it by.
 *
 * @example
 * const ig = integratedGradients(model, data, { rows: [4] });
 * ig.attributions[0][ig.outputs.indexOf("revenue")][ig.features.indexOf("price")];
 */
export type Explained<T> = T & {
  /** Data row of each explained sample (the `s` axis). */
  rows: number[];
  /** Feature names (the `j` axis). */
  features: string[];
  /** Output component names (the `k` axis). */
  outputs: string[];
};

export function explained<T>(ctx: Context, rows: number[], section: T): Explained<T> {
  return {
    ...section,
    rows,
    features: ctx.prep.inputs.features.map((f) => f.name),
    outputs: ctx.prep.outputs.components.map((c) => c.name),
  };
}

/** Rows for a standalone call (default all). */
export function standaloneRows(ctx: Context, opts: AttributionRowsOptions, seed: number): number[] {
  return resolveRows(opts.rows, ctx.prep.n, ctx.prep.n, seed, "rows");
}

/** Mean |a| over samples of an [S × K × D] buffer, as [k][j]. */
export function meanAbs(a: Float64Array, s: number, k: number, d: number): JsonNumber[][] {
  const out = new Float64Array(k * d);
  for (let i = 0; i < s; i++) for (let c = 0; c < k * d; c++) out[c] += Math.abs(a[i * k * d + c]);
  for (let c = 0; c < k * d; c++) out[c] /= Math.max(1, s);
  return jmat(out, k, d);
}

/** An [S × K × D] attribution buffer with its mean-|·| table. */
export function attributionTable(a: Float64Array, s: number, k: number, d: number) {
  return { attributions: jcube(a, s, k, d), meanAbs: meanAbs(a, s, k, d) };
}
