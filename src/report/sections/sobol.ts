/** The sobol view: the terminal table and the HTML report block. Nothing without the section. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { fmtNum } from "../format.js";
import type { SectionView } from "../sectionView.js";
import type { TableData } from "../tables.js";
import { renderTable } from "../text.js";
import { chartDiv, section, tableHtml, type Chart } from "../blocks.js";
import { sobolSpec } from "../specs/sobol.js";

/**
 * One row per (output, feature): S_i and S_T,i with their intervals and, when DGSM ran, its upper
 * bound on S_T,i.
 *
 * @example
 * renderTable(sobolTable(analyze(model, data, { sobol: { samples: 4096 } }))!);
 */
export function sobolTable(r: SensitivityResult): TableData | null {
  const s = r.sobol;
  if (!s) return null;
  const multi = r.outputs.components.length > 1;
  const iv = (x: [number, number] | null) => (x ? `[${fmtNum(x[0])}, ${fmtNum(x[1])}]` : "—");
  const bound = (k: number, j: number) =>
    r.dgsm?.entries.find((e) => e.outputIndex === k && e.featureIndex === j)?.sobolTotalUpperBound;
  const rows = s.indices.map((i) => [
    multi ? `${i.feature} → ${i.output}` : i.feature,
    fmtNum(i.first),
    iv(i.firstCi),
    fmtNum(i.total),
    iv(i.totalCi),
    ...(r.dgsm ? [fmtNum(bound(i.outputIndex, i.featureIndex))] : []),
  ]);
  const kinds = [...new Set(s.marginals.map((m) => m.type))].join("/");
  const notes = [
    `${s.evaluations} model evaluations (N = ${s.samples}, scrambled Sobol' design); ${kinds} marginals, inputs independent`,
  ];
  if (s.bootstrap)
    notes.push(
      `${Math.round(s.bootstrap.level * 100)}% Poisson bootstrap intervals, ${s.bootstrap.replicates} replicates`,
    );
  if (r.dgsm)
    notes.push(
      "DGSM bound ≥ total index when both assume the same marginals (the bound's are in the DGSM section)",
    );
  if (s.outputs.some((o) => o.nonFinite > 0))
    notes.push("non-finite outputs on the design: those indices are —");
  return {
    title: "Sobol' indices (variance-based)",
    headers: [
      "feature",
      "first",
      "first interval",
      "total",
      "total interval",
      ...(r.dgsm ? ["DGSM bound"] : []),
    ],
    align: ["l", "r", "r", "r", "r", ...(r.dgsm ? (["r"] as const) : [])],
    rows,
    notes,
  };
}

const ci = (c: (number | null)[] | null | undefined) =>
  c && c.length >= 2 ? `[${fmtNum(c[0])}, ${fmtNum(c[1])}]` : "—";

function sobolReportTable(r: SensitivityResult): TableData {
  const s = r.sobol!;
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
    `${s.evaluations} model evaluations`,
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
  if (!r.sobol) return "";
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
      tableHtml(sobolReportTable(r)),
  );
}

export const sobolView: SectionView = {
  terminal: (r) => {
    const t = sobolTable(r);
    return t ? [renderTable(t)] : [];
  },
  html: sobolHtml,
};
