/** The constraints view: the terminal table and the HTML report block. Nothing without the section. */
import { constraintsTable } from "../constraintsTable.js";
import type { SectionView } from "../sectionView.js";
import { renderTable } from "../text.js";
import type { ConstraintsSection, SensitivityResult } from "../../sensitivity/result/schema.js";
import { section, tableHtml } from "../blocks.js";
import { fmtNum, fmtPct } from "../format.js";
import type { TableData } from "../tables.js";

type ConstraintCheck = ConstraintsSection["checks"][number];

const violated = (c: ConstraintCheck) => c.status === "violated";

function checksTable(checks: ConstraintCheck[]): TableData {
  const multi = new Set(checks.map((c) => c.output)).size > 1;
  return {
    title: "Declared shape constraints",
    headers: [
      "feature",
      "expect",
      "status",
      "rows violating",
      "share",
      "worst rows (row: value, derivative)",
    ],
    align: ["l", "l", "l", "r", "r", "l"],
    rows: checks.map((c) => [
      multi ? `${c.feature} → ${c.output}` : c.feature,
      c.expect,
      violated(c) ? "VIOLATED" : c.status,
      `${c.violations}/${c.rows}`,
      fmtPct(c.share),
      c.worstRows
        .slice(0, 3)
        .map((w) => `${w.row}: ${fmtNum(w.value)}, ${fmtNum(w.derivative)}`)
        .join("; ") || "—",
    ]),
    notes: [],
    failedRows: checks.flatMap((c, i) => (violated(c) ? [i] : [])),
  };
}

function constraintsHtml(r: SensitivityResult): string {
  const c = r.constraints;
  if (!c) return "";
  const bad = c.checks.filter(violated).length;
  const badge =
    bad > 0 ? `<span class="badge bad">${bad} VIOLATED</span>` : '<span class="badge ok">all hold</span>';
  const lead =
    "What the model must do, as declared (increasing, decreasing, convex, concave, derivative signs), checked with " +
    `exact derivatives on every data row. ${badge}`;
  return section("constraints", "Shape constraints", lead, tableHtml(checksTable(c.checks)));
}

export const constraintsView: SectionView = {
  terminal: (r) => (r.constraints ? [renderTable(constraintsTable(r.constraints))] : []),
  html: constraintsHtml,
};
