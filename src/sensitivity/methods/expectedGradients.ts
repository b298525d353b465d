/**
 * Expected gradients (Erion, Janizek, Sturmfels, Lundberg & Lee 2021): Integrated Gradients
 * averaged over baselines drawn from a background distribution, estimated by Monte Carlo with one
 * random baseline row x' and one α ~ U(0, 1) per draw:
 *   φ_kj(x) = E_{x', α}[(x_j − x'_j) · ∂y_k/∂x_j (x' + α(x − x'))].
 * Completeness holds in expectation, Σ_j φ_kj = y_k(x) − E[y_k(x')]; the reported delta compares
 * against the mean output over the drawn baselines, so it shrinks like 1/√samples. The background
 * is the data's rows (all, or a seeded subset); constant inputs stay at the explained sample's.
 */
import { Rng } from "../../core/rng.js";
import { ValueError } from "../../core/errors.js";
import {
  attributionTable,
  explained,
  standaloneRows,
  type AttributionRowsOptions,
  type Explained,
} from "./attributionCommon.js";
import { createContext, type Context } from "../engine/context.js";
import type { InputData } from "../engine/data.js";
import { jmat } from "../result/json.js";
import { pointsFromRows, withFeatures } from "../engine/prepare.js";
import { randInt, resolveRows, subSeed } from "../stats/sampling.js";
import type { ExpectedGradientsSection } from "../result/schema.js";
import type { Target } from "../engine/target.js";

/**
 * Options of expected gradients.
 *
 * @example
 * expectedGradients(model, data, { rows: 3, background: 500, samples: 400 });
 */
export interface ExpectedGradientsOptions {
  /** Monte Carlo draws per explained sample. Default 200. */
  samples?: number;
  /** Background rows: indices, or a count drawn at random (seeded). Default every row. */
  background?: readonly number[] | number;
  seed?: number;
}

/** Fills in defaults and checks the options (cheap; `analyze` calls it before the long pass). */
export function resolveExpectedGradientsOptions(
  opts: ExpectedGradientsOptions,
  n: number,
  seed: number,
): { samples: number; background: number[] | null; backgroundRows: number } {
  const samples = opts.samples ?? 200;
  if (!Number.isInteger(samples) || samples < 1)
    throw new ValueError(`expectedGradients: samples must be a positive integer, got ${samples}`);
  // The default background is every row: null stands for it, so no list of N row numbers is built.
  if (opts.background === undefined) return { samples, background: null, backgroundRows: n };
  const background = resolveRows(
    opts.background,
    n,
    n,
    subSeed(seed, "background"),
    "expectedGradients.background",
  );
  if (background.length === 0) throw new ValueError("expectedGradients: the background has no rows");
  return { samples, background, backgroundRows: background.length };
}

/** Expected gradients of the given rows; `seed` is the analysis seed (streams are derived from it). */
export function expectedGradientsCore(
  ctx: Context,
  rows: number[],
  opts: ExpectedGradientsOptions,
  seed: number,
): ExpectedGradientsSection {
  const { prep, engine } = ctx;
  const { d, k } = prep;
  const { samples: m, background, backgroundRows } = resolveExpectedGradientsOptions(opts, prep.n, seed);
  const rng = new Rng(subSeed(seed, "expectedGradients"));
  const S = rows.length;
  // The draws first, in the order the estimate uses them (a baseline row, then a path point),
  // so only the drawn baselines are gathered: at most S × m rows, not the whole background.
  const drawn = new Int32Array(S * m);
  const alphas = new Float64Array(S * m);
  for (let i = 0; i < S * m; i++) {
    const b = randInt(rng, backgroundRows);
    drawn[i] = background === null ? b : background[b];
    alphas[i] = rng.nextFloat();
  }
  const distinct = [...new Set(drawn)].sort((a, b) => a - b);
  const slot = new Map(distinct.map((r, i) => [r, i]));
  const bg = pointsFromRows(prep, distinct);
  const xs = pointsFromRows(prep, rows);
  const fx = engine.values(xs);
  const out = new Float64Array(S * k * d);
  const meanBaselineOutput = new Float64Array(S * k);
  // Draws whose baseline output or path gradient is not finite: they make the sample's estimate
  // NaN (NaN in, NaN out; dropping them would bias the expectation), and are counted.
  const nonFiniteDraws = new Array<number>(S).fill(0);
  const group = Math.max(1, Math.floor(engine.batchSize / m));
  for (let g0 = 0; g0 < S; g0 += group) {
    const members = Math.min(group, S - g0);
    const z = new Float64Array(members * m * d);
    const zb = new Float64Array(members * m * d);
    const diff = new Float64Array(members * m * d);
    const source: number[] = [];
    for (let gi = 0; gi < members; gi++)
      for (let q = 0; q < m; q++) {
        const draw = (g0 + gi) * m + q;
        const b = slot.get(drawn[draw])!;
        const alpha = alphas[draw];
        const row = (gi * m + q) * d;
        for (let j = 0; j < d; j++) {
          const xb = bg.z[b * d + j];
          const dx = xs.z[(g0 + gi) * d + j] - xb;
          diff[row + j] = dx;
          zb[row + j] = xb;
          z[row + j] = xb + alpha * dx;
        }
        source.push(g0 + gi);
      }
    const jac = engine.jacobian(withFeatures(xs, z, source, d));
    const fb = engine.values(withFeatures(xs, zb, source, d));
    for (let gi = 0; gi < members; gi++)
      for (let q = 0; q < m; q++) {
        const p = gi * m + q;
        // A baseline where the target is not finite has no path integral (log from a negative
        // row crosses its pole): the draw contributes NaN even if its one gradient is finite.
        const baseOk = finiteRange(fb, p * k, (p + 1) * k);
        if (!baseOk || !finiteRange(jac, p * k * d, (p + 1) * k * d)) nonFiniteDraws[g0 + gi]++;
        for (let kk = 0; kk < k; kk++) {
          meanBaselineOutput[(g0 + gi) * k + kk] += fb[p * k + kk] / m;
          for (let j = 0; j < d; j++)
            out[((g0 + gi) * k + kk) * d + j] += baseOk
              ? (diff[p * d + j] * jac[(p * k + kk) * d + j]) / m
              : NaN;
        }
      }
    ctx.progress("attribution", g0 + members, S);
  }
  const delta = new Float64Array(S * k);
  const finite: boolean[][] = [];
  for (let s = 0; s < S; s++) {
    const row: boolean[] = [];
    for (let kk = 0; kk < k; kk++) {
      let total = 0;
      for (let j = 0; j < d; j++) total += out[(s * k + kk) * d + j];
      delta[s * k + kk] = total - (fx[s * k + kk] - meanBaselineOutput[s * k + kk]);
      row.push(Number.isFinite(delta[s * k + kk]) && nonFiniteDraws[s] === 0);
    }
    finite.push(row);
  }
  return {
    samples: m,
    seed,
    backgroundRows,
    nonFiniteDraws,
    finite,
    ...attributionTable(out, S, k, d),
    completenessDelta: jmat(delta, S, k),
  };
}

/**
 * Expected gradients: Integrated Gradients averaged over baselines from the data, [s][k][j].
 *
 * @example
 * const eg = expectedGradients(model, { price, features }, { rows: 5, samples: 500, seed: 3 });
 * eg.attributions[0]; // [k][j] for the first explained row, eg.rows[0]
 */
export function expectedGradients(
  target: Target,
  data: InputData,
  opts: ExpectedGradientsOptions & AttributionRowsOptions = {},
): Explained<ExpectedGradientsSection> {
  const ctx = createContext(target, data, opts);
  const seed = opts.seed ?? 0;
  const rows = standaloneRows(ctx, opts, subSeed(seed, "rows"));
  return explained(ctx, rows, expectedGradientsCore(ctx, rows, opts, seed));
}

function finiteRange(a: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
