/**
 * `effects`: ICE / PDP / derivative ICE / derivative-based ALE curves of named features or of the
 * top features by σ_j·mean |∂y/∂x_j| (the summary's ranking). The ranking and the ALE's per-bin
 * mean derivatives ride along the single derivative pass; only the ICE curves (ICE rows × grid
 * points) need evaluations off the data rows, computed when the section finishes.
 */
import {
  EffectsAccumulator,
  planEffects,
  runEffects,
  type EffectsPlan,
} from "../../methods/effects/effects.js";
import type { Section } from "../../section.js";

export const effectsSection: Section<"effects", EffectsPlan, EffectsAccumulator> = {
  key: "effects",
  stage: "attribution",
  resolve: ({ ctx, opts, seed }) => {
    const o = opts.effects;
    if (o === undefined || o === false) return null;
    return planEffects(ctx, { ...(typeof o === "object" ? o : {}), seed }, "analyze: effects");
  },
  consumer: ({ ctx }, plan) => new EffectsAccumulator(ctx, plan),
  finish: ({ ctx }, plan, acc) => runEffects(ctx, plan, acc!),
};
