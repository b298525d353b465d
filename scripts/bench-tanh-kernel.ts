/**
 * ns per element of the tanh/sigmoid kernels alone: the scalar JS array kernel, and the f64x2
 * WebAssembly kernel as a one-step fused chain (which includes its copy in/out of linear memory).
 * Inputs ~ N(0, 1.5²)-like (a hidden layer's pre-activations), 16,384 elements, best of R repeats.
 *
 *   npx tsx scripts/bench-tanh-kernel.ts [--reps 200]
 */
import * as T from "../src/kernels/transcendental/index.js";
import { compileChain } from "../src/kernels/wasm/fused.js";

const N = 16384;
const at = process.argv.indexOf("--reps");
const reps = at >= 0 ? Number(process.argv[at + 1]) : 200;
const x = new Float64Array(N);
let s = 12345;
const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
for (let i = 0; i < N; i++) x[i] = (rnd() + rnd() + rnd() - 1.5) * 3;
const out = new Float64Array(N);

function best(f: () => void): number {
  for (let i = 0; i < 20; i++) f();
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    f();
    const t = Number(process.hrtime.bigint() - t0);
    if (t < b) b = t;
  }
  return b / N;
}
for (const [name, prim, into] of [
  ["tanh", "tanh", T.tanhInto],
  ["sigmoid", "logistic", T.sigmoidInto],
  ["exp", "exp", T.expInto],
  [
    "neg",
    "neg",
    (a: Float64Array, o: Float64Array, s0: number, e0: number) => {
      for (let i = s0; i < e0; i++) o[i] = -a[i];
    },
  ],
] as const) {
  const run = compileChain([{ prim, args: [{ input: 0 }] }], ["dense"]);
  const js = best(() => into(x, out, 0, N));
  const simd = run === null ? NaN : best(() => void run([x], out, N));
  console.log(`${name.padEnd(8)} JS ${js.toFixed(2)} ns/elem   f64x2 chain ${simd.toFixed(2)} ns/elem`);
}
