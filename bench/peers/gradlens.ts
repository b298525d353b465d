/**
 * gradlens, float64, written the way the README teaches: a per-sample function and a transform
 * stack, `vmap(grad(f))`, `vmap(jacrev(f))`, `vmap(hessian(f))`.
 */
import { threadsActive, wasmActive } from "../../src/kernels/index.js";
import { array, grad, hessian, jacrev, jit, vmap, type Tensor } from "../../src/index.js";
import type { WorkloadData, WorkloadKind } from "../workloads.js";
import type { Method, Runner, System } from "./types.js";

type Fn = (...args: Tensor[]) => Tensor | Tensor[];

/** The MLP on ONE sample x of shape [in]: tanh hidden layers, linear output of shape [out]. */
function mlpOf(data: WorkloadData): (x: Tensor) => Tensor {
  const params = data.layers.map((l) => ({
    W: array(l.W, { shape: [l.fanIn, l.fanOut] }),
    b: array(l.b),
  }));
  return (x) =>
    params.reduce((h, { W, b }, i) => {
      const z = h.matmul(W).add(b);
      return i + 1 < params.length ? z.tanh() : z;
    }, x);
}

/** Scalar output of a [1]-output MLP. */
const scalar = (mlp: (x: Tensor) => Tensor) => (x: Tensor) => mlp(x).reshape([]);

/** The batched transform for a workload, and the tensors it is applied to (also used by bench/jit-*.ts). */
export function build(data: WorkloadData): { fn: Fn; args: Tensor[] } {
  const inDim = data.spec.sizes[0];
  const X = array(data.x, { shape: [data.n, inDim] });
  const P = data.price && array(data.price);
  const mlp = mlpOf(data);
  // y = (mlp(x) + 1) · price
  const y = (x: Tensor, p: Tensor) => scalar(mlp)(x).add(1).mul(p);
  switch (data.spec.kind) {
    case "priceGrad":
      return { fn: vmap(grad(y, { argnums: [0, 1] })), args: [X, P!] };
    case "jacobian":
      return { fn: vmap(jacrev(mlp)), args: [X] };
    case "priceHessian":
      return { fn: vmap(hessian(y)), args: [X, P!] };
    case "grad":
      return { fn: vmap(grad(scalar(mlp))), args: [X] };
  }
}

const IDIOM: Record<WorkloadKind, string> = {
  priceGrad: "vmap(grad(y, {argnums:[0,1]}))",
  jacobian: "vmap(jacrev(mlp))",
  priceHessian: "vmap(hessian(y))",
  grad: "vmap(grad(f))",
};

/** gradlens eager (each call re-traces the transforms) or under `jit` (staged once, then run). */
function gradlensSystem(jitted: boolean): System {
  return {
    id: jitted ? "gradlens-jit" : "gradlens",
    label: jitted ? "gradlens + jit (float64)" : "gradlens (float64)",
    dtype: "float64",
    init: async () =>
      `${wasmActive() ? "WebAssembly SIMD GEMM and fused element-wise kernels (jit) + JS loops" : "JS kernels"}, ${threadsActive() ? "helper thread on" : "single thread"}`,
    methods: (kind) => [
      {
        label: jitted ? `jit(${IDIOM[kind]})` : IDIOM[kind],
        idiomatic: true,
        prepare: async (data): Promise<Runner> => {
          const built = build(data);
          // The compilation happens in the harness's untimed warm-up calls.
          const fn: Fn = jitted ? jit(built.fn) : built.fn;
          return {
            run: async () => {
              const out = fn(...built.args);
              return (Array.isArray(out) ? out : [out]).map((t) => t.data());
            },
            dispose: () => {},
          };
        },
      } satisfies Method,
    ],
  };
}

/** The eager engine: every peer's float64 reference and the denominator of every ratio. */
export const gradlens = gradlensSystem(false);
export const gradlensJit = gradlensSystem(true);

/** A workload's transform and inputs, for the profiler (which calls it without the harness). */
export const buildGradlens = build;
