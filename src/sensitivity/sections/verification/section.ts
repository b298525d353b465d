/** `verification`: exact derivatives checked against central finite differences on chosen rows. */
import { resolveRows, subSeed } from "../../stats/sampling.js";
import type { AnalysisSetup, Section } from "../../section.js";
import { verifyCore } from "../../methods/verify.js";

const rowsOf = ({ ctx, opts, seed }: AnalysisSetup) =>
  resolveRows(opts.verifySamples, ctx.prep.n, 10, subSeed(seed, "verify"), "verifySamples");

export const verificationSection: Section<"verification", number[]> = {
  key: "verification",
  stage: "verification",
  resolve: (s) => {
    const rows = rowsOf(s);
    return rows.length > 0 ? rows : null;
  },
  echo: (_s, rows) => ({ verifySamples: rows ?? [] }),
  finish: ({ ctx, moments, opts, secondOrder }, rows) =>
    verifyCore(ctx, rows, moments, { rtol: opts.verifyTolerance, secondOrder }),
};
