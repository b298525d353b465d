/**
 * Collects every model config in test/fixtures/real, in the form a loader would hand it to
 * `normalizeModelConfig`: standalone `to_json()` files, the `model_config` attribute of every
 * HDF5 model (whatever its extension, detected by magic bytes), `config.json` (+ metadata.json
 * version) of every `.keras` zip and every TF.js `model.json`.
 *
 * Test-only: reads HDF5 with h5wasm and zips with fflate (the project's own readers live in src/io).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, unzipSync } from "fflate";
import { File as H5File, Group as H5Group, ready as h5Ready } from "h5wasm/node";

export const FIXTURES_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/real");

export interface ModelConfigFixture {
  /** Path relative to test/fixtures/real, with forward slashes. */
  file: string;
  container: "json" | "h5" | "keras" | "tfjs";
  /** What the loader would pass as `label`. */
  label: string;
  /** The parsed config JSON (for TF.js: the whole model.json). */
  raw: unknown;
  /** From the HDF5 root attributes or the `.keras` metadata.json. */
  kerasVersion?: string;
  backend?: string;
  /**
   * `.keras` only: every group named `vars` under `layers/` in model.weights.h5, mapped to its
   * `name` attribute (Keras ≥3.9 writes the layer's config name there; `undefined` before).
   */
  varsGroups?: Map<string, string | undefined>;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

function attrString(attrs: Record<string, { value: unknown }>, key: string): string | undefined {
  const v = attrs[key]?.value;
  return typeof v === "string" ? v : undefined;
}

function collectVarsGroups(group: H5Group, prefix: string, out: Map<string, string | undefined>): void {
  for (const key of group.keys()) {
    const child = group.get(key);
    if (!(child instanceof H5Group)) continue;
    const p = `${prefix}/${key}`;
    if (key === "vars") out.set(p, attrString(child.attrs, "name"));
    collectVarsGroups(child, p, out);
  }
}

function readKeras(file: string, rel: string, tmpDir: string): ModelConfigFixture | undefined {
  const zip = unzipSync(new Uint8Array(fs.readFileSync(file)));
  if (!zip["config.json"]) return undefined; // e.g. an .xlsx
  const metadata = zip["metadata.json"]
    ? (JSON.parse(strFromU8(zip["metadata.json"])) as { keras_version?: string })
    : {};
  const h5Path = path.join(tmpDir, rel.replaceAll("/", "__") + ".weights.h5");
  fs.writeFileSync(h5Path, zip["model.weights.h5"]);
  const h5 = new H5File(h5Path, "r");
  const varsGroups = new Map<string, string | undefined>();
  try {
    const layers = h5.get("layers");
    if (layers instanceof H5Group) collectVarsGroups(layers, "layers", varsGroups);
  } finally {
    h5.close();
  }
  return {
    file: rel,
    container: "keras",
    label: `${rel} (config.json)`,
    raw: JSON.parse(strFromU8(zip["config.json"])),
    kerasVersion: metadata.keras_version,
    varsGroups,
  };
}

function readH5(file: string, rel: string): ModelConfigFixture | undefined {
  const h5 = new H5File(file, "r");
  try {
    const attrs = h5.attrs as Record<string, { value: unknown }>;
    const config = attrString(attrs, "model_config");
    if (config === undefined) return undefined; // weights-only or golden-data files
    return {
      file: rel,
      container: "h5",
      label: `${rel} (model_config)`,
      raw: JSON.parse(config),
      kerasVersion: attrString(attrs, "keras_version"),
      backend: attrString(attrs, "backend"),
    };
  } finally {
    h5.close();
  }
}

function readJson(file: string, rel: string): ModelConfigFixture | undefined {
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null) return undefined;
  if ("modelTopology" in raw) return { file: rel, container: "tfjs", label: rel, raw };
  if (typeof raw.class_name === "string" && "config" in raw)
    return { file: rel, container: "json", label: rel, raw };
  return undefined; // golden data, inputs, indexes
}

let cache: Promise<ModelConfigFixture[]> | undefined;

/** Every model config in the fixtures, sorted by file. */
export function loadModelConfigs(): Promise<ModelConfigFixture[]> {
  cache ??= (async () => {
    await h5Ready;
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-configs-"));
    try {
      const out: ModelConfigFixture[] = [];
      for (const file of walk(FIXTURES_ROOT)) {
        const rel = path.relative(FIXTURES_ROOT, file).split(path.sep).join("/");
        if (rel.startsWith("keras-js/")) continue; // golden layer data, no model configs
        const head = Buffer.alloc(4);
        const fd = fs.openSync(file, "r");
        fs.readSync(fd, head, 0, 4, 0);
        fs.closeSync(fd);
        let entry: ModelConfigFixture | undefined;
        if (head.toString("latin1") === "\x89HDF") entry = readH5(file, rel);
        else if (head.toString("latin1", 0, 2) === "PK") entry = readKeras(file, rel, tmpDir);
        else if (file.endsWith(".json")) entry = readJson(file, rel);
        if (entry) out.push(entry);
      }
      return out;
    } finally {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  })();
  return cache;
}
