/**
 * TensorFlow.js 4.22 on its `cpu` (plain JS) and `wasm` (XNNPACK) backends, float32, written as a
 * TF.js user would: the model is applied to the whole batch and `tf.grad`/`tf.grads` run on the
 * summed output. Because rows do not interact, the gradient of the sum is the per-sample gradient.
 */
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { toF32, type WorkloadData, type WorkloadKind } from "../workloads.js";
import type { Method, Runner, System } from "./types.js";

type Backend = "cpu" | "wasm";

/** Weights and inputs as float32 tensors on the current backend. */
function upload(data: WorkloadData) {
  const layers = data.layers.map((l) => ({
    W: tf.tensor2d(toF32(l.W), [l.fanIn, l.fanOut]),
    b: tf.tensor1d(toF32(l.b)),
  }));
  const X = tf.tensor2d(toF32(data.x), [data.n, data.spec.sizes[0]]);
  const P = data.price && tf.tensor1d(toF32(data.price));
  const mlp = (x: tf.Tensor): tf.Tensor =>
    layers.reduce((h, { W, b }, i) => {
      const z = tf.add(tf.matMul(h, W), b);
      return i + 1 < layers.length ? tf.tanh(z) : z;
    }, x);
  // Σ_n y_n with y = (mlp(x) + 1) · price
  const ySum = (x: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.reshape(mlp(x), [-1]), 1), p));
  const all = [X, ...(P ? [P] : []), ...layers.flatMap((l) => [l.W, l.b])];
  return { X, P, mlp, ySum, all };
}

type Uploaded = ReturnType<typeof upload>;

/** One-hot output cotangents [n, width], column k set: they select output k of every row. */
function oneHots(n: number, width: number): tf.Tensor[] {
  return Array.from({ length: width }, (_, k) =>
    tf.tidy(() => tf.oneHot(tf.fill([n], k, "int32"), width).toFloat()),
  );
}

/**
 * Wraps a computation: builds inside `tf.tidy` so every intermediate is freed, reads the results
 * with `await data()` (the work is done once the data is in JS memory) and frees them.
 */
function runner(u: Uploaded, extra: tf.Tensor[], compute: () => tf.Tensor[]): Runner {
  // Runs of different backends are interleaved, so each run re-selects the one its tensors live on.
  const backend = tf.getBackend();
  return {
    activate: async () => {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    },
    run: async () => {
      const outs = tf.tidy(compute);
      const datas = await Promise.all(outs.map((o) => o.data()));
      tf.dispose(outs);
      return datas;
    },
    dispose: () => tf.dispose([...u.all, ...extra]),
  };
}

function method(
  backend: Backend,
  label: string,
  make: (u: Uploaded, data: WorkloadData) => Runner,
  opts: { idiomatic?: boolean; approximate?: boolean } = {},
): Method {
  return {
    label,
    idiomatic: opts.idiomatic ?? true,
    approximate: opts.approximate,
    prepare: async (data) => {
      await tf.setBackend(backend);
      return make(upload(data), data);
    },
  };
}

/** Step for the central differences of the W3 fallback: ≈ ∛(float32 eps), exact in binary. */
const FD_STEP = 2 ** -7;

function methodsFor(backend: Backend, kind: WorkloadKind): Method[] {
  switch (kind) {
    case "priceGrad":
      return [
        method(backend, "tf.grads(Σy)([x, price])", (u) =>
          runner(u, [], () => tf.grads(u.ySum)([u.X, u.P!])),
        ),
      ];
    case "grad":
      return [
        method(backend, "tf.grad(Σf)(x)", (u) =>
          runner(u, [], () => [tf.grad((x) => tf.sum(u.mlp(x)))(u.X)]),
        ),
      ];
    case "jacobian":
      return [
        method(backend, "8× tf.grad(mlp)(x, onehot_k), stack", (u, d) => {
          const dys = oneHots(d.n, d.spec.sizes[d.spec.sizes.length - 1]);
          return runner(u, dys, () => [
            tf.stack(
              dys.map((dy) => tf.grad(u.mlp)(u.X, dy)),
              1,
            ),
          ]);
        }),
      ];
    case "priceHessian": {
      const gradY = (u: Uploaded) => tf.grad((x: tf.Tensor) => u.ySum(x, u.P!));
      return [
        // Row k of every per-sample Hessian is the gradient of Σ_n ∂y_n/∂x_k.
        method(backend, "8× tf.grad(x ⇒ tf.grad(Σy)(x)[:,k])", (u, d) => {
          const dim = d.spec.sizes[0];
          return runner(u, [], () => [
            tf.stack(
              Array.from({ length: dim }, (_, k) =>
                tf.grad((x: tf.Tensor) => tf.sum(tf.slice(gradY(u)(x), [0, k], [-1, 1])))(u.X),
              ),
              1,
            ),
          ]);
        }),
        // What a TF.js user falls back to: central differences of the exact gradient.
        method(
          backend,
          `central FD of tf.grad, h=2^-7 (${2 * 8} gradients)`,
          (u, d) => {
            const dim = d.spec.sizes[0];
            const steps = oneHots(d.n, dim).map((e) => {
              const s = tf.mul(e, FD_STEP);
              e.dispose();
              return s;
            });
            return runner(u, steps, () => {
              const g = gradY(u);
              const cols = steps.map((s) =>
                tf.div(tf.sub(g(tf.add(u.X, s)), g(tf.sub(u.X, s))), 2 * FD_STEP),
              );
              return [tf.stack(cols, 2)]; // H[n, i, k] = ∂g_i/∂x_k
            });
          },
          { idiomatic: false, approximate: true },
        ),
      ];
    }
  }
}

/** The directory holding the backend's .wasm binaries, so Node can load them from disk. */
function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return (
    path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep
  );
}

/** Selects a backend with TF.js's one-time "install tfjs-node" banner kept out of the report. */
async function selectQuietly(backend: Backend): Promise<void> {
  const warn = console.warn;
  const log = console.log;
  console.warn = console.log = () => {};
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') returned false`);
    tf.tidy(() => tf.add(tf.scalar(1), 1));
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

function tfjsSystem(backend: Backend): System {
  return {
    id: `tfjs-${backend}`,
    label: `TF.js ${tf.version.tfjs} ${backend} (float32)`,
    dtype: "float32",
    init: async () => {
      if (backend === "wasm") setWasmPaths(wasmDir());
      await selectQuietly(backend);
      if (backend === "cpu") return "plain JS kernels, single thread";
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      return `XNNPACK, SIMD ${simd ? "on" : "off"}, ${getThreadsCount()} thread(s)`;
    },
    methods: (kind) => methodsFor(backend, kind),
    liveArrays: () => tf.memory().numTensors,
  };
}

export const tfjsCpu = tfjsSystem("cpu");
export const tfjsWasm = tfjsSystem("wasm");
