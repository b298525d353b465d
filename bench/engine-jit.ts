/**
 * `analyze` on 1e5 rows with the engine's batches jitted (the default) and eager (`jit: false`):
 * the benchmark pricing target y = (mlp(x) + 1) · price, mlp [8 → 64 → 64 → 1] tanh, first
 * order (summary + DGSM) and with finance on price (adds per-sample Hessians). Attribution and
 * verification are off (they look at 10 rows). Runs alternate between the two settings and the
 * median is printed with the number of programs compiled. Not a test; measured on whatever
 * machine runs it (say so when quoting: this repository's machine is shared).
 *
 *   npx tsx --expose-gc bench/engine-jit.ts [--rows 100000] [--runs 3] [--batch 1024]
 */
import { jitCompilations } from "../src/api/jit.js";
import { array, random, tanh, type Tensor } from "../src/index.js";
import { analyze, type AnalyzeOptions } from "../src/sensitivity/index.js";

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const rows = Number(opt("--rows") ?? 1e5);
const runs = Number(opt("--runs") ?? 3);
const batchSize = Number(opt("--batch") ?? 1024);

const W1 = random.normal([8, 64], { seed: 11, std: 1 / Math.sqrt(8) });
const b1 = random.normal([64], { seed: 12, std: 0.1 });
const W2 = random.normal([64, 64], { seed: 13, std: 1 / 8 });
const b2 = random.normal([64], { seed: 14, std: 0.1 });
const W3 = random.normal([64, 1], { seed: 15, std: 1 / 8 });
const target = ({ price, features }: Record<string, Tensor>) =>
  tanh(tanh(features.matmul(W1).add(b1)).matmul(W2).add(b2))
    .matmul(W3)
    .add(1)
    .mul(price.reshape([-1, 1]));
const data = {
  price: random.uniform([rows], { seed: 1, low: 20, high: 80 }),
  features: array(random.normal([rows, 8], { seed: 2 }).data(), { shape: [rows, 8] }),
};

const base: AnalyzeOptions = { attributionSamples: 0, verifySamples: 0, bootstrap: 50, batchSize };
const configs: [string, AnalyzeOptions][] = [
  ["first order (summary + DGSM)", base],
  ["+ finance on price (Hessians)", { ...base, finance: { price: "price" } }],
];
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = () => (globalThis as { gc?: () => void }).gc?.();

console.log(
  `analyze, ${rows} rows, batch ${batchSize}, median of ${runs} (measured under load: shared 2-core machine)`,
);
for (const [name, opts] of configs) {
  const times = { on: [] as number[], off: [] as number[] };
  let compiled = 0;
  for (let r = 0; r < runs; r++)
    for (const jit of [true, false]) {
      gc();
      const c0 = jitCompilations();
      const t0 = performance.now();
      analyze(target, data, { ...opts, jit });
      (jit ? times.on : times.off).push(performance.now() - t0);
      if (jit) compiled = jitCompilations() - c0;
    }
  const on = median(times.on);
  const off = median(times.off);
  console.log(
    `${name}: jit ${(on / 1000).toFixed(2)} s (${compiled} programs compiled), eager ${(off / 1000).toFixed(2)} s, ×${(off / on).toFixed(2)}`,
  );
}
