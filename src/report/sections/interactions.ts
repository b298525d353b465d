/** The interactions view (report only): the pair heatmap of ν and the top pairs. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/schema.js";
import { chartDiv, section, tableHtml, type Chart } from "../blocks.js";
import { fmtNum } from "../format.js";
import { newSections } from "../newSections.js";
import { interactionPairs, interactionsSpec } from "../specs/interactions.js";
import type { TableData } from "../tables.js";
import type { SectionView } from "../sectionView.js";

const TOP_PAIRS = 10;

function topPairsTable(r: SensitivityResult): TableData {
  const pairs = newSections(r).interactions!.pairs;
  const multi = new Set(pairs.map((p) => p.output)).size > 1;
  return {
    title: "Top interacting pairs",
    headers: [
      ...(multi ? ["output"] : []),
      "feature i",
      "feature j",
      "ν",
      "ν interval",
      "interaction index ≤",
    ],
    align: [...(multi ? ["l" as const] : []), "l", "l", "r", "l", "r"],
    rows: pairs
      .slice(0, TOP_PAIRS)
      .map((p) => [
        ...(multi ? [p.output] : []),
        p.features[0],
        p.features[1],
        fmtNum(p.nu),
        p.ci && p.ci.length >= 2 ? `[${fmtNum(p.ci[0])}, ${fmtNum(p.ci[1])}]` : "—",
        fmtNum(p.bound),
      ]),
    notes: pairs.length > TOP_PAIRS ? [`${pairs.length - TOP_PAIRS} more pairs in the JSON result`] : [],
  };
}

function interactionsHtml(r: SensitivityResult, charts: Chart[]): string {
  if (!newSections(r).interactions) return "";
  const lead =
    "Which features act together: ν = E[(∂²y/∂xᵢ∂xⱼ)²] from exact Hessians, and the upper bound it gives on the " +
    "total interaction index of the pair for independent inputs (Roustant et al. 2014). A small bound proves " +
    "the pair does not interact; zero off the diagonal means an additive model.";
  let chart = "";
  if (interactionPairs(r).some((p) => p.nu !== null)) {
    const c: Chart = { id: "interactions", spec: interactionsSpec(r) };
    charts.push(c);
    chart = chartDiv(c, "heatmap of the crossed-derivative measure per feature pair");
  }
  return section("interactions", "Interactions", lead, chart + tableHtml(topPairsTable(r)));
}

export const interactionsView: SectionView = { html: interactionsHtml };
