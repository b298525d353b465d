/**
 * `effects`: ICE / PDP / derivative ICE / derivative-based ALE curves of named features or of the
 * top features by mean |∂y/∂x_j|. The ranking rides along the single derivative pass; the curves
 * need evaluations off the data rows and are computed when the section finishes.
 */
import { MeanAbsDerivative, planEffects, runEffects, type EffectsPlan } from "../../effects/effects.js";
import type { Section } from "../../section.js";

export const effectsSection: Section<"effects", EffectsPlan, MeanAbsDerivative> = {
  key: "effects",
  stage: "attribution",
  resolve: ({ ctx, opts, seed }) => {
    const o = opts.effects;
    if (o === undefined || o === false) return null;
    return planEffects(ctx, { ...(typeof o === "object" ? o : {}), seed }, "analyze: effects");
  },
  consumer: ({ ctx }, plan) => (plan.chosen === null ? new MeanAbsDerivative(ctx.prep.k, ctx.prep.d) : null),
  finish: ({ ctx }, plan, ranking) => runEffects(ctx, plan, ranking),
};
