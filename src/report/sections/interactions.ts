/** The interactions view: the terminal table and the HTML report block. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { fmtNum } from "../format.js";
import type { SectionView } from "../sectionView.js";
import type { TableData } from "../tables.js";
import { renderTable } from "../text.js";
import { chartDiv, section, tableHtml, type Chart } from "../blocks.js";
import { integratedHessiansSpec, interactionPairs, interactionsSpec } from "../specs/interactions.js";
import { integratedHessiansOf, integratedHessiansTable } from "../integratedHessiansTable.js";

const DEFAULT_TOP_PAIRS = 10;

/**
 * The strongest interacting pairs: ν = E[(∂²y/∂x_a∂x_b)²], its interval and the bound on the
 * pair's total interaction index.
 *
 * @example
 * renderTable(interactionsTable(analyze(model, data, { interactions: true }), 5)!);
 */
export function interactionsTable(r: SensitivityResult, top = DEFAULT_TOP_PAIRS): TableData | null {
  const s = r.interactions;
  if (!s) return null;
  const multi = r.outputs.components.length > 1;
  const iv = (x: [number | null, number | null] | null) => (x ? `[${fmtNum(x[0])}, ${fmtNum(x[1])}]` : "—");
  const rows = s.pairs
    .slice(0, top)
    .map((p) => [
      multi ? `${p.features[0]} × ${p.features[1]} → ${p.output}` : `${p.features[0]} × ${p.features[1]}`,
      fmtNum(p.nu),
      iv(p.ci),
      fmtNum(p.bound),
      iv(p.boundCi),
    ]);
  const notes = [
    `${Math.min(top, s.pairs.length)} of ${s.pairs.length} pairs; ν = E[(∂²y/∂x_a∂x_b)²] over ${s.rows} rows; ` +
      "bound = C_a·C_b·ν/Var(y) ≥ the pair's total interaction index (independent inputs)",
  ];
  if (s.bootstrap)
    notes.push(
      `${Math.round(s.bootstrap.level * 100)}% Poisson bootstrap intervals, ${s.bootstrap.replicates} replicates`,
    );
  return {
    title: "Interactions (crossed derivatives)",
    headers: ["pair", "ν", "ν interval", "bound", "bound interval"],
    align: ["l", "r", "r", "r", "r"],
    rows,
    notes,
  };
}

const TOP_PAIRS = 10;

function topPairsTable(r: SensitivityResult): TableData {
  const pairs = r.interactions!.pairs;
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
  if (!r.interactions) return "";
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
  return section(
    "interactions",
    "Interactions",
    lead,
    chart + tableHtml(topPairsTable(r)) + ihHtml(r, charts),
  );
}

/** Integrated Hessians of the explained rows: the mean |Γ| heatmap, the top pairs and the checks. */
function ihHtml(r: SensitivityResult, charts: Chart[]): string {
  const ih = integratedHessiansOf(r);
  if (!ih) return "";
  const c: Chart = { id: "integrated-hessians", spec: integratedHessiansSpec(r) };
  charts.push(c);
  return (
    `<h3>Integrated Hessians</h3><p>Per explained row, Γᵢⱼ splits each feature's Integrated Gradients ` +
    `attribution into its main effect (diagonal) and its interactions (Janizek, Sturmfels &amp; Lee 2021), from ` +
    `exact Hessians; the heatmap is the mean |Γᵢⱼ| over the rows.</p>` +
    chartDiv(c, "heatmap of mean |Integrated Hessians| per feature pair") +
    tableHtml(integratedHessiansTable(r)!)
  );
}

export const interactionsView: SectionView = {
  terminal: (r, opts) => {
    const t = interactionsTable(r, opts.top ?? DEFAULT_TOP_PAIRS);
    const ih = integratedHessiansTable(r, opts.top ?? DEFAULT_TOP_PAIRS);
    return [t, ih].flatMap((x) => (x ? [renderTable(x)] : []));
  },
  html: interactionsHtml,
};
