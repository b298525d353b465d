/**
 * The real fixtures (test/fixtures/real) as loader cases, shared by the walk test, the golden
 * tests and the README coverage table (scripts/coverage-table.ts):
 * - `fixtureCases()`: every file, classified by content into a model to load (a full model, an
 *   architecture JSON with its weights-only .h5, an architecture JSON alone, a TF.js model), a
 *   weights-only companion, or a data file (which loadModel must refuse with a ModelFormatError);
 * - `goldenCases()`: every recorded Keras/TF.js output, as a comparison to run;
 * - `seededInputs(model, seed)`: inputs of the right shape (integer ids for Embedding inputs).
 */
import fs from "node:fs";
import path from "node:path";
import { Rng } from "../../src/core/rng.js";
import { array, transpose, type Model, type Tensor } from "../../src/index.js";
import { openHdf5 } from "../../src/io/containers/hdf5.js";
import { loadModel } from "../../src/io/index.js";
import { parseNpy } from "../../src/io/containers/npy.js";
import { sniffFormat } from "../../src/io/containers/sniff.js";
import { readZip } from "../../src/io/containers/zip.js";
import { Sequential } from "../../src/nn/sequential.js";
import { FIXTURES_ROOT } from "./modelConfigs.js";

export const fixturePath = (rel: string) => path.join(FIXTURES_ROOT, rel);

/** How a fixture file takes part. */
export type CaseKind =
  /** A complete model file: .keras zip, .h5 with model_config, TF.js model.json. */
  | "model"
  /** An architecture JSON whose weights-only .h5 sits beside it. */
  | "json+h5"
  /** An architecture JSON with no weights file (loaded with `withoutWeights`). */
  | "json"
  /** A weights-only .h5 (save_weights): loaded with its JSON; alone it must be refused. */
  | "weights"
  /** Anything else (golden data, inputs, shards, spreadsheets): loadModel must refuse it. */
  | "data";

export interface FixtureCase {
  /** Path relative to test/fixtures/real. */
  file: string;
  kind: CaseKind;
  /** For `json+h5`: the weights file. */
  weights?: string;
}

function walkDir(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walkDir(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** The weights-only file that goes with an architecture JSON, by the fixtures' naming. */
function weightsFor(rel: string): string | undefined {
  const candidates = [
    rel.replace(/_config\.json$/, "_weights.h5"),
    rel.replace(/topology\.json$/, "weights.h5"),
  ];
  return candidates.find((c) => c !== rel && fs.existsSync(fixturePath(c)));
}

function classify(rel: string): FixtureCase {
  const bytes = fs.readFileSync(fixturePath(rel));
  const format = sniffFormat(bytes);
  if (format === "hdf5") {
    const root = openHdf5(bytes, rel);
    if (root.hasAttr("model_config")) return { file: rel, kind: "model" };
    return { file: rel, kind: root.hasAttr("layer_names") ? "weights" : "data" };
  }
  if (format === "zip") return { file: rel, kind: readZip(bytes, rel).has("config.json") ? "model" : "data" };
  if (format === "json") {
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if ("modelTopology" in raw) return { file: rel, kind: "model" };
    if (typeof raw.class_name === "string") {
      const weights = weightsFor(rel);
      return weights ? { file: rel, kind: "json+h5", weights } : { file: rel, kind: "json" };
    }
  }
  return { file: rel, kind: "data" };
}

let casesCache: FixtureCase[] | null = null;

/** Every fixture file (documentation excluded), classified. */
export function fixtureCases(): FixtureCase[] {
  casesCache ??= walkDir(FIXTURES_ROOT)
    .map((f) => path.relative(FIXTURES_ROOT, f).split(path.sep).join("/"))
    .filter((rel) => !rel.endsWith(".md"))
    .map(classify);
  return casesCache;
}

/** Loads a model case (`model`, `json+h5` or `json`). */
export function loadCase(c: FixtureCase): Promise<Model> {
  if (c.kind === "json+h5") return loadModel(fixturePath(c.file), { weights: fixturePath(c.weights!) });
  if (c.kind === "json") return loadModel(fixturePath(c.file), { withoutWeights: true });
  return loadModel(fixturePath(c.file));
}

/**
 * Sizes for unknown non-batch dims where the file itself fixes them at run time: this model
 * concatenates an Embedding output of 10 steps with an input of unknown length on the feature
 * axis, so that input must have 10 steps too (Keras checks it only when called).
 */
const UNKNOWN_DIM_SIZE: Record<string, number> = {
  "dl4j/configs/keras2/model_concat_embedding_sequences_tf_keras_2.json": 10,
};

/** The input specs of a model: shape (None filled in) and, for ids, the vocabulary size. */
export function inputSpecs(model: Model, file?: string): { shape: number[]; vocabulary: number | null }[] {
  const free = (file !== undefined ? UNKNOWN_DIM_SIZE[file] : undefined) ?? 4;
  const fill = (s: (number | null)[]) => s.map((d, i) => d ?? (i === 0 ? 2 : free));
  const vocabulary = (layer: unknown) =>
    (layer as { className?: string }).className === "Embedding"
      ? (layer as { inputDim: number }).inputDim
      : null;
  if (model instanceof Sequential) {
    const head = model.inputLayer;
    if (head === null) throw new Error(`${model.name}: no recorded input shape`);
    return [{ shape: fill(head.batchInputShape!), vocabulary: vocabulary(model.layers[0]) }];
  }
  const nodes = model.graphView!.nodes;
  return model.inputs.map((t) => {
    const consumer = nodes.find((n) => n.flatInputs.includes(t) && vocabulary(n.layer) !== null);
    return { shape: fill(t.shape), vocabulary: consumer ? vocabulary(consumer.layer) : null };
  });
}

/**
 * Seeded inputs: uniform in [−1, 1), or integer ids + 0.5 for Embedding inputs (the layer
 * truncates them, so small perturbations keep the ids and their derivative is zero).
 */
export function seededInputs(model: Model, seed: number, file?: string): Tensor[] {
  const rng = new Rng(seed);
  return inputSpecs(model, file).map(({ shape, vocabulary }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++)
      data[i] =
        vocabulary === null ? 2 * rng.nextFloat() - 1 : Math.floor(rng.nextFloat() * vocabulary) + 0.5;
    return array(data, { shape });
  });
}

/** Runs a model on a list of inputs (one tensor for single-input models); outputs as a list. */
export function runModel(model: Model, xs: Tensor[]): Tensor[] {
  const y = model.call(xs.length === 1 ? xs[0] : xs);
  return Array.isArray(y) ? y : [y as Tensor];
}

// ---------------------------------------------------------------------------------------------
// Recorded outputs

/** One comparison with a recorded output: what we computed, what Keras/TF.js wrote, the tolerance. */
export interface GoldenResult {
  got: ArrayLike<number>;
  want: ArrayLike<number>;
  rtol: number;
  atol: number;
}

export interface GoldenCase {
  /** Short name (the test title). */
  id: string;
  /** The model file it checks, relative to test/fixtures/real. */
  model: string;
  run(): Promise<GoldenResult[]>;
}

/** The worst element of a comparison: its index and how far past the tolerance it is (≤ 0: within). */
export function worstExcess(r: GoldenResult): { i: number; excess: number } {
  let worst = { i: -1, excess: r.got.length === r.want.length ? -Infinity : Infinity };
  for (let i = 0; i < r.want.length; i++) {
    const excess = Math.abs(r.got[i] - r.want[i]) - (r.atol + r.rtol * Math.abs(r.want[i]));
    if (!(excess <= worst.excess)) worst = { i, excess };
  }
  return worst;
}

const readH5Array = (file: string, p: string): Tensor => {
  const d = openHdf5(fs.readFileSync(fixturePath(file)), file).dataset(p);
  return array(d.read(), { shape: d.shape }).astype("float64");
};

function dl4jCase(io: string): GoldenCase {
  const model = io.replace("_inputs_and_outputs.h5", "_model.h5");
  return {
    id: path.basename(io).replace("_inputs_and_outputs.h5", ""),
    model,
    async run() {
      const m = await loadModel(fixturePath(model));
      const h5 = openHdf5(fs.readFileSync(fixturePath(io)), io);
      // Inputs are named after the model's inputs, except in the Keras 1 file, whose Sequential
      // input Keras 1 named `lstm_input_1` (the config does not record it).
      const names = h5.group("inputs").keys();
      const xs = m.inputNames.map((n, i) => readH5Array(io, `inputs/${names.includes(n) ? n : names[i]}`));
      const ys = runModel(m, xs);
      return m.outputNames.map((name, i) => ({
        got: ys[i].data(),
        want: readH5Array(io, `predictions/${name}`).data(),
        rtol: 1e-5,
        atol: 1e-6,
      }));
    },
  };
}

/** The numeric cells of the first sheet of an .xlsx, by column letter, rows from 2. */
function xlsxColumns(rel: string): Record<string, number[]> {
  const files = readZip(new Uint8Array(fs.readFileSync(fixturePath(rel))), rel);
  const sheet = new TextDecoder().decode(files.get("xl/worksheets/sheet1.xml"));
  const cols: Record<string, number[]> = {};
  for (const m of sheet.matchAll(/<c r="([A-Z]+)(\d+)"[^>]*?t="n"[^>]*><v>([^<]+)<\/v><\/c>/g))
    (cols[m[1]] ??= [])[Number(m[2]) - 2] = Number(m[3]);
  return cols;
}

interface FlownetGolden {
  scaler: { x_min: number[]; x_max: number[]; y_min: number[]; y_max: number[] };
  input: { data: number[][] };
  expected: { data: number[][] };
}

const nums = (rel: string) => fs.readFileSync(fixturePath(rel), "utf8").trim().split(/\s+/).map(Number);

/**
 * Every recorded output in the fixtures (keras-js aside, see kerasjsModels.ts): dl4j predictions,
 * the dl4j `.npy` and `.txt` cases, TF.js `expected.json`, FlowNet's spreadsheet and golden.json.
 * Float32 weights and float32 Keras against float64 gradlens: 1e-5 relative, atol a few float32
 * units of each output's scale (or half a unit of the last decimal written).
 */
export function goldenCases(): GoldenCase[] {
  const dl4j = fixtureCases()
    .filter((c) => c.file.endsWith("_inputs_and_outputs.h5"))
    .filter((c) => openHdf5(fs.readFileSync(fixturePath(c.file)), c.file).has("predictions"))
    .map((c) => dl4jCase(c.file));
  const flownet = "keras3/flownet/final_model.keras";
  const flownetGolden = () =>
    JSON.parse(fs.readFileSync(fixturePath("keras3/flownet/golden.json"), "utf8")) as FlownetGolden;
  return [
    ...dl4j,
    {
      id: "cnn_batch_norm (predictions.npy)",
      model: "dl4j/fullconfigs/cnn/cnn_batch_norm.h5",
      async run() {
        const m = await loadModel(fixturePath(this.model));
        const x = parseNpy(fs.readFileSync(fixturePath("dl4j/fullconfigs/cnn/input.npy")));
        const want = parseNpy(fs.readFileSync(fixturePath("dl4j/fullconfigs/cnn/predictions.npy")));
        const y = runModel(m, [array(x.data, { shape: x.shape }).astype("float64")])[0];
        return [{ got: y.data(), want: want.data, rtol: 1e-5, atol: 1e-6 }];
      },
    },
    {
      id: "cnn_tf (cnn_tf_output.txt, Keras 1.1.2)",
      model: "dl4j/keras-simple/cnn_tf_model.h5",
      async run() {
        const m = await loadModel(fixturePath(this.model));
        // The input is written in dl4j's NCHW order (3×8×8), not channels-last as PROVENANCE.md
        // says: read that way, the model reproduces all 6 recorded decimals.
        const nchw = array(Float64Array.from(nums("dl4j/keras-simple/cnn_tf_input.txt")), {
          shape: [1, 3, 8, 8],
        });
        const y = runModel(m, [transpose(nchw, [0, 2, 3, 1])])[0];
        return [{ got: y.data(), want: nums("dl4j/keras-simple/cnn_tf_output.txt"), rtol: 1e-5, atol: 5e-7 }];
      },
    },
    {
      id: "TF.js Embedding+GRU (expected.json)",
      model: "tfjs/load_predict_layers_model/model.json",
      async run() {
        const m = await loadModel(fixturePath(this.model));
        const g = JSON.parse(
          fs.readFileSync(fixturePath("tfjs/load_predict_layers_model/expected.json"), "utf8"),
        ) as {
          input: { shape: number[]; data: number[] };
          expected: { data: number[] };
        };
        const y = runModel(m, [array(Float64Array.from(g.input.data), { shape: g.input.shape })])[0];
        return [{ got: y.data(), want: g.expected.data, rtol: 1e-5, atol: 1e-7 }];
      },
    },
    {
      id: "FlowNet, 2872 rows (test_predictions.xlsx)",
      model: flownet,
      async run() {
        const m = await loadModel(fixturePath(flownet));
        const { x_min, x_max, y_min, y_max } = flownetGolden().scaler;
        const c = xlsxColumns("keras3/flownet/test_predictions.xlsx");
        const n = c.A.length;
        const x = new Float64Array(2 * n);
        const want = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          x[2 * i] = (c.A[i] - x_min[0]) / (x_max[0] - x_min[0]);
          x[2 * i + 1] = (c.B[i] - x_min[1]) / (x_max[1] - x_min[1]);
          want[2 * i] = (c.E[i] - y_min[0]) / (y_max[0] - y_min[0]);
          want[2 * i + 1] = (c.F[i] - y_min[1]) / (y_max[1] - y_min[1]);
        }
        const y = m.predict(array(x, { shape: [n, 2] }), { batchSize: 1024 }) as Tensor;
        return [{ got: y.data(), want, rtol: 1e-5, atol: 2e-6 }];
      },
    },
    {
      id: "FlowNet, 64 rows (golden.json)",
      model: flownet,
      async run() {
        const m = await loadModel(fixturePath(flownet));
        const g = flownetGolden();
        const y = runModel(m, [array(g.input.data)])[0];
        return [{ got: y.data(), want: g.expected.data.flat(), rtol: 1e-5, atol: 2e-6 }];
      },
    },
  ];
}
