/**
 * `attribution`: Input×Gradient, Integrated Gradients, SmoothGrad and expected gradients on the
 * explained rows. Each method's options are checked in `resolve`, before the pass.
 */
import {
  expectedGradientsCore,
  resolveExpectedGradientsOptions,
  type ExpectedGradientsOptions,
} from "../../methods/expectedGradients.js";
import { inputXGradientCore } from "../../methods/inputXGradient.js";
import {
  checkIntegratedGradientsBaseline,
  integratedGradientsCore,
  resolveIntegratedGradientsOptions,
  type IntegratedGradientsOptions,
} from "../../methods/integratedGradients.js";
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { Section } from "../../section.js";
import {
  resolveSmoothGradOptions,
  smoothGradCore,
  type SmoothGradOptions,
} from "../../methods/smoothGrad.js";

/** A method's options: false turns it off, true or absent takes its defaults. */
const methodOptions = <T extends object>(o: boolean | T | undefined): T | null =>
  o === false ? null : o === true || o === undefined ? ({} as T) : o;

interface ResolvedAttribution {
  rows: number[];
  ig: IntegratedGradientsOptions | null;
  sg: SmoothGradOptions | null;
  eg: ExpectedGradientsOptions | null;
}

export const attributionSection: Section<"attribution", ResolvedAttribution> = {
  key: "attribution",
  stage: "attribution",
  resolve: ({ ctx, opts, seed, moments }) => {
    const { n } = ctx.prep;
    const rows = resolveRows(
      opts.attributionSamples,
      n,
      10,
      subSeed(seed, "attribution"),
      "attributionSamples",
    );
    if (rows.length === 0) return null;
    const ig = methodOptions(opts.integratedGradients);
    const sg = methodOptions(opts.smoothGrad);
    const eg = methodOptions(opts.expectedGradients);
    if (ig) {
      resolveIntegratedGradientsOptions(ig);
      checkIntegratedGradientsBaseline(ctx, rows, moments, ig.baseline);
    }
    if (sg) resolveSmoothGradOptions(sg);
    if (eg) resolveExpectedGradientsOptions(eg, n, eg.seed ?? seed);
    return { rows, ig, sg, eg };
  },
  // The rows echoed are the resolved ones (empty when off).
  echo: ({ ctx, opts, seed }, r) => ({
    attributionSamples:
      r?.rows ??
      resolveRows(
        opts.attributionSamples,
        ctx.prep.n,
        10,
        subSeed(seed, "attribution"),
        "attributionSamples",
      ),
  }),
  finish: ({ ctx, moments, seed }, { rows, ig, sg, eg }) => ({
    rows,
    inputXGradient: inputXGradientCore(ctx, rows),
    integratedGradients: ig ? integratedGradientsCore(ctx, rows, moments, ig) : null,
    smoothGrad: sg ? smoothGradCore(ctx, rows, moments, sg, sg.seed ?? seed) : null,
    expectedGradients: eg ? expectedGradientsCore(ctx, rows, eg, eg.seed ?? seed) : null,
  }),
};
