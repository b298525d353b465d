/**
 * jax-js on its `wasm` backend, float32, eager and under `jit`, written like JAX: a per-sample
 * function and `vmap(grad(f))`, `vmap(jacrev(f))`, `vmap(hessian(f))`.
 *
 * jax-js arrays are reference counted and every function consumes its array arguments, so each
 * reuse of a weight or input takes `.ref`, and reading a result with `data()` frees it.
 */
import {
  Array as JArray,
  grad,
  hessian,
  init,
  jacfwd,
  jacrev,
  jit,
  jvp,
  numpy as np,
  vmap,
  type OwnedFunction,
} from "@jax-js/jax";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { toF32, type WorkloadData, type WorkloadKind } from "../workloads.js";
import type { Method, Runner, System } from "./types.js";

type Fn = (...args: JArray[]) => JArray | JArray[];

interface Uploaded {
  X: JArray;
  P: JArray | null;
  /** The MLP on one sample [in] → [out]. */
  mlp: (x: JArray) => JArray;
  /** y = (mlp(x) + 1) · price for one sample, a scalar. */
  y: (x: JArray, p: JArray) => JArray;
  /** Everything to free at the end. */
  owned: JArray[];
}

function upload(data: WorkloadData): Uploaded {
  const params = data.layers.map((l) => ({
    W: np.array(toF32(l.W)).reshape([l.fanIn, l.fanOut]),
    b: np.array(toF32(l.b)),
  }));
  const X = np.array(toF32(data.x)).reshape([data.n, data.spec.sizes[0]]);
  const P = data.price && np.array(toF32(data.price));
  const mlp = (x: JArray) =>
    params.reduce((h, { W, b }, i) => {
      const z = np.matmul(h, W.ref).add(b.ref);
      return i + 1 < params.length ? np.tanh(z) : z;
    }, x);
  const y = (x: JArray, p: JArray) => mlp(x).reshape([]).add(1).mul(p);
  return { X, P, mlp, y, owned: [X, ...(P ? [P] : []), ...params.flatMap((p) => [p.W, p.b])] };
}

/** Unit vectors e_k of length `dim`, as separate arrays. */
const basis = (dim: number) =>
  Array.from({ length: dim }, (_, k) => {
    const e = new Float32Array(dim);
    e[k] = 1;
    return np.array(e);
  });

interface Built {
  fn: Fn;
  args: (u: Uploaded) => JArray[];
  owned?: JArray[];
}

/** The per-sample transform stacks. `fallback` marks what a user reaches for when the idiom fails. */
const BUILDERS: Record<WorkloadKind, { label: string; idiomatic: boolean; build: (u: Uploaded) => Built }[]> =
  {
    priceGrad: [
      {
        label: "vmap(grad(y, {argnums:[0,1]}))",
        idiomatic: true,
        build: (u) => ({ fn: vmap(grad(u.y, { argnums: [0, 1] })), args: (u) => [u.X.ref, u.P!.ref] }),
      },
    ],
    grad: [
      {
        label: "vmap(grad(f))",
        idiomatic: true,
        build: (u) => ({ fn: vmap(grad((x: JArray) => u.mlp(x).reshape([]))), args: (u) => [u.X.ref] }),
      },
    ],
    jacobian: [
      {
        label: "vmap(jacrev(mlp))",
        idiomatic: true,
        build: (u) => ({ fn: vmap(jacrev(u.mlp)), args: (u) => [u.X.ref] }),
      },
      {
        // jax-js's jacfwd stacks tangents on axis 0, giving [in, out]: transpose to JAX's [out, in].
        label: "vmap(jacfwd(mlp)), transposed",
        idiomatic: false,
        build: (u) => ({
          fn: (X: JArray) => np.transpose(vmap(jacfwd(u.mlp))(X), [0, 2, 1]),
          args: (u) => [u.X.ref],
        }),
      },
    ],
    priceHessian: [
      {
        label: "vmap(hessian(x ⇒ y(x, p)))",
        idiomatic: true,
        build: (u) => ({
          fn: vmap((x: JArray, p: JArray) => {
            const H = hessian((z: JArray) => u.y(z, p.ref))(x);
            p.dispose();
            return H;
          }),
          args: (u) => [u.X.ref, u.P!.ref],
        }),
      },
      {
        // Hessian rows as Hessian-vector products jvp(grad y)(x; e_k), all inside one vmap.
        label: "vmap(8× jvp(grad(y), x, e_k)), stack",
        idiomatic: false,
        build: (u) => {
          const es = basis(u.X.shape[1]);
          return {
            fn: vmap((x: JArray, p: JArray) => {
              const g = grad((z: JArray) => u.y(z, p.ref));
              const rows = es.map((e) => {
                const [g0, hv] = jvp(g, [x.ref], [e.ref]);
                g0.dispose();
                return hv;
              });
              x.dispose();
              p.dispose();
              return np.stack(rows);
            }),
            args: (u) => [u.X.ref, u.P!.ref],
            owned: es,
          };
        },
      },
    ],
  };

function methodsFor(kind: WorkloadKind, useJit: boolean): Method[] {
  return BUILDERS[kind].map(({ label, idiomatic, build }) => ({
    label: useJit ? `jit(${label})` : label,
    idiomatic,
    prepare: async (data): Promise<Runner> => {
      const u = upload(data);
      const built = build(u);
      const jitted: OwnedFunction<Fn> | null = useJit ? jit(built.fn) : null;
      const fn: Fn = jitted ?? built.fn;
      return {
        run: async () => {
          const out = fn(...built.args(u));
          const outs = Array.isArray(out) ? out : [out];
          return Promise.all(outs.map((o) => o.data()));
        },
        dispose: () => {
          for (const a of [...u.owned, ...(built.owned ?? [])]) a.dispose();
          jitted?.dispose();
        },
      };
    },
  }));
}

/** The installed version (its package.json is not exported, so it is read next to the entry point). */
const VERSION = (() => {
  const entry = createRequire(import.meta.url).resolve("@jax-js/jax");
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8"));
  return String(pkg.version);
})();

let started = false;

function jaxSystem(useJit: boolean): System {
  return {
    id: useJit ? "jaxjs-jit" : "jaxjs",
    label: `jax-js ${VERSION} wasm${useJit ? " + jit" : " eager"} (float32)`,
    dtype: "float32",
    init: async () => {
      if (!started) {
        const devices = await init("wasm");
        if (!devices.includes("wasm")) throw new Error(`jax-js init("wasm") returned [${devices}]`);
        started = true;
      }
      // jax-js spawns wasm workers only when both SharedArrayBuffer and a global Worker exist.
      const threaded = typeof SharedArrayBuffer !== "undefined" && typeof globalThis.Worker !== "undefined";
      return `generated wasm kernels, ${threaded ? "multi-threaded" : "single thread (no global Worker in Node)"}`;
    },
    methods: (kind) => methodsFor(kind, useJit),
  };
}

export const jaxjsEager = jaxSystem(false);
export const jaxjsJit = jaxSystem(true);
