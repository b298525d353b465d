/** `dgsm`: derivative-based global sensitivity measures with bootstrap intervals, streamed from the pass. */
import {
  DgsmAccumulator,
  dgsmDistributions,
  dgsmSection as dgsmPart,
  resolveBootstrap,
} from "../../methods/dgsm.js";
import type { DgsmDistribution } from "../../result/schema.js";
import type { Section } from "../../section.js";

interface ResolvedDgsm {
  boot: ReturnType<typeof resolveBootstrap>;
  distributions: DgsmDistribution[];
}

export const dgsmSection: Section<"dgsm", ResolvedDgsm, DgsmAccumulator> = {
  key: "dgsm",
  stage: "summary",
  resolve: ({ ctx, opts, seed, moments }) => {
    // The bootstrap options are checked even when DGSM is off, as they always were.
    const boot = resolveBootstrap(opts, seed);
    if (!(opts.dgsm ?? true)) return null;
    return { boot, distributions: dgsmDistributions(ctx.prep.inputs, moments, opts.dgsmDistribution) };
  },
  echo: ({ opts, seed }, resolved) => {
    const boot = resolved?.boot ?? resolveBootstrap(opts, seed);
    return { bootstrap: boot.replicates, confidenceLevel: boot.level, dgsm: resolved !== null };
  },
  consumer: ({ ctx, seed }, r) => new DgsmAccumulator(ctx.prep.k, ctx.prep.d, r.boot.replicates, seed),
  finish: ({ ctx }, r, acc) => dgsmPart(acc!, ctx.prep, r.distributions, r.boot),
};
