/**
 * The `summary` section: per (output, feature) statistics of first derivatives, rankings,
 * elasticities, Greeks and Hessian means, accumulated batch by batch (see `Summarizer` for how
 * quantiles stay exact or become a documented sample).
 */
import { jnum } from "../result/json.js";
import { elasticitiesOfRow, type ElasticityTolerances } from "./elasticity.js";
import { financeOfRow, type FinanceLayout } from "./finance.js";
import type { BatchConsumer, DerivativeBatch } from "../engine/pass.js";
import type {
  InputsSection,
  OutputsSection,
  RankingEntry,
  SummarySection,
  CellStatsEntry,
} from "../result/schema.js";
import { ColumnStats, QUANTILE_LEVELS } from "../stats/stats.js";
import { planQuantiles, Summarizer } from "../stats/summarizer.js";
import { subSeed } from "../stats/sampling.js";
import { featureOrder, scaledMeanAbs } from "../stats/ranking.js";

export interface SummaryOptions {
  secondOrder: boolean;
  /** Feature indices of price features (finance), or null for no Greeks. */
  priceFeatures: number[] | null;
  /** Elasticity thresholds, or null to skip elasticities. */
  elasticity: ElasticityTolerances | null;
  quantileMaxValues: number;
  seed: number;
  /** Standard deviation of each feature over the data (for the scale-free ranking), [j]. */
  featureStd: ArrayLike<number>;
}

export interface Layout {
  inputs: InputsSection;
  outputs: OutputsSection;
  d: number;
  k: number;
}

/** Accumulates the summary over derivative batches of `n` rows. */
export class SummaryBuilder implements BatchConsumer {
  private readonly values: Summarizer;
  private readonly grads: Summarizer;
  private readonly elast: Summarizer | null;
  private readonly hess: ColumnStats | null;
  private readonly finance: {
    layout: FinanceLayout;
    delta: Summarizer;
    gamma: Summarizer;
    cross: Summarizer;
  } | null;
  private readonly scratch: { elast: Float64Array; excluded: Uint8Array; fin: Float64Array[] };

  constructor(
    private readonly layout: Layout,
    n: number,
    private readonly opts: SummaryOptions,
  ) {
    const { d, k } = layout;
    const make = (cols: number, name: string) =>
      new Summarizer(
        cols,
        planQuantiles(n, cols, opts.quantileMaxValues, subSeed(opts.seed, `quantiles:${name}`)),
      );
    this.values = make(k, "values");
    this.grads = make(k * d, "gradients");
    this.elast = opts.elasticity ? make(k * d, "elasticities") : null;
    this.hess = opts.secondOrder ? new ColumnStats(k * d * d) : null;
    if (opts.priceFeatures !== null && opts.secondOrder) {
      const p = opts.priceFeatures.length;
      this.finance = {
        layout: { k, d, prices: opts.priceFeatures },
        delta: make(k * p, "delta"),
        gamma: make(k * p, "gamma"),
        cross: make(k * p * d, "crossGamma"),
      };
    } else this.finance = null;
    const p = opts.priceFeatures?.length ?? 0;
    this.scratch = {
      elast: new Float64Array(k * d),
      excluded: new Uint8Array(k * d),
      fin: [new Float64Array(k * p), new Float64Array(k * p), new Float64Array(k * p * d)],
    };
  }

  add(b: DerivativeBatch): void {
    const { d, k } = this.layout;
    const { elast, excluded, fin } = this.scratch;
    for (let r = 0; r < b.count; r++) {
      const row = b.start + r;
      this.values.pushRow(row, b.values, r * k);
      this.grads.pushRow(row, b.jac, r * k * d);
      if (this.elast && this.opts.elasticity) {
        elasticitiesOfRow(
          b.jac,
          r * k * d,
          b.values,
          r * k,
          b.z,
          r * d,
          k,
          d,
          this.opts.elasticity,
          elast,
          excluded,
        );
        this.elast.pushRow(row, elast, 0, excluded);
      }
      if (this.hess && b.hess) {
        const off = r * k * d * d;
        for (let c = 0; c < k * d * d; c++) this.hess.push(c, b.hess[off + c]);
      }
      if (this.finance && b.hess) {
        financeOfRow(b.jac, r * k * d, b.hess, r * k * d * d, this.finance.layout, fin[0], fin[1], fin[2]);
        this.finance.delta.pushRow(row, fin[0], 0);
        this.finance.gamma.pushRow(row, fin[1], 0);
        this.finance.cross.pushRow(row, fin[2], 0);
      }
    }
  }

  finish(): SummarySection {
    const { d, inputs, outputs } = this.layout;
    const comps = outputs.components;
    const feats = inputs.features;
    const cells = (s: Summarizer): CellStatsEntry[] =>
      comps.flatMap((oc, kk) =>
        feats.map((f, j) => ({
          output: oc.name,
          outputIndex: kk,
          feature: f.name,
          featureIndex: j,
          stats: s.describe(kk * d + j),
        })),
      );
    const gradients = cells(this.grads);
    return {
      quantileLevels: [...QUANTILE_LEVELS],
      quantileMethod: this.grads.plan.method,
      quantileRows: this.grads.plan.count,
      values: comps.map((oc, kk) => ({ output: oc.name, outputIndex: kk, stats: this.values.describe(kk) })),
      gradients,
      ranking: rankings(
        gradients,
        d,
        comps.map((c) => c.name),
        this.opts.featureStd,
      ),
      hessian: this.hess ? this.hessianSummary() : null,
      elasticities:
        this.elast && this.opts.elasticity
          ? {
              outputTolerance: this.opts.elasticity.outputRelative,
              inputTolerance: Array.from(this.opts.elasticity.input, jnum),
              entries: cells(this.elast),
            }
          : null,
      finance: this.finance ? this.financeSummary() : null,
    };
  }

  private hessianSummary() {
    const { d, outputs } = this.layout;
    const h = this.hess!;
    return outputs.components.map((oc, kk) => {
      const grid = (f: (c: number) => number) =>
        Array.from({ length: d }, (_, i) =>
          Array.from({ length: d }, (_, j) => jnum(f(kk * d * d + i * d + j))),
        );
      return {
        output: oc.name,
        outputIndex: kk,
        mean: grid((c) => (h.count[c] > 0 ? h.mean[c] : NaN)),
        meanAbs: grid((c) => h.meanAbs(c)),
      };
    });
  }

  private financeSummary() {
    const { d, inputs, outputs } = this.layout;
    const fin = this.finance!;
    const prices = fin.layout.prices;
    const p = prices.length;
    const perPrice = (s: Summarizer) =>
      outputs.components.flatMap((oc, kk) =>
        prices.map((fj, pp) => ({
          output: oc.name,
          outputIndex: kk,
          price: inputs.features[fj].name,
          priceIndex: pp,
          stats: s.describe(kk * p + pp),
        })),
      );
    return {
      priceFeatures: prices.map((j) => inputs.features[j].name),
      priceFeatureIndices: [...prices],
      delta: perPrice(fin.delta),
      gamma: perPrice(fin.gamma),
      crossGamma: outputs.components.flatMap((oc, kk) =>
        prices.flatMap((fj, pp) =>
          inputs.features.map((f, j) => ({
            output: oc.name,
            outputIndex: kk,
            price: inputs.features[fj].name,
            priceIndex: pp,
            feature: f.name,
            featureIndex: j,
            stats: fin.cross.describe((kk * p + pp) * d + j),
          })),
        ),
      ),
    };
  }
}

/**
 * Features ordered per output component (ties keep feature order): by σ_j · mean |∂y/∂x_j|
 * (`scaledMeanAbs`) and by the raw mean |∂y/∂x_j| and RMS.
 */
function rankings(
  gradients: CellStatsEntry[],
  d: number,
  names: string[],
  std: ArrayLike<number>,
): RankingEntry[] {
  return names.map((output, kk) => {
    const cells = gradients.slice(kk * d, (kk + 1) * d);
    const order = (value: (c: CellStatsEntry) => number | null) => {
      const values = cells.map(value);
      return featureOrder(values).map((i) => ({
        feature: cells[i].feature,
        featureIndex: cells[i].featureIndex,
        value: values[i],
      }));
    };
    return {
      output,
      outputIndex: kk,
      byScaled: order((c) => scaledMeanAbs(c.stats.meanAbs, std[c.featureIndex])),
      byMeanAbs: order((c) => c.stats.meanAbs),
      byRms: order((c) => c.stats.rms),
    };
  });
}
