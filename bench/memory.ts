/**
 * Peak memory of `analyze` against the number of rows (not a test: it takes minutes).
 *
 *   npx tsx bench/memory.ts [library|cli|both] [rows…]     (default: both 1e5 1e6 3e6)
 *
 * Each run is a fresh child process that reports its peak RSS (`process.resourceUsage().maxRSS`):
 *
 * - `library`: `analyze()` of a small nonlinear pricing target (price + 3 features, one output,
 *   finance on price, two what-if shocks, attribution and verification on their default 10 rows)
 *   on data generated in memory. The data itself (rows × 4 × 8 bytes) is the caller's and is
 *   printed separately; what `analyze` adds on top is what must not grow with the rows.
 * - `cli`: `gradlens analyze model.keras --data rows.csv --finance price=price --shock … --json`,
 *   in process, on a CSV written to a temporary folder (about 60 bytes per row; reused across
 *   runs of the same size).
 *
 * Prints rows, peak RSS, RSS after start-up and once the data is in memory (library mode; the
 * CLI reads its data inside the run), the data's bytes (rows × 4 × 8), the peak above the ready
 * RSS (what the run itself added) and the peak relative to the smallest run. Times are wall-clock and only indicative on a shared machine.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TMP = join(tmpdir(), "gradlens-bench-memory");
const D = 3;
const W = [
  [0.8, -0.3, 0.5, 0.1],
  [-0.5, 0.4, 0.2, -0.7],
  [0.3, 0.9, -0.6, 0.4],
];
const V = [[0.6], [-0.4], [0.3], [0.2]];
const SHOCKS = ["price:+1%", "x:+0.05"];

const mb = (bytes: number) => bytes / 2 ** 20;
const peakMb = () => process.resourceUsage().maxRSS / 1024;

/** A seeded LCG in [0, 1) (the bench needs cheap, reproducible numbers, not quality). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function child(mode: string, n: number): Promise<void> {
  const g = await import("../src/index.js");
  await import("../src/io/index.js");
  const { analyze } = await import("../src/sensitivity/index.js");
  const startRss = process.memoryUsage().rss / 2 ** 20;
  let t0 = performance.now();
  let readyRss = startRss;
  let timings: unknown = null;
  if (mode === "library") {
    const rnd = lcg(1);
    const data = {
      price: g.array(new Float64Array(n).map(() => 80 + 40 * rnd())),
      x: g.array(
        new Float64Array(n * D).map(() => 2 * rnd() - 1),
        { shape: [n, D] },
      ),
    };
    readyRss = process.memoryUsage().rss / 2 ** 20;
    t0 = performance.now();
    const w = g.array(W);
    const v = g.array(V);
    const r = analyze(
      ({ price: p, x: f }) =>
        g
          .tanh(f.matmul(w))
          .matmul(v)
          .add(1)
          .mul(p.reshape([-1, 1])),
      data,
      {
        finance: { price: "price" },
        whatif: [
          { name: "price +1%", shock: { price: { relative: 0.01 } } },
          { name: "x +0.05", shock: { x: { absolute: 0.05 } } },
        ],
      },
    );
    timings = r.meta.timingsMs;
  } else {
    const dir = join(TMP, String(n));
    mkdirSync(dir, { recursive: true });
    const model = join(dir, "model.keras");
    if (!existsSync(model)) {
      const price = g.Input({ shape: [1], name: "price" });
      const xin = g.Input({ shape: [D], name: "x" });
      const hidden = new g.layers.Dense({ units: 4, activation: "tanh", name: "h" });
      const out = new g.layers.Dense({ units: 1, name: "y" });
      const y = out.apply(hidden.apply(new g.layers.Concatenate({}).apply([price, xin])));
      hidden.setWeights([g.array([[0.01, -0.02, 0.01, 0.0], ...W]), g.array([0, 0, 0, 0])]);
      out.setWeights([g.array(V), g.array([1])]);
      await new g.Model({ inputs: [price, xin], outputs: y }).save(model);
    }
    const csv = join(dir, "rows.csv");
    if (!existsSync(csv)) await writeCsv(csv, n);
    const { main } = await import("../src/cli/main.js");
    const { memoryIO } = await import("../src/cli/io.js");
    const io = memoryIO({ cwd: dir });
    const argv = ["analyze", "model.keras", "-d", "rows.csv", "-i", "x=x0..x2", "--finance", "price=price"];
    for (const s of SHOCKS) argv.push("--shock", s);
    const code = await main([...argv, "--json", "out.json", "-q"], io);
    if (code !== 0) throw new Error(`gradlens exited ${code}: ${io.err()}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const dataMb = mb(n * (D + 1) * 8);
  console.log(JSON.stringify({ mode, n, peakMb: peakMb(), startRss, readyRss, dataMb, seconds, timings }));
}

async function writeCsv(path: string, n: number): Promise<void> {
  const rnd = lcg(2);
  const out = createWriteStream(path);
  out.write(`id,price,${Array.from({ length: D }, (_, j) => `x${j}`).join(",")}\n`);
  let buf = "";
  for (let i = 0; i < n; i++) {
    buf += `r${i},${(80 + 40 * rnd()).toFixed(4)}`;
    for (let j = 0; j < D; j++) buf += `,${(2 * rnd() - 1).toFixed(6)}`;
    buf += "\n";
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once("finish", () => r()));
}

function parent(modes: string[], sizes: number[]): void {
  const self = fileURLToPath(import.meta.url);
  for (const mode of modes) {
    const rows: {
      n: number;
      peakMb: number;
      startRss: number;
      readyRss: number;
      dataMb: number;
      seconds: number;
    }[] = [];
    for (const n of sizes) {
      const r = spawnSync(process.execPath, ["--import", "tsx", self, "child", mode, String(n)], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      const line = r.stdout.trim().split("\n").pop() ?? "";
      if (r.status !== 0 || !line.startsWith("{")) {
        console.error(`${mode} ${n}: failed (${r.status})\n${r.stderr}`);
        continue;
      }
      rows.push(JSON.parse(line));
    }
    console.log(`\n${mode}: peak RSS by rows (MB; times wall-clock, under load)`);
    console.log("rows        peak RSS   start RSS   ready RSS   data   peak−ready   peak ÷ first   seconds");
    for (const r of rows)
      console.log(
        [
          String(r.n).padEnd(10),
          r.peakMb.toFixed(0).padStart(9),
          r.startRss.toFixed(0).padStart(11),
          r.readyRss.toFixed(0).padStart(11),
          r.dataMb.toFixed(0).padStart(6),
          (r.peakMb - r.readyRss).toFixed(0).padStart(12),
          (r.peakMb / rows[0].peakMb).toFixed(2).padStart(14),
          r.seconds.toFixed(1).padStart(9),
        ].join(" "),
      );
  }
}

const [first, ...rest] = process.argv.slice(2);
if (first === "child") await child(rest[0], Number(rest[1]));
else {
  const modes = first === "library" || first === "cli" ? [first] : ["library", "cli"];
  const nums = (
    first === "library" || first === "cli" || first === "both" ? rest : process.argv.slice(2)
  ).map(Number);
  parent(modes, nums.length > 0 ? nums : [1e5, 1e6, 3e6]);
}
