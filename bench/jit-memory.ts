/**
 * Memory of a jitted program's hot path (issue 12 item 4): RSS over 1,000 calls and the time
 * spent in garbage collection, for the same per-sample derivative program run
 *
 * - `jit`: compiled, intermediates from the executable's arena (outputs the only new buffers);
 * - `jit-no-arena`: the same compiled program, every kernel allocating fresh buffers;
 * - `eager`: the transform stack called directly.
 *
 * Each mode runs in a fresh child process (RSS and heap are process-wide). Prints per mode: new
 * buffers per call (counted by the buffer allocator), RSS after 100 / 500 / 1,000 calls, live
 * ArrayBuffer bytes after a forced full GC at calls 100 and 1,000 (what the program keeps; a
 * difference would be a leak), GC pauses not forced by the script (count and total ms, from PerformanceObserver 'gc'
 * entries) and wall time. Not a test and not part of `npm run bench`; wall times are only
 * indicative on a shared machine.
 *
 *   npx tsx bench/jit-memory.ts [--workloads W1,W3] [--calls 1000] [--quick]
 */
import { spawnSync } from "node:child_process";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { jit } from "../src/index.js";
import { build } from "./peers/gradlens.js";
import { freshBufferCount } from "../src/core/dtype.js";
import { prepare } from "../src/interp/execute.js";
import type { NDArray } from "../src/core/ndarray.js";
import { makeWorkloadData, WORKLOADS } from "./workloads.js";

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const calls = Number(opt("--calls") ?? 1000);
const quick = argv.includes("--quick");
const MODES = ["jit", "jit-no-arena", "eager"] as const;
type Mode = (typeof MODES)[number];

const mb = (b: number) => (b / 2 ** 20).toFixed(1);

/** One mode in this process: prints one JSON line. */
async function child(id: string, mode: Mode): Promise<void> {
  const spec = WORKLOADS.find((w) => w.id === id)!;
  // Smaller batches than the speed bench: 1,000 calls must finish in reasonable time.
  const data = makeWorkloadData(spec, quick ? Math.ceil(spec.n.quick / 4) : spec.n.quick);
  const { fn, args } = build(data);
  let call: () => unknown;
  if (mode === "eager") call = () => fn(...args);
  else {
    const { optimized } = jit(fn).lower(...args);
    const exec = prepare(optimized, { arena: mode === "jit" });
    const values = args.map((a) => (a as unknown as { value: NDArray }).value);
    call = () => exec.run(values);
  }
  for (let i = 0; i < 10; i++) call(); // warm-up: JIT compilation of the JS, arena filled
  let gcCount = 0;
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // Our own gc() calls (to read the live RSS at the checkpoints) are not the program's cost.
      const flags = (e as unknown as { detail?: { flags?: number } }).detail?.flags ?? 0;
      if (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) continue;
      gcCount++;
      gcMs += e.duration;
    }
  });
  obs.observe({ entryTypes: ["gc"] });
  const rss: number[] = [];
  const live: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const b0 = freshBufferCount();
  const t0 = performance.now();
  for (let i = 1; i <= calls; i++) {
    call();
    if (i % 100 === 0) {
      rss.push(process.memoryUsage.rss());
      // Live ArrayBuffer bytes once the garbage (the outputs the caller dropped) is collected:
      // what the program keeps (its arena). RSS would not show it: malloc keeps freed small
      // blocks instead of returning them to the system.
      if (gc !== undefined && (i === 100 || i === calls)) {
        // Backing stores are freed by a concurrent sweeper: collect twice with a tick between.
        gc();
        await new Promise((r) => setTimeout(r, 50));
        gc();
        live.push(process.memoryUsage().arrayBuffers);
      }
      await new Promise((r) => setImmediate(r)); // let the observer receive GC entries
    }
  }
  const ms = performance.now() - t0;
  const buffers = (freshBufferCount() - b0) / calls;
  await new Promise((r) => setImmediate(r));
  obs.disconnect();
  const after100 = rss.slice(0);
  console.log(
    JSON.stringify({
      id,
      mode,
      n: data.n,
      buffers,
      rss100: after100[0],
      rss500: after100[4] ?? after100.at(-1),
      rss1000: after100.at(-1),
      spread: Math.max(...after100) - Math.min(...after100),
      live100: live[0],
      liveEnd: live.at(-1),
      gcCount,
      gcMs,
      ms,
    }),
  );
}

if (opt("--child")) {
  await child(opt("--child")!, opt("--mode") as Mode);
} else {
  const ids = (opt("--workloads") ?? "W1,W2,W3,W4").split(",");
  const self = fileURLToPath(import.meta.url);
  console.log(
    `calls per mode: ${calls}; each mode in a fresh process (measured under load: shared 2-core machine)`,
  );
  console.log(
    "workload | n | mode | new buffers/call | RSS @100 / @500 / @1000 MB | live ArrayBuffers after gc() @100 → @1000 MB | GC pauses | GC ms | wall ms",
  );
  for (const id of ids)
    for (const mode of MODES) {
      const r = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          "--expose-gc",
          self,
          "--child",
          id,
          "--mode",
          mode,
          "--calls",
          String(calls),
          ...(quick ? ["--quick"] : []),
        ],
        { encoding: "utf8" },
      );
      const line = r.stdout.trim().split("\n").at(-1) ?? "";
      if (r.status !== 0 || !line.startsWith("{")) {
        console.log(`${id} ${mode}: failed\n${r.stderr}`);
        continue;
      }
      const x = JSON.parse(line);
      console.log(
        `${id} | ${x.n} | ${mode} | ${x.buffers.toFixed(1)} | ${mb(x.rss100)} / ${mb(x.rss500)} / ${mb(x.rss1000)} | ${mb(x.live100)} → ${mb(x.liveEnd)} | ${x.gcCount} | ${x.gcMs.toFixed(0)} | ${x.ms.toFixed(0)}`,
      );
    }
}
