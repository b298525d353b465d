/** `summary`: per (output, feature) statistics, rankings, elasticities and Greeks, streamed from the pass. */
import type { Section } from "../../section.js";
import { DEFAULT_QUANTILE_MAX_VALUES } from "../../stats/summarizer.js";
import { SummaryBuilder } from "../../methods/summary.js";

export const summarySection: Section<"summary", true, SummaryBuilder> = {
  key: "summary",
  stage: "summary",
  resolve: () => true,
  consumer: (s) =>
    new SummaryBuilder(s.ctx.prep, s.ctx.prep.n, {
      secondOrder: s.secondOrder,
      priceFeatures: s.priceFeatures,
      elasticity: s.elasticity,
      quantileMaxValues: s.opts.quantileMaxValues ?? DEFAULT_QUANTILE_MAX_VALUES,
      seed: s.seed,
      featureStd: s.moments.std,
    }),
  finish: (_s, _on, builder) => builder!.finish(),
};
