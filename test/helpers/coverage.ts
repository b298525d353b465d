/**
 * The README's "Supported model files" table, computed from the same machinery as the walk and
 * golden tests (./realModels.ts, ./kerasjsModels.ts): every real model file is loaded and run on
 * seeded inputs, every recorded output is compared, and the results are grouped by format × Keras
 * version with the layer families each group contains. scripts/coverage-table.ts writes it into
 * README.md; test/io.coverage.test.ts checks that the README matches it.
 */
import { normalizeModelConfig, type CanonicalLayer } from "../../src/io/config/index.js";
import { ModelFormatError, UnsupportedLayerError } from "../../src/io/index.js";
import { allKerasJsKeys, kerasJsModel, runKerasJs } from "./kerasjsModels.js";
import { loadModelConfigs } from "./modelConfigs.js";
import {
  fixtureCases,
  goldenCases,
  loadCase,
  runModel,
  seededInputs,
  worstExcess,
  type FixtureCase,
} from "./realModels.js";

export const COVERAGE_START = "<!-- coverage:start -->";
export const COVERAGE_END = "<!-- coverage:end -->";

/** Layer classes by family, as the table names them. */
const FAMILIES: [string, RegExp][] = [
  ["core", /^(Dense|EinsumDense|Activation|Masking|Identity)$/],
  ["embedding", /^Embedding$/],
  ["convolution", /Conv[123]D(Transpose)?$/],
  ["pooling", /Pooling[123]D$/],
  ["reshaping", /^(Flatten|Reshape|Permute|RepeatVector|ZeroPadding[123]D|Cropping[123]D|UpSampling[123]D)$/],
  ["recurrent", /^(RNN|SimpleRNN|LSTM|GRU|ConvLSTM[123]D)$/],
  ["wrappers", /^(Bidirectional|TimeDistributed)$/],
  ["merging", /^(Add|Subtract|Multiply|Average|Maximum|Minimum|Concatenate|Dot)$/],
  [
    "normalization",
    /^(BatchNormalization|LayerNormalization|GroupNormalization|UnitNormalization|Normalization|Rescaling)$/,
  ],
  ["regularization", /(Dropout[123]?D?|GaussianNoise)$/],
  ["activation layers", /^(LeakyReLU|PReLU|ELU|ReLU|Softmax|ThresholdedReLU)$/],
  ["attention", /Attention$/],
  ["nested models", /^(Sequential|Functional)$/],
  ["Lambda (refused)", /^(Lambda|TFOpLambda)$/],
];

function familyOf(className: string): string {
  return FAMILIES.find(([, re]) => re.test(className))?.[0] ?? "custom (registerLayer)";
}

function classesOf(layers: CanonicalLayer[], out = new Set<string>()): Set<string> {
  for (const l of layers) {
    if (l.className !== "InputLayer") out.add(l.className);
    if (l.nested) classesOf(l.nested.layers, out);
    for (const k of ["layer", "backward_layer", "cell"]) {
      const v = l.config[k] as CanonicalLayer | undefined;
      if (v && typeof v === "object" && typeof v.className === "string") classesOf([v], out);
    }
  }
  return out;
}

const FORMAT_NAMES: Record<string, string> = {
  keras: "Keras 3 `.keras` zip",
  h5: "Legacy HDF5 `.h5` (full model)",
  "json+h5": "Architecture JSON + weights-only `.h5`",
  json: "Architecture JSON only (initial weights)",
  tfjs: "TF.js `model.json` + shards",
  "keras-js": "keras-js golden fixtures (replayed Keras JSON)",
};

/** What to do about the known failures (shown after the reason). */
const NOTES: Record<string, string> = {
  "keras3/kdp/test_model.keras":
    "a custom Keras layer: it loads once registered; test/io.load.custom.test.ts has a TS implementation.",
  "dl4j/weights/space_to_depth_graph_tensorflow_2.h5":
    "supply the layer with `loadModel(file, { overrides })`, as test/io.load.test.ts does.",
  "dl4j/configs/keras2/model_concat_embedding_sequences_tf_keras_2.json":
    "gradlens's symbolic shape inference (src/nn) cannot concatenate a known time dim with an unknown one; Keras can.",
};

interface Row {
  format: string;
  version: string;
  models: number;
  ok: number;
  goldenPassed: number;
  goldenTotal: number;
  families: Set<string>;
}

interface Failure {
  file: string;
  reason: string;
}

/** The file's format as the loader names it, from its classification. */
function formatOf(c: FixtureCase): string {
  if (c.kind !== "model") return c.kind;
  if (c.file.endsWith(".json")) return "tfjs";
  return /\.(keras)$/.test(c.file) && !c.file.startsWith("hls4ml/") ? "keras" : "h5";
}

/** The first sentence of an error, without the absolute fixture path. */
function reasonOf(e: unknown, root: string): string {
  const name =
    e instanceof UnsupportedLayerError
      ? "UnsupportedLayerError"
      : e instanceof ModelFormatError
        ? "ModelFormatError"
        : "Error";
  const msg = (e instanceof Error ? e.message : String(e)).split(root).join("");
  const first = msg.split(/(?<=\.)\s+(?=[A-Z])/)[0].replace(/\s*\(while inferring[^)]*\)/, "");
  return `${name}: ${first.length > 300 ? `${first.slice(0, 297)}…` : first}`;
}

/**
 * Computes the coverage table (markdown, deterministic: no timings or absolute paths).
 *
 * @example const md = await coverageMarkdown(); // the text between the README markers
 */
export async function coverageMarkdown(): Promise<string> {
  const configs = await loadModelConfigs();
  const configOf = new Map(configs.map((c) => [c.file, c]));
  const rows = new Map<string, Row>();
  const failures: Failure[] = [];
  const row = (format: string, version: string) => {
    const key = `${format}\u0000${version}`;
    if (!rows.has(key))
      rows.set(key, {
        format,
        version,
        models: 0,
        ok: 0,
        goldenPassed: 0,
        goldenTotal: 0,
        families: new Set(),
      });
    return rows.get(key)!;
  };
  const rowOfFile = new Map<string, Row>();
  const root = (await import("./modelConfigs.js")).FIXTURES_ROOT + "/";

  for (const c of fixtureCases().filter((x) => ["model", "json+h5", "json"].includes(x.kind))) {
    const cfg = configOf.get(c.file);
    let version = "?";
    let classes = new Set<string>();
    if (cfg) {
      const canonical = normalizeModelConfig(cfg.raw, {
        label: cfg.label,
        kerasVersion: cfg.kerasVersion,
        backend: cfg.backend,
      });
      version = canonical.kerasVersion ?? "?";
      classes = classesOf(canonical.layers);
    }
    const r = row(formatOf(c), version);
    rowOfFile.set(c.file, r);
    r.models++;
    for (const cls of classes) r.families.add(familyOf(cls));
    try {
      const model = await loadCase(c);
      runModel(model, seededInputs(model, 1, c.file));
      r.ok++;
    } catch (e) {
      failures.push({ file: c.file, reason: reasonOf(e, root) });
    }
  }

  for (const g of goldenCases()) {
    const r = rowOfFile.get(g.model);
    if (r === undefined) continue;
    r.goldenTotal++;
    try {
      const results = await g.run();
      if (results.every((x) => x.got.length === x.want.length && worstExcess(x).excess <= 0))
        r.goldenPassed++;
      else failures.push({ file: g.model, reason: `golden ${g.id}: outside the tolerance` });
    } catch (e) {
      failures.push({ file: g.model, reason: `golden ${g.id}: ${reasonOf(e, root)}` });
    }
  }

  const kj = row("keras-js", "2.1.x");
  for (const key of allKerasJsKeys()) {
    kj.models++;
    kj.goldenTotal++;
    const m = kerasJsModel(key);
    for (const l of (m.json.config as { layers: { class_name: string; config: Record<string, unknown> }[] })
      .layers) {
      if (l.class_name !== "InputLayer") kj.families.add(familyOf(l.class_name));
      const inner = l.config.layer as { class_name?: string } | undefined;
      if (inner?.class_name) kj.families.add(familyOf(inner.class_name));
    }
    try {
      const r = await runKerasJs(key);
      kj.ok++;
      if (worstExcess(r).excess <= 0) kj.goldenPassed++;
      else failures.push({ file: `keras-js ${key}`, reason: "outside the tolerance" });
    } catch (e) {
      failures.push({ file: `keras-js ${key}`, reason: reasonOf(e, root) });
    }
  }

  const order = Object.keys(FORMAT_NAMES);
  const sorted = [...rows.values()].sort(
    (a, b) =>
      order.indexOf(a.format) - order.indexOf(b.format) ||
      a.version.localeCompare(b.version, "en", { numeric: true }),
  );
  const total = (f: (r: Row) => number) => sorted.reduce((n, r) => n + f(r), 0);
  const lines = [
    "Every file under `test/fixtures/real` (see its PROVENANCE.md), loaded by `loadModel` and run on seeded",
    "inputs; `test/io.walk.test.ts` also checks every model's derivatives against finite differences, and",
    "the golden tests compare outputs with what Keras / TF.js recorded (1e-5 relative). Generated by",
    "`npx tsx scripts/coverage-table.ts`; `test/io.coverage.test.ts` fails when this section is stale.",
    "",
    "| Format | Keras version | Models | Load + run | Golden outputs | Layer families |",
    "|---|---|---:|---:|---:|---|",
    ...sorted.map(
      (r) =>
        `| ${FORMAT_NAMES[r.format] ?? r.format} | ${r.version} | ${r.models} | ${r.ok} | ` +
        `${r.goldenTotal === 0 ? "–" : `${r.goldenPassed}/${r.goldenTotal}`} | ${[...r.families].sort().join(", ")} |`,
    ),
    `| **Total** | | **${total((r) => r.models)}** | **${total((r) => r.ok)}** | ` +
      `**${total((r) => r.goldenPassed)}/${total((r) => r.goldenTotal)}** | |`,
    "",
  ];
  if (failures.length === 0) lines.push("Every model loads and runs, and every golden output matches.");
  else {
    lines.push(`Not passing (${failures.length}):`, "");
    for (const f of failures.sort((a, b) => a.file.localeCompare(b.file)))
      lines.push(`- \`${f.file}\` — ${f.reason}${NOTES[f.file] ? ` **Follow-up:** ${NOTES[f.file]}` : ""}`);
  }
  // Formatted as prettier formats README.md (tables aligned), so `prettier --check` stays clean.
  const prettier = await import("prettier");
  return (
    await prettier.format(lines.join("\n"), { parser: "markdown", printWidth: 110, trailingComma: "all" })
  ).trim();
}

/** The README text between the coverage markers, or null when the markers are missing. */
export function readmeSection(readme: string): string | null {
  const a = readme.indexOf(COVERAGE_START);
  const b = readme.indexOf(COVERAGE_END);
  if (a < 0 || b < a) return null;
  return readme.slice(a + COVERAGE_START.length, b).trim();
}

/** The README with the section between the markers replaced. */
export function withSection(readme: string, section: string): string {
  const a = readme.indexOf(COVERAGE_START);
  const b = readme.indexOf(COVERAGE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${COVERAGE_START} … ${COVERAGE_END} markers`);
  return `${readme.slice(0, a + COVERAGE_START.length)}\n${section}\n${readme.slice(b)}`;
}
