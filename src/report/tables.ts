/**
 * The tables of a sensitivity result as plain data (title, headers, formatted cells), built once
 * and rendered twice: as aligned text in the terminal (terminal.ts) and as HTML tables (html.ts),
 * so the two always show the same numbers.
 */
import type {
  CellStatsEntry,
  DistributionStats,
  SensitivityResult,
  VerificationBlock,
  VerificationSection,
  WhatIfSection,
} from "../sensitivity/result/schema.js";
import { fmtNum, fmtPct, MISSING } from "./format.js";
import { unitOf, withUnit } from "./units.js";

/**
 * One table: every cell already formatted; `align` per column ("r" for numbers).
 *
 * @example
 * const t: TableData = { title: "T", headers: ["feature", "value"], align: ["l", "r"], rows: [["price", "1.005"]], notes: [] };
 */
export interface TableData {
  title: string;
  headers: string[];
  align: ("l" | "r")[];
  rows: string[][];
  /** Lines shown under the table (units, thresholds, what was left out). */
  notes: string[];
  /** Row indices to highlight as failures (verification). */
  failedRows?: number[];
}

/** The quantile of `stats` at `level` (one of `summary.quantileLevels`), or null. */
export function quantileAt(
  result: SensitivityResult,
  stats: DistributionStats,
  level: number,
): number | null {
  const i = result.summary.quantileLevels.findIndex((q) => Math.abs(q - level) < 1e-12);
  return i < 0 ? null : (stats.quantiles[i] ?? null);
}

/** The (k, j) entry of a k-major list of per-(output, feature) entries. */
function cell<T extends { outputIndex: number; featureIndex: number }>(
  list: readonly T[] | undefined,
  k: number,
  j: number,
): T | undefined {
  return list?.find((e) => e.outputIndex === k && e.featureIndex === j);
}

/** Name of output component k. */
export const componentName = (r: SensitivityResult, k: number) => r.outputs.components[k]?.name ?? `#${k}`;

/**
 * Features of output component k ranked by σ·mean |∂y/∂x| (the typical output change for a
 * one-standard-deviation move of the feature; largest first), with mean |∂y/∂x|, RMS, mean,
 * 5%/95% quantiles, sign consistency, mean elasticity and the DGSM Sobol' bound.
 *
 * @example
 * console.log(renderTable(rankingTable(result, 0, 10)));
 */
export function rankingTable(r: SensitivityResult, k = 0, top = Infinity): TableData {
  const ranking = r.summary.ranking.find((e) => e.outputIndex === k);
  const rows: string[][] = [];
  const list = ranking ? ranking.byScaled.slice(0, top) : [];
  list.forEach((f, rank) => {
    const g = cell(r.summary.gradients, k, f.featureIndex);
    const el = cell(r.summary.elasticities?.entries, k, f.featureIndex);
    const dg = cell(r.dgsm?.entries, k, f.featureIndex);
    const s = g?.stats;
    rows.push([
      String(rank + 1),
      withUnit(r, f.feature),
      fmtNum(f.value),
      fmtNum(s?.meanAbs),
      fmtNum(s?.rms),
      fmtNum(s?.mean),
      s ? fmtNum(quantileAt(r, s, 0.05)) : MISSING,
      s ? fmtNum(quantileAt(r, s, 0.95)) : MISSING,
      fmtPct(s?.positiveShare),
      el ? fmtNum(el.stats.mean) : MISSING,
      dg ? fmtNum(dg.sobolTotalUpperBound) : MISSING,
    ]);
  });
  const notes = [
    `${r.meta.n} rows; ranked by σ·mean |∂y/∂x|, the typical output change for a one-standard-deviation move of the feature (comparable across units); ∂y/∂x in units of output per unit of input. ">0" is the share of rows with a positive derivative.`,
  ];
  if (r.summary.elasticities)
    notes.push("elasticity: mean % change of the output per 1% change of the input.");
  if (r.dgsm)
    notes.push(
      "Sobol' bound: DGSM upper bound C_j·E[(∂y/∂x_j)²]/Var(y) on the total Sobol' index (≥ 1 says nothing).",
    );
  if (list.length < (ranking?.byScaled.length ?? 0))
    notes.push(`top ${list.length} of ${ranking!.byScaled.length} features shown.`);
  return {
    title: `Sensitivities of '${withUnit(r, componentName(r, k))}' ranked by σ·mean |∂y/∂x|`,
    headers: [
      "#",
      "feature",
      `σ·mean |∂y/∂x|${unitOf(r, componentName(r, k)) ? ` [${unitOf(r, componentName(r, k))}]` : ""}`,
      "mean |∂y/∂x|",
      "RMS ∂y/∂x",
      "mean ∂y/∂x",
      "5%",
      "95%",
      ">0",
      "elasticity",
      "Sobol' bound",
    ],
    align: ["r", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    rows,
    notes,
  };
}

const statsRow = (r: SensitivityResult, s: DistributionStats) => [
  fmtNum(s.mean),
  fmtNum(quantileAt(r, s, 0.05)),
  fmtNum(quantileAt(r, s, 0.5)),
  fmtNum(quantileAt(r, s, 0.95)),
];

/**
 * Delta and gamma of each (output, price) and the largest cross-gammas ∂²y/∂price∂x_j, or null
 * without `finance`.
 *
 * @example
 * const t = financeTable(result); if (t) console.log(renderTable(t));
 */
export function financeTable(r: SensitivityResult, topCross = 3): TableData | null {
  const fin = r.summary.finance;
  if (!fin) return null;
  const rows: string[][] = [];
  fin.delta.forEach((d) => {
    const g = fin.gamma.find((e) => e.outputIndex === d.outputIndex && e.priceIndex === d.priceIndex);
    const cross = fin.crossGamma
      .filter(
        (c) => c.outputIndex === d.outputIndex && c.priceIndex === d.priceIndex && c.feature !== d.price,
      )
      .sort((a, b) => Math.abs(b.stats.mean ?? 0) - Math.abs(a.stats.mean ?? 0))
      .slice(0, topCross)
      .map((c) => `${c.feature} ${fmtNum(c.stats.mean, 3)}`)
      .join(", ");
    rows.push([
      componentName(r, d.outputIndex),
      d.price,
      ...statsRow(r, d.stats),
      g ? fmtNum(g.stats.mean) : MISSING,
      g ? fmtNum(Math.max(Math.abs(g.stats.min ?? 0), Math.abs(g.stats.max ?? 0))) : MISSING,
      cross || MISSING,
    ]);
  });
  return {
    title: "Greeks: delta = ∂y/∂price, gamma = ∂²y/∂price², cross-gamma = ∂²y/∂price∂x",
    headers: [
      "output",
      "price",
      "delta mean",
      "delta 5%",
      "delta median",
      "delta 95%",
      "gamma mean",
      "max |gamma|",
      "largest mean cross-gammas",
    ],
    align: ["l", "l", "r", "r", "r", "r", "r", "r", "l"],
    rows,
    notes: [],
  };
}

/**
 * The finite-difference check, one row per feature: the largest step, the largest absolute and
 * relative errors of the first derivatives (and of the Hessian entries with second order), and
 * whether the feature passed.
 *
 * @example
 * console.log(renderTable(verificationTable(result.verification!)));
 */
export function verificationTable(v: VerificationSection): TableData {
  const h = v.hessians;
  const rows: string[][] = [];
  const failedRows: number[] = [];
  v.gradients.perFeature.forEach((f, i) => {
    const hf = h?.perFeature.find((e) => e.featureIndex === f.featureIndex);
    const passed = f.passed && (hf?.passed ?? true);
    if (!passed) failedRows.push(i);
    rows.push([
      f.feature,
      f.input,
      fmtNum(f.maxStep, 3),
      fmtNum(f.maxAbsError, 3),
      fmtNum(f.maxRelError, 3),
      ...(h ? [fmtNum(hf?.maxAbsError, 3), fmtNum(hf?.maxRelError, 3)] : []),
      passed ? "ok" : "FAIL",
    ]);
  });
  const worst = (b: VerificationBlock) =>
    fmtNum(Math.max(0, ...b.perFeature.map((f) => f.maxRelError ?? Infinity)), 3);
  return {
    title: `Finite-difference check on ${v.rows.length} rows (rtol ${fmtNum(v.rtol, 2)}): ${v.passed ? "passed" : "FAILED"}`,
    headers: [
      "feature",
      "input",
      "max step",
      "∂y/∂x abs err",
      "∂y/∂x rel err",
      ...(h ? ["∂²y abs err", "∂²y rel err"] : []),
      "status",
    ],
    align: ["l", "l", "r", "r", "r", ...(h ? (["r", "r"] as const) : []), "l"],
    rows,
    notes: [
      `largest errors over the rows checked (${v.rows.slice(0, 10).join(", ")}${v.rows.length > 10 ? ", …" : ""}); ` +
        `central differences in float64 with step h = ∛ε·max(|x|, RMS x)` +
        (h ? "; ∂²y: Hessian row of the feature vs differences of gradients" : "") +
        `. Worst relative error ${worst(v.gradients)}${h ? ` (Hessians ${worst(h)})` : ""}.`,
    ],
    failedRows,
  };
}

/**
 * Each what-if scenario per output: mean output, exact mean change, the first- and second-order
 * Taylor predictions of it, and the largest absolute error of each prediction.
 *
 * @example
 * console.log(renderTable(whatifTable(result.whatif!)));
 */
export function whatifTable(w: WhatIfSection): TableData {
  const rows: string[][] = [];
  for (const sc of w.scenarios)
    for (const o of sc.outputs)
      rows.push([
        sc.name,
        o.output,
        fmtNum(o.meanBaseline, 6),
        fmtNum(o.meanExactChange),
        fmtNum(o.meanFirstOrderChange),
        fmtNum(o.meanSecondOrderChange),
        fmtNum(o.firstOrderError.maxAbs, 3),
        fmtNum(o.secondOrderError.maxAbs, 3),
      ]);
  return {
    title: `What-if scenarios on ${w.rows} rows: Taylor predictions vs exact re-evaluation`,
    headers: [
      "scenario",
      "output",
      "mean y",
      "mean Δy exact",
      "1st order",
      "2nd order",
      "1st-order max |err|",
      "2nd-order max |err|",
    ],
    align: ["l", "l", "r", "r", "r", "r", "r", "r"],
    rows,
    notes: ["1st order: y + J·Δ; 2nd order: y + J·Δ + ½ΔᵀHΔ; errors are prediction − exact, per row."],
  };
}

/**
 * Integrated Gradients per explained sample (output component k): y(x), y(baseline), Σ IG and
 * the completeness delta Σ IG − (y(x) − y(x')), with the sample's largest attributions. A sample
 * whose attributions are not trustworthy (not converged, or not finite) says so in the status
 * column, is highlighted, and its numbers carry a "~": never shown as plain results.
 *
 * @example
 * const t = integratedGradientsTable(result); if (t) console.log(renderTable(t));
 */
export function integratedGradientsTable(r: SensitivityResult, k = 0, topFeatures = 3): TableData | null {
  const ig = r.attribution?.integratedGradients;
  if (!r.attribution || !ig) return null;
  const names = r.inputs.features.map((f) => f.name);
  const failedRows: number[] = [];
  const rows = r.attribution.rows.map((row, s) => {
    const trusted = ig.trustworthy?.[s]?.[k] ?? ig.converged;
    if (!trusted) failedRows.push(s);
    const mark = (text: string) => (trusted ? text : `~${text}`);
    const a = ig.attributions[s]?.[k] ?? [];
    const finite = a.every((v) => v !== null);
    const sum = finite ? a.reduce<number>((acc, v) => acc + v!, 0) : null;
    const top = a
      .map((v, j) => ({ v, j }))
      .sort((x, y) => Math.abs(y.v ?? Infinity) - Math.abs(x.v ?? Infinity))
      .slice(0, topFeatures)
      .map(({ v, j }) => `${names[j]} ${mark(fmtNum(v, 3))}`)
      .join(", ");
    return [
      String(row),
      fmtNum(ig.output[s]?.[k], 6),
      fmtNum(ig.baselineOutput[s]?.[k], 6),
      mark(fmtNum(sum, 6)),
      fmtNum(ig.completenessDelta[s]?.[k], 2),
      String(ig.stepsUsed[s] ?? MISSING),
      trusted ? "ok" : sampleStatus(ig.output[s]?.[k] ?? null, finite),
      top,
    ];
  });
  const notes = [
    `δ = Σ_j IG_j − (y(x) − y(baseline)) is the quadrature error; max |δ| ${fmtNum(ig.maxAbsCompletenessDelta, 2)}` +
      ` (tolerance ${fmtNum(ig.tolerance, 2)}, ${ig.converged ? "converged" : "NOT converged"}).`,
  ];
  if (!ig.converged)
    notes.push(
      "~ marks attributions that are not trustworthy: they are what the quadrature reached, not results.",
    );
  return {
    title: `Integrated Gradients of '${withUnit(r, componentName(r, k))}' (${ig.method}, baseline ${ig.baseline.kind})`,
    headers: [
      "row",
      "y(x)",
      "y(baseline)",
      "Σ IG",
      "completeness δ",
      "steps",
      "status",
      "largest attributions",
    ],
    align: ["r", "r", "r", "r", "r", "r", "l", "l"],
    rows,
    notes,
    failedRows,
  };
}

/** Why a sample's attributions are not trustworthy, in a word or two. */
function sampleStatus(output: number | null, finite: boolean): string {
  if (output === null) return "y(x) not finite";
  if (!finite) return "not finite";
  return "NOT converged";
}

/**
 * The DGSM entries of output component k: ν = E[(∂y/∂x)²], shares, and the Sobol' bound with its
 * bootstrap interval, largest bound first.
 *
 * @example
 * const t = dgsmTable(result); if (t) console.log(renderTable(t));
 */
export function dgsmTable(r: SensitivityResult, k = 0): TableData | null {
  const d = r.dgsm;
  if (!d) return null;
  const entries = d.entries
    .filter((e) => e.outputIndex === k)
    .sort((a, b) => (b.sobolTotalUpperBound ?? -1) - (a.sobolTotalUpperBound ?? -1));
  const iv = (x: [number | null, number | null] | null) =>
    x ? `[${fmtNum(x[0], 3)}, ${fmtNum(x[1], 3)}]` : MISSING;
  const rows = entries.map((e) => {
    const dist = d.distributions[e.featureIndex];
    return [
      e.feature,
      fmtNum(e.nu),
      iv(e.nuInterval),
      fmtPct(e.scaledShare),
      fmtNum(e.sobolTotalUpperBound, 3),
      iv(e.boundInterval),
      dist ? `${dist.type}, C = ${fmtNum(dist.poincareConstant, 3)}` : MISSING,
    ];
  });
  const level = d.bootstrap ? `${Math.round(d.bootstrap.level * 100)}%` : "";
  return {
    title: `DGSM of '${componentName(r, k)}': Sobol' total-index upper bounds`,
    headers: [
      "feature",
      "ν = E[(∂y/∂x)²]",
      `ν ${level} CI`,
      "scaled share",
      "Sobol' bound",
      `bound ${level} CI`,
      "distribution",
    ],
    align: ["l", "r", "r", "r", "r", "r", "l"],
    rows,
    notes: [
      d.bootstrap
        ? `intervals: Poisson bootstrap, ${d.bootstrap.replicates} replicates, seed ${d.bootstrap.seed}.`
        : "no bootstrap intervals (bootstrap 0).",
    ],
  };
}

/**
 * The inputs: shape per sample, dtype, whether differentiated, price-like, and feature names.
 *
 * @example
 * console.log(renderTable(inputsTable(result)));
 */
export function inputsTable(r: SensitivityResult): TableData {
  const rows = r.inputs.items.map((it) => {
    const feats = r.inputs.features.filter((f) => f.input === it.name).map((f) => f.name);
    const shown = feats.length > 8 ? [...feats.slice(0, 8), `… (${feats.length})`] : feats;
    return [
      it.name,
      it.shape.length === 0 ? "scalar" : `[${it.shape.join(", ")}]`,
      it.dtype,
      it.differentiated ? "yes" : "no (constant)",
      it.priceLike ? "yes" : "",
      shown.join(", "),
    ];
  });
  return {
    title: "Inputs",
    headers: ["input", "shape per row", "dtype", "differentiated", "price", "features"],
    align: ["l", "l", "l", "l", "l", "l"],
    rows,
    notes: [],
  };
}

/** Summary statistics of every output component. @example renderTable(outputsTable(result)) */
export function outputsTable(r: SensitivityResult): TableData {
  const rows = r.summary.values.map((v) => [
    componentName(r, v.outputIndex),
    ...statsRow(r, v.stats),
    fmtNum(v.stats.min),
    fmtNum(v.stats.max),
    v.stats.nonFinite ? String(v.stats.nonFinite) : "0",
  ]);
  return {
    title: "Outputs",
    headers: ["output", "mean", "5%", "median", "95%", "min", "max", "non-finite"],
    align: ["l", "r", "r", "r", "r", "r", "r", "r"],
    rows,
    notes: [],
  };
}

/** Gradient statistics entries of one component in feature order (for callers that need all). */
export function gradientEntries(r: SensitivityResult, k: number): CellStatsEntry[] {
  return r.summary.gradients.filter((e) => e.outputIndex === k);
}
