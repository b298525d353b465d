/** The Sobol' view (terminal): first-order and total indices beside the DGSM upper bound. */
import type { SensitivityResult } from "../../sensitivity/schema.js";
import { fmtNum } from "../format.js";
import type { SectionView } from "../sectionView.js";
import type { TableData } from "../tables.js";
import { renderTable } from "../text.js";

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

export const sobolView: SectionView = {
  terminal: (r) => {
    const t = sobolTable(r);
    return t ? [renderTable(t)] : [];
  },
};
