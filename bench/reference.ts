/**
 * Hand-derived float64 derivatives of the benchmark MLPs, one sample at a time, in plain loops.
 * They share no code with gradlens, so they check gradlens itself (on a few sampled rows) before
 * gradlens is used as the reference for the float32 peers.
 *
 * Notation per sample: z_l = h_{l-1} W_l + b_l, h_l = tanh(z_l) for hidden layers, the last
 * layer is linear; δ_l = ∂f/∂z_l.
 */
import type { DenseParams, WorkloadData } from "./workloads.js";

interface Forward {
  /** h_0 = x, then every hidden activation. */
  hs: Float64Array[];
  out: Float64Array;
}

function dense(layer: DenseParams, h: Float64Array): Float64Array {
  const z = Float64Array.from(layer.b);
  for (let i = 0; i < layer.fanIn; i++) {
    const hi = h[i];
    const row = i * layer.fanOut;
    for (let j = 0; j < layer.fanOut; j++) z[j] += hi * layer.W[row + j];
  }
  return z;
}

function forward(layers: DenseParams[], x: Float64Array): Forward {
  const hs = [x];
  for (let l = 0; l + 1 < layers.length; l++) hs.push(dense(layers[l], hs[l]).map(Math.tanh));
  return { hs, out: dense(layers[layers.length - 1], hs[hs.length - 1]) };
}

/** Reverse sweep for one output cotangent: ∂(ct·f)/∂x and δ_l for every hidden layer. */
function backward(
  layers: DenseParams[],
  fw: Forward,
  ct: Float64Array,
): { dx: Float64Array; deltas: Float64Array[] } {
  const deltas: Float64Array[] = [];
  let g = ct; // ∂/∂z of the current layer (the last layer is linear, so δ_L = ct)
  for (let l = layers.length - 1; l >= 0; l--) {
    const { W, fanIn, fanOut } = layers[l];
    // ∂/∂h_{l-1} = W_l · g
    const dh = new Float64Array(fanIn);
    for (let i = 0; i < fanIn; i++) {
      let s = 0;
      for (let j = 0; j < fanOut; j++) s += W[i * fanOut + j] * g[j];
      dh[i] = s;
    }
    if (l === 0) return { dx: dh, deltas: deltas.reverse() };
    // d tanh(z) = (1 − h²) dz
    const h = fw.hs[l];
    g = dh.map((v, i) => v * (1 - h[i] * h[i]));
    deltas.push(g);
  }
  throw new Error("unreachable: an MLP has at least one layer");
}

/**
 * Hessian of a scalar-output tanh MLP:
 *   ∇²f = Σ_l Z_lᵀ diag(tanh''(z_l) · ∂f/∂h_l) Z_l,   Z_l = ∂z_l/∂x,
 * and tanh''(z) · ∂f/∂h = −2h(1 − h²) · ∂f/∂h = −2 h δ_l.
 * Z_l is built by forward accumulation: Z_1 = W_1ᵀ, Z_{l+1} = W_{l+1}ᵀ diag(1 − h_l²) Z_l.
 */
function hessianScalar(layers: DenseParams[], fw: Forward, deltas: Float64Array[]): Float64Array {
  const d = layers[0].fanIn;
  const H = new Float64Array(d * d);
  let Z: Float64Array | null = null; // [units, d]
  for (let l = 0; l + 1 < layers.length; l++) {
    const { W, fanIn, fanOut } = layers[l];
    const next = new Float64Array(fanOut * d);
    for (let u = 0; u < fanOut; u++)
      for (let i = 0; i < fanIn; i++) {
        const w = W[i * fanOut + u];
        if (Z === null) next[u * d + i] += w;
        else {
          const hPrev = fw.hs[l][i];
          const s = w * (1 - hPrev * hPrev);
          for (let k = 0; k < d; k++) next[u * d + k] += s * Z[i * d + k];
        }
      }
    Z = next;
    const h = fw.hs[l + 1];
    const delta = deltas[l];
    for (let u = 0; u < fanOut; u++) {
      const c = -2 * h[u] * delta[u];
      for (let a = 0; a < d; a++) {
        const za = c * Z[u * d + a];
        for (let b = 0; b < d; b++) H[a * d + b] += za * Z[u * d + b];
      }
    }
  }
  return H;
}

/** The derivative blocks of sample `row`, flattened per block, in `outputBlocks` order. */
export function referenceRow(data: WorkloadData, row: number): Float64Array[] {
  const { layers, spec } = data;
  const inDim = spec.sizes[0];
  const outDim = spec.sizes[spec.sizes.length - 1];
  const x = data.x.subarray(row * inDim, (row + 1) * inDim);
  const fw = forward(layers, x);
  const unit = (k: number) => {
    const e = new Float64Array(outDim);
    e[k] = 1;
    return e;
  };
  switch (spec.kind) {
    case "priceGrad": {
      // y = (f + 1)·p: ∂y/∂x = p ∇f, ∂y/∂p = f + 1
      const p = data.price![row];
      const { dx } = backward(layers, fw, unit(0));
      return [dx.map((v) => p * v), Float64Array.of(fw.out[0] + 1)];
    }
    case "jacobian": {
      const J = new Float64Array(outDim * inDim);
      for (let k = 0; k < outDim; k++) J.set(backward(layers, fw, unit(k)).dx, k * inDim);
      return [J];
    }
    case "priceHessian": {
      const p = data.price![row];
      const { deltas } = backward(layers, fw, unit(0));
      return [hessianScalar(layers, fw, deltas).map((v) => p * v)];
    }
    case "grad":
      return [backward(layers, fw, unit(0)).dx];
  }
}
