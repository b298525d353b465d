/**
 * gradlens side by side with TensorFlow.js and jax-js on per-sample derivative workloads.
 *
 *   npx tsx bench/run.ts                     # everything, full sizes (a few minutes)
 *   npx tsx bench/run.ts --quick             # smaller N
 *   npx tsx bench/run.ts --workloads W1,W3 --systems gradlens,tfjs-cpu --runs 7 --warmup 3
 *   npx tsx bench/run.ts --json bench/out/results.json
 *
 * For every (workload, system, method): median wall time of the timed runs (each run includes
 * reading every result back into JS memory), the ratio gradlens ÷ peer, and the max relative
 * error (see `relError`) against gradlens's float64 answer. gradlens itself is checked against
 * hand-derived float64 derivatives (`reference.ts`) on sampled rows.
 *
 * Within a workload the timed runs are interleaved in rounds (one run of every method per round),
 * so a burst of load from other processes on a shared machine hits all systems alike instead of
 * skewing whichever one happened to be running.
 */
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, relError, timedRun } from "./measure.js";
import { gradlens, gradlensJit } from "./peers/gradlens.js";
import { jaxjsEager, jaxjsJit } from "./peers/jaxjs.js";
import { tfjsCpu, tfjsWasm } from "./peers/tfjs.js";
import { torch32, torch64 } from "./peers/torch.js";
import type { Method, Runner, System } from "./peers/types.js";
import { referenceRow } from "./reference.js";
import {
  makeWorkloadData,
  outputBlocks,
  WORKLOADS,
  type Block,
  type WorkloadData,
  type WorkloadId,
} from "./workloads.js";

const SYSTEMS: System[] = [gradlens, gradlensJit, torch64, torch32, tfjsCpu, tfjsWasm, jaxjsEager, jaxjsJit];

/** Errors above these are flagged as wrong: float64 vs hand-derived, float32 vs float64. */
const TOLERANCE = { float64: 1e-10, float32: 1e-4 };
const APPROX_TOLERANCE = 1e-2;

interface Options {
  workloads: WorkloadId[];
  systems: string[];
  quick: boolean;
  runs: number;
  warmup: number;
  slowMs: number;
  json: string | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    workloads: WORKLOADS.map((w) => w.id),
    systems: SYSTEMS.map((s) => s.id),
    quick: false,
    runs: 5,
    warmup: 2,
    slowMs: 30_000,
    json: null,
  };
  const list = (v: string | undefined, flag: string) => {
    if (!v) throw new Error(`${flag} needs a comma-separated list`);
    return v.split(",").map((s) => s.trim());
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") o.quick = true;
    else if (a === "--workloads") o.workloads = list(argv[++i], a).map((w) => w.toUpperCase() as WorkloadId);
    else if (a === "--systems") o.systems = list(argv[++i], a);
    else if (a === "--runs") o.runs = Number(argv[++i]);
    else if (a === "--warmup") o.warmup = Number(argv[++i]);
    else if (a === "--slow-ms") o.slowMs = Number(argv[++i]);
    else if (a === "--json") o.json = argv[++i];
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: tsx bench/run.ts [--quick] [--workloads W1,W2,W3,W4] " +
          `[--systems ${SYSTEMS.map((s) => s.id).join(",")}] [--runs 5] [--warmup 2] [--slow-ms 30000] [--json file]`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  for (const w of o.workloads)
    if (!WORKLOADS.some((s) => s.id === w)) throw new Error(`unknown workload '${w}' (W1…W4)`);
  for (const s of o.systems)
    if (!SYSTEMS.some((x) => x.id === s))
      throw new Error(`unknown system '${s}' (${SYSTEMS.map((x) => x.id).join(", ")})`);
  if (!(o.runs >= 1 && o.warmup >= 1)) throw new Error("--runs and --warmup must be at least 1");
  return o;
}

interface Row {
  workload: WorkloadId;
  n: number;
  system: string;
  systemLabel: string;
  method: string;
  idiomatic: boolean;
  approximate: boolean;
  /** What the error column is measured against. */
  checkedAgainst: string;
  timesMs?: number[];
  medianMs?: number;
  cpuMedianMs?: number;
  blockErrors?: { block: string; rel: number }[];
  maxRelError?: number;
  verdict: "ok" | "WRONG" | "approx" | "FAILED";
  error?: string;
  note?: string;
  leakedArrays?: number;
}

/** Rows `rows` of a batch-first block, concatenated. */
function pickRows(block: ArrayLike<number>, shape: number[], rows: number[]): Float64Array {
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = block[r * width + j];
  });
  return out;
}

/** Evenly spread sample rows for the hand-derived check (it is per-row plain JS, so kept small). */
const sampleRows = (n: number, count = 16) =>
  Array.from(
    new Set(Array.from({ length: Math.min(n, count) }, (_, i) => Math.floor((i * (n - 1)) / (count - 1)))),
  );

function checkAgainstAnalytic(data: WorkloadData, blocks: Block[], out: ArrayLike<number>[]) {
  const rows = sampleRows(data.n);
  const refs = rows.map((r) => referenceRow(data, r));
  return blocks.map((b, k) => {
    const ref = new Float64Array(refs.flatMap((rr) => Array.from(rr[k])));
    return { block: b.name, rel: relError(pickRows(out[k], b.shape, rows), ref) };
  });
}

const firstLine = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0];

/** A method being measured on one workload. */
interface Entry {
  sys: System;
  method: Method;
  row: Row;
  runner?: Runner;
  samples: { wallMs: number; cpuMs: number }[];
  out?: ArrayLike<number>[];
  /** Measured by its single first call only (too slow for the full protocol). */
  once?: boolean;
}

function newRow(sys: System, m: Method, data: WorkloadData): Row {
  return {
    workload: data.spec.id,
    n: data.n,
    system: sys.id,
    systemLabel: sys.label,
    method: m.label,
    idiomatic: m.idiomatic,
    approximate: m.approximate ?? false,
    checkedAgainst:
      sys === gradlens
        ? `hand-derived float64, ${sampleRows(data.n).length} rows`
        : "gradlens float64, all rows",
    verdict: "FAILED",
  };
}

const addNote = (row: Row, note: string) => (row.note = row.note ? `${row.note}; ${note}` : note);

/** Prepares a method and runs its warm-up calls; a throw marks the entry failed. */
async function warmUp(e: Entry, data: WorkloadData, opts: Options): Promise<void> {
  try {
    e.runner = await e.method.prepare(data);
    const first = await timedRun(e.runner);
    e.out = first.out;
    if (first.wallMs > opts.slowMs) {
      e.once = true;
      e.samples.push({ wallMs: first.wallMs, cpuMs: first.cpuMs });
      addNote(e.row, `first call took ${(first.wallMs / 1000).toFixed(1)} s; timed by that call alone`);
      return;
    }
    for (let i = 1; i < opts.warmup; i++) e.out = (await timedRun(e.runner)).out;
  } catch (err) {
    fail(e, err);
  }
}

/** One timed run; also checks that the run gave back every array it allocated. */
async function timedStep(e: Entry): Promise<void> {
  try {
    const live0 = e.sys.liveArrays?.();
    const s = await timedRun(e.runner!);
    const live1 = e.sys.liveArrays?.();
    if (live0 !== undefined && live1 !== undefined && live1 !== live0)
      e.row.leakedArrays = (e.row.leakedArrays ?? 0) + live1 - live0;
    e.out = s.out;
    e.samples.push({ wallMs: s.wallMs, cpuMs: s.cpuMs });
  } catch (err) {
    fail(e, err);
  }
}

function fail(e: Entry, err: unknown): void {
  e.row.error = firstLine(err);
  e.row.verdict = "FAILED";
  e.out = undefined;
  release(e);
}

function release(e: Entry): void {
  try {
    e.runner?.dispose();
  } catch (err) {
    addNote(e.row, `dispose failed: ${firstLine(err)}`);
  }
  e.runner = undefined;
}

/** Fills in times, errors and the verdict once all runs are done. */
function finish(e: Entry, data: WorkloadData, reference: ArrayLike<number>[] | null): void {
  if (!e.out || e.row.error) return;
  const blocks = outputBlocks(data);
  e.row.timesMs = e.samples.map((x) => +x.wallMs.toFixed(2));
  e.row.medianMs = +median(e.samples.map((x) => x.wallMs)).toFixed(2);
  e.row.cpuMedianMs = +median(e.samples.map((x) => x.cpuMs)).toFixed(2);
  const out = e.out;
  e.row.blockErrors = reference
    ? blocks.map((b, k) => ({ block: b.name, rel: relError(out[k], reference[k]) }))
    : checkAgainstAnalytic(data, blocks, out);
  e.row.maxRelError = Math.max(...e.row.blockErrors.map((x) => x.rel));
  // An approximation (finite differences) is never "ok", only "approx" when its error is modest.
  if (e.method.approximate) e.row.verdict = e.row.maxRelError <= APPROX_TOLERANCE ? "approx" : "WRONG";
  else e.row.verdict = e.row.maxRelError <= TOLERANCE[e.sys.dtype] ? "ok" : "WRONG";
}

/** Measures every selected method on one workload; gradlens's row (if selected) comes first. */
async function runWorkload(data: WorkloadData, systems: System[], opts: Options): Promise<Row[]> {
  const entries: Entry[] = [];
  for (const sys of systems)
    for (const method of sys.methods(data.spec.kind))
      entries.push({ sys, method, row: newRow(sys, method, data), samples: [] });
  // gradlens's float64 answer is every peer's reference, so it is needed even when not timed.
  let gl = entries.find((e) => e.sys === gradlens);
  if (!gl) {
    const method = gradlens.methods(data.spec.kind)[0];
    gl = { sys: gradlens, method, row: newRow(gradlens, method, data), samples: [] };
    await warmUp(gl, data, { ...opts, warmup: 1 });
    release(gl);
  }
  for (const e of entries) await warmUp(e, data, opts);
  for (let round = 0; round < opts.runs; round++)
    for (const e of entries) if (e.runner && !e.once) await timedStep(e);
  for (const e of entries) release(e);
  finish(gl, data, null);
  const reference = gl.row.verdict === "ok" ? gl.out! : null;
  for (const e of entries) {
    if (e === gl) continue;
    if (!reference && !e.row.error) {
      e.row.error = `no verified gradlens reference (${gl.row.error ?? gl.row.verdict})`;
      continue;
    }
    finish(e, data, reference);
  }
  return entries.map((e) => e.row);
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtErr = (e: number) => (Number.isFinite(e) ? e.toExponential(1) : "∞");

function table(rows: Row[], glMedian: Map<WorkloadId, number>, jitMedian: Map<WorkloadId, number>): string {
  const lines = [
    "| workload | system | method | median ms | CPU ms | runs | gradlens ÷ peer | gradlens+jit ÷ peer | max rel err | check |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  const ratio = (r: Row, m: Map<WorkloadId, number>) => {
    const gl = m.get(r.workload);
    return r.system.startsWith("gradlens") || r.medianMs === undefined || gl === undefined
      ? ""
      : `${(gl / r.medianMs).toFixed(2)}×`;
  };
  for (const r of rows) {
    const method = `\`${r.method}\`${r.idiomatic ? "" : " (fallback)"}`;
    if (r.verdict === "FAILED") {
      lines.push(
        `| ${r.workload} | ${r.systemLabel} | ${method} | — | — | — | — | — | — | FAILED: ${r.error} |`,
      );
      continue;
    }
    const check = r.verdict + (r.leakedArrays ? `, ${r.leakedArrays} arrays leaked` : "");
    lines.push(
      `| ${r.workload} | ${r.systemLabel} | ${method} | ${fmtMs(r.medianMs!)} | ${Number.isNaN(r.cpuMedianMs) ? "—" : fmtMs(r.cpuMedianMs!)} | ${r.timesMs!.length} | ${ratio(r, glMedian)} | ${ratio(r, jitMedian)} | ${fmtErr(r.maxRelError!)} | ${check} |`,
    );
  }
  return lines.join("\n");
}

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function machine(): string {
  const cpus = os.cpus();
  return [
    `CPU: ${cpus[0]?.model ?? "unknown"} × ${cpus.length} logical cores`,
    `Node ${process.version}, ${os.platform()} ${os.release()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `Load average at start (1/5/15 min): ${loadavg()}`,
    `gradlens engine: ${engineVersion()}`,
  ].join("\n");
}

/** The commit the engine was measured at, and whether src/ had uncommitted edits on top of it. */
function engineVersion(): string {
  try {
    const head = execSync("git log -1 --format=%h%x20%s", { encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain -- src", { encoding: "utf8" }).trim();
    return `${head}${dirty ? ` (+ ${dirty.split("\n").length} uncommitted path(s) under src/)` : ""}`;
  } catch {
    return "unknown (not a git checkout)";
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const systems = SYSTEMS.filter((s) => opts.systems.includes(s.id));
  const header = [machine(), `Command: tsx bench/run.ts ${process.argv.slice(2).join(" ")}`.trim()];
  const backendInfo: Record<string, string> = {};
  for (const s of systems) {
    try {
      backendInfo[s.id] = await s.init();
    } catch (e) {
      backendInfo[s.id] = `init failed: ${firstLine(e)}`;
    }
    header.push(`${s.label}: ${backendInfo[s.id]}`);
  }
  console.log(header.join("\n") + "\n");

  const rows: Row[] = [];
  const glMedian = new Map<WorkloadId, number>();
  const jitMedian = new Map<WorkloadId, number>();
  for (const spec of WORKLOADS.filter((w) => opts.workloads.includes(w.id))) {
    const n = opts.quick ? spec.n.quick : spec.n.full;
    const data = makeWorkloadData(spec, n);
    console.log(`${spec.id} (N = ${n}, MLP [${spec.sizes.join(", ")}]): ${spec.title}`);
    const live = systems.filter((sys) => !backendInfo[sys.id].startsWith("init failed"));
    for (const row of await runWorkload(data, live, opts)) {
      rows.push(row);
      if (row.system === "gradlens" && row.medianMs !== undefined) glMedian.set(spec.id, row.medianMs);
      if (row.system === "gradlens-jit" && row.medianMs !== undefined) jitMedian.set(spec.id, row.medianMs);
      console.log(`  ${describe(row)}`);
    }
  }

  for (const s of systems) s.close?.();
  console.log("\n" + table(rows, glMedian, jitMedian));
  console.log(`\nRelative error = max|a − b| / max|b| per output block, largest over blocks.`);
  console.log(
    `Ratio = gradlens median ÷ peer median (below 1× means gradlens is faster); "+jit" uses the jitted gradlens row.`,
  );
  console.log(targets(rows, glMedian));
  console.log(
    `\nTotal wall time ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end ${loadavg()}`,
  );
  if (opts.json) {
    mkdirSync(path.dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify({ header, backendInfo, options: opts, rows }, null, 2));
    console.log(`Wrote ${opts.json}`);
  }
}

function describe(r: Row): string {
  const what = `${r.systemLabel.padEnd(34)} ${r.method}`;
  if (r.verdict === "FAILED") return `${what}: FAILED (${r.error})`;
  return `${what}: ${fmtMs(r.medianMs!)} ms, rel err ${fmtErr(r.maxRelError!)} [${r.verdict}]${r.note ? ` (${r.note})` : ""}`;
}

/** The lead's targets: gradlens float64 beats TF.js cpu on W1, W2, W4 and computes W3. */
/** Issue 12: gradlens (best of eager and jit) ÷ PyTorch float64 (best method) at most this. */
const TORCH_TARGET: Record<WorkloadId, number> = { W1: 1.5, W2: 1.5, W3: 1.0, W4: 2.5 };

function targets(rows: Row[], glMedian: Map<WorkloadId, number>): string {
  const out = ["\nTargets:"];
  for (const w of Object.keys(TORCH_TARGET) as WorkloadId[]) {
    const torch = rows.filter((r) => r.workload === w && r.system === "torch" && r.verdict === "ok");
    const gls = rows.filter((r) => r.workload === w && r.system.startsWith("gradlens") && r.verdict === "ok");
    if (!torch.length || !gls.length) continue;
    // Wall time, and CPU time (steadier when other processes compete for the cores).
    for (const [what, key] of [
      ["wall", "medianMs"],
      ["CPU", "cpuMedianMs"],
    ] as const) {
      const best = Math.min(...torch.map((r) => r[key]!));
      const gl = Math.min(...gls.map((r) => r[key]!));
      const r = gl / best;
      out.push(
        `  ${w} (${what}): gradlens ${fmtMs(gl)} ms ÷ PyTorch float64 ${fmtMs(best)} ms = ${r.toFixed(2)}× ` +
          `(target ≤ ${TORCH_TARGET[w]}×) → ${r <= TORCH_TARGET[w] ? "MET" : "NOT met"}`,
      );
    }
  }
  for (const w of ["W1", "W2", "W4"] as WorkloadId[]) {
    const tf = rows.find((r) => r.workload === w && r.system === "tfjs-cpu" && r.idiomatic);
    const gl = glMedian.get(w);
    if (!tf || gl === undefined || tf.medianMs === undefined) continue;
    out.push(
      `  ${w}: gradlens ${fmtMs(gl)} ms vs TF.js cpu ${fmtMs(tf.medianMs)} ms → ${gl < tf.medianMs ? "MET" : "NOT met"}`,
    );
  }
  const w3 = rows.find((r) => r.workload === "W3" && r.system === "gradlens");
  if (w3)
    out.push(
      `  W3: gradlens ${w3.verdict === "ok" ? "computes it (verified)" : `does not: ${w3.error ?? w3.verdict}`}`,
    );
  return out.join("\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
