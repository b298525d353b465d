/**
 * Derivative-versus-feature-value scatter plots: for the top features of the ranking, each
 * retained row's ∂y/∂x_j against x_j. A flat cloud means a linear effect, a trend means
 * curvature, a spread at fixed x_j means interactions with other features.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import {
  byOrder,
  CHART_CONFIG,
  COLORS,
  componentLabel,
  rankedFeatures,
  round6,
  VEGA_LITE_SCHEMA,
  type TopLevelSpec,
} from "./common.js";
import { withUnit } from "../units.js";

/** One point: feature value and derivative of one retained row. */
export interface ScatterDatum {
  feature: string;
  /** Position of the feature in the ranking (facet order). */
  featureOrder: number;
  row: number;
  x: number;
  dydx: number;
}

/**
 * Options of `scatterSpec`.
 *
 * @example
 * scatterSpec(result, { top: 4, maxPoints: 500 });
 */
export interface ScatterSpecOptions {
  /** Output component (default 0). */
  component?: number;
  /** Features plotted, from the top of the ranking (default 6). */
  top?: number;
  /** Points per feature at most (evenly spaced over the retained rows; default 1000). */
  maxPoints?: number;
}

/** The chart's data; empty without `perSample`. */
export function scatterData(r: SensitivityResult, opts: ScatterSpecOptions = {}): ScatterDatum[] {
  const ps = r.perSample;
  if (!ps) return [];
  const k = opts.component ?? 0;
  const n = ps.rows.length;
  const stride = Math.max(1, Math.ceil(n / (opts.maxPoints ?? 1000)));
  const out: ScatterDatum[] = [];
  for (const [featureOrder, j] of rankedFeatures(r, k, opts.top ?? 6).entries()) {
    const feature = withUnit(r, r.inputs.features[j].name);
    for (let i = 0; i < n; i += stride) {
      const x = ps.features[i][j];
      const dydx = ps.gradients[i][k][j];
      if (x !== null && dydx !== null)
        out.push({ feature, featureOrder, row: ps.rows[i], x: round6(x), dydx: round6(dydx) });
    }
  }
  return out;
}

/**
 * Vega-Lite spec: one small scatter plot per feature (independent scales), in ranking order.
 *
 * @example
 * vegaEmbed("#scatter", scatterSpec(result, { top: 4 }));
 */
export function scatterSpec(r: SensitivityResult, opts: ScatterSpecOptions = {}): TopLevelSpec {
  const values = scatterData(r, opts);
  const k = opts.component ?? 0;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "feature", type: "nominal", sort: byOrder("featureOrder"), title: null },
    columns: 3,
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 230,
      height: 170,
      mark: { type: "circle", size: 14, opacity: 0.45, color: COLORS.primary },
      encoding: {
        x: { field: "x", type: "quantitative", scale: { zero: false }, title: "feature value" },
        y: {
          field: "dydx",
          type: "quantitative",
          scale: { zero: false },
          // On the axis, not the channel (channel titles end up inside generated expressions).
          axis: { title: `∂${componentLabel(r, k)}/∂x` },
        },
        tooltip: [
          { field: "row", type: "quantitative" },
          { field: "feature", type: "nominal" },
          { field: "x", type: "quantitative", format: ".5~g" },
          { field: "dydx", type: "quantitative", format: ".5~g", title: "∂y/∂x" },
        ],
      },
    },
  };
}
