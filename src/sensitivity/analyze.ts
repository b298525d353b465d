/**
 * `analyze`: the whole sensitivity analysis of a target over its data in one call, as one
 * JSON-serialisable result (schema version 1, see docs/sensitivity-schema.md). A loop over the
 * registered sections (./sections/index.ts): resolve each one's options, one streaming pass over
 * the data feeding the sections that stream (summary, DGSM, retained rows, what-if over every
 * row), then each section finishes into its part of the result.
 */
import { ValueError } from "../core/errors.js";
import { createContext, DEFAULT_BATCH_SIZE } from "./engine/context.js";
import type { InputData } from "./engine/data.js";
import { priceFeatures, priceInputs } from "./engine/derivatives.js";
import { elasticityTolerances } from "./methods/elasticity.js";
import { featureMoments } from "./engine/features.js";
import { jnum } from "./result/json.js";
import { NonFiniteCounter } from "./engine/nonfinite.js";
import type { AnalyzeOptions } from "./options.js";
import { derivativePass, type BatchConsumer } from "./engine/pass.js";
import type { SensitivityResult } from "./result/schema.js";
import type { AnalysisSetup, Finished, SectionConsumer, SectionKey, TimingStage } from "./section.js";
import { SECTIONS } from "./sections/index.js";
import type { Target } from "./engine/target.js";
import { GRADLENS_VERSION, SCHEMA_VERSION } from "./result/version.js";
import { resolveUnits } from "./result/units.js";
import { keepCount } from "./methods/whatif.js";

export type { AnalyzeOptions } from "./options.js";

const now = () => globalThis.performance.now();

/** A consumer whose `add` calls are timed: a section's work inside the pass, in ms. */
function timed(c: SectionConsumer): SectionConsumer & { ms: number } {
  return {
    ms: 0,
    add(b) {
      const t = now();
      c.add(b);
      this.ms += now() - t;
    },
  };
}

/** The options in effect, JSON-safe (functions dropped, absent values as null). */
function echoOptions(opts: AnalyzeOptions, resolved: Record<string, unknown>): Record<string, unknown> {
  const { onProgress: _drop, ...rest } = opts;
  return JSON.parse(JSON.stringify({ ...rest, ...resolved }, (_k, v) => (v === undefined ? null : v)));
}

/** The data prepared and the choices every section shares. */
function setUp(target: Target, data: InputData, opts: AnalyzeOptions): AnalysisSetup {
  const prices = priceInputs(opts.finance);
  if (prices.length > 0 && opts.secondOrder === false)
    throw new ValueError("analyze: finance needs secondOrder (gamma and crossGamma come from Hessians)");
  const ctx = createContext(target, data, { ...opts, priceInputs: prices });
  // Interactions need the pass's Hessians, as finance does.
  const secondOrder = opts.secondOrder ?? (prices.length > 0 || !!opts.interactions);
  const moments = featureMoments(ctx.prep);
  const elastOpts =
    opts.elasticities === false ? null : opts.elasticities === true ? {} : (opts.elasticities ?? {});
  return {
    ctx,
    opts,
    seed: opts.seed ?? 0,
    secondOrder,
    moments,
    keep: keepCount(opts.keepPerSample, ctx.prep.n),
    elasticity: elastOpts ? elasticityTolerances(elastOpts, moments.rms) : null,
    priceFeatures: secondOrder ? priceFeatures(ctx.prep.inputs) : null,
  };
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
  const setup = setUp(target, data, opts);
  const { ctx, secondOrder, seed, keep } = setup;
  const { prep } = ctx;
  const units = resolveUnits(opts.units, prep.inputs, prep.outputs);
  // Every section checks its options before the long pass over the data.
  const planned = SECTIONS.map((s) => {
    const p = s.plan(setup);
    // Every section's work inside the pass is timed here, one way for all of them.
    return { ...s, ...p, consumer: p.consumer && timed(p.consumer) };
  });
  const tSetup = now();

  const nonFinite = new NonFiniteCounter();
  const consumers: BatchConsumer[] = [nonFinite];
  for (const p of planned) if (p.consumer) consumers.push(p.consumer);
  derivativePass(ctx, secondOrder, consumers);
  const tPass = now();

  // Each stage's time: its sections' finishing plus the work they did inside the pass.
  // Each section's own time too (finishing plus its work inside the pass), and a progress stage
  // per section so a long finish (effects' ICE, Sobol', verification) is not a silent wait.
  const stages: Record<TimingStage, number> = { summary: 0, attribution: 0, verification: 0, whatif: 0 };
  const sections: Partial<Record<SectionKey, number>> = {};
  let inPass = 0;
  const parts: Record<string, unknown> = {};
  for (const p of planned) {
    const t = now();
    if (p.on) ctx.progress(p.key, 0, 1);
    parts[p.key] = p.finish(parts as Finished);
    if (p.on) ctx.progress(p.key, 1, 1);
    const passMs = p.consumer?.ms ?? 0;
    inPass += passMs;
    const spent = now() - t + passMs;
    stages[p.stage] += spent;
    if (parts[p.key] !== null) sections[p.key] = spent;
  }

  const ms = (x: number) => jnum(Math.round(x * 10) / 10) ?? 0;
  const echoed = Object.assign({}, ...planned.map((p) => p.echo)) as Record<string, unknown>;
  return {
    schemaVersion: SCHEMA_VERSION,
    inputs: prep.inputs,
    outputs: prep.outputs,
    ...(parts as Pick<SensitivityResult, (typeof SECTIONS)[number]["key"]>),
    meta: {
      gradlensVersion: GRADLENS_VERSION,
      n: prep.n,
      batchSize: ctx.engine.batchSize,
      derivativeMode: ctx.engine.mode,
      secondOrder,
      seed,
      options: echoOptions(opts, {
        batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
        secondOrder,
        keepPerSample: keep,
        seed,
        ...echoed,
      }),
      nonFinite: nonFinite.finish(prep.nonFiniteInputs),
      units,
      timingsMs: {
        total: ms(now() - t0),
        setup: ms(tSetup - t0),
        derivatives: ms(tPass - tSetup - inPass),
        summary: ms(stages.summary),
        attribution: ms(stages.attribution),
        verification: ms(stages.verification),
        whatif: ms(stages.whatif),
        sections: Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, ms(v)])),
      },
    },
  };
}
