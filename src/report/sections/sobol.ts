/** The Sobol' view (report only): first-order and total indices with intervals beside the DGSM bounds. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/schema.js";
import { chartDiv, section, tableHtml, type Chart } from "../blocks.js";
import { fmtNum } from "../format.js";
import { newSections } from "../newSections.js";
import { sobolSpec } from "../specs/sobol.js";
import type { TableData } from "../tables.js";
import type { SectionView } from "../sectionView.js";

const ci = (c: (number | null)[] | null | undefined) =>
  c && c.length >= 2 ? `[${fmtNum(c[0])}, ${fmtNum(c[1])}]` : "—";

function sobolTable(r: SensitivityResult): TableData {
  const s = newSections(r).sobol!;
  const multi = new Set(s.indices.map((e) => e.output)).size > 1;
  const failed: number[] = [];
  const rows = s.indices.map((e, i) => {
    const d = r.dgsm?.entries.find((g) => g.output === e.output && g.feature === e.feature);
    const bound = d?.sobolTotalUpperBound ?? null;
    // The bound holds for independent inputs; an index above it (beyond its interval) is worth a look.
    const low = e.totalCi?.[0] ?? e.total;
    if (bound !== null && low !== null && low > bound) failed.push(i);
    return [
      ...(multi ? [e.output] : []),
      e.feature,
      fmtNum(e.first),
      ci(e.firstCi),
      fmtNum(e.total),
      ci(e.totalCi),
      bound === null ? "—" : fmtNum(bound),
    ];
  });
  const notes = [
    s.evaluations !== undefined ? `${s.evaluations} model evaluations` : "",
    failed.length > 0
      ? "marked rows: the total index lies above the DGSM bound (dependent inputs or too small a budget)"
      : r.dgsm
        ? "every total index is within its DGSM bound"
        : "DGSM off: no bounds to compare",
  ].filter(Boolean);
  return {
    title: "Sobol' indices",
    headers: [
      ...(multi ? ["output"] : []),
      "feature",
      "first S",
      "S interval",
      "total Sᴛ",
      "Sᴛ interval",
      "DGSM bound",
    ],
    align: [...(multi ? ["l" as const] : []), "l", "r", "l", "r", "l", "r"],
    rows,
    notes,
    failedRows: failed,
  };
}

function sobolHtml(r: SensitivityResult, charts: Chart[]): string {
  if (!newSections(r).sobol) return "";
  const lead =
    "Variance-based indices on a scrambled Sobol' design over independent marginals: the first-order index S is " +
    "the share of Var(y) a feature explains alone, the total Sᴛ includes its interactions. The DGSM bound beside " +
    "them must lie above Sᴛ.";
  const c: Chart = { id: "sobol", spec: sobolSpec(r) };
  charts.push(c);
  return section(
    "sobol",
    "Sobol' indices",
    lead,
    chartDiv(c, "bar chart of first-order and total Sobol' indices with DGSM bounds") +
      tableHtml(sobolTable(r)),
  );
}

export const sobolView: SectionView = { html: sobolHtml };
