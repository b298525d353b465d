/**
 * The ranking chart: for each output component, every feature's σ·mean |∂y/∂x| and σ·RMS ∂y/∂x
 * (σ: the feature's standard deviation over the data) as grouped horizontal bars, features in
 * ranking order. Scaling by σ puts every feature in output units (the typical output change for
 * a one-σ move), so features measured in different units can share one axis.
 */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import {
  CHART_CONFIG,
  COLORS,
  componentLabel,
  rankedFeatures,
  VEGA_LITE_SCHEMA,
  type TopLevelSpec,
} from "./common.js";
import { outputUnitSuffix } from "../units.js";

/** One bar of the ranking chart. */
export interface RankingDatum {
  output: string;
  feature: string;
  /** 1 = largest σ·mean |∂y/∂x|. */
  rank: number;
  measure: "σ·mean |∂y/∂x|" | "σ·RMS ∂y/∂x";
  value: number;
}

/**
 * Options of `rankingSpec`.
 *
 * @example
 * rankingSpec(result, { top: 10, components: 2 });
 */
export interface RankingSpecOptions {
  /** Features per component (default all). */
  top?: number;
  /** Output components shown (default the first 4). */
  components?: number;
  /**
   * The value axis: "linear" (default) or "log", where one dominant feature (a price sensitivity
   * of 37 next to values below 1) does not flatten the rest. Bars of value ≤ 0 have no place on
   * a log axis and are left out of that view (the tables keep them).
   */
  scale?: "linear" | "log";
}

/** The chart's data: two rows (σ·mean |∂y/∂x| and σ·RMS) per (component, feature); null values left out. */
export function rankingData(r: SensitivityResult, opts: RankingSpecOptions = {}): RankingDatum[] {
  const out: RankingDatum[] = [];
  const kMax = Math.min(r.outputs.components.length, opts.components ?? 4);
  for (let k = 0; k < kMax; k++) {
    const scaled = r.summary.ranking.find((e) => e.outputIndex === k)?.byScaled ?? [];
    rankedFeatures(r, k, opts.top).forEach((j, rank) => {
      const s = r.summary.gradients.find((e) => e.outputIndex === k && e.featureIndex === j)?.stats;
      const sMeanAbs = scaled.find((f) => f.featureIndex === j)?.value;
      if (s?.meanAbs == null || sMeanAbs == null) return;
      const base = { output: componentLabel(r, k), feature: r.inputs.features[j].name, rank: rank + 1 };
      out.push({ ...base, measure: "σ·mean |∂y/∂x|", value: sMeanAbs });
      // σ = byScaled / meanAbs; a feature whose derivative is 0 everywhere has RMS 0 too.
      if (s.rms != null)
        out.push({
          ...base,
          measure: "σ·RMS ∂y/∂x",
          value: s.meanAbs > 0 ? (s.rms * sMeanAbs) / s.meanAbs : 0,
        });
    });
  }
  return out;
}

/**
 * Vega-Lite spec of the ranking chart (faceted by output component when there are several).
 *
 * @example
 * const spec = rankingSpec(result, { top: 10 });
 * vegaEmbed("#ranking", spec);
 */
export function rankingSpec(r: SensitivityResult, opts: RankingSpecOptions = {}): TopLevelSpec {
  const values = rankingData(r, opts);
  const multi = new Set(values.map((v) => v.output)).size > 1;
  const log = opts.scale === "log";
  const unit = {
    ...(log ? { transform: [{ filter: "datum.value > 0" }] } : {}),
    width: 520,
    // A step, not a fixed height: with a yOffset channel a fixed height leaves each bar a hairline
    // (0.25 px); the step sizes each offset bar, two per feature.
    height: { step: 12 },
    mark: { type: "bar" as const, tooltip: true },
    encoding: {
      y: {
        field: "feature",
        type: "nominal" as const,
        sort: { field: "rank", op: "min" as const, order: "ascending" as const },
        title: null,
      },
      yOffset: { field: "measure", type: "nominal" as const, sort: ["σ·mean |∂y/∂x|", "σ·RMS ∂y/∂x"] },
      x: {
        field: "value",
        type: "quantitative" as const,
        title: `output change${outputUnitSuffix(r)} for a one-standard-deviation move of the feature${log ? " (log scale)" : ""}`,
        // No stacking on a log axis: a stack starts at 0, which a log scale cannot show (no bar would draw).
        ...(log ? { scale: { type: "log" as const }, stack: null } : {}),
      },
      color: {
        field: "measure",
        type: "nominal" as const,
        title: null,
        scale: { domain: ["σ·mean |∂y/∂x|", "σ·RMS ∂y/∂x"], range: [COLORS.primary, COLORS.secondary] },
      },
      tooltip: [
        { field: "output", type: "nominal" as const },
        { field: "feature", type: "nominal" as const },
        { field: "rank", type: "quantitative" as const },
        { field: "measure", type: "nominal" as const },
        { field: "value", type: "quantitative" as const, format: ".4~g" },
      ],
    },
  };
  if (!multi) return { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, data: { values }, ...unit };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values },
    facet: { row: { field: "output", type: "nominal", title: "output" } },
    resolve: { scale: { y: "independent", x: "independent" } },
    spec: unit,
  };
}
