/**
 * The Sobol' chart: per feature, the first-order and total indices with their bootstrap intervals,
 * beside the DGSM upper bound on the total index (and its interval), so a reader sees
 * bound ≥ total ≥ first hold. First output with indices; features by total index, largest first.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { byOrder, CHART_CONFIG, COLORS, round6, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./common.js";

const MEASURES = ["first-order S", "total Sᴛ", "DGSM bound on Sᴛ"] as const;

/** One bar: a measure of one feature and its interval. */
export interface SobolDatum {
  feature: string;
  featureOrder: number;
  measure: (typeof MEASURES)[number];
  value: number;
  low: number | null;
  high: number | null;
}

const r6 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : round6(x);

/** The chart's data; empty without a sobol section. */
export function sobolData(r: SensitivityResult): SobolDatum[] {
  const idx = r.sobol?.indices ?? [];
  const out = idx[0]?.output;
  const rows = idx.filter((e) => e.output === out).sort((a, b) => (b.total ?? -1) - (a.total ?? -1));
  const data: SobolDatum[] = [];
  rows.forEach((e, featureOrder) => {
    const add = (
      measure: SobolDatum["measure"],
      v: number | null,
      ci: (number | null)[] | null | undefined,
    ) => {
      const value = r6(v);
      if (value !== null)
        data.push({ feature: e.feature, featureOrder, measure, value, low: r6(ci?.[0]), high: r6(ci?.[1]) });
    };
    add("first-order S", e.first, e.firstCi);
    add("total Sᴛ", e.total, e.totalCi);
    const d = r.dgsm?.entries.find((g) => g.output === e.output && g.feature === e.feature);
    if (d) add("DGSM bound on Sᴛ", d.sobolTotalUpperBound, d.boundInterval);
  });
  return data;
}

/**
 * Vega-Lite spec: grouped bars with interval rules.
 *
 * @example
 * vegaEmbed("#sobol", sobolSpec(result));
 */
export function sobolSpec(r: SensitivityResult): TopLevelSpec {
  const values = sobolData(r);
  const n = new Set(values.map((v) => v.feature)).size;
  const y = { field: "feature", type: "nominal" as const, sort: byOrder("featureOrder"), title: null };
  const yOffset = { field: "measure", type: "nominal" as const, scale: { domain: [...MEASURES] } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    width: 520,
    height: Math.max(120, 42 * n),
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        encoding: {
          y,
          yOffset,
          x: { field: "value", type: "quantitative", title: "share of Var(y)", scale: { domainMin: 0 } },
          color: {
            field: "measure",
            type: "nominal",
            title: null,
            scale: { domain: [...MEASURES], range: [COLORS.primary, "#7fa7d3", COLORS.secondary] },
          },
          tooltip: [
            { field: "feature", type: "nominal" },
            { field: "measure", type: "nominal" },
            { field: "value", type: "quantitative", format: ".4~g" },
            { field: "low", type: "quantitative", format: ".4~g" },
            { field: "high", type: "quantitative", format: ".4~g" },
          ],
        },
      },
      {
        transform: [{ filter: "isValid(datum.low) && isValid(datum.high)" }],
        mark: { type: "rule", color: "#1d2430" },
        encoding: { y, yOffset, x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
      },
    ],
  };
}
