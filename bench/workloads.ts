/**
 * The four benchmark workloads and their data. Weights and inputs are generated once per
 * workload in float64 from a fixed seed; every system sees the same numbers (float32 peers get
 * the float32 cast of exactly these arrays), so differences in results come only from precision
 * and from each system's derivative code.
 */
import { Rng } from "../src/index.js";

export type WorkloadId = "W1" | "W2" | "W3" | "W4";

/**
 * What is differentiated:
 * - `priceGrad`: y = (mlp(x) + 1) · price, per-sample ∂y/∂x and ∂y/∂price;
 * - `jacobian`: per-sample ∂mlp(x)/∂x, shape [out, in];
 * - `priceHessian`: per-sample ∂²y/∂x² of the `priceGrad` function;
 * - `grad`: per-sample ∂mlp(x)/∂x of a scalar-output MLP.
 */
export type WorkloadKind = "priceGrad" | "jacobian" | "priceHessian" | "grad";

export interface WorkloadSpec {
  id: WorkloadId;
  kind: WorkloadKind;
  title: string;
  /** Layer widths from input to output; hidden layers are tanh, the last one linear. */
  sizes: number[];
  n: { full: number; quick: number };
  seed: number;
}

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    id: "W1",
    kind: "priceGrad",
    title: "∂y/∂x, ∂y/∂price of y = (mlp(x)+1)·price",
    sizes: [8, 64, 64, 1],
    n: { full: 10_000, quick: 2_000 },
    seed: 101,
  },
  {
    id: "W2",
    kind: "jacobian",
    title: "per-sample Jacobian 8×16",
    sizes: [16, 128, 128, 8],
    n: { full: 2_000, quick: 400 },
    seed: 202,
  },
  {
    id: "W3",
    kind: "priceHessian",
    title: "per-sample Hessian 8×8 of W1's y",
    sizes: [8, 64, 64, 1],
    n: { full: 1_000, quick: 200 },
    seed: 303,
  },
  {
    id: "W4",
    kind: "grad",
    title: "per-sample ∂mlp/∂x, wide MLP",
    sizes: [256, 512, 512, 1],
    n: { full: 4_096, quick: 512 },
    seed: 404,
  },
];

/** One dense layer in the `x · W + b` convention (W is [fanIn, fanOut], row-major). */
export interface DenseParams {
  W: Float64Array;
  b: Float64Array;
  fanIn: number;
  fanOut: number;
}

export interface WorkloadData {
  spec: WorkloadSpec;
  n: number;
  layers: DenseParams[];
  /** Inputs, [n, sizes[0]] row-major. */
  x: Float64Array;
  /** Prices, [n]; only for the price workloads. */
  price: Float64Array | null;
}

/** A named output block and its full shape; every system returns its blocks in this order. */
export interface Block {
  name: string;
  shape: number[];
}

export function outputBlocks(d: WorkloadData): Block[] {
  const { sizes } = d.spec;
  const inDim = sizes[0];
  const outDim = sizes[sizes.length - 1];
  switch (d.spec.kind) {
    case "priceGrad":
      return [
        { name: "∂y/∂x", shape: [d.n, inDim] },
        { name: "∂y/∂price", shape: [d.n] },
      ];
    case "jacobian":
      return [{ name: "J", shape: [d.n, outDim, inDim] }];
    case "priceHessian":
      return [{ name: "H", shape: [d.n, inDim, inDim] }];
    case "grad":
      return [{ name: "∂f/∂x", shape: [d.n, inDim] }];
  }
}

export const usesPrice = (kind: WorkloadKind) => kind === "priceGrad" || kind === "priceHessian";

/**
 * Weights are LeCun-normal (std 1/√fanIn) so pre-activations stay near unit scale and tanh is
 * neither linear nor saturated; biases are small normals so they matter but do not dominate.
 * Inputs are standard normal, prices uniform in [50, 150).
 */
export function makeWorkloadData(spec: WorkloadSpec, n: number): WorkloadData {
  const rng = new Rng(spec.seed);
  const normals = (len: number, std: number) => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++) a[i] = rng.nextNormal() * std;
    return a;
  };
  const layers: DenseParams[] = [];
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    const fanIn = spec.sizes[l];
    const fanOut = spec.sizes[l + 1];
    layers.push({ W: normals(fanIn * fanOut, 1 / Math.sqrt(fanIn)), b: normals(fanOut, 0.1), fanIn, fanOut });
  }
  const x = normals(n * spec.sizes[0], 1);
  let price: Float64Array | null = null;
  if (usesPrice(spec.kind)) {
    price = new Float64Array(n);
    for (let i = 0; i < n; i++) price[i] = 50 + 100 * rng.nextFloat();
  }
  return { spec, n, layers, x, price };
}

/** The float32 cast that every float32 peer receives. */
export const toF32 = (a: Float64Array) => Float32Array.from(a);
