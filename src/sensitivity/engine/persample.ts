/**
 * The `perSample` section: the first `keep` rows' features, outputs, gradients and (on request)
 * Hessians, elasticities and Greeks, kept as the derivative pass goes by.
 */
import { elasticitiesOfRow, type ElasticityTolerances } from "../methods/elasticity.js";
import { financeOfRow } from "../methods/finance.js";
import { jcube, jmat, jquad } from "../result/json.js";
import type { BatchConsumer, DerivativeBatch } from "./pass.js";
import type { PerSampleSection } from "../result/schema.js";

export interface PerSampleOptions {
  keep: number;
  secondOrder: boolean;
  elasticity: ElasticityTolerances | null;
  priceFeatures: number[] | null;
}

/** Keeps rows [0, keep) of the derivative pass. */
export class PerSampleBuilder implements BatchConsumer {
  private readonly z: Float64Array;
  private readonly y: Float64Array;
  private readonly jac: Float64Array;
  private readonly hess: Float64Array | null;

  constructor(
    private readonly k: number,
    private readonly d: number,
    private readonly opts: PerSampleOptions,
  ) {
    const m = opts.keep;
    this.z = new Float64Array(m * d);
    this.y = new Float64Array(m * k);
    this.jac = new Float64Array(m * k * d);
    this.hess = opts.secondOrder ? new Float64Array(m * k * d * d) : null;
  }

  add(b: DerivativeBatch): void {
    const { k, d } = this;
    const end = Math.min(this.opts.keep, b.start + b.count);
    const m = end - b.start;
    if (m <= 0) return;
    this.z.set(b.z.subarray(0, m * d), b.start * d);
    this.y.set(b.values.subarray(0, m * k), b.start * k);
    this.jac.set(b.jac.subarray(0, m * k * d), b.start * k * d);
    if (this.hess && b.hess) this.hess.set(b.hess.subarray(0, m * k * d * d), b.start * k * d * d);
  }

  finish(): PerSampleSection {
    const { k, d } = this;
    const m = this.opts.keep;
    return {
      rows: Array.from({ length: m }, (_, i) => i),
      features: jmat(this.z, m, d),
      values: jmat(this.y, m, k),
      gradients: jcube(this.jac, m, k, d),
      hessians: this.hess ? jquad(this.hess, m, k, d, d) : null,
      elasticities: this.elasticities(),
      finance: this.finance(),
    };
  }

  private elasticities() {
    const { k, d } = this;
    const tol = this.opts.elasticity;
    if (!tol) return null;
    const m = this.opts.keep;
    const out = new Float64Array(m * k * d);
    const excluded = new Uint8Array(k * d);
    for (let r = 0; r < m; r++) {
      const row = out.subarray(r * k * d, (r + 1) * k * d);
      elasticitiesOfRow(this.jac, r * k * d, this.y, r * k, this.z, r * d, k, d, tol, row, excluded);
    }
    return jcube(out, m, k, d);
  }

  private finance() {
    const { k, d } = this;
    const prices = this.opts.priceFeatures;
    if (!prices || !this.hess) return null;
    const m = this.opts.keep;
    const p = prices.length;
    const delta = new Float64Array(m * k * p);
    const gamma = new Float64Array(m * k * p);
    const cross = new Float64Array(m * k * p * d);
    for (let r = 0; r < m; r++)
      financeOfRow(
        this.jac,
        r * k * d,
        this.hess,
        r * k * d * d,
        { k, d, prices },
        delta.subarray(r * k * p, (r + 1) * k * p),
        gamma.subarray(r * k * p, (r + 1) * k * p),
        cross.subarray(r * k * p * d, (r + 1) * k * p * d),
      );
    return {
      delta: jcube(delta, m, k, p),
      gamma: jcube(gamma, m, k, p),
      crossGamma: jquad(cross, m, k, p, d),
    };
  }
}
