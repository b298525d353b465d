/**
 * `sobol`: first-order and total Sobol' indices of the target over independent marginals of its
 * features, empirical (the data's quantiles) by default. The design's points are not data rows, so
 * the model is evaluated on them when the section finishes, in engine-sized blocks (no derivatives).
 * Every input must be a differentiated feature: an integer input (or one left out by `wrt`) has no
 * marginal to vary it by, and holding it at data rows would tie it to the sampled features.
 */
import { ValueError } from "../../../core/errors.js";
import { array } from "../../../ops/index.js";
import type { Context } from "../../engine/context.js";
import type { SobolSectionOptions } from "../../options.js";
import type { Section } from "../../section.js";
import { featureColumn } from "../../methods/effects/effects.js";
import { SOBOL_MAX_DIMENSION } from "../../methods/sobol/directions.js";
import {
  checkSobolOptions,
  sobolIndices,
  type SobolFunction,
  type SobolIndicesOptions,
} from "../../methods/sobol/indices.js";
import { sobolMarginalsFromData, type SobolMarginal } from "../../methods/sobol/marginals.js";

interface ResolvedSobol {
  marginals: Record<string, SobolMarginal>;
  options: SobolIndicesOptions;
}

/** The target as a function of its packed features x [n, D] → y [n, K]. */
function featureFunction(ctx: Context): SobolFunction {
  const { prep, engine } = ctx;
  return (x) => {
    const z = x.data() as Float64Array;
    const count = z.length / prep.d;
    return array(engine.values({ count, z, rest: [] }), { shape: [count, prep.k] });
  };
}

export const sobolSection: Section<"sobol", ResolvedSobol> = {
  key: "sobol",
  stage: "attribution",
  resolve: ({ ctx, opts, seed }) => {
    const o = opts.sobol;
    if (o === undefined || o === false) return null;
    const own: SobolSectionOptions = typeof o === "object" ? o : {};
    const { prep } = ctx;
    if (prep.constant.length > 0)
      throw new ValueError(
        `analyze: sobol needs every input varied independently, but ${prep.constant
          .map((ci) => `'${prep.columns[ci].name}' (${prep.columns[ci].dtype})`)
          .join(
            ", ",
          )} ${prep.constant.length > 1 ? "are" : "is"} not differentiated (integer inputs, or left out by wrt); ` +
          "drop the sobol option, or make them float inputs differentiated as features",
      );
    const columns: Record<string, Float64Array> = {};
    prep.inputs.features.forEach((f, j) => (columns[f.name] = featureColumn(ctx, j)));
    const marginals = sobolMarginalsFromData(columns, own.marginals ?? "empirical");
    const options: SobolIndicesOptions = {
      samples: own.samples,
      seed,
      bootstrap: own.bootstrap ?? opts.bootstrap,
      confidence: opts.confidenceLevel,
      batchSize: ctx.engine.batchSize,
      outputNames: prep.outputs.components.map((c) => c.name),
    };
    // Checked now, before the derivative pass, rather than when the section finishes.
    checkSobolOptions(options);
    if (2 * prep.d > SOBOL_MAX_DIMENSION)
      throw new ValueError(
        `analyze: sobol over ${prep.d} features needs a ${2 * prep.d}-dimensional Sobol' design; the direction numbers cover ${SOBOL_MAX_DIMENSION} (at most ${SOBOL_MAX_DIMENSION / 2} features)`,
      );
    return { marginals, options };
  },
  finish: ({ ctx }, r) => sobolIndices(featureFunction(ctx), r.marginals, r.options),
};
