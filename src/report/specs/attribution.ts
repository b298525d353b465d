/**
 * Integrated Gradients bars for the explained samples: each sample's attribution per feature
 * (blue positive, red negative), titled with its data row and completeness delta
 * δ = Σ_j IG_j − (y(x) − y(baseline)), the quadrature error.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import {
  CHART_CONFIG,
  COLORS,
  componentLabel,
  byOrder,
  rankedFeatures,
  shortNum,
  VEGA_LITE_SCHEMA,
  type TopLevelSpec,
} from "./common.js";
import { withUnit } from "../units.js";

/** One bar: a sample's attribution to one feature. */
export interface AttributionDatum {
  /** "row 12 · δ = 1.2e-12": the facet title. */
  sample: string;
  /** Position of the sample (facet order). */
  sampleOrder: number;
  row: number;
  feature: string;
  /** Position of the feature in the ranking (bar order). */
  featureOrder: number;
  attribution: number;
  sign: "positive" | "negative";
}

/**
 * Options of `attributionSpec`.
 *
 * @example
 * attributionSpec(result, { samples: 3 });
 */
export interface AttributionSpecOptions {
  component?: number;
  /** Explained samples shown (the first ones; default 6). */
  samples?: number;
}

/** The label of sample s: its data row and completeness delta, and "NOT converged" when its attributions are not trustworthy. */
export function sampleLabel(r: SensitivityResult, s: number, k = 0): string {
  const ig = r.attribution?.integratedGradients;
  const trusted = ig?.trustworthy?.[s]?.[k] ?? ig?.converged ?? true;
  return (
    `row ${r.attribution?.rows[s]} · δ = ${shortNum(ig?.completenessDelta[s]?.[k])}` +
    (trusted ? "" : " · NOT converged (untrustworthy)")
  );
}

/** The chart's data; empty without Integrated Gradients. */
export function attributionData(r: SensitivityResult, opts: AttributionSpecOptions = {}): AttributionDatum[] {
  const ig = r.attribution?.integratedGradients;
  if (!r.attribution || !ig) return [];
  const k = opts.component ?? 0;
  const S = Math.min(r.attribution.rows.length, opts.samples ?? 6);
  const out: AttributionDatum[] = [];
  for (let s = 0; s < S; s++) {
    const sample = sampleLabel(r, s, k);
    for (const [featureOrder, j] of rankedFeatures(r, k).entries()) {
      const a = ig.attributions[s][k][j];
      if (a === null) continue;
      out.push({
        sample,
        sampleOrder: s,
        row: r.attribution.rows[s],
        feature: r.inputs.features[j].name,
        featureOrder,
        attribution: a,
        sign: a >= 0 ? "positive" : "negative",
      });
    }
  }
  return out;
}

/**
 * Vega-Lite spec: one bar chart per explained sample, features in ranking order.
 *
 * @example
 * vegaEmbed("#attribution", attributionSpec(result, { samples: 4 }));
 */
export function attributionSpec(r: SensitivityResult, opts: AttributionSpecOptions = {}): TopLevelSpec {
  const values = attributionData(r, opts);
  const k = opts.component ?? 0;
  const features = rankedFeatures(r, k);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "sample", type: "nominal", sort: byOrder("sampleOrder"), title: null },
    columns: 3,
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 220,
      height: Math.max(90, 18 * features.length),
      mark: { type: "bar" },
      encoding: {
        y: { field: "feature", type: "nominal", sort: byOrder("featureOrder"), title: null },
        // Titles with names go to the axis, not the channel: Vega-Lite copies channel titles into
        // generated tooltip and ARIA expressions.
        x: {
          field: "attribution",
          type: "quantitative",
          axis: { title: `IG of ${withUnit(r, componentLabel(r, k))}` },
        },
        color: {
          field: "sign",
          type: "nominal",
          scale: { domain: ["positive", "negative"], range: [COLORS.positive, COLORS.negative] },
          legend: null,
        },
        tooltip: [
          { field: "row", type: "quantitative" },
          { field: "feature", type: "nominal" },
          { field: "attribution", type: "quantitative", format: ".5~g" },
        ],
      },
    },
  };
}
