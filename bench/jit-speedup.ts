/**
 * Rough jit speedup on the four workloads (gradlens only): the same transform stack called
 * eagerly, jitted without element-wise fusion, jitted with fusion but without GEMM epilogues, and
 * jitted. Runs are interleaved in rounds so load from other processes hits all alike; prints
 * medians and best-of-N of wall time and of process CPU time (user + system, all threads), which
 * a loaded machine disturbs less. Not part of `npm run bench`.
 *
 *   npx tsx --expose-gc bench/jit-speedup.ts [--quick] [--workloads W1,W3] [--runs 7] [--no-eager]
 */
import { jit } from "../src/index.js";
import { build } from "./peers/gradlens.js";
import { prepare } from "../src/interp/execute.js";
import type { Concrete } from "../src/prims/tensor.js";
import { makeWorkloadData, WORKLOADS } from "./workloads.js";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const runs = Number(argv[argv.indexOf("--runs") + 1]) || 7;
const eager = !argv.includes("--no-eager");
const only = argv.includes("--workloads") ? argv[argv.indexOf("--workloads") + 1].split(",") : null;

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const spec of WORKLOADS) {
  if (only && !only.includes(spec.id)) continue;
  const data = makeWorkloadData(spec, quick ? spec.n.quick : spec.n.full);
  const { fn, args } = build(data);
  const jitted = jit(fn);
  const { optimized } = jitted.lower(...args);
  const unfused = prepare(optimized, { fuse: false });
  const noEpilogue = prepare(optimized, { epilogue: false });
  const values = args.map((a) => (a as Concrete).value);
  const methods: [string, () => unknown][] = [
    ...(eager ? [["eager", () => fn(...args)] as [string, () => unknown]] : []),
    ["jit, unfused", () => unfused.run(values)],
    ["jit, no epilogue", () => noEpilogue.run(values)],
    ["jit", () => jitted(...args)],
  ];
  const times = methods.map(() => [] as number[]);
  const cpu = methods.map(() => [] as number[]);
  for (const [, m] of methods) m(); // warm-up (and the one compilation)
  for (let r = 0; r < runs; r++)
    methods.forEach(([, m], i) => {
      // Collect the previous method's garbage first (with --expose-gc), so it is not billed here.
      (globalThis as { gc?: () => void }).gc?.();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      m();
      times[i].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1000);
    });
  const base = median(times[0]);
  const { fusion, epilogues } = prepare(optimized);
  const best = (xs: number[]) => Math.min(...xs);
  console.log(
    `${spec.id} n=${data.n} (${optimized.eqns.length} eqns, ${fusion.eqns} fused into ${fusion.loops} loops, ${epilogues} GEMM epilogues): ` +
      methods
        .map(
          ([name], i) =>
            `${name} ${median(times[i]).toFixed(1)} ms (best ${best(times[i]).toFixed(1)}; ×${(base / median(times[i])).toFixed(2)}; ` +
            `cpu ${median(cpu[i]).toFixed(1)}, best ${best(cpu[i]).toFixed(1)} ms)`,
        )
        .join(", "),
  );
}
