/**
 * `interactions`: crossed-derivative measures ν_ij = E[(∂²y/∂x_i∂x_j)²] of every feature pair,
 * streamed from the Hessians of the single derivative pass (analyze turns second order on when
 * this section is), with the DGSM section's Poincaré constants and bootstrap settings.
 */
import { ValueError } from "../../../core/errors.js";
import { dgsmDistributions, resolveBootstrap } from "../../dgsm.js";
import { CrossedDerivativeAccumulator, interactionsResult } from "../../interactions/crossed.js";
import type { DgsmDistribution } from "../../schema.js";
import type { Section } from "../../section.js";

interface ResolvedInteractions {
  boot: { replicates: number; level: number; seed: number };
  distributions: DgsmDistribution[];
}

export const interactionsSection: Section<
  "interactions",
  ResolvedInteractions,
  CrossedDerivativeAccumulator
> = {
  key: "interactions",
  stage: "summary",
  resolve: ({ ctx, opts, seed, moments, secondOrder }) => {
    const o = opts.interactions;
    if (o === undefined || o === false) return null;
    if (!secondOrder)
      throw new ValueError("analyze: interactions need secondOrder (crossed derivatives come from Hessians)");
    const own = typeof o === "object" ? o.bootstrap : undefined;
    const boot = resolveBootstrap({ ...opts, bootstrap: own ?? opts.bootstrap }, seed);
    return { boot, distributions: dgsmDistributions(ctx.prep.inputs, moments, opts.dgsmDistribution) };
  },
  echo: (_s, r) => ({ interactions: r === null ? false : { bootstrap: r.boot.replicates } }),
  consumer: ({ ctx }, r) =>
    new CrossedDerivativeAccumulator(ctx.prep.k, ctx.prep.d, r.boot.replicates, r.boot.seed),
  finish: ({ ctx }, r, acc) => interactionsResult(acc!, ctx.prep, r.distributions, r.boot),
};
