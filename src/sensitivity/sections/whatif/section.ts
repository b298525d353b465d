/**
 * `whatif`: Taylor predictions of scenarios against the exact outputs. Over every row (the
 * default) the scenarios ride along the derivative pass, reusing its outputs, Jacobians and
 * Hessians; a chosen subset of rows gets its own pass when the section finishes.
 */
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { Section } from "../../section.js";
import { compileShock, keepCount, taylorCore, WhatIfConsumer, type Scenario } from "../../methods/whatif.js";

interface ResolvedWhatIf {
  scenarios: readonly Scenario[];
  /** Rows of a separate pass, or null for every row inside the derivative pass. */
  rows: number[] | null;
}

export const whatifSection: Section<"whatif", ResolvedWhatIf, WhatIfConsumer> = {
  key: "whatif",
  stage: "whatif",
  resolve: ({ ctx, opts, seed }) => {
    const scenarios = opts.whatif ?? [];
    if (scenarios.length === 0) return null;
    const { prep } = ctx;
    scenarios.forEach((sc) => compileShock(prep, sc));
    const everyRow = opts.whatifSamples === undefined || opts.whatifSamples === prep.n;
    const rows = everyRow
      ? null
      : resolveRows(opts.whatifSamples, prep.n, prep.n, subSeed(seed, "whatif"), "whatifSamples");
    return { scenarios, rows };
  },
  consumer: ({ ctx, opts }, r) =>
    r.rows === null ? new WhatIfConsumer(ctx, r.scenarios, keepCount(opts.keepPerSample, ctx.prep.n)) : null,
  finish: ({ ctx, opts }, { scenarios, rows }, pass) =>
    rows === null
      ? pass!.finish()
      : taylorCore(ctx, rows, scenarios, keepCount(opts.keepPerSample, rows.length)),
};
