/**
 * SmoothGrad (Smilkov, Thorat, Kim, Viégas & Wattenberg 2017): the gradient averaged over noisy
 * copies of the input, E_ε[∂y_k/∂x_j (x + ε)], ε_j ~ N(0, σ_j²), which removes the high-frequency
 * jitter of raw gradients. Smilkov et al. scale σ to the input's range; here σ_j = noiseLevel ·
 * std(x_j) over the data, so the noise is comparable across features of different units. The
 * noise is seeded and drawn sample by sample, so results do not depend on batching.
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
import { featureMoments, type FeatureMoments } from "../engine/features.js";
import { jvec } from "../result/json.js";
import { pointsFromRows, withFeatures } from "../engine/prepare.js";
import { subSeed } from "../stats/sampling.js";
import type { SmoothGradSection } from "../result/schema.js";
import type { Target } from "../engine/target.js";

/**
 * Options of SmoothGrad.
 *
 * @example
 * smoothGrad(model, data, { rows: [0, 1], noiseLevel: 0.2, samples: 100, seed: 3 });
 */
export interface SmoothGradOptions {
  /** σ_j = noiseLevel · std(x_j). Default 0.1. */
  noiseLevel?: number;
  /** Noisy copies per sample. Default 50. */
  samples?: number;
  seed?: number;
}

/** Fills in defaults and checks the options (cheap; `analyze` calls it before the long pass). */
export function resolveSmoothGradOptions(opts: SmoothGradOptions): { noiseLevel: number; samples: number } {
  const noiseLevel = opts.noiseLevel ?? 0.1;
  const samples = opts.samples ?? 50;
  if (!(noiseLevel >= 0)) throw new ValueError(`smoothGrad: noiseLevel must be ≥ 0, got ${noiseLevel}`);
  if (!Number.isInteger(samples) || samples < 1)
    throw new ValueError(`smoothGrad: samples must be a positive integer, got ${samples}`);
  return { noiseLevel, samples };
}

/** SmoothGrad of the given rows; `seed` is the analysis seed (the noise stream is derived from it). */
export function smoothGradCore(
  ctx: Context,
  rows: number[],
  moments: FeatureMoments,
  opts: SmoothGradOptions,
  seed: number,
): SmoothGradSection {
  const { prep, engine } = ctx;
  const { d, k } = prep;
  const { noiseLevel, samples: m } = resolveSmoothGradOptions(opts);
  const sigma = moments.std.map((s) => noiseLevel * s);
  const rng = new Rng(subSeed(seed, "smoothGrad"));
  const S = rows.length;
  const xs = pointsFromRows(prep, rows);
  const out = new Float64Array(S * k * d);
  // Noisy copies whose gradient is not finite make the average NaN (and are counted).
  const nonFiniteSamples = new Array<number>(S).fill(0);
  const group = Math.max(1, Math.floor(engine.batchSize / m));
  for (let g0 = 0; g0 < S; g0 += group) {
    const members = Math.min(group, S - g0);
    const z = new Float64Array(members * m * d);
    const source: number[] = [];
    for (let gi = 0; gi < members; gi++)
      for (let q = 0; q < m; q++) {
        for (let j = 0; j < d; j++)
          z[(gi * m + q) * d + j] = xs.z[(g0 + gi) * d + j] + sigma[j] * rng.nextNormal();
        source.push(g0 + gi);
      }
    const jac = engine.jacobian(withFeatures(xs, z, source, d));
    for (let gi = 0; gi < members; gi++)
      for (let q = 0; q < m; q++) {
        let finite = true;
        for (let c = 0; c < k * d; c++) {
          const g = jac[(gi * m + q) * k * d + c];
          if (!Number.isFinite(g)) finite = false;
          out[(g0 + gi) * k * d + c] += g / m;
        }
        if (!finite) nonFiniteSamples[g0 + gi]++;
      }
    ctx.progress("attribution", g0 + members, S);
  }
  const table = attributionTable(out, S, k, d);
  return {
    noiseLevel,
    noiseStd: jvec(sigma),
    samples: m,
    seed,
    gradients: table.attributions,
    meanAbs: table.meanAbs,
    nonFiniteSamples,
  };
}

/**
 * SmoothGrad: noise-averaged gradients, [s][k][j].
 *
 * @example
 * const sg = smoothGrad(({ x }) => x.relu().sum({ axis: 1 }), { x: random.normal([100, 4], { seed: 1 }) }, {
 *   rows: [0, 1],
 *   noiseLevel: 0.2,
 *   samples: 100,
 *   seed: 7,
 * });
 * sg.gradients[0][0]; // ≈ P(x_j + ε > 0) per feature
 */
export function smoothGrad(
  target: Target,
  data: InputData,
  opts: SmoothGradOptions & AttributionRowsOptions = {},
): Explained<SmoothGradSection> {
  const ctx = createContext(target, data, opts);
  const seed = opts.seed ?? 0;
  const rows = standaloneRows(ctx, opts, subSeed(seed, "rows"));
  return explained(ctx, rows, smoothGradCore(ctx, rows, featureMoments(ctx.prep), opts, seed));
}
