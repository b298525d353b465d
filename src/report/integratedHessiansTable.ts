/**
 * The Integrated Hessians table (terminal and report): the feature pairs of the explained rows
 * ranked by mean |Γ_ij|, with the signed mean and each completeness check's worst error.
 */
import type { IntegratedHessiansSection, SensitivityResult } from "../sensitivity/result/schema.js";
import { fmtNum } from "./format.js";
import type { TableData } from "./tables.js";

/**
 * `result.interactions.integratedHessians`, or null (section off, no rows, older result).
 *
 * @example
 * const ih = integratedHessiansOf(result);
 * ih?.interactions[ih.rows.indexOf(42)]?.[0]; // the D × D matrix of data row 42
 */
export function integratedHessiansOf(r: SensitivityResult): IntegratedHessiansSection | null {
  return r.interactions?.integratedHessians ?? null;
}

/** One ranked pair (or diagonal main effect) of output k. */
interface GammaStat {
  i: number;
  j: number;
  meanAbs: number;
  mean: number;
  maxAbs: number;
}

/**
 * Mean |Γ_ij|, mean Γ_ij and max |Γ_ij| over the rows with finite Γ, for i ≤ j.
 *
 * @example
 * gammaStats(ih, 0, result.inputs.features.length).filter((p) => p.i !== p.j);
 */
export function gammaStats(ih: IntegratedHessiansSection, k: number, d: number): GammaStat[] {
  const out: GammaStat[] = [];
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      let n = 0;
      let sum = 0;
      let abs = 0;
      let max = 0;
      for (const g of ih.interactions) {
        const v = g[k]?.[i]?.[j];
        if (typeof v !== "number") continue;
        n++;
        sum += v;
        abs += Math.abs(v);
        max = Math.max(max, Math.abs(v));
      }
      if (n > 0) out.push({ i, j, meanAbs: abs / n, mean: sum / n, maxAbs: max });
    }
  return out;
}

/**
 * The strongest Integrated Hessians pairs of the first output (off-diagonal Γ_ij; the pair's
 * share of the attributions is Γ_ij + Γ_ji = 2Γ_ij), with the completeness checks in the notes.
 *
 * @example
 * renderTable(integratedHessiansTable(analyze(model, data, { interactions: true }), 5)!);
 */
export function integratedHessiansTable(r: SensitivityResult, top = 10): TableData | null {
  const ih = integratedHessiansOf(r);
  if (!ih) return null;
  const names = r.inputs.features.map((f) => f.name);
  const pairs = gammaStats(ih, 0, names.length)
    .filter((p) => p.i !== p.j)
    .sort((a, b) => b.meanAbs - a.meanAbs);
  const output = r.outputs.components[0]?.name ?? "y";
  const notes = [
    `${Math.min(top, pairs.length)} of ${pairs.length} pairs of '${output}' over ${ih.rows.length} explained ` +
      `row(s) from the ${ih.baseline.kind === "values" ? "given" : ih.baseline.kind} baseline; Γ_ij is half ` +
      "the pair's interaction (Γ_ij + Γ_ji), the diagonal Γ_ii the main effect (Janizek et al. 2021)",
    `completeness: max |Σ_j Γ_ij − IG_i| = ${fmtNum(ih.maxAbsIgDelta)}, max |Σ Γ − (y(x) − y(x'))| = ` +
      `${fmtNum(ih.maxAbsCompletenessDelta)} (tolerance ${fmtNum(ih.tolerance)}; ${ih.hessianEvaluations} Hessians)`,
  ];
  if (!ih.converged) notes.push(`NOT CONVERGED: ${ih.reason ?? "see the JSON result"}`);
  return {
    title: "Integrated Hessians (explained rows)",
    headers: ["pair", "mean |Γ|", "mean Γ", "max |Γ|"],
    align: ["l", "r", "r", "r"],
    rows: pairs
      .slice(0, top)
      .map((p) => [`${names[p.i]} × ${names[p.j]}`, fmtNum(p.meanAbs), fmtNum(p.mean), fmtNum(p.maxAbs)]),
    notes,
  };
}
