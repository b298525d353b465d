/**
 * The DGSM chart: per feature, the upper bound C_j·ν_j/Var(y) on the total Sobol' index with
 * its bootstrap interval as an error bar, largest first. A bound ≥ 1 carries no information.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import {
  byOrder,
  CHART_CONFIG,
  COLORS,
  componentLabel,
  VEGA_LITE_SCHEMA,
  type TopLevelSpec,
} from "./common.js";

/** One bar: a feature's Sobol' bound and its interval (null without bootstrap). */
export interface DgsmDatum {
  output: string;
  feature: string;
  /** Position by bound, largest first (bar order). */
  order: number;
  bound: number;
  low: number | null;
  high: number | null;
  scaledShare: number | null;
}

/**
 * Options of `dgsmSpec`.
 *
 * @example
 * dgsmSpec(result, { component: 0 });
 */
export interface DgsmSpecOptions {
  component?: number;
}

/** The chart's data; empty without a DGSM section. */
export function dgsmData(r: SensitivityResult, opts: DgsmSpecOptions = {}): DgsmDatum[] {
  if (!r.dgsm) return [];
  const k = opts.component ?? 0;
  return r.dgsm.entries
    .filter((e) => e.outputIndex === k && e.sobolTotalUpperBound !== null)
    .map((e) => ({
      output: componentLabel(r, k),
      feature: e.feature,
      order: 0,
      bound: e.sobolTotalUpperBound!,
      low: e.boundInterval?.[0] ?? null,
      high: e.boundInterval?.[1] ?? null,
      scaledShare: e.scaledShare,
    }))
    .sort((a, b) => b.bound - a.bound)
    .map((d, order) => ({ ...d, order }));
}

/**
 * Vega-Lite spec: bars of the bound with bootstrap error bars (when available).
 *
 * @example
 * vegaEmbed("#dgsm", dgsmSpec(result));
 */
export function dgsmSpec(r: SensitivityResult, opts: DgsmSpecOptions = {}): TopLevelSpec {
  const values = dgsmData(r, opts);
  const level = r.dgsm?.bootstrap ? `${Math.round(r.dgsm.bootstrap.level * 100)}% bootstrap interval` : null;
  const y = { field: "feature", type: "nominal" as const, sort: byOrder("order"), title: null };
  const tooltip = [
    { field: "feature", type: "nominal" as const },
    { field: "bound", type: "quantitative" as const, format: ".4~g", title: "Sobol' bound" },
    { field: "low", type: "quantitative" as const, format: ".4~g" },
    { field: "high", type: "quantitative" as const, format: ".4~g" },
    { field: "scaledShare", type: "quantitative" as const, format: ".1%", title: "scaled share" },
  ];
  // Bounds often span orders of magnitude (a price next to minor features): use a log axis then.
  const positive = values.map((v) => v.bound).filter((b) => b > 0);
  const log = positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 1000;
  // The title (with the output's name) sits on the axis, not the channel: Vega-Lite copies channel
  // titles into generated expressions, where a name is code.
  const title = `upper bound on the total Sobol' index of ${componentLabel(r, opts.component ?? 0)}${log ? " (log scale)" : ""}`;
  const x = {
    field: "bound",
    type: "quantitative" as const,
    axis: { title, ...(log ? { format: "~g" } : {}) },
    ...(log ? { scale: { type: "log" as const } } : {}),
  };
  // On a log axis a bar has no base, so the bound is drawn as a dot (a Cleveland dot plot).
  const bars = {
    ...(log ? { transform: [{ filter: "datum.bound > 0" }] } : {}),
    mark: log
      ? { type: "point" as const, filled: true, size: 70, color: COLORS.primary }
      : { type: "bar" as const, color: COLORS.primary },
    encoding: { y, x, tooltip },
  };
  const errors = {
    transform: [{ filter: "datum.low != null && datum.high != null" + (log ? " && datum.low > 0" : "") }],
    mark: { type: "rule" as const, color: "#222", strokeWidth: 1.5 },
    encoding: { y, x: { field: "low", type: "quantitative" as const }, x2: { field: "high" }, tooltip },
  };
  // A bound of 1 is the point above which the bound carries no information.
  const one = {
    data: { values: [{ one: 1 }] },
    mark: { type: "rule" as const, color: COLORS.negative, strokeDash: [4, 3] },
    encoding: { x: { field: "one", type: "quantitative" as const } },
  };
  const showOne = positive.some((b) => b >= 0.5);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    width: 520,
    height: Math.max(120, 26 * values.length),
    title: {
      text: [
        level ? `error bars: ${level}` : "no bootstrap intervals",
        ...(showOne ? ["dashed line: bound = 1"] : []),
      ].join("; "),
      fontSize: 11,
      fontWeight: "normal",
    },
    layer: [bars, ...(level ? [errors] : []), ...(showOne ? [one] : [])],
  };
}
