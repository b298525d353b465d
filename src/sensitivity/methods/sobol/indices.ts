/**
 * Variance-based (Sobol') sensitivity indices of a batched function over independent inputs:
 * first-order indices by Saltelli et al. (2010) and total indices by Jansen (1999) on a scrambled
 * Sobol' design (see design.ts and estimators.ts), N·(d + 2) function evaluations, streamed in
 * batches, with Poisson-bootstrap percentile intervals over the N base rows.
 */
import { ShapeError, ValueError } from "../../../core/errors.js";
import { array } from "../../../ops/index.js";
import { Tensor } from "../../../prims/tensor.js";
import { percentileInterval } from "../../stats/bootstrap.js";
import { jnum } from "../../result/json.js";
import { subSeed } from "../../stats/sampling.js";
import { SobolDesign } from "./design.js";
import { SobolAccumulator, type SobolEstimates } from "./estimators.js";
import { resolveMarginal, type SobolMarginal, type SobolMarginalInfo } from "./marginals.js";

/**
 * A batched model of d independent features: x [n, d] (float64) → y [n] or [n, outputs].
 *
 * @example
 * const f: SobolFunction = (x) => x.slice([[0, null], [0, 1]]).reshape([-1]).sin();
 */
export type SobolFunction = (x: Tensor) => Tensor;

/**
 * Options of `sobolIndices`.
 *
 * @example
 * sobolIndices(f, marginals, { samples: 4096, seed: 1, bootstrap: 500, confidence: 0.9 });
 */
export interface SobolIndicesOptions {
  /** N, the base rows of A and B; the model is evaluated N·(d + 2) times. Powers of two balance the design best. Default 8192 (2^13). */
  samples?: number;
  /** Seed of the design's scramble and of the bootstrap. Default 0. */
  seed?: number;
  /** Bootstrap replicates; 0 turns intervals off. Default 200. */
  bootstrap?: number;
  /** Confidence level of the percentile intervals. Default 0.95. */
  confidence?: number;
  /** Most design rows per call of f (bounds memory). Default 1024. */
  batchSize?: number;
  /** Names of the output columns. Default "output" for one output, else "output_0", "output_1", … */
  outputNames?: readonly string[];
}

/**
 * One (output, feature) row: first-order and total index with percentile intervals (null when
 * bootstrap is off or the index is not finite).
 *
 * @example
 * const row: SobolIndexRow = { output: "y", outputIndex: 0, feature: "x1", featureIndex: 0, first: 0.31, total: 0.56, firstCi: [0.3, 0.32], totalCi: [0.55, 0.57] };
 */
export interface SobolIndexRow {
  output: string;
  outputIndex: number;
  feature: string;
  featureIndex: number;
  first: number | null;
  total: number | null;
  firstCi: [number, number] | null;
  totalCi: [number, number] | null;
}

/**
 * The result of `sobolIndices`: rows per output and feature (features in input order within each
 * output), the model-evaluation count and what the estimates rest on.
 *
 * @example
 * const r: SobolIndicesResult = sobolIndices(f, marginals);
 * r.indices.filter((row) => row.total! > 0.1).map((row) => row.feature);
 */
export interface SobolIndicesResult {
  indices: SobolIndexRow[];
  /** Model evaluations (design rows): N·(d + 2). */
  evaluations: number;
  /** N, the base rows. */
  samples: number;
  /** Per output: the variance and mean of y over A ∪ B and the count of non-finite outputs (any makes that output's indices null). */
  outputs: {
    output: string;
    outputIndex: number;
    variance: number | null;
    mean: number | null;
    nonFinite: number;
  }[];
  marginals: SobolMarginalInfo[];
  design: {
    sequence: "sobol";
    directionNumbers: "new-joe-kuo-6.21201";
    scramble: "linear-matrix+digital-shift";
    firstOrder: "saltelli-2010";
    total: "jansen-1999";
  };
  bootstrap: { replicates: number; level: number; seed: number; method: "poisson" } | null;
}

export const DEFAULT_SOBOL_SAMPLES = 8192;

/**
 * Checks `sobolIndices` options and fills their defaults (a ValueError naming the bad one).
 *
 * @example
 * checkSobolOptions({ samples: 4096 }); // { samples: 4096, seed: 0, replicates: 200, level: 0.95, batchSize: 1024 }
 */
export function checkSobolOptions(opts: SobolIndicesOptions) {
  const samples = opts.samples ?? DEFAULT_SOBOL_SAMPLES;
  const seed = opts.seed ?? 0;
  const replicates = opts.bootstrap ?? 200;
  const level = opts.confidence ?? 0.95;
  const batchSize = opts.batchSize ?? 1024;
  if (!Number.isInteger(samples) || samples < 2 || samples > 2 ** 31)
    throw new ValueError(`sobolIndices: samples must be an integer in [2, 2^31], got ${samples}`);
  if (!Number.isFinite(seed)) throw new ValueError(`sobolIndices: seed must be a finite number, got ${seed}`);
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new ValueError(
      `sobolIndices: bootstrap must be a non-negative integer (replicates), got ${replicates}`,
    );
  if (!(level > 0 && level < 1))
    throw new ValueError(`sobolIndices: confidence must be in (0, 1), got ${level}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`sobolIndices: batchSize must be a positive integer, got ${batchSize}`);
  return { samples, seed, replicates, level, batchSize };
}

/** Calls f on design rows and checks what it returns: [n] or [n, K] with a fixed K. */
function evaluate(f: SobolFunction, x: Float64Array, n: number, d: number, k: number | null) {
  const y = f(array(x, { shape: [n, d] }));
  if (!(y instanceof Tensor))
    throw new ValueError(
      `sobolIndices: f must return a Tensor, got ${y === null ? "null" : Array.isArray(y) ? "an array" : typeof y}`,
    );
  const shape = y.shape;
  const ok = shape[0] === n && (shape.length === 1 || (shape.length === 2 && shape[1] >= 1));
  if (!ok)
    throw new ShapeError(
      `sobolIndices: f maps x [${n}, ${d}] to shape [${shape.join(", ")}]; expected [${n}] or [${n}, outputs]`,
    );
  const got = shape.length === 1 ? 1 : shape[1];
  if (k !== null && got !== k)
    throw new ShapeError(`sobolIndices: f returned ${got} outputs for one batch and ${k} for an earlier one`);
  const data = y.data();
  return {
    k: got,
    values: data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>),
  };
}

/**
 * First-order and total Sobol' indices of every output of `f` with respect to each of its d
 * independent inputs. `marginals` gives each input's distribution — in column order as an array
 * (features named x0, x1, …), or as an object whose keys name the features in column order.
 * f is evaluated on N·(d + 2) rows of a scrambled Sobol' design, at most `batchSize` rows per call.
 * For independent inputs S_i ≤ S_T,i, Σ S_i ≤ 1 and S_T,i − S_i is the share of Var(y) due to
 * interactions of input i; estimates carry Monte Carlo error (see the intervals), so small
 * violations of these relations in the estimates are noise.
 *
 * @example
 * // Ishigami: y = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [−π, π]³
 * const col = (x: Tensor, j: number) => x.slice([[0, null], [j, j + 1]]).reshape([-1]);
 * const ishigami = (x: Tensor) =>
 *   col(x, 0).sin().add(col(x, 1).sin().square().mul(7)).add(col(x, 2).pow(4).mul(0.1).mul(col(x, 0).sin()));
 * const u = { type: "uniform", low: -Math.PI, high: Math.PI } as const;
 * const r = sobolIndices(ishigami, { x1: u, x2: u, x3: u }, { samples: 8192, seed: 1 });
 * r.indices[0].first; // ≈ 0.314
 * r.evaluations; // 8192 · 5 = 40960
 */
export function sobolIndices(
  f: SobolFunction,
  marginals: readonly SobolMarginal[] | Record<string, SobolMarginal>,
  opts: SobolIndicesOptions = {},
): SobolIndicesResult {
  if (typeof f !== "function")
    throw new ValueError(`sobolIndices: f must be a function of x [n, d], got ${typeof f}`);
  const { samples, seed, replicates, level, batchSize } = checkSobolOptions(opts);
  if (typeof marginals !== "object" || marginals === null)
    throw new ValueError(
      `sobolIndices: marginals must be an array or an object of per-feature distributions, got ${marginals === null ? "null" : typeof marginals}`,
    );
  const entries: [string, SobolMarginal][] = Array.isArray(marginals)
    ? (marginals as readonly SobolMarginal[]).map((m, j) => [`x${j}`, m])
    : Object.entries(marginals as Record<string, SobolMarginal>);
  const resolved = entries.map(([name, spec]) => resolveMarginal(spec, name, "sobolIndices"));
  const d = resolved.length;
  const design = new SobolDesign(resolved, subSeed(seed, "sobol-design"));
  const blockRows = Math.max(1, Math.floor(batchSize / (d + 2)));

  let acc: SobolAccumulator | null = null;
  let k: number | null = null;
  for (let done = 0; done < samples;) {
    const m = Math.min(blockRows, samples - done);
    const x = design.nextBlock(m);
    const out = evaluate(f, x, (d + 2) * m, d, k);
    k = out.k;
    acc ??= new SobolAccumulator(k, d, replicates, subSeed(seed, "sobol-bootstrap"));
    acc.add(m, out.values);
    done += m;
  }
  return sobolResult(acc!, {
    features: entries.map(([name]) => name),
    outputNames: outputNames(opts.outputNames, acc!.k),
    marginals: resolved.map((r) => r.info),
    bootstrap: { replicates, level, seed },
  });
}

function outputNames(given: readonly string[] | undefined, k: number): string[] {
  if (given === undefined) return k === 1 ? ["output"] : Array.from({ length: k }, (_, i) => `output_${i}`);
  if (given.length !== k)
    throw new ValueError(`sobolIndices: outputNames has ${given.length} names but f returns ${k} outputs`);
  return [...given];
}

/**
 * Assembles the result from an accumulator: point estimates, percentile intervals of the
 * bootstrap replicates, and what they rest on. (Also the entry for callers that drive the design
 * and the model themselves, such as an `analyze` section.)
 *
 * @example
 * const result = sobolResult(acc, { features: ["x1", "x2"], outputNames: ["y"], marginals: infos, bootstrap: { replicates: 200, level: 0.95, seed: 0 } });
 */
export function sobolResult(
  acc: SobolAccumulator,
  meta: {
    features: readonly string[];
    outputNames: readonly string[];
    marginals: SobolMarginalInfo[];
    bootstrap: { replicates: number; level: number; seed: number };
  },
): SobolIndicesResult {
  const { k, d } = acc;
  const est = acc.estimates();
  const { replicates, level } = meta.bootstrap;
  const reps: SobolEstimates[] = Array.from({ length: replicates }, (_, rep) => acc.replicate(rep));
  const interval = (point: number, pick: (e: SobolEstimates) => number): [number, number] | null => {
    if (replicates === 0 || !Number.isFinite(point)) return null;
    return percentileInterval(reps.map(pick), level);
  };
  const nonFinite = acc.nonFinite;
  const indices: SobolIndexRow[] = [];
  for (let kk = 0; kk < k; kk++)
    for (let i = 0; i < d; i++) {
      const c = kk * d + i;
      indices.push({
        output: meta.outputNames[kk],
        outputIndex: kk,
        feature: meta.features[i],
        featureIndex: i,
        first: jnum(est.first[c]),
        total: jnum(est.total[c]),
        firstCi: interval(est.first[c], (e) => e.first[c]),
        totalCi: interval(est.total[c], (e) => e.total[c]),
      });
    }
  return {
    indices,
    evaluations: acc.count * (d + 2),
    samples: acc.count,
    outputs: meta.outputNames.map((output, kk) => ({
      output,
      outputIndex: kk,
      variance: jnum(est.variance[kk]),
      mean: jnum(est.mean[kk]),
      nonFinite: nonFinite[kk],
    })),
    marginals: meta.marginals,
    design: {
      sequence: "sobol",
      directionNumbers: "new-joe-kuo-6.21201",
      scramble: "linear-matrix+digital-shift",
      firstOrder: "saltelli-2010",
      total: "jansen-1999",
    },
    bootstrap: replicates > 0 ? { replicates, level, seed: meta.bootstrap.seed, method: "poisson" } : null,
  };
}
