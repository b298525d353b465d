/**
 * `interactions`: crossed-derivative measures ν_ij = E[(∂²y/∂x_i∂x_j)²] of every feature pair,
 * streamed from the Hessians of the single derivative pass (analyze turns second order on when
 * this section is), with the DGSM section's Poincaré constants and bootstrap settings; and
 * Integrated Hessians of the explained rows (the attribution section's rows and Integrated
 * Gradients' baseline and options), computed at finish.
 */
import { ValueError } from "../../../core/errors.js";
import { dgsmDistributions, resolveBootstrap } from "../../methods/dgsm.js";
import { CrossedDerivativeAccumulator, interactionsResult } from "../../methods/interactions/crossed.js";
import {
  integratedHessiansCore,
  resolveIntegratedHessiansOptions,
  type IntegratedHessiansOptions,
} from "../../methods/interactions/integratedHessians.js";
import { checkIntegratedGradientsBaseline } from "../../methods/integratedGradients.js";
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { DgsmDistribution } from "../../result/schema.js";
import type { Section } from "../../section.js";

interface ResolvedInteractions {
  boot: { replicates: number; level: number; seed: number };
  distributions: DgsmDistribution[];
  /** Integrated Hessians: the rows and options, or null when off or no rows are explained. */
  ih: { rows: number[]; options: IntegratedHessiansOptions } | null;
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
    const own = typeof o === "object" ? o : {};
    const boot = resolveBootstrap({ ...opts, bootstrap: own.bootstrap ?? opts.bootstrap }, seed);
    let ih: ResolvedInteractions["ih"] = null;
    if (own.integratedHessians !== false) {
      // The explained rows exactly as the attribution section draws them (same seed and option).
      const rows = resolveRows(
        opts.attributionSamples,
        ctx.prep.n,
        10,
        subSeed(seed, "attribution"),
        "attributionSamples",
      );
      const igOpts = typeof opts.integratedGradients === "object" ? opts.integratedGradients : {};
      const { baseline, ...integratedGradients } = igOpts;
      const options: IntegratedHessiansOptions = {
        ...(typeof own.integratedHessians === "object" ? own.integratedHessians : {}),
        baseline,
        integratedGradients,
      };
      resolveIntegratedHessiansOptions(options);
      if (rows.length > 0) {
        checkIntegratedGradientsBaseline(ctx, rows, moments, baseline);
        ih = { rows, options };
      }
    }
    return { boot, distributions: dgsmDistributions(ctx.prep.inputs, moments, opts.dgsmDistribution), ih };
  },
  echo: (_s, r) => ({
    interactions:
      r === null
        ? false
        : {
            bootstrap: r.boot.replicates,
            integratedHessians: r.ih === null ? false : resolveIntegratedHessiansOptions(r.ih.options),
          },
  }),
  consumer: ({ ctx }, r) =>
    new CrossedDerivativeAccumulator(ctx.prep.k, ctx.prep.d, r.boot.replicates, r.boot.seed),
  finish: ({ ctx, moments }, r, acc) => ({
    ...interactionsResult(acc!, ctx.prep, r.distributions, r.boot),
    integratedHessians: r.ih ? integratedHessiansCore(ctx, r.ih.rows, moments, r.ih.options) : null,
  }),
};
