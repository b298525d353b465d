/**
 * One section of `analyze`'s result: how a method takes part in the analysis. `analyze` resolves
 * every registered section (./sections/index.ts) before any heavy work, so a bad option fails
 * fast; the sections that stream join the single derivative pass as consumers; then each one
 * finishes, in registration order, into its JSON part under `key`, and may read the parts of the
 * sections registered before it (`Finished`) — the one way sections share work (Integrated
 * Hessians reuse the attribution section's Integrated Gradients). How a section is shown (its
 * terminal table, its report block) lives in the report layer, which may import this one.
 */
import type { Context } from "./engine/context.js";
import type { ElasticityTolerances } from "./methods/elasticity.js";
import type { FeatureMoments } from "./engine/features.js";
import type { AnalyzeOptions } from "./options.js";
import type { BatchConsumer } from "./engine/batch.js";
import type { SensitivityResult } from "./result/schema.js";

/** What every section sees: the prepared data and engine, the options and what they share. */
export interface AnalysisSetup {
  ctx: Context;
  opts: AnalyzeOptions;
  seed: number;
  /** Per-sample Hessians computed in the pass. */
  secondOrder: boolean;
  moments: FeatureMoments;
  /** Rows kept per sample (0: none). */
  keep: number;
  elasticity: ElasticityTolerances | null;
  /** Price-like features (finance), when second order. */
  priceFeatures: number[] | null;
}

/** The keys of the result a section fills (everything but the header and `meta`). */
export type SectionKey = Exclude<keyof SensitivityResult, "schemaVersion" | "inputs" | "outputs" | "meta">;

/** The `meta.timingsMs` entry a section's work is counted under. */
export type TimingStage = "summary" | "attribution" | "verification" | "whatif";

/**
 * A consumer of the pass. `analyze` times its `add` calls and counts them as the section's work
 * inside the pass (`meta.timingsMs.sections[key]`), so consumers do not time themselves.
 */
export type SectionConsumer = BatchConsumer;

/**
 * The JSON parts of the sections that finished before this one (registration order), each as in
 * the result: null when off. Read-only: a later section reuses work, never changes it.
 */
export type Finished = { readonly [K in SectionKey]?: Readonly<SensitivityResult[K]> };

/**
 * A method of `analyze`. `resolve` checks the options and returns null when the section is off
 * (its JSON part is then null); `consumer`, if present, joins the derivative pass; `finish` turns
 * the resolved options and the consumer into the JSON part, and may read the parts of sections
 * registered before it (`done`) to reuse their work — only where it is exactly the work it would
 * do itself, and computing its own otherwise.
 *
 * @example
 * const verification: Section<"verification", number[]> = {
 *   key: "verification",
 *   stage: "verification",
 *   resolve: ({ opts, ctx, seed }) => {
 *     const rows = resolveRows(opts.verifySamples, ctx.prep.n, 10, subSeed(seed, "verify"), "verifySamples");
 *     return rows.length > 0 ? rows : null;
 *   },
 *   finish: (s, rows) => verifyCore(s.ctx, rows, s.moments, { secondOrder: s.secondOrder }),
 * };
 */
export interface Section<K extends SectionKey, R, C extends SectionConsumer = SectionConsumer> {
  key: K;
  stage: TimingStage;
  resolve(setup: AnalysisSetup): R | null;
  /** Resolved values echoed in `meta.options` (called whether the section is on or off). */
  echo?(setup: AnalysisSetup, resolved: R | null): Record<string, unknown>;
  /** The consumer joining the derivative pass, or null when this analysis needs none. */
  consumer?(setup: AnalysisSetup, resolved: R): C | null;
  finish(
    setup: AnalysisSetup,
    resolved: R,
    consumer: C | null,
    done: Finished,
  ): NonNullable<SensitivityResult[K]>;
}

/** A section with its types bound: what the registry holds and `analyze` loops over. */
export interface SectionEntry {
  key: SectionKey;
  stage: TimingStage;
  plan(setup: AnalysisSetup): PlannedSection;
}

/** A section resolved against one analysis. */
export interface PlannedSection {
  /** Whether the section is on (resolved to something; its JSON part is then not null). */
  on: boolean;
  echo: Record<string, unknown>;
  consumer: SectionConsumer | null;
  /** The JSON part (null when off), given the parts of the sections finished before it. */
  finish(done: Finished): unknown;
}

/**
 * Binds a section's types into a registry entry.
 *
 * @example
 * export const SECTIONS = [register(summarySection), register(dgsmSection)];
 */
export function register<K extends SectionKey, R, C extends SectionConsumer>(
  section: Section<K, R, C>,
): SectionEntry {
  return {
    key: section.key,
    stage: section.stage,
    plan(setup) {
      const resolved = section.resolve(setup);
      const echo = section.echo?.(setup, resolved) ?? {};
      if (resolved === null) return { on: false, echo, consumer: null, finish: () => null };
      const consumer = section.consumer?.(setup, resolved) ?? null;
      return { on: true, echo, consumer, finish: (done) => section.finish(setup, resolved, consumer, done) };
    },
  };
}
