/**
 * Greeks of an output with respect to price-like inputs, read off the per-sample derivatives:
 * delta_kp = ∂y_k/∂price_p, gamma_kp = ∂²y_k/∂price_p², crossGamma_kpj = ∂²y_k/∂price_p∂x_j
 * (crossGamma_kpp equals gamma_kp; the full row keeps the layout regular).
 */

export interface FinanceLayout {
  k: number;
  d: number;
  /** Feature index of each price feature. */
  prices: number[];
}

/** Greeks of one row: delta and gamma [K × P], crossGamma [K × P × D]. */
export function financeOfRow(
  jac: Float64Array,
  jacOff: number,
  hess: Float64Array,
  hessOff: number,
  layout: FinanceLayout,
  delta: Float64Array,
  gamma: Float64Array,
  cross: Float64Array,
): void {
  const { k, d, prices } = layout;
  const p = prices.length;
  for (let kk = 0; kk < k; kk++)
    for (let pp = 0; pp < p; pp++) {
      const jp = prices[pp];
      delta[kk * p + pp] = jac[jacOff + kk * d + jp];
      const hrow = hessOff + (kk * d + jp) * d;
      gamma[kk * p + pp] = hess[hrow + jp];
      for (let j = 0; j < d; j++) cross[(kk * p + pp) * d + j] = hess[hrow + j];
    }
}
