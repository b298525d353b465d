/**
 * `analyze`: the whole sensitivity analysis of a target over its data in one call, as one
 * JSON-serialisable result (schema version 1, see docs/sensitivity-schema.md). It composes the
 * lower-level functions: one streaming pass for per-sample outputs and derivatives feeding the
 * summary, DGSM and retained rows, then attribution, verification and what-if scenarios on
 * selected rows.
 */
import { ValueError } from "../core/errors.js";
import { inputXGradientCore } from "./inputXGradient.js";
import { createContext, DEFAULT_BATCH_SIZE, type CommonOptions } from "./context.js";
import type { InputData } from "./data.js";
import { priceFeatures, priceInputs, type FinanceOptions } from "./derivatives.js";
import {
  DgsmAccumulator,
  dgsmDistributions,
  dgsmSection,
  resolveBootstrap,
  type DgsmDistributionOption,
} from "./dgsm.js";
import { elasticityTolerances, type ElasticityOptions } from "./elasticity.js";
import {
  expectedGradientsCore,
  resolveExpectedGradientsOptions,
  type ExpectedGradientsOptions,
} from "./expectedGradients.js";
import { featureMoments } from "./features.js";
import {
  checkIntegratedGradientsBaseline,
  integratedGradientsCore,
  resolveIntegratedGradientsOptions,
  type IntegratedGradientsOptions,
} from "./integratedGradients.js";
import { jnum } from "./json.js";
import { NonFiniteCounter } from "./nonfinite.js";
import { derivativePass, type BatchConsumer } from "./pass.js";
import { PerSampleBuilder } from "./persample.js";
import { resolveRows, subSeed } from "./sampling.js";
import type { AttributionSection, SensitivityResult } from "./schema.js";
import { resolveSmoothGradOptions, smoothGradCore, type SmoothGradOptions } from "./smoothGrad.js";
import { DEFAULT_QUANTILE_MAX_VALUES } from "./summarizer.js";
import { SummaryBuilder } from "./summary.js";
import type { Target } from "./target.js";
import { verifyCore } from "./verify.js";
import { GRADLENS_VERSION, SCHEMA_VERSION } from "./version.js";
import { compileShock, keepCount, taylorCore, WhatIfConsumer, type Scenario } from "./whatif.js";

/**
 * Options of `analyze`; every one is optional.
 *
 * @example
 * const opts: AnalyzeOptions = {
 *   batchSize: 4096,
 *   finance: { price: "price" },
 *   attributionSamples: [0, 10, 20],
 *   integratedGradients: { baseline: "mean", method: "gauss-legendre" },
 *   bootstrap: 500,
 * };
 */
export interface AnalyzeOptions extends CommonOptions {
  /** Seed of every random choice (row samples, noise, bootstrap). Default 0. */
  seed?: number;
  /** Per-sample Hessians (cross terms included). Default: true with `finance`, else false. */
  secondOrder?: boolean;
  /** Keep per-sample results: true (all rows), false (none, the default) or the first n rows. */
  keepPerSample?: boolean | number;
  /** Price-like inputs, e.g. `{ price: "price" }`: adds delta, gamma and crossGamma. */
  finance?: FinanceOptions;
  /** Elasticities (default on), or their relative tolerances. */
  elasticities?: boolean | ElasticityOptions;
  /** Values a summary statistic may keep for exact quantiles before it samples rows. Default 1e6 (8 MB). */
  quantileMaxValues?: number;
  /** Rows to explain: indices, or a count drawn at random (seeded). Default 10; 0 turns attribution off. */
  attributionSamples?: readonly number[] | number;
  /** Default on. */
  integratedGradients?: boolean | IntegratedGradientsOptions;
  /** Default on. */
  smoothGrad?: boolean | SmoothGradOptions;
  /** Default on. */
  expectedGradients?: boolean | ExpectedGradientsOptions;
  /** DGSM section. Default on. */
  dgsm?: boolean;
  dgsmDistribution?: DgsmDistributionOption;
  /** Bootstrap replicates for DGSM intervals (0: none). Default 200. */
  bootstrap?: number;
  /** Level of the bootstrap intervals. Default 0.95. */
  confidenceLevel?: number;
  /** Rows to check against finite differences: indices or a count (seeded). Default 10; 0 turns it off. */
  verifySamples?: readonly number[] | number;
  /** Relative-error threshold of the verification. Default 1e-6. */
  verifyTolerance?: number;
  /** What-if scenarios (Taylor vs exact). */
  whatif?: readonly Scenario[];
  /** Rows the scenarios are evaluated on: indices or a count (seeded). Default every row. */
  whatifSamples?: readonly number[] | number;
}

const now = () => globalThis.performance.now();
const methodOptions = <T extends object>(o: boolean | T | undefined): T | null =>
  o === false ? null : o === true || o === undefined ? ({} as T) : o;

/** The options in effect, JSON-safe (functions dropped, absent values as null). */
function echoOptions(opts: AnalyzeOptions, resolved: Record<string, unknown>): Record<string, unknown> {
  const { onProgress: _drop, ...rest } = opts;
  return JSON.parse(JSON.stringify({ ...rest, ...resolved }, (_k, v) => (v === undefined ? null : v)));
}

/**
 * Sensitivity analysis of a row-independent target over named, batch-first data: per-sample
 * derivatives summarised per (output, feature), elasticities, Greeks, attributions, DGSM with
 * bootstrap intervals, a finite-difference check and Taylor what-if scenarios.
 *
 * @example
 * const result = analyze(
 *   ({ price, features }) => mlp(features).add(1).mul(price.reshape([-1, 1])),
 *   { price: prices, features: X },
 *   {
 *     featureNames: { features: ["age", "income", "tenure"] },
 *     finance: { price: "price" },
 *     whatif: [{ name: "price +1%", shock: { price: { relative: 0.01 } } }],
 *     onProgress: ({ stage, done, total }) => console.log(stage, done, total),
 *   },
 * );
 * result.summary.ranking[0].byMeanAbs; // features by mean |∂y/∂x|
 * JSON.stringify(result); // schema version 1
 */
export function analyze(target: Target, data: InputData, opts: AnalyzeOptions = {}): SensitivityResult {
  const t0 = now();
  const prices = priceInputs(opts.finance);
  if (prices.length > 0 && opts.secondOrder === false)
    throw new ValueError("analyze: finance needs secondOrder (gamma and crossGamma come from Hessians)");
  const ctx = createContext(target, data, { ...opts, priceInputs: prices });
  const { prep } = ctx;
  const { n, d, k } = prep;
  const seed = opts.seed ?? 0;
  const secondOrder = opts.secondOrder ?? prices.length > 0;
  const moments = featureMoments(prep);
  const keep = keepCount(opts.keepPerSample, n);
  // Everything that can be checked cheaply is checked before the long pass over the data.
  const attrRows = resolveRows(
    opts.attributionSamples,
    n,
    10,
    subSeed(seed, "attribution"),
    "attributionSamples",
  );
  const ig = methodOptions(opts.integratedGradients);
  const sg = methodOptions(opts.smoothGrad);
  const eg = methodOptions(opts.expectedGradients);
  if (attrRows.length > 0) {
    if (ig) {
      resolveIntegratedGradientsOptions(ig);
      checkIntegratedGradientsBaseline(ctx, attrRows, moments, ig.baseline);
    }
    if (sg) resolveSmoothGradOptions(sg);
    if (eg) resolveExpectedGradientsOptions(eg, n, eg.seed ?? seed);
  }
  const verifyRows = resolveRows(opts.verifySamples, n, 10, subSeed(seed, "verify"), "verifySamples");
  const scenarios = opts.whatif ?? [];
  scenarios.forEach((sc) => compileShock(prep, sc));
  // Scenarios over every row (the default) ride along the derivative pass, reusing its outputs,
  // Jacobians and Hessians; a chosen subset of rows gets its own pass after verification.
  const whatifEveryRow =
    scenarios.length > 0 && (opts.whatifSamples === undefined || opts.whatifSamples === n);
  const whatifRows =
    scenarios.length > 0 && !whatifEveryRow
      ? resolveRows(opts.whatifSamples, n, n, subSeed(seed, "whatif"), "whatifSamples")
      : [];

  const tSetup = now();
  const elastOpts = methodOptions(opts.elasticities);
  const elasticity = elastOpts ? elasticityTolerances(elastOpts, moments.rms) : null;
  const priceCols = secondOrder ? priceFeatures(prep.inputs) : null;
  const summary = new SummaryBuilder(prep, n, {
    secondOrder,
    priceFeatures: priceCols,
    elasticity,
    quantileMaxValues: opts.quantileMaxValues ?? DEFAULT_QUANTILE_MAX_VALUES,
    seed,
    featureStd: moments.std,
  });
  const nonFinite = new NonFiniteCounter();
  const consumers: BatchConsumer[] = [summary, nonFinite];
  const perSample =
    keep > 0 ? new PerSampleBuilder(k, d, { keep, secondOrder, elasticity, priceFeatures: priceCols }) : null;
  if (perSample) consumers.push(perSample);
  const dgsmOn = opts.dgsm ?? true;
  const boot = resolveBootstrap(opts, seed);
  const distributions = dgsmOn ? dgsmDistributions(prep.inputs, moments, opts.dgsmDistribution) : [];
  const dgsmAcc = dgsmOn ? new DgsmAccumulator(k, d, boot.replicates, seed) : null;
  if (dgsmAcc) consumers.push(dgsmAcc);
  const whatifPass = whatifEveryRow
    ? new WhatIfConsumer(ctx, scenarios, keepCount(opts.keepPerSample, n))
    : null;
  if (whatifPass) consumers.push(whatifPass);
  derivativePass(ctx, secondOrder, consumers);
  const tPass = now();
  const summarySection = summary.finish();
  const perSampleSection = perSample ? perSample.finish() : null;
  const dgsm = dgsmAcc ? dgsmSection(dgsmAcc, prep, distributions, boot) : null;
  const tSummary = now();

  let attribution: AttributionSection | null = null;
  if (attrRows.length > 0) {
    attribution = {
      rows: attrRows,
      inputXGradient: inputXGradientCore(ctx, attrRows),
      integratedGradients: ig ? integratedGradientsCore(ctx, attrRows, moments, ig) : null,
      smoothGrad: sg ? smoothGradCore(ctx, attrRows, moments, sg, sg.seed ?? seed) : null,
      expectedGradients: eg ? expectedGradientsCore(ctx, attrRows, eg, eg.seed ?? seed) : null,
    };
  }
  const tAttribution = now();

  const verification =
    verifyRows.length > 0
      ? verifyCore(ctx, verifyRows, moments, { rtol: opts.verifyTolerance, secondOrder })
      : null;
  const tVerification = now();

  const whatif = whatifPass
    ? whatifPass.finish()
    : scenarios.length > 0
      ? taylorCore(ctx, whatifRows, scenarios, keepCount(opts.keepPerSample, whatifRows.length))
      : null;
  const tWhatif = now();
  // What-if work done inside the derivative pass is reported as what-if time.
  const inPass = whatifPass?.ms ?? 0;

  const ms = (a: number, b: number) => jnum(Math.round((b - a) * 10) / 10) ?? 0;
  return {
    schemaVersion: SCHEMA_VERSION,
    inputs: prep.inputs,
    outputs: prep.outputs,
    perSample: perSampleSection,
    summary: summarySection,
    attribution,
    dgsm,
    verification,
    whatif,
    meta: {
      gradlensVersion: GRADLENS_VERSION,
      n,
      batchSize: ctx.engine.batchSize,
      derivativeMode: ctx.engine.mode,
      secondOrder,
      seed,
      options: echoOptions(opts, {
        batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
        secondOrder,
        keepPerSample: keep,
        seed,
        bootstrap: boot.replicates,
        confidenceLevel: boot.level,
        dgsm: dgsmOn,
        attributionSamples: attrRows,
        verifySamples: verifyRows,
      }),
      nonFinite: nonFinite.finish(prep.nonFiniteInputs),
      timingsMs: {
        total: ms(t0, now()),
        setup: ms(t0, tSetup),
        derivatives: ms(tSetup, tPass - inPass),
        summary: ms(tPass, tSummary),
        attribution: ms(tSummary, tAttribution),
        verification: ms(tAttribution, tVerification),
        whatif: ms(tVerification - inPass, tWhatif),
      },
    },
  };
}
