/**
 * `interactions`: crossed-derivative measures ν_ij = E[(∂²y/∂x_i∂x_j)²] of every feature pair,
 * streamed from the Hessians of the single derivative pass (analyze turns second order on when
 * this section is), with the DGSM section's Poincaré constants and bootstrap settings; and
 * Integrated Hessians of the explained rows (the attribution section's rows and Integrated
 * Gradients' baseline and options), computed at finish. Their completeness check reads the
 * attribution section's Integrated Gradients when that section computed them (same rows, baseline,
 * options: exactly the IG it would compute) instead of integrating the same paths again.
 */
import { ValueError } from "../../../core/errors.js";
import { dgsmDistributions, resolveBootstrap } from "../../methods/dgsm.js";
import { CrossedDerivativeAccumulator, interactionsResult } from "../../methods/interactions/crossed.js";
import {
  integratedHessiansCore,
  resolveIntegratedHessiansOptions,
  type IntegratedHessiansOptions,
} from "../../methods/interactions/integratedHessians.js";
import {
  checkIntegratedGradientsBaseline,
  resolveBaseline,
  resolveIntegratedGradientsOptions,
} from "../../methods/integratedGradients.js";
import { jnum } from "../../result/json.js";
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { DgsmDistribution, IntegratedGradientsSection } from "../../result/schema.js";
import type { Finished, Section } from "../../section.js";
import type { IntegratedHessiansSection } from "./schema.js";

interface ResolvedInteractions {
  boot: { replicates: number; level: number; seed: number };
  distributions: DgsmDistribution[];
  /**
   * Integrated Hessians: the rows and options, or null when off or no rows are explained.
   * `sharedIg`: the attribution section computes IG of these rows with these options.
   */
  ih: { rows: number[]; options: IntegratedHessiansOptions; sharedIg: boolean } | null;
}

/**
 * The attribution section's Integrated Gradients when they are the ones Integrated Hessians would
 * compute: that section on with IG (decided in resolve from the same options), and — checked
 * here, so a change on either side cannot silently pair different IG — the same rows, baseline
 * and quadrature.
 */
function attributionIg(
  done: Finished,
  ih: NonNullable<ResolvedInteractions["ih"]>,
  baseline: ArrayLike<number>,
): IntegratedGradientsSection | undefined {
  const a = done.attribution;
  const ig = a?.integratedGradients;
  if (!ih.sharedIg || !a || !ig) return undefined;
  const o = resolveIntegratedGradientsOptions(ih.options.integratedGradients ?? {});
  const same =
    a.rows.length === ih.rows.length &&
    a.rows.every((r, s) => r === ih.rows[s]) &&
    ig.baseline.features.length === baseline.length &&
    ig.baseline.features.every((v, j) => v === jnum(baseline[j])) &&
    ig.method === o.method &&
    ig.steps === o.steps &&
    ig.maxSteps === o.maxSteps &&
    ig.adaptive === o.adaptive &&
    (o.tolerance === undefined || ig.tolerance === o.tolerance);
  return same ? ig : undefined;
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
      // The attribution section runs IG with exactly these options unless IG is off there.
      const sharedIg = opts.integratedGradients !== false;
      const { baseline, ...integratedGradients } = igOpts;
      const options: IntegratedHessiansOptions = {
        ...(typeof own.integratedHessians === "object" ? own.integratedHessians : {}),
        baseline,
        integratedGradients,
      };
      resolveIntegratedHessiansOptions(options);
      if (rows.length > 0) {
        checkIntegratedGradientsBaseline(ctx, rows, moments, baseline);
        ih = { rows, options, sharedIg };
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
  finish: ({ ctx, moments }, r, acc, done) => {
    const { ih } = r;
    let integratedHessians: IntegratedHessiansSection | null = null;
    if (ih) {
      const base = resolveBaseline(ctx.prep, moments, ih.options.baseline).vec;
      const ig = attributionIg(done, ih, base);
      integratedHessians = integratedHessiansCore(ctx, ih.rows, moments, ih.options, ig);
    }
    return { ...interactionsResult(acc!, ctx.prep, r.distributions, r.boot), integratedHessians };
  },
};
