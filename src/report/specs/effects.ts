/**
 * The effect plots: one small-multiples column per feature; above, the ICE curves of the sampled
 * rows (thin), their mean, the partial dependence (PDP, bold) and the accumulated local effect
 * (ALE, bold); beneath, the derivative ICE curves (exact ∂y/∂x along the grid, thin) and their mean
 * (bold). Names are facet values, never in expressions.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { byOrder, CHART_CONFIG, COLORS, round6, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./common.js";
import { withUnit } from "../units.js";

const PANELS = ["effect on the output", "derivative ∂y/∂x"] as const;
const CURVES = ["ICE", "PDP", "ALE", "derivative ICE", "mean ∂y/∂x"] as const;

/** One point of one curve. */
export interface EffectDatum {
  feature: string;
  featureOrder: number;
  panel: (typeof PANELS)[number];
  panelOrder: number;
  curve: (typeof CURVES)[number];
  /** Sampled row index for ICE curves, -1 for the bold ones. */
  line: number;
  thin: boolean;
  x: number;
  y: number;
}

/** The chart's data for the first output with effects; non-finite points left out. */
export function effectsData(r: SensitivityResult): EffectDatum[] {
  const feats = r.effects?.features ?? [];
  const out = feats[0]?.output;
  const data: EffectDatum[] = [];
  feats
    .filter((f) => f.output === out)
    .forEach((f, featureOrder) => {
      const push = (
        panelOrder: 0 | 1,
        curve: EffectDatum["curve"],
        line: number,
        ys: (number | null)[] | null,
      ) =>
        ys?.forEach((y, i) => {
          const x = f.grid[i];
          if (y === null || x === null || x === undefined || !Number.isFinite(y) || !Number.isFinite(x))
            return;
          data.push({
            feature: withUnit(r, f.feature),
            featureOrder,
            panel: PANELS[panelOrder],
            panelOrder,
            curve,
            line,
            thin: line >= 0,
            x: round6(x),
            y: round6(y),
          });
        });
      f.ice.forEach((c, i) => push(0, "ICE", i, c));
      push(0, "PDP", -1, f.pdp);
      push(0, "ALE", -1, f.ale);
      f.dice.forEach((c, i) => push(1, "derivative ICE", i, c));
      // The mean of the exact derivatives at each grid point (no differencing).
      const mean = f.grid.map((_, g) => {
        const col = f.dice.map((c) => c[g]).filter((v): v is number => v !== null && Number.isFinite(v));
        return col.length ? col.reduce((s, v) => s + v, 0) / col.length : null;
      });
      if (f.dice.length > 0) push(1, "mean ∂y/∂x", -1, mean);
    });
  return data;
}

/**
 * Vega-Lite spec of the effect plots (empty data without an effects section).
 *
 * @example
 * vegaEmbed("#effects", effectsSpec(result));
 */
export function effectsSpec(r: SensitivityResult): TopLevelSpec {
  const values = effectsData(r);
  const color = {
    field: "curve",
    type: "nominal" as const,
    title: null,
    legend: { orient: "right" as const },
    scale: {
      domain: [...CURVES],
      range: ["#9aa5b4", COLORS.primary, COLORS.secondary, "#9aa5b4", COLORS.negative],
    },
  };
  const x = { field: "x", type: "quantitative" as const, title: "feature value (grid)" };
  const y = { field: "y", type: "quantitative" as const, title: null, scale: { zero: false } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    facet: {
      column: { field: "feature", type: "nominal", sort: byOrder("featureOrder"), title: null },
      row: { field: "panel", type: "nominal", sort: byOrder("panelOrder"), title: null },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 220,
      height: 150,
      layer: [
        {
          transform: [{ filter: "datum.thin" }],
          mark: { type: "line", strokeWidth: 1, opacity: 0.6 },
          encoding: { x, y, color, detail: { field: "line", type: "nominal" } },
        },
        {
          transform: [{ filter: "!datum.thin" }],
          mark: { type: "line", strokeWidth: 3 },
          encoding: {
            x,
            y,
            color,
            strokeDash: {
              field: "curve",
              type: "nominal",
              legend: null,
              scale: {
                domain: [...CURVES],
                range: [
                  [1, 0],
                  [1, 0],
                  [6, 3],
                  [1, 0],
                  [1, 0],
                ],
              },
            },
            tooltip: [
              { field: "feature", type: "nominal" },
              { field: "curve", type: "nominal" },
              { field: "x", type: "quantitative", format: ".4~g" },
              { field: "y", type: "quantitative", format: ".4~g" },
            ],
          },
        },
      ],
    },
  };
}
