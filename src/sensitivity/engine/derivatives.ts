/**
 * Per-sample derivatives of a target over its data, and `summarize`, which turns retained
 * per-sample derivatives into the same summary `analyze` streams.
 */
import { ValueError } from "../../core/errors.js";
import { createContext, type CommonOptions } from "./context.js";
import type { InputData } from "./data.js";
import { elasticityTolerances, type ElasticityOptions } from "../methods/elasticity.js";
import { columnMoments, featureMoments } from "./features.js";
import { NonFiniteCounter } from "./nonfinite.js";
import { derivativePass } from "./pass.js";
import { PerSampleBuilder } from "./persample.js";
import type { InputsSection, PerSampleDerivatives, SummarySection } from "../result/schema.js";
import { DEFAULT_QUANTILE_MAX_VALUES } from "../stats/summarizer.js";
import { SummaryBuilder } from "../methods/summary.js";
import type { Target } from "./target.js";

/**
 * The inputs that are prices (for delta, gamma, crossGamma).
 *
 * @example
 * analyze(model, data, { finance: { price: "price" } });
 * analyze(model, data, { finance: { price: ["bid", "ask"] } });
 */
export interface FinanceOptions {
  price: string | readonly string[];
}

/**
 * Options of `perSampleDerivatives`.
 *
 * @example
 * perSampleDerivatives(model, data, { secondOrder: true, elasticities: { outputTolerance: 1e-3 } });
 */
export interface PerSampleDerivativeOptions extends CommonOptions {
  /** Hessians too (needed for gamma). Default: true with `finance`, else false. */
  secondOrder?: boolean;
  finance?: FinanceOptions;
  /** Elasticities (default on), or their relative tolerances. */
  elasticities?: boolean | ElasticityOptions;
}

/** The price input names of a finance option. */
export function priceInputs(finance: FinanceOptions | undefined): string[] {
  if (finance === undefined) return [];
  const p = finance.price;
  const list = typeof p === "string" ? [p] : Array.isArray(p) ? [...p] : null;
  if (list === null || list.length === 0 || !list.every((x) => typeof x === "string"))
    throw new ValueError(
      `finance.price must be an input name or a list of input names, got ${JSON.stringify(p)}`,
    );
  return list;
}

/** Feature indices of the price inputs' features, or null without finance. */
export function priceFeatures(inputs: InputsSection): number[] | null {
  if (inputs.priceLike.length === 0) return null;
  return inputs.features.flatMap((f, j) => (inputs.priceLike.includes(f.input) ? [j] : []));
}

/**
 * Values, gradients (and with `secondOrder` Hessians) of every row, with elasticities and Greeks.
 * Everything is kept, so this is for data that fits comfortably in memory; `analyze` streams.
 *
 * @example
 * const r = perSampleDerivatives(({ price, features }) => features.matmul(w).add(1).mul(price.reshape([-1, 1])), {
 *   price: [10, 20],
 *   features: [[1, 2], [3, 4]],
 * }, { finance: { price: "price" } });
 * r.perSample.gradients[0]; // [[∂y/∂price, ∂y/∂features[0], ∂y/∂features[1]]]
 * r.perSample.finance?.gamma; // all 0: y is linear in price
 */
export function perSampleDerivatives(
  target: Target,
  data: InputData,
  opts: PerSampleDerivativeOptions = {},
): PerSampleDerivatives {
  const prices = priceInputs(opts.finance);
  const ctx = createContext(target, data, { ...opts, priceInputs: prices }, "derivatives");
  const { prep } = ctx;
  const secondOrder = opts.secondOrder ?? prices.length > 0;
  const elasticity =
    opts.elasticities === false
      ? null
      : elasticityTolerances(
          opts.elasticities === true || opts.elasticities === undefined ? {} : opts.elasticities,
          featureMoments(prep).rms,
        );
  const builder = new PerSampleBuilder(prep.k, prep.d, {
    keep: prep.n,
    secondOrder,
    elasticity,
    priceFeatures: secondOrder ? priceFeatures(prep.inputs) : null,
  });
  const nonFinite = new NonFiniteCounter();
  derivativePass(ctx, secondOrder, [builder, nonFinite]);
  return {
    inputs: prep.inputs,
    outputs: prep.outputs,
    perSample: builder.finish(),
    nonFinite: nonFinite.finish(prep.nonFiniteInputs),
  };
}

/**
 * Options of `summarize`.
 *
 * @example
 * summarize(per, { quantileMaxValues: 1e6, elasticities: false });
 */
export interface SummarizeOptions {
  /** Elasticities (default on), or their relative tolerances. */
  elasticities?: boolean | ElasticityOptions;
  /** Memory budget for exact quantiles, in values per statistic. Default 1e6. */
  quantileMaxValues?: number;
  seed?: number;
}

const flat = (a: readonly unknown[]): Float64Array => {
  const out: number[] = [];
  const walk = (x: unknown) =>
    Array.isArray(x) ? x.forEach(walk) : out.push(x === null ? NaN : (x as number));
  walk(a);
  return Float64Array.from(out);
};

/**
 * The summary (statistics, rankings, elasticities, Greeks, Hessian means) of per-sample
 * derivatives, e.g. from `perSampleDerivatives` or `analyze(…, { keepPerSample: true }).perSample`.
 *
 * @example
 * const s = summarize(perSampleDerivatives(model, { price, features }));
 * s.ranking[0].byMeanAbs[0].feature; // the most influential feature of the first output
 */
export function summarize(per: PerSampleDerivatives, opts: SummarizeOptions = {}): SummarySection {
  const { inputs, outputs, perSample } = per;
  const n = perSample.rows.length;
  const d = inputs.features.length;
  const k = outputs.components.length;
  if (n === 0) throw new ValueError("summarize: there are no samples");
  const z = flat(perSample.features);
  const values = flat(perSample.values);
  const jac = flat(perSample.gradients);
  const hess = perSample.hessians ? flat(perSample.hessians) : null;
  if (z.length !== n * d || values.length !== n * k || jac.length !== n * k * d)
    throw new ValueError(
      `summarize: per-sample arrays do not match ${n} rows × ${k} outputs × ${d} features`,
    );
  const elasticity =
    opts.elasticities === false
      ? null
      : elasticityTolerances(
          opts.elasticities === true || opts.elasticities === undefined ? {} : opts.elasticities,
          columnMoments(z, n, d).rms,
        );
  const builder = new SummaryBuilder({ inputs, outputs, d, k }, n, {
    secondOrder: hess !== null,
    priceFeatures: hess ? priceFeatures(inputs) : null,
    elasticity,
    quantileMaxValues: opts.quantileMaxValues ?? DEFAULT_QUANTILE_MAX_VALUES,
    seed: opts.seed ?? 0,
    featureStd: columnMoments(z, n, d).variance.map(Math.sqrt),
  });
  builder.add({ start: 0, count: n, z, rest: [], values, jac, hess });
  return builder.finish();
}
