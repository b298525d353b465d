/**
 * What every chart of the report shares: the Vega-Lite schema URL (only read for its version;
 * nothing is fetched), fonts and sizes, and helpers to pick the features a chart shows.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";

/**
 * A Vega-Lite v6 specification, as JSON that `vegaEmbed` or vega-lite's `compile` takes. Declared
 * here rather than imported from vega-lite so that gradlens's published types need no vega-lite
 * (the report ships Vega as prebuilt bundles); the specs are compiled and rendered by the real
 * vega-lite in test/report.test.ts.
 *
 * @example
 * const spec: TopLevelSpec = { $schema: VEGA_LITE_SCHEMA, mark: "bar", data: { values: [] } };
 */
export interface TopLevelSpec {
  $schema: string;
  [key: string]: unknown;
}

/** Vega-Lite major version the specs are written for (the bundled vega-lite 6). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Shared chart configuration: quiet axes, readable labels, no view border. */
export const CHART_CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220, grid: true, gridOpacity: 0.35 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: "top" as const },
  title: { fontSize: 14, anchor: "start" as const },
};

/** Colours used consistently across charts. */
export const COLORS = {
  primary: "#3b6ea8",
  secondary: "#e39c36",
  positive: "#3b6ea8",
  negative: "#c4493c",
};

/**
 * Feature indices of output component k ordered by σ·mean |∂y/∂x|, largest first (the default,
 * unit-free ranking), at most `top` of them.
 */
export function rankedFeatures(r: SensitivityResult, k = 0, top = Infinity): number[] {
  const ranking = r.summary.ranking.find((e) => e.outputIndex === k);
  const order = ranking ? ranking.byScaled.map((f) => f.featureIndex) : r.inputs.features.map((_, j) => j);
  return order.slice(0, top);
}

/** The name of feature j. */
export const featureName = (r: SensitivityResult, j: number) => r.inputs.features[j]?.name ?? `#${j}`;

/** Name of output component k. */
export const componentLabel = (r: SensitivityResult, k: number) => r.outputs.components[k]?.name ?? `#${k}`;

/** Short numeric label for chart titles (4 significant digits, exponent for tiny values). */
export function shortNum(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  return Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/**
 * Sorts a nominal field by a numeric order field of the data. Names are data: an explicit sort
 * list (`sort: ["a", "b"]`) is compiled by Vega-Lite into an expression with the names spelled
 * inside it, where a U+2028 in a name is a syntax error and stops the chart; sorting by a field
 * keeps every name in the data.
 *
 * @example
 * const y = { field: "feature", type: "nominal", sort: byOrder("featureOrder") };
 */
export const byOrder = (field: string) => ({ field, op: "min" as const, order: "ascending" as const });

/** `x` to 6 significant digits: plenty for a plot, and a third of the JSON of a full double. */
export const round6 = (x: number) => Number(x.toPrecision(6));
