/**
 * Sensitivity results as aligned plain-text tables for the terminal: each section's text in the
 * order of SECTION_VIEWS (the ranking with Greeks for price inputs, Integrated Gradients
 * completeness, the finite-difference verification and the what-if scenarios), then the run line.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { fmtMs } from "./format.js";
import { SECTION_VIEWS } from "./sections/index.js";
import type { FormatAnalysisOptions } from "./sectionView.js";

export { renderTable } from "./text.js";
export type { FormatAnalysisOptions } from "./sectionView.js";

/**
 * The terminal report of an analysis: ranked sensitivities per output component, the Greeks for
 * price inputs, Integrated Gradients completeness, the finite-difference verification table and
 * the what-if table, each present when the result has that section.
 *
 * @example
 * console.log(formatAnalysis(analyze(model, data, { finance: { price: "price" } })));
 */
export function formatAnalysis(r: SensitivityResult, opts: FormatAnalysisOptions = {}): string {
  const parts: string[] = [];
  for (const [, view] of SECTION_VIEWS) parts.push(...(view.terminal?.(r, opts) ?? []));
  const t = r.meta.timingsMs;
  parts.push(
    `${r.meta.n} rows, ${r.inputs.features.length} features, ${r.outputs.components.length} output component(s); ` +
      `${r.meta.derivativeMode}-mode derivatives${r.meta.secondOrder ? " with Hessians" : ""}; ` +
      `${fmtMs(t.total)} (derivatives ${fmtMs(t.derivatives)}, attribution ${fmtMs(t.attribution)}, ` +
      `verification ${fmtMs(t.verification)}, what-if ${fmtMs(t.whatif)})`,
  );
  return parts.join("\n\n");
}

export type { TableData } from "./tables.js";
