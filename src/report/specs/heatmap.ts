/**
 * The per-sample Jacobian heatmap: retained rows × features, coloured by ∂y/∂x_j divided by the
 * largest |∂y/∂x_j| of that feature over the rows shown (so features with different units share
 * one colour scale; blue positive, red negative). Tooltips give the raw derivative.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import {
  byOrder,
  CHART_CONFIG,
  componentLabel,
  rankedFeatures,
  round6,
  VEGA_LITE_SCHEMA,
  type TopLevelSpec,
} from "./common.js";

/** One cell: a row's derivative for one feature, raw and scaled to [-1, 1] per feature. */
export interface HeatmapDatum {
  row: number;
  feature: string;
  /** Position of the feature in the ranking (column order). */
  featureOrder: number;
  value: number;
  scaled: number;
}

/**
 * Options of `jacobianHeatmapSpec`.
 *
 * @example
 * jacobianHeatmapSpec(result, { rows: 40 });
 */
export interface HeatmapSpecOptions {
  component?: number;
  /** The first retained rows shown (default 60). */
  rows?: number;
}

/** The chart's data; empty without `perSample`. */
export function heatmapData(r: SensitivityResult, opts: HeatmapSpecOptions = {}): HeatmapDatum[] {
  const ps = r.perSample;
  if (!ps) return [];
  const k = opts.component ?? 0;
  const n = Math.min(ps.rows.length, opts.rows ?? 60);
  const out: HeatmapDatum[] = [];
  for (const [featureOrder, j] of rankedFeatures(r, k).entries()) {
    let maxAbs = 0;
    for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(ps.gradients[i][k][j] ?? 0));
    const feature = r.inputs.features[j].name;
    for (let i = 0; i < n; i++) {
      const value = ps.gradients[i][k][j];
      if (value === null) continue;
      out.push({
        row: ps.rows[i],
        feature,
        featureOrder,
        value: round6(value),
        scaled: round6(maxAbs > 0 ? value / maxAbs : 0),
      });
    }
  }
  return out;
}

/**
 * Vega-Lite spec of the heatmap, features in ranking order.
 *
 * @example
 * vegaEmbed("#heatmap", jacobianHeatmapSpec(result, { rows: 40 }));
 */
export function jacobianHeatmapSpec(r: SensitivityResult, opts: HeatmapSpecOptions = {}): TopLevelSpec {
  const values = heatmapData(r, opts);
  const k = opts.component ?? 0;
  const features = rankedFeatures(r, k);
  const rows = new Set(values.map((v) => v.row)).size;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    width: Math.max(240, 46 * features.length),
    height: Math.max(120, Math.min(10 * rows, 600)),
    mark: { type: "rect" },
    encoding: {
      x: {
        field: "feature",
        type: "nominal",
        sort: byOrder("featureOrder"),
        title: null,
        axis: { labelAngle: -35 },
      },
      y: { field: "row", type: "ordinal", title: "data row", axis: { labelOverlap: true } },
      color: {
        field: "scaled",
        type: "quantitative",
        scale: { scheme: "redblue", domain: [-1, 1] },
        // On the legend, not the channel (channel titles end up inside generated expressions).
        legend: { title: `∂${componentLabel(r, k)}/∂x ÷ max |·|` },
      },
      tooltip: [
        { field: "row", type: "ordinal" },
        { field: "feature", type: "nominal" },
        { field: "value", type: "quantitative", format: ".5~g", title: "∂y/∂x" },
      ],
    },
  };
}
