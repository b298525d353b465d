/**
 * The interactions heatmap: feature × feature, each cell the crossed-derivative measure
 * ν_ij = E[(∂²y/∂x_i∂x_j)²] of the pair (symmetric; the diagonal left empty), for the first
 * output that has pairs. Tooltips give ν, its interval and the bound on the total interaction index.
 */
import type { InteractionsSection, SensitivityResult } from "../../sensitivity/result/schema.js";
import { gammaStats, integratedHessiansOf } from "../integratedHessiansTable.js";
import { byOrder, CHART_CONFIG, round6, VEGA_LITE_SCHEMA, type TopLevelSpec } from "./common.js";

type InteractionPair = InteractionsSection["pairs"][number];

/** One cell of the heatmap (each pair appears twice, once per triangle). */
export interface InteractionDatum {
  a: string;
  b: string;
  aOrder: number;
  bOrder: number;
  nu: number;
  bound: number | null;
  low: number | null;
  high: number | null;
}

/** The pairs of the first output that has any. */
export function interactionPairs(r: SensitivityResult): InteractionPair[] {
  const pairs = r.interactions?.pairs ?? [];
  const out = pairs[0]?.output;
  return pairs.filter((p) => p.output === out);
}

/** The chart's data; features in order of their strongest pair. */
export function interactionData(r: SensitivityResult): InteractionDatum[] {
  const pairs = interactionPairs(r).filter((p) => p.nu !== null);
  const order = new Map<string, number>();
  for (const p of pairs) for (const f of p.features) if (!order.has(f)) order.set(f, order.size);
  return pairs.flatMap((p) => {
    const [a, b] = p.features;
    const cell = {
      nu: round6(p.nu!),
      bound: p.bound === null ? null : round6(p.bound),
      low: p.ci?.[0] ?? null,
      high: p.ci?.[1] ?? null,
    };
    return [
      { a, b, aOrder: order.get(a)!, bOrder: order.get(b)!, ...cell },
      { a: b, b: a, aOrder: order.get(b)!, bOrder: order.get(a)!, ...cell },
    ];
  });
}

/** A square feature × feature heatmap (both specs below): cells `{ a, b, aOrder, bOrder, … }`. */
function pairHeatmap(
  values: object[],
  features: number,
  color: { field: string; scheme: string; legend: string },
  tooltip: { field: string; type: "nominal" | "quantitative"; title: string }[],
): TopLevelSpec {
  const side = Math.max(160, Math.min(36 * features, 560));
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    width: side,
    height: side,
    mark: { type: "rect", tooltip: true },
    encoding: {
      x: { field: "a", type: "nominal", sort: byOrder("aOrder"), title: null, axis: { labelAngle: -35 } },
      y: { field: "b", type: "nominal", sort: byOrder("bOrder"), title: null },
      color: {
        field: color.field,
        type: "quantitative",
        scale: { scheme: color.scheme, type: "sqrt" },
        legend: { title: color.legend },
      },
      tooltip: [
        { field: "a", type: "nominal", title: "feature i" },
        { field: "b", type: "nominal", title: "feature j" },
        ...tooltip.map((t) => (t.type === "quantitative" ? { ...t, format: ".4~g" } : t)),
      ],
    },
  };
}

/**
 * Vega-Lite spec of the pair heatmap.
 *
 * @example
 * vegaEmbed("#interactions", interactionsSpec(result));
 */
export function interactionsSpec(r: SensitivityResult): TopLevelSpec {
  const values = interactionData(r);
  return pairHeatmap(
    values,
    new Set(values.map((v) => v.a)).size,
    { field: "nu", scheme: "oranges", legend: "ν = E[(∂²y/∂xᵢ∂xⱼ)²]" },
    [
      { field: "nu", type: "quantitative", title: "ν" },
      { field: "low", type: "quantitative", title: "ν low" },
      { field: "high", type: "quantitative", title: "ν high" },
      { field: "bound", type: "quantitative", title: "interaction index ≤" },
    ],
  );
}

/**
 * Vega-Lite spec of the Integrated Hessians heatmap: mean |Γ_ij| over the explained rows, first
 * output, the diagonal (main effects) included; tooltips give the signed mean.
 *
 * @example
 * vegaEmbed("#integrated-hessians", integratedHessiansSpec(result));
 */
export function integratedHessiansSpec(r: SensitivityResult): TopLevelSpec {
  const ih = integratedHessiansOf(r);
  const names = r.inputs.features.map((f) => f.name);
  const values = (ih ? gammaStats(ih, 0, names.length) : []).flatMap((p) => {
    const cell = {
      meanAbs: round6(p.meanAbs),
      mean: round6(p.mean),
      kind: p.i === p.j ? "main effect" : "interaction",
    };
    const one = { a: names[p.i], b: names[p.j], aOrder: p.i, bOrder: p.j, ...cell };
    return p.i === p.j ? [one] : [one, { a: names[p.j], b: names[p.i], aOrder: p.j, bOrder: p.i, ...cell }];
  });
  return pairHeatmap(values, names.length, { field: "meanAbs", scheme: "purples", legend: "mean |Γᵢⱼ|" }, [
    { field: "kind", type: "nominal", title: "term" },
    { field: "meanAbs", type: "quantitative", title: "mean |Γ|" },
    { field: "mean", type: "quantitative", title: "mean Γ" },
  ]);
}
