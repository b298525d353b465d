/** The effects view (report only): ICE, PDP and ALE per feature with the derivative ICE beneath. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/schema.js";
import { chartDiv, section, type Chart } from "../blocks.js";
import { newSections } from "../newSections.js";
import { effectsSpec } from "../specs/effects.js";
import type { SectionView } from "../sectionView.js";

function effectsHtml(r: SensitivityResult, charts: Chart[]): string {
  const effects = newSections(r).effects;
  if (!effects) return "";
  const lead =
    "What the output does as one feature moves over its quantile grid. Thin lines: one sampled row each (ICE); " +
    "bold: their mean, the partial dependence (PDP), and the accumulated local effect (ALE, dashed) from the exact " +
    "mean derivative within quantile bins. Beneath: the exact derivative along the grid per row (derivative ICE) " +
    "and its mean. Parallel ICE curves and flat derivative curves mean no interaction; spread means interaction.";
  if (effects.features.length === 0)
    return section(
      "effects",
      "Effects (ICE, PDP, ALE)",
      lead,
      '<p class="empty">No features were plotted.</p>',
    );
  const c: Chart = { id: "effects", spec: effectsSpec(r) };
  charts.push(c);
  const outputs = new Set(effects.features.map((f) => f.output));
  const note =
    outputs.size > 1
      ? `<div class="notes">Shown for the first output; the others are in the JSON result.</div>`
      : "";
  return section(
    "effects",
    "Effects (ICE, PDP, ALE)",
    lead,
    chartDiv(c, "effect curves per feature with derivative curves beneath") + note,
  );
}

export const effectsView: SectionView = { html: effectsHtml };
