/**
 * The shape-constraint checks as a terminal table: one line per (constraint, output), with the
 * share of data rows and of bounding-box points violating and the worst row.
 */
import type { ConstraintsResult } from "../sensitivity/methods/constraints/check.js";
import { fmtNum, fmtPct } from "./format.js";
import type { TableData } from "./tables.js";

/**
 * Table of `checkConstraints` results.
 *
 * @example
 * renderTable(constraintsTable(checkConstraints(model, data, { expect: { strike: ["convex"] } })));
 */
export function constraintsTable(r: ConstraintsResult): TableData {
  const multi = new Set(r.checks.map((c) => c.output)).size > 1;
  const rows = r.checks.map((c) => {
    const w = c.worstRows[0];
    return [
      multi ? `${c.feature} → ${c.output}` : c.feature,
      c.expect,
      c.status === "violated" ? "VIOLATED" : c.status,
      `${c.violations}/${c.rows}`,
      fmtPct(c.share),
      c.boxShare === null ? "—" : fmtPct(c.boxShare),
      fmtNum(Math.max(c.magnitude ?? 0, c.box?.magnitude ?? 0)),
      w ? `row ${w.row}: ${fmtNum(w.derivative)}` : "—",
    ];
  });
  const notes = [
    r.box
      ? `checked on every data row and on ${r.box.samples} ${r.box.sequence === "halton" ? "Halton" : "Sobol'"} points of the data's bounding box`
      : "checked on every data row",
  ];
  if (r.checks.some((c) => c.nonFinite > 0 || (c.box?.nonFinite ?? 0) > 0))
    notes.push("unverified: some derivatives were not finite (NaN or ±∞), so neither passed nor failed");
  return {
    title: "Shape constraints (exact derivatives)",
    headers: [
      "feature",
      "expect",
      "status",
      "rows violating",
      "share",
      "box share",
      "magnitude",
      "worst row: derivative",
    ],
    align: ["l", "l", "l", "r", "r", "r", "r", "l"],
    rows,
    notes,
  };
}
