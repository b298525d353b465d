/** The summary's views: ranking tables and chart, finance Greeks, derivative scatter plots and the per-sample Jacobian heatmap. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { chartDiv, empty, section, tableHtml, type Chart } from "../blocks.js";
import { jacobianHeatmapSpec } from "../specs/heatmap.js";
import { rankingSpec } from "../specs/ranking.js";
import { scatterSpec } from "../specs/scatter.js";
import { financeTable, rankingTable } from "../tables.js";
import { renderTable } from "../text.js";
import type { SectionView } from "../sectionView.js";

function rankingSection(r: SensitivityResult, charts: Chart[]): string {
  const chart: Chart = {
    id: "ranking",
    spec: rankingSpec(r),
    variants: { log: rankingSpec(r, { scale: "log" }) },
    defaultVariant: "linear",
    variantLabel: "value axis",
  };
  charts.push(chart);
  const kMax = Math.min(r.outputs.components.length, 4);
  const tables = Array.from({ length: kMax }, (_, k) => tableHtml(rankingTable(r, k))).join("");
  const fin = financeTable(r);
  return section(
    "ranking",
    "Ranked sensitivities",
    "Features are ranked by σ·mean |∂y/∂x|: how much the output typically moves when the feature moves by one " +
      "standard deviation of its data, so features measured in different units compare. Mean |∂y/∂x| is the " +
      "average slope per unit of input; RMS (√ν of DGSM) weights large local slopes more.",
    chartDiv(chart, "bar chart of the sigma-scaled mean absolute and RMS derivative per feature") +
      tables +
      (fin ? tableHtml(fin) : ""),
  );
}

function scatterSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "Each point is one row: the derivative against the feature's value, for the top features. A flat band " +
    "means the effect is linear in that feature; a trend means curvature; vertical spread means the slope depends " +
    "on other features (interactions).";
  if (!r.perSample)
    return section(
      "scatter",
      "Derivative vs feature value",
      lead,
      empty("Not available: the result has no per-sample rows (keepPerSample)."),
    );
  const chart: Chart = { id: "scatter", spec: scatterSpec(r) };
  charts.push(chart);
  const shown = r.perSample.rows.length;
  return section(
    "scatter",
    "Derivative vs feature value",
    lead,
    chartDiv(chart, "scatter plots of derivative against feature value") +
      `<div class="notes">${shown} of ${r.meta.n} rows retained; up to 1000 points per feature plotted.</div>`,
  );
}

function heatmapSection(r: SensitivityResult, charts: Chart[]): string {
  const lead =
    "The per-sample Jacobian: rows × features, each column scaled by its largest |∂y/∂x| so features with " +
    "different units share one colour scale (blue positive, red negative; hover for the raw value).";
  if (!r.perSample)
    return section(
      "heatmap",
      "Per-sample Jacobian",
      lead,
      empty("Not available: the result has no per-sample rows (keepPerSample)."),
    );
  const chart: Chart = { id: "heatmap", spec: jacobianHeatmapSpec(r) };
  charts.push(chart);
  return section(
    "heatmap",
    "Per-sample Jacobian",
    lead,
    chartDiv(chart, "heatmap of per-sample derivatives"),
  );
}

export const summaryView: SectionView = {
  terminal(r, opts) {
    const parts: string[] = [];
    const kMax = Math.min(r.outputs.components.length, opts.components ?? 4);
    for (let k = 0; k < kMax; k++) parts.push(renderTable(rankingTable(r, k, opts.top)));
    if (kMax < r.outputs.components.length)
      parts.push(`(${r.outputs.components.length - kMax} more output components in the JSON/HTML result)`);
    const fin = financeTable(r);
    if (fin) parts.push(renderTable(fin));
    return parts;
  },
  html: (r, charts) =>
    [rankingSection(r, charts), scatterSection(r, charts), heatmapSection(r, charts)].join("\n"),
};
