/**
 * Time and peak memory of loading each decompression bomb of issue 9 (and hostile JSON data), one
 * child process per case so that each peak RSS is its own. Not a test: the tests
 * (test/io.bombs.test.ts, test/cli.json.bounds.test.ts) assert the typed errors and the inflated
 * byte counts at small sizes; this measures the sizes.
 *
 *   npx tsx bench/bombs.ts                         # this tree, issue sizes (1.5e9 zeros, 2.5e8 padding)
 *   npx tsx bench/bombs.ts --src /tmp/before       # another checkout's src/ (e.g. `git archive <ref> src`)
 *   npx tsx bench/bombs.ts --zeros 2e8 --pad 5e7 --only unusedEntry,configLiar100
 *
 * Each row: the outcome (loaded, or the error's first words), wall time of `loadModel` (or of
 * parsing the data) inside the child, modules already imported, and the child's peak RSS (`process.resourceUsage().maxRSS`,
 * Node's start-up included: compare with the `control` row, the same model without a bomb).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { declareSize, kerasBombs, kerasWith } from "../test/helpers/zipBombs.js";

const REPO = path.resolve(import.meta.dirname, "..");
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const src = path.resolve(arg("src", REPO));
const zeros = Number(arg("zeros", "1.5e9"));
const pad = Number(arg("pad", "2.5e8"));
const only = arg("only", "")
  .split(",")
  .filter((s) => s !== "");

const work = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-bombs-"));
const base = new Uint8Array(
  fs.readFileSync(path.join(REPO, "test/fixtures/real/keras3/flownet/final_model.keras")),
);

/** name → [file to write, how the child reads it ("model" or "data"), what it is]. */
function cases(): [string, () => Uint8Array | string, "model" | "data", string][] {
  let big: Record<string, Uint8Array> | null = null;
  const bombs = () => (big ??= kerasBombs(base, zeros));
  return [
    ["control", () => base, "model", "the real model, no bomb"],
    [
      "unusedEntry",
      () => bombs().unusedEntry,
      "model",
      `unused assets/bomb.bin, ${zeros} zeros, honest size`,
    ],
    [
      "unusedLiar",
      () => bombs().unusedLiar,
      "model",
      `unused entry declaring 100 bytes, inflating to ${zeros}`,
    ],
    [
      "configLiar100",
      () => declareSize(kerasWith(base, [{ name: "config.json", zeros }]), "config.json", 100),
      "model",
      `config.json declaring 100 bytes, inflating to ${zeros}`,
    ],
    [
      "weightsLiar",
      () => bombs().weightsLiar,
      "model",
      `model.weights.h5 + ${zeros} zeros past its declared size`,
    ],
    [
      "paddedConfig",
      () => kerasBombs(base, pad).paddedConfig,
      "model",
      `config.json with ${pad} bytes of spaces, honest size`,
    ],
    ["paddedWeights", () => bombs().paddedWeights, "model", `model.weights.h5 + ${zeros} zeros, honest size`],
    [
      "deepData",
      () => `{"x": ${"[".repeat(5000)}1${"]".repeat(5000)}}`,
      "data",
      "JSON data nested 5,000 deep",
    ],
  ];
}

const CHILD = `
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [src, kind, file] = process.argv.slice(2);
const at = (p) => pathToFileURL(src + p).href;
let outcome;
const { loadModel } = await import(at("/src/io/index.ts"));
const { parseJsonData } = await import(at("/src/cli/data/json.ts"));
const t0 = performance.now();
try {
  if (kind === "model") {
    const m = await loadModel(file);
    outcome = "loaded (" + m.countParams() + " params)";
  } else {
    parseJsonData(fs.readFileSync(file, "utf8"), "data.json");
    outcome = "parsed";
  }
} catch (e) {
  outcome = (e?.name ?? typeof e) + " (exit " + (e?.code ?? (e?.name === "ModelFormatError" ? 4 : 70)) + "): " + String(e?.message).slice(0, 140);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ outcome, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

const childFile = path.join(work, "child.mts");
fs.writeFileSync(childFile, CHILD);
const tsx = path.join(REPO, "node_modules/.bin/tsx");

console.log(
  `src: ${src}\nzeros: ${zeros}, padding: ${pad}; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}\n`,
);
console.log("| case | what | file size | outcome | time | peak RSS |");
console.log("|---|---|---:|---|---:|---:|");
try {
  for (const [name, make, kind, what] of cases()) {
    if (only.length > 0 && !only.includes(name) && name !== "control") continue;
    const file = path.join(work, kind === "model" ? `${name}.keras` : `${name}.json`);
    fs.writeFileSync(file, make());
    const size = fs.statSync(file).size;
    const run = spawnSync(tsx, [childFile, src, kind, file], {
      cwd: REPO,
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    const line = run.stdout.trim().split("\n").pop() ?? "";
    let row: { outcome: string; ms: number; maxRssMiB: number };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      row = {
        outcome: `crashed (status ${run.status}): ${run.stderr.trim().split("\n").slice(-1)[0]}`,
        ms: NaN,
        maxRssMiB: NaN,
      };
    }
    const kb = (size / 1024).toFixed(0);
    console.log(
      `| ${name} | ${what} | ${kb} KB | ${row.outcome.replace(/\|/g, "/")} | ${(row.ms / 1000).toFixed(2)} s | ${row.maxRssMiB.toFixed(0)} MiB |`,
    );
    fs.rmSync(file);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
