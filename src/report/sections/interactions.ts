/** The interactions view (terminal): the top feature pairs by crossed-derivative measure ν. */
import type { SensitivityResult } from "../../sensitivity/schema.js";
import { fmtNum } from "../format.js";
import type { SectionView } from "../sectionView.js";
import type { TableData } from "../tables.js";
import { renderTable } from "../text.js";

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

export const interactionsView: SectionView = {
  terminal: (r, opts) => {
    const t = interactionsTable(r, opts.top ?? DEFAULT_TOP_PAIRS);
    return t ? [renderTable(t)] : [];
  },
};
