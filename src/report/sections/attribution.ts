/** The attribution's views: Integrated Gradients completeness (terminal) and bars (report). */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { chartDiv, empty, section, tableHtml, type Chart } from "../blocks.js";
import { escapeHtml } from "../escape.js";
import { fmtNum } from "../format.js";
import { attributionSpec } from "../specs/attribution.js";
import { integratedGradientsTable } from "../tables.js";
import { renderTable } from "../text.js";
import type { SectionView } from "../sectionView.js";

function attributionSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Integrated Gradients split each explained row's output change from the baseline, y(x) − y(x′), into " +
    "per-feature contributions. The completeness delta δ is what the quadrature missed: it should be tiny next to y.";
  const table = integratedGradientsTable(r);
  if (!table)
    return section(
      "attribution",
      "Integrated Gradients",
      lead,
      empty("Not computed (attribution samples 0 or Integrated Gradients off)."),
    );
  const chart: Chart = { id: "attribution", spec: attributionSpec(r) };
  charts.push(chart);
  const ig = r.attribution!.integratedGradients!;
  const warning = ig.converged
    ? ""
    : `<div class="warning" role="alert"><strong>Integrated Gradients NOT converged.</strong> ` +
      `The attributions of the rows marked ~ (and "NOT converged" in the charts) are not trustworthy: they are ` +
      `what the quadrature reached, not results. ${escapeHtml(ig.reason ?? "")}</div>`;
  return section(
    "attribution",
    "Integrated Gradients",
    lead,
    warning +
      chartDiv(chart, "bar charts of Integrated Gradients attributions per explained row") +
      tableHtml(table),
  );
}

export const attributionView: SectionView = {
  terminal(r) {
    const ig = integratedGradientsTable(r);
    if (!ig) return [];
    const igSec = r.attribution!.integratedGradients!;
    const line =
      `Integrated Gradients on ${r.attribution!.rows.length} rows (${igSec.method}, baseline ${igSec.baseline.kind}): ` +
      `max |completeness δ| ${fmtNum(igSec.maxAbsCompletenessDelta, 2)}`;
    // Converged: one line. Not: a warning, the reason, and the table with the flagged rows marked.
    if (igSec.converged) return [`${line}, converged`];
    return [
      `WARNING: Integrated Gradients NOT converged — the attributions marked ~ are not trustworthy.\n` +
        `${line}.\n${igSec.reason ?? ""}\n\n${renderTable(ig)}`,
    ];
  },
  html: attributionSection,
};
