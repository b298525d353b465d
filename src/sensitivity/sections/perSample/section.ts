/** `perSample`: the first rows' own derivatives (and Greeks, elasticities), kept from the pass. */
import { PerSampleBuilder } from "../../engine/persample.js";
import type { Section } from "../../section.js";

export const perSampleSection: Section<"perSample", number, PerSampleBuilder> = {
  key: "perSample",
  stage: "summary",
  resolve: ({ keep }) => (keep > 0 ? keep : null),
  consumer: (s, keep) =>
    new PerSampleBuilder(s.ctx.prep.k, s.ctx.prep.d, {
      keep,
      secondOrder: s.secondOrder,
      elasticity: s.elasticity,
      priceFeatures: s.priceFeatures,
    }),
  finish: (_s, _keep, builder) => builder!.finish(),
};
