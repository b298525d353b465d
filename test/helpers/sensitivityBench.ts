/**
 * Timing of `analyze` on the pricing model with an [8 → 64 → 64 → 1] tanh MLP: first-order
 * derivatives, summary and DGSM, keepPerSample false (attribution and verification off, so the
 * numbers are the streaming part). Not a test: run it by hand.
 *
 *   npx tsx test/helpers/sensitivityBench.ts 100000 1000000
 */
import { random } from "../../src/index.js";
import { analyze, type Stage } from "../../src/sensitivity/index.js";
import { mlpPricingModel } from "./sensitivityModels.js";

const sizes = process.argv.slice(2).map(Number);
const model = mlpPricingModel(8);

for (const n of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
  const data = {
    price: random.uniform([n], { seed: 1, low: 50, high: 150 }),
    features: random.normal([n, 8], { seed: 2 }),
  };
  for (const bootstrap of [0, 200]) {
    const stages = new Set<Stage>();
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const r = analyze(model, data, {
      keepPerSample: false,
      attributionSamples: 0,
      verifySamples: 0,
      bootstrap,
      onProgress: (p) => stages.add(p.stage),
    });
    const total = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const heap = process.memoryUsage();
    console.log(
      JSON.stringify({
        n,
        bootstrap,
        totalMs: Math.round(total),
        // Wall time includes waiting for the CPU on a shared machine; CPU time does not.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        timingsMs: r.meta.timingsMs,
        rowsPerCpuSecond: Math.round(n / ((cpu.user + cpu.system) / 1e6)),
        quantileMethod: r.summary.quantileMethod,
        rssMB: Math.round(heap.rss / 2 ** 20),
        topFeature: r.summary.ranking[0].byMeanAbs[0].feature,
        stages: [...stages],
      }),
    );
  }
}
