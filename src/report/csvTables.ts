/**
 * The summary tables of a sensitivity result as CSV (CLI `--csv DIR`): one table per section
 * part the result holds, with the raw numbers (shortest round-trip form, not the terminal's
 * rounding) and, where a table has one line per data row, a `row` column with the 0-based data
 * row index to join back to the data. Non-finite values (JSON null) are empty cells. Column names
 * are the JSON field names of docs/sensitivity-schema.md; a nested statistics object becomes
 * `stats_mean`, `stats_q0.05`, …, and an interval `[low, high]` two columns `ci_low`, `ci_high`.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import { csvField, csvNumber } from "./writers.js";

type Cell = string | number | boolean | null;

/**
 * One CSV file: its name (without `.csv`), header and rows.
 *
 * @example
 * const t: CsvTable = { name: "ranking", columns: ["output", "feature", "rank"], rows: [["y", "price", 1]] };
 */
export interface CsvTable {
  name: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * Every table `resultCsvTables` may write, in order (for checking the paths before a run).
 *
 * @example
 * CSV_TABLE_NAMES.map((n) => `${dir}/${n}.csv`);
 */
export const CSV_TABLE_NAMES = [
  "ranking",
  "gradients",
  "outputs",
  "elasticities",
  "greeks",
  "per-sample",
  "attribution",
  "integrated-gradients",
  "dgsm",
  "verification",
  "whatif",
  "interactions",
  "integrated-hessians",
  "effects",
  "ice",
  "sobol",
  "constraints",
  "constraint-rows",
] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Cell =>
  v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean";
const isInterval = (v: unknown) =>
  Array.isArray(v) && v.length === 2 && v.every((x) => x === null || typeof x === "number");

/**
 * An entry's scalar fields as named cells: nested objects of scalars by `prefix_key`, intervals
 * as `_low`/`_high`, `quantiles` by their levels; other arrays (per-row curves) are left out.
 */
function flatten(
  e: Obj,
  levels: readonly number[],
  prefix = "",
  out: [string, Cell][] = [],
): [string, Cell][] {
  for (const [key, v] of Object.entries(e)) {
    const name = prefix + key;
    if (isScalar(v)) out.push([name, v]);
    else if (key === "quantiles" && Array.isArray(v) && v.length === levels.length)
      v.forEach((q, i) => out.push([`${prefix}q${levels[i]}`, isScalar(q) ? q : null]));
    else if (isInterval(v)) {
      const [lo, hi] = v as Cell[];
      out.push([`${name}_low`, lo], [`${name}_high`, hi]);
    } else if (isObj(v) && Object.values(v).every((x) => isScalar(x) || Array.isArray(x) || isObj(x)))
      flatten(v, levels, `${name}_`, out);
  }
  return out;
}

/** A table of entries (one line each), columns in first-seen order; `extra` cells go first. */
function entryTable(
  name: string,
  entries: readonly unknown[],
  levels: readonly number[],
  extra?: (e: Obj) => [string, Cell][],
): CsvTable | null {
  const lines = entries.filter(isObj).map((e) => [...(extra?.(e) ?? []), ...flatten(e, levels)]);
  if (lines.length === 0) return null;
  const columns: string[] = [];
  for (const line of lines) for (const [c] of line) if (!columns.includes(c)) columns.push(c);
  return {
    name,
    columns,
    rows: lines.map((line) => {
      const m = new Map(line);
      return columns.map((c) => (m.has(c) ? m.get(c)! : null));
    }),
  };
}

/**
 * The CSV tables of a result, only those it holds (sections that are off give none).
 *
 * @example
 * for (const t of resultCsvTables(result)) writeFileSync(`${t.name}.csv`, csvTableText(t));
 */
export function resultCsvTables(r: SensitivityResult): CsvTable[] {
  const levels = r.summary.quantileLevels;
  const features = r.inputs.features.map((f) => f.name);
  const outputs = r.outputs.components.map((c) => c.name);
  const tables: (CsvTable | null)[] = [];
  const s = r.summary;
  tables.push({
    name: "ranking",
    columns: ["output", "feature", "rank", "scaled", "meanAbs", "rms"],
    rows: s.ranking.flatMap((rk) =>
      rk.byScaled.map((e, i) => {
        const of = (list: typeof rk.byMeanAbs) =>
          list.find((x) => x.featureIndex === e.featureIndex)?.value ?? null;
        return [rk.output, e.feature, i + 1, e.value, of(rk.byMeanAbs), of(rk.byRms)];
      }),
    ),
  });
  tables.push(entryTable("gradients", s.gradients, levels));
  tables.push(entryTable("outputs", s.values, levels));
  if (s.elasticities) tables.push(entryTable("elasticities", s.elasticities.entries, levels));
  if (s.finance) {
    const f = s.finance;
    tables.push(
      entryTable(
        "greeks",
        [
          ...f.delta.map((e) => ({ greek: "delta", ...e })),
          ...f.gamma.map((e) => ({ greek: "gamma", ...e })),
          ...f.crossGamma.map((e) => ({ greek: "crossGamma", ...e })),
        ],
        levels,
      ),
    );
  }
  if (r.perSample) {
    const ps = r.perSample;
    tables.push({
      name: "per-sample",
      columns: ["row", "output", "value", ...features.map((f) => `d/d${f}`)],
      rows: ps.rows.flatMap((row, i) =>
        outputs.map((o, k) => [row, o, ps.values[i][k], ...ps.gradients[i][k]]),
      ),
    });
  }
  if (r.attribution) tables.push(...attributionTables(r, features, outputs));
  if (r.dgsm) tables.push(entryTable("dgsm", r.dgsm.entries, levels));
  if (r.verification) {
    const v = r.verification;
    tables.push(
      entryTable(
        "verification",
        [
          ...v.gradients.perFeature.map((e) => ({ derivative: "gradient", ...e })),
          ...(v.hessians?.perFeature ?? []).map((e) => ({ derivative: "hessian", ...e })),
        ],
        levels,
      ),
    );
  }
  if (r.whatif)
    tables.push(
      entryTable(
        "whatif",
        r.whatif.scenarios.flatMap((sc) => sc.outputs.map((o) => ({ scenario: sc.name, ...o }))),
        levels,
      ),
    );
  if (r.interactions) {
    tables.push(
      entryTable(
        "interactions",
        r.interactions.pairs.map(({ features: [a, b], featureIndices: _f, ...rest }) => ({
          featureA: a,
          featureB: b,
          ...rest,
        })),
        levels,
      ),
    );
    const ih = r.interactions.integratedHessians;
    if (ih)
      tables.push({
        name: "integrated-hessians",
        columns: ["row", "output", "featureI", "featureJ", "gamma", "trustworthy"],
        rows: ih.rows.flatMap((row, si) =>
          outputs.flatMap((o, k) =>
            features.flatMap((fi, i) =>
              features.map((fj, j) => [row, o, fi, fj, ih.interactions[si][k][i][j], ih.trustworthy[si][k]]),
            ),
          ),
        ),
      });
  }
  if (r.effects) {
    const fx = r.effects.features;
    tables.push({
      name: "effects",
      columns: ["output", "feature", "point", "x", "pdp", "ale"],
      rows: fx.flatMap((e) => e.grid.map((x, g) => [e.output, e.feature, g, x, e.pdp[g], e.ale[g] ?? null])),
    });
    tables.push({
      name: "ice",
      columns: ["row", "output", "feature", "point", "x", "ice", "dice"],
      rows: fx.flatMap((e) =>
        e.iceRows.flatMap((row, c) =>
          e.grid.map((x, g) => [row, e.output, e.feature, g, x, e.ice[c][g], e.dice[c][g]]),
        ),
      ),
    });
  }
  if (r.sobol) tables.push(entryTable("sobol", r.sobol.indices, levels));
  if (r.constraints) {
    const checks = r.constraints.checks;
    tables.push(
      entryTable(
        "constraints",
        checks.map(({ derivative, ...rest }) => ({ ...rest, derivative: derivative.join(" ") })),
        levels,
      ),
    );
    tables.push(
      entryTable(
        "constraint-rows",
        checks.flatMap((c) =>
          c.worstRows.map((w) => ({
            row: w.row,
            output: c.output,
            feature: c.feature,
            expect: c.expect,
            value: w.value,
            derivative: w.derivative,
          })),
        ),
        levels,
      ),
    );
  }
  return tables.filter((t): t is CsvTable => t !== null && t.rows.length > 0);
}

/** Attribution per (row, output, feature) with every method side by side, and IG's checks per (row, output). */
function attributionTables(r: SensitivityResult, features: string[], outputs: string[]): CsvTable[] {
  const a = r.attribution!;
  const methods = [
    ["inputXGradient", a.inputXGradient?.attributions],
    ["integratedGradients", a.integratedGradients?.attributions],
    ["smoothGrad", a.smoothGrad?.gradients],
    ["expectedGradients", a.expectedGradients?.attributions],
  ].filter((m): m is [string, (number | null)[][][]] => Array.isArray(m[1]));
  const out: CsvTable[] = [
    {
      name: "attribution",
      columns: ["row", "output", "feature", ...methods.map(([m]) => m)],
      rows: a.rows.flatMap((row, si) =>
        outputs.flatMap((o, k) =>
          features.map((f, j) => [row, o, f, ...methods.map(([, v]) => v[si][k][j])]),
        ),
      ),
    },
  ];
  const ig = a.integratedGradients;
  if (ig)
    out.push({
      name: "integrated-gradients",
      columns: [
        "row",
        "output",
        "output_value",
        "baseline_output",
        "completenessDelta",
        "trustworthy",
        "stepsUsed",
      ],
      rows: a.rows.flatMap((row, si) =>
        outputs.map((o, k) => [
          row,
          o,
          ig.output[si][k],
          ig.baselineOutput[si][k],
          ig.completenessDelta[si][k],
          ig.trustworthy[si][k],
          ig.stepsUsed[si],
        ]),
      ),
    });
  return out;
}

const cell = (c: Cell) => (c === null ? "" : typeof c === "number" ? csvNumber(c) : csvField(String(c)));

/**
 * A table as CSV text: header line, one line per row, `\n` line ends.
 *
 * @example
 * csvTableText({ name: "t", columns: ["a", "b"], rows: [[1, null]] }); // "a,b\n1,\n"
 */
export function csvTableText(t: CsvTable): string {
  return (
    [t.columns.map((c) => csvField(c)).join(","), ...t.rows.map((row) => row.map(cell).join(","))].join(
      "\n",
    ) + "\n"
  );
}
