/**
 * Damaged model files through the whole loader: truncations and seeded bit flips of a real file of
 * every format (Keras 3 .keras zip, legacy .h5 from Keras 1 and tf.keras, an architecture JSON with
 * its weights-only .h5, a TF.js model.json and its shard) fed to `loadModel` may only load (when the
 * damage hits plain weight data) or fail with a `ModelFormatError` / `UnsupportedLayerError`:
 * never another exception, never a crash, never a hang.
 *
 * A hang cannot be caught inside the process that hangs, so the fuzz loop runs in a child process
 * and this test is its watchdog: the timeout only separates "finished" from "stuck".
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "..");
const WATCHDOG_MS = 120_000;
const CASES_PER_TARGET = 60;

/** What is damaged, and the companion files loadModel gets with it (paths under test/fixtures/real). */
const TARGETS = [
  { name: "keras3 zip", damage: "keras3/flownet/final_model.keras" },
  { name: "legacy h5 (tf.keras 2.2.4, Bidirectional LSTM)", damage: "dl4j/tfkeras/rnn_31.h5" },
  { name: "legacy h5 (Keras 1.2.2 LSTM)", damage: "dl4j/weights/lstm_tensorflow_1.h5" },
  {
    name: "architecture JSON (damaged) + weights.h5",
    damage: "tensorspace/keras-separated/topology.json",
    weightsFile: "tensorspace/keras-separated/weights.h5",
  },
  {
    name: "architecture JSON + weights.h5 (damaged)",
    damage: "tensorspace/keras-separated/weights.h5",
    topology: "tensorspace/keras-separated/topology.json",
  },
  {
    name: "TF.js model.json (damaged) + shard",
    damage: "tfjs-examples/abalone-node/model.json",
    shards: { "weights.bin": "tfjs-examples/abalone-node/weights.bin" },
  },
  {
    name: "TF.js model.json + shard (damaged)",
    damage: "tfjs-examples/abalone-node/weights.bin",
    tfjsJson: "tfjs-examples/abalone-node/model.json",
  },
];

const CHILD = `
const fs = await import("node:fs");
const { loadModel, ModelFormatError, UnsupportedLayerError } = await import("./src/io/index.ts");
const { setWarningHandler } = await import("./src/index.ts");
setWarningHandler(() => {});
const [targets, perTarget] = JSON.parse(process.argv[1]);
const root = "test/fixtures/real/";
const file = (rel) => new Uint8Array(fs.readFileSync(root + rel));

let seed = 424242; // mulberry32
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function mutate(bytes, k) {
  if (k % 3 === 0) return bytes.slice(0, Math.floor(rand() * bytes.length));
  const out = bytes.slice();
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips; i++) {
    const at = k % 3 === 1 ? Math.floor(rand() * Math.min(4096, out.length)) : Math.floor(rand() * out.length);
    out[at] ^= 1 << Math.floor(rand() * 8);
  }
  return out;
}

const summary = { loaded: 0, formatErrors: 0, unsupported: 0, unexpected: [], slowestMs: 0 };
for (const t of targets) {
  const original = file(t.damage);
  for (let k = 0; k < perTarget; k++) {
    const bytes = mutate(original, k);
    const start = performance.now();
    try {
      let model;
      if (t.weightsFile) model = await loadModel(bytes, { weights: file(t.weightsFile), label: "topology.json" });
      else if (t.topology) model = await loadModel(file(t.topology), { weights: bytes, label: "topology.json" });
      else if (t.shards)
        model = await loadModel(bytes, {
          label: "model.json",
          weights: Object.fromEntries(Object.entries(t.shards).map(([k, v]) => [k, file(v)])),
        });
      else if (t.tfjsJson) model = await loadModel(file(t.tfjsJson), { label: "model.json", weights: { "weights.bin": bytes } });
      else model = await loadModel(bytes, { label: "fuzz" });
      model.weights.length;
      summary.loaded++;
    } catch (e) {
      if (e instanceof ModelFormatError) summary.formatErrors++;
      else if (e instanceof UnsupportedLayerError) summary.unsupported++;
      else summary.unexpected.push({ target: t.name, k, error: String(e && e.stack || e).slice(0, 600) });
    }
    summary.slowestMs = Math.max(summary.slowestMs, performance.now() - start);
  }
}
console.log(JSON.stringify(summary));
`;

describe("loadModel on damaged files", () => {
  it(
    `${TARGETS.length} formats × ${CASES_PER_TARGET} truncations and bit flips: only typed errors, no hang`,
    () => {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", CHILD, JSON.stringify([TARGETS, CASES_PER_TARGET])],
        { cwd: REPO, encoding: "utf8", timeout: WATCHDOG_MS, maxBuffer: 1 << 24 },
      );
      expect(r.error, "the fuzz child hung or could not start").toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
        loaded: number;
        formatErrors: number;
        unsupported: number;
        unexpected: { target: string; k: number; error: string }[];
      };
      expect(summary.unexpected).toEqual([]);
      expect(summary.loaded + summary.formatErrors + summary.unsupported).toBe(
        TARGETS.length * CASES_PER_TARGET,
      );
      expect(summary.formatErrors).toBeGreaterThan(0);
    },
    WATCHDOG_MS + 10_000,
  );
});
