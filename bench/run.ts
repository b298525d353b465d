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
 */
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, relError, time } from "./measure.js";
import { gradlens } from "./peers/gradlens.js";
import { jaxjsEager, jaxjsJit } from "./peers/jaxjs.js";
import { tfjsCpu, tfjsWasm } from "./peers/tfjs.js";
import type { Method, System } from "./peers/types.js";
import { referenceRow } from "./reference.js";
import {
  makeWorkloadData,
  outputBlocks,
  WORKLOADS,
  type Block,
  type WorkloadData,
  type WorkloadId,
} from "./workloads.js";

const SYSTEMS: System[] = [gradlens, tfjsCpu, tfjsWasm, jaxjsEager, jaxjsJit];

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

async function runMethod(
  sys: System,
  m: Method,
  data: WorkloadData,
  opts: Options,
  reference: ArrayLike<number>[] | null,
): Promise<{ row: Row; out: ArrayLike<number>[] | null }> {
  const blocks = outputBlocks(data);
  const row: Row = {
    workload: data.spec.id,
    n: data.n,
    system: sys.id,
    systemLabel: sys.label,
    method: m.label,
    idiomatic: m.idiomatic,
    approximate: m.approximate ?? false,
    checkedAgainst: reference
      ? "gradlens float64, all rows"
      : `hand-derived float64, ${sampleRows(data.n).length} rows`,
    verdict: "FAILED",
  };
  const live0 = sys.liveArrays?.();
  let runner;
  try {
    runner = await m.prepare(data);
    const t = await time(runner, opts.warmup, opts.runs, opts.slowMs);
    row.timesMs = t.times.map((x) => +x.toFixed(2));
    row.medianMs = +median(t.times).toFixed(2);
    row.cpuMedianMs = +median(t.cpuTimes).toFixed(2);
    row.note = t.note;
    row.blockErrors = reference
      ? blocks.map((b, k) => ({ block: b.name, rel: relError(t.out[k], reference[k]) }))
      : checkAgainstAnalytic(data, blocks, t.out);
    row.maxRelError = Math.max(...row.blockErrors.map((e) => e.rel));
    // An approximation (finite differences) is never "ok", only "approx" when its error is modest.
    if (m.approximate) row.verdict = row.maxRelError <= APPROX_TOLERANCE ? "approx" : "WRONG";
    else row.verdict = row.maxRelError <= TOLERANCE[sys.dtype] ? "ok" : "WRONG";
    return { row, out: t.out };
  } catch (e) {
    row.error = firstLine(e);
    return { row, out: null };
  } finally {
    try {
      runner?.dispose();
    } catch (e) {
      row.note = `${row.note ? row.note + "; " : ""}dispose failed: ${firstLine(e)}`;
    }
    const live1 = sys.liveArrays?.();
    if (live0 !== undefined && live1 !== undefined && live1 !== live0) row.leakedArrays = live1 - live0;
  }
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtErr = (e: number) => (Number.isFinite(e) ? e.toExponential(1) : "∞");

function table(rows: Row[], glMedian: Map<WorkloadId, number>): string {
  const lines = [
    "| workload | system | method | median ms | CPU ms | runs | gradlens ÷ peer | max rel err | check |",
    "|---|---|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const gl = glMedian.get(r.workload);
    const ratio =
      r.system === "gradlens" || r.medianMs === undefined || gl === undefined
        ? ""
        : `${(gl / r.medianMs).toFixed(2)}×`;
    const method = `\`${r.method}\`${r.idiomatic ? "" : " (fallback)"}`;
    if (r.verdict === "FAILED") {
      lines.push(`| ${r.workload} | ${r.systemLabel} | ${method} | — | — | — | — | — | FAILED: ${r.error} |`);
      continue;
    }
    const check = r.verdict + (r.leakedArrays ? `, ${r.leakedArrays} arrays leaked` : "");
    lines.push(
      `| ${r.workload} | ${r.systemLabel} | ${method} | ${fmtMs(r.medianMs!)} | ${Number.isNaN(r.cpuMedianMs) ? "—" : fmtMs(r.cpuMedianMs!)} | ${r.timesMs!.length} | ${ratio} | ${fmtErr(r.maxRelError!)} | ${check} |`,
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
  for (const spec of WORKLOADS.filter((w) => opts.workloads.includes(w.id))) {
    const n = opts.quick ? spec.n.quick : spec.n.full;
    const data = makeWorkloadData(spec, n);
    console.log(`${spec.id} (N = ${n}, MLP [${spec.sizes.join(", ")}]): ${spec.title}`);
    // gradlens goes first: its float64 answer is the reference for every peer.
    const gl = await runMethod(gradlens, gradlens.methods(spec.kind)[0], data, opts, null);
    if (systems.includes(gradlens)) {
      rows.push(gl.row);
      if (gl.row.medianMs !== undefined) glMedian.set(spec.id, gl.row.medianMs);
      console.log(`  ${describe(gl.row)}`);
    }
    for (const sys of systems) {
      if (sys === gradlens || backendInfo[sys.id].startsWith("init failed")) continue;
      for (const m of sys.methods(spec.kind)) {
        const { row } = await runMethod(sys, m, data, opts, gl.out);
        rows.push(row);
        console.log(`  ${describe(row)}`);
      }
    }
  }

  console.log("\n" + table(rows, glMedian));
  console.log(`\nRelative error = max|a − b| / max|b| per output block, largest over blocks.`);
  console.log(`Ratio = gradlens median ÷ peer median (below 1× means gradlens is faster).`);
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
function targets(rows: Row[], glMedian: Map<WorkloadId, number>): string {
  const out = ["\nTargets:"];
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
