/**
 * A first-order `analyze` (summary + DGSM, every other section off) on 1e6 rows, against the same
 * job written in one PyTorch script (bench/peers/torch_analyze.py: functorch per-sample
 * gradients in batches, then means, mean squares, quantiles and the DGSM bound). Not a test.
 *
 *   npx tsx bench/analyze-vs-torch.ts [--rows 1000000] [--batch 1024,8192] [--skip-torch]
 *
 * The model is W1's MLP [8, 64, 64, 1] (tanh hidden, linear out; bench/workloads.ts), on
 * standard-normal inputs; both sides get the same float64 numbers (PyTorch through raw files).
 * For each batch size the two run one after the other (gradlens first), once each: on this
 * shared 2-core machine read the ratio, not the milliseconds. The statistics of the two are
 * compared (largest relative difference per kind), so the table compares the same computation.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { array, type Tensor } from "../src/index.js";
import { analyze } from "../src/sensitivity/index.js";
import { findTorchPython } from "./peers/torch.js";
import { makeWorkloadData, WORKLOADS } from "./workloads.js";

const argv = process.argv.slice(2);
const arg = (flag: string, dflt: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : dflt);
const rows = Number(arg("--rows", "1000000"));
const batches = arg("--batch", "1024,8192").split(",").map(Number);
const skipTorch = argv.includes("--skip-torch");
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "peers", "torch_analyze.py");

interface Stats {
  mean: number;
  meanAbs: number;
  rms: number;
  std: number;
  min: number;
  max: number;
  quantiles: number[];
}
interface JobResult {
  /** Wall ms of the whole job, of its derivative pass and of its statistics; CPU ms of the whole. */
  ms: { total: number; gradients: number; stats: number; cpu: number };
  values: Stats;
  gradients: Stats[];
  dgsm: { nu: number; bound: number }[];
}

const spec = WORKLOADS.find((w) => w.id === "W1")!;
const data = makeWorkloadData(spec, rows);
const sizes = spec.sizes;

function runGradlens(batchSize: number): JobResult {
  const params = data.layers.map((l) => ({ W: array(l.W, { shape: [l.fanIn, l.fanOut] }), b: array(l.b) }));
  const mlp = ({ x }: Record<string, Tensor>) =>
    params.reduce((h, { W, b }, i) => {
      const z = h.matmul(W).add(b);
      return i + 1 < params.length ? z.tanh() : z;
    }, x);
  const X = array(data.x, { shape: [rows, sizes[0]] });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = analyze(
    mlp,
    { x: X },
    {
      batchSize,
      secondOrder: false,
      elasticities: false,
      attributionSamples: 0,
      integratedGradients: false,
      smoothGrad: false,
      expectedGradients: false,
      verifySamples: 0,
      bootstrap: 0,
      dgsm: true,
      dgsmDistribution: "uniform",
      // Every value kept, so the quantiles are exact as in the PyTorch script (the default keeps
      // 1e6 values per statistic and samples rows beyond that).
      quantileMaxValues: rows * sizes[0],
    },
  );
  const total = performance.now() - t0;
  const dc = process.cpuUsage(c0);
  const st = (s: Record<string, unknown>): Stats => ({
    mean: Number(s.mean),
    meanAbs: Number(s.meanAbs),
    rms: Number(s.rms),
    std: Number(s.std),
    min: Number(s.min),
    max: Number(s.max),
    quantiles: (s.quantiles as unknown[]).map(Number),
  });
  const grads = r.summary.gradients
    .filter((g) => g.outputIndex === 0)
    .sort((a, b) => a.featureIndex - b.featureIndex);
  const dg = r
    .dgsm!.entries.filter((e) => e.outputIndex === 0)
    .sort((a, b) => a.featureIndex - b.featureIndex);
  return {
    ms: {
      total,
      gradients: r.meta.timingsMs.derivatives,
      stats: r.meta.timingsMs.summary,
      cpu: (dc.user + dc.system) / 1000,
    },
    values: st(r.summary.values[0].stats as unknown as Record<string, unknown>),
    gradients: grads.map((g) => st(g.stats as unknown as Record<string, unknown>)),
    dgsm: dg.map((e) => ({ nu: Number(e.nu), bound: Number(e.sobolTotalUpperBound) })),
  };
}

function runTorch(python: string, dir: string, batchSize: number): JobResult {
  const r = spawnSync(python, [SCRIPT, dir, String(rows), sizes.join(","), String(batchSize)], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  if (r.status !== 0)
    throw new Error(`torch_analyze.py failed (${r.status}): ${r.stderr.trim().split("\n").pop()}`);
  return JSON.parse(r.stdout) as JobResult;
}

/** Largest |a − b| / max(|b|, tiny) over a list of pairs. */
const rel = (pairs: [number, number][]) =>
  Math.max(...pairs.map(([a, b]) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)));

function compare(g: JobResult, t: JobResult): string {
  const kinds: Record<string, [number, number][]> = {
    "mean, rms, std": [],
    quantiles: [],
    "DGSM ν, bound": [],
  };
  const both = [[g.values, t.values], ...g.gradients.map((s, j) => [s, t.gradients[j]])] as [Stats, Stats][];
  for (const [a, b] of both) {
    kinds["mean, rms, std"].push(
      [a.mean, b.mean],
      [a.meanAbs, b.meanAbs],
      [a.rms, b.rms],
      [a.std, b.std],
      [a.min, b.min],
      [a.max, b.max],
    );
    a.quantiles.forEach((q, i) => kinds.quantiles.push([q, b.quantiles[i]]));
  }
  g.dgsm.forEach((e, j) => kinds["DGSM ν, bound"].push([e.nu, t.dgsm[j].nu], [e.bound, t.dgsm[j].bound]));
  return Object.entries(kinds)
    .map(([k, p]) => `${k} ${rel(p).toExponential(1)}`)
    .join("; ");
}

function main() {
  console.log(
    `analyze (summary + DGSM, first order) on ${rows} rows, MLP [${sizes.join(", ")}], ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  const found = skipTorch ? { reason: "--skip-torch" } : findTorchPython();
  let dir: string | null = null;
  if ("python" in found) {
    dir = mkdtempSync(path.join(os.tmpdir(), "gradlens-analyze-"));
    const put = (name: string, a: Float64Array) =>
      writeFileSync(path.join(dir!, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    put("x.bin", data.x);
    data.layers.forEach((l, i) => {
      put(`W${i}.bin`, l.W);
      put(`b${i}.bin`, l.b);
    });
  } else console.log(`PyTorch skipped: ${found.reason}`);
  const lines = [
    "| batch rows | gradlens wall ms | (derivative pass / summary) | CPU ms | PyTorch wall ms | (gradients / statistics) | CPU ms | gradlens ÷ PyTorch, wall / CPU | max rel diff |",
    "|---:|---:|---|---:|---:|---|---:|---|---|",
  ];
  try {
    for (const b of batches) {
      const g = runGradlens(b);
      const gms = `${g.ms.total.toFixed(0)} | ${g.ms.gradients.toFixed(0)} / ${g.ms.stats.toFixed(0)} | ${g.ms.cpu.toFixed(0)}`;
      if (!("python" in found)) {
        lines.push(`| ${b} | ${gms} | — | — | — | — | — |`);
        continue;
      }
      const t = runTorch(found.python, dir!, b);
      lines.push(
        `| ${b} | ${gms} | ${t.ms.total.toFixed(0)} | ${t.ms.gradients.toFixed(0)} / ${t.ms.stats.toFixed(0)} | ${t.ms.cpu.toFixed(0)} | ` +
          `${(g.ms.total / t.ms.total).toFixed(2)}× / ${(g.ms.cpu / t.ms.cpu).toFixed(2)}× | ${compare(g, t)} |`,
      );
      console.log(lines[lines.length - 1]);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  console.log("\n" + lines.join("\n"));
  console.log(
    `load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

main();
