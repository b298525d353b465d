/**
 * Damaged inputs must fail cleanly: truncations and seeded bit flips of real files (legacy .h5,
 * Keras 3 .keras zip, TF.js model.json, .npy) fed to the io readers may only ever produce a
 * `ModelFormatError` (or parse, when the damage hits plain data), never another exception type,
 * never a crash, never a hang.
 *
 * A hang cannot be caught inside the process that hangs (a synchronous loop never yields to a
 * timer), so the fuzz loop runs in a child process and this test is its watchdog: the generous
 * timeout below only separates "finished" from "stuck", it is not a speed requirement.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "..");
const WATCHDOG_MS = 120_000;

/** Real files and the reader each one goes through (paths relative to test/fixtures/real). */
const TARGETS = [
  ["dl4j/weights/lstm_tensorflow_2.h5", "hdf5"],
  ["dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_inputs_and_outputs.h5", "hdf5"],
  ["keras3/kdp/test_model.keras", "keras"],
  ["tfjs-examples/abalone-node/model.json", "json"],
  ["dl4j/deconv/mb1_k1_sz8_s1_valid_d1_nchw_W.npy", "npy"],
] as const;
const CASES_PER_FILE = 300;

/**
 * The child: plain ESM run through tsx so it can import the TypeScript sources. It prints one
 * JSON summary line. Mutations: truncation at an evenly spread or random length, or 1-4 random
 * bit flips (half of them in the first 4 KiB, where HDF5 and zip structure lives).
 */
const CHILD = `
const fs = await import("node:fs");
const { openHdf5 } = await import("./src/io/containers/hdf5.ts");
const { readZip } = await import("./src/io/containers/zip.ts");
const { parseJsonSafe } = await import("./src/io/containers/json.ts");
const { parseNpy } = await import("./src/io/containers/npy.ts");
const { ModelFormatError } = await import("./src/io/errors.ts");
const [targets, perFile] = JSON.parse(process.argv[1]);

function walk(node) {
  node.attrs();
  if (node.kind === "dataset") return void (node.shape, node.dtype, node.read());
  for (const k of node.keys()) walk(node.get(k));
}
const text = (b) => new TextDecoder().decode(b);
const readers = {
  hdf5: (b) => walk(openHdf5(b, "fuzz.h5")),
  keras: (b) => {
    for (const [name, data] of readZip(b, "fuzz.keras"))
      name.endsWith(".h5") ? walk(openHdf5(data, name)) : parseJsonSafe(text(data), name);
  },
  json: (b) => parseJsonSafe(text(b), "model.json"),
  npy: (b) => parseNpy(b, "fuzz.npy"),
};

let seed = 20261127; // mulberry32
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The input that made unguarded jsfive loop ~5e8 times: a flipped byte in the dims of the
// 'layer_names' attribute (and one in the local heap's free-list offset).
const regression = new Uint8Array(fs.readFileSync("test/fixtures/real/dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_model.h5"));
regression[1684] ^= 0x10;
regression[1859] ^= 0x20;
// Found by this fuzz: bit flips that turn a child's name into "" (which would resolve to the
// group itself and make every recursive walk endless).
const emptyName = new Uint8Array(fs.readFileSync("test/fixtures/real/dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_inputs_and_outputs.h5"));
for (const at of [1724, 2166, 2054]) emptyName[at] ^= 1;
const cases = [
  ["simple_rnn_tf_keras_2_model.h5 regression", "hdf5", regression],
  ["simple_rnn_tf_keras_2_inputs_and_outputs.h5 emptyName", "hdf5", emptyName],
];

for (const [file, reader] of targets) {
  const original = new Uint8Array(fs.readFileSync("test/fixtures/real/" + file));
  for (let i = 0; i < perFile; i++) {
    const r = rand();
    if (r < 0.3) {
      const cut = i % 2 ? Math.floor((i / perFile) * original.length) : Math.floor(rand() * original.length);
      cases.push([file + " cut@" + cut, reader, original.slice(0, cut)]);
      continue;
    }
    const bytes = original.slice();
    const flips = [];
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
      const span = rand() < 0.5 ? Math.min(4096, bytes.length) : bytes.length;
      const at = Math.floor(rand() * span);
      bytes[at] ^= 1 << Math.floor(rand() * 8);
      flips.push(at);
    }
    cases.push([file + " flip@" + flips.join(","), reader, bytes]);
  }
}

const summary = { cases: 0, parsed: 0, modelFormatErrors: 0, others: [], regression: "", emptyName: "" };
for (const [name, reader, bytes] of cases) {
  summary.cases++;
  try {
    readers[reader](bytes);
    summary.parsed++;
  } catch (e) {
    if (e instanceof ModelFormatError) summary.modelFormatErrors++;
    else summary.others.push(name + ": " + (e?.constructor?.name ?? typeof e) + ": " + String(e?.message ?? e).slice(0, 200));
    if (name.endsWith("regression")) summary.regression = String(e?.message ?? e);
    if (name.endsWith("emptyName")) summary.emptyName = String(e?.message ?? e);
  }
}
console.log(JSON.stringify(summary));
`;

interface Summary {
  cases: number;
  parsed: number;
  modelFormatErrors: number;
  others: string[];
  regression: string;
  emptyName: string;
}

describe("io readers on damaged files", () => {
  it(
    "only ever throw ModelFormatError, and always finish",
    () => {
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", CHILD, JSON.stringify([TARGETS, CASES_PER_FILE])],
        { cwd: REPO, encoding: "utf8", timeout: WATCHDOG_MS, maxBuffer: 16 * 1024 * 1024 },
      );
      expect(child.error?.message ?? null, "fuzz child did not finish (hang?)").toBeNull();
      expect([child.status, child.stderr]).toEqual([0, ""]);
      const summary = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Summary;
      expect(summary.others).toEqual([]);
      expect(summary.cases).toBe(TARGETS.length * CASES_PER_FILE + 2);
      // The mutations must actually bite, and not every one may be fatal (flips in plain data parse).
      expect(summary.modelFormatErrors).toBeGreaterThan(summary.cases / 4);
      expect(summary.parsed).toBeGreaterThan(0);
      expect(summary.regression).toMatch(
        /attribute 'layer_names' of '\/model_weights': 536870914 values .* do not fit/,
      );
      expect(summary.emptyName).toMatch(/group '\/' holds an invalid link name ""/);
    },
    WATCHDOG_MS + 10_000,
  );
});
