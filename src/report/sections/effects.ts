/** The effects view: the terminal table and the HTML report block. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { fmtNum } from "../format.js";
import type { SectionView } from "../sectionView.js";
import type { TableData } from "../tables.js";
import { renderTable } from "../text.js";
import { chartDiv, section, type Chart } from "../blocks.js";
import { effectsSpec } from "../specs/effects.js";
import { unitOf, withUnit } from "../units.js";

const unitSuffix = (r: SensitivityResult, name: string) => {
  const u = unitOf(r, name);
  return u ? ` [${u}]` : "";
};

/** Grid points shown per feature in the terminal (the JSON and the report have them all). */
const TERMINAL_POINTS = 11;

/**
 * One table per (output, feature): grid value, partial dependence, ALE and the mean exact
 * derivative along the ICE curves, at up to 11 grid points spread over the grid.
 *
 * @example
 * effectsTables(analyze(model, data, { effects: { features: ["price"] } })).map(renderTable);
 */
export function effectsTables(r: SensitivityResult): TableData[] {
  const s = r.effects;
  if (!s) return [];
  const multi = r.outputs.components.length > 1;
  return s.features.map((e) => {
    const g = e.grid.length;
    const step = Math.max(1, Math.ceil((g - 1) / (TERMINAL_POINTS - 1)));
    const at = Array.from({ length: g }, (_, t) => t).filter((t) => t % step === 0 || t === g - 1);
    const meanSlope = (t: number) => {
      const v = e.dice.map((c) => c[t]).filter((x): x is number => x !== null);
      return v.length === e.dice.length && v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const notes = [
      `PDP = mean of ${e.ice.length} ICE curves; ALE integrates a line through the rows' exact derivatives in each quantile bin, centred`,
    ];
    if (at.length < g) notes.push(`${at.length} of ${g} grid points shown`);
    if (e.aleSkippedRows > 0)
      notes.push(`${e.aleSkippedRows} rows with a non-finite ${e.feature} left out of ALE`);
    return {
      title: `Effects of ${e.feature}${multi ? ` on ${e.output}` : ""}`,
      headers: [
        withUnit(r, e.feature),
        `PDP${unitSuffix(r, e.output)}`,
        `ALE${unitSuffix(r, e.output)}`,
        "mean ∂y/∂x (ICE)",
      ],
      align: ["r", "r", "r", "r"],
      rows: at.map((t) => [fmtNum(e.grid[t]), fmtNum(e.pdp[t]), fmtNum(e.ale[t]), fmtNum(meanSlope(t))]),
      notes,
    };
  });
}

function effectsHtml(r: SensitivityResult, charts: Chart[]): string {
  const effects = r.effects;
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

export const effectsView: SectionView = {
  terminal: (r) => effectsTables(r).map(renderTable),
  html: effectsHtml,
};
