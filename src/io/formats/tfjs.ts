/**
 * TensorFlow.js layers models: `model.json` (`modelTopology` + `weightsManifest`) and binary weight
 * shards. The manifest lists weight groups; each group's tensors lie back to back, little-endian,
 * across the concatenation of its `paths`. A weight may be quantized (tfjs-core io/types.ts
 * `quantization: {dtype: "uint8" | "uint16", scale, min}` → `q · scale + min`, or `"float16"`).
 * Weight names are `<layer>/<weight>` (tfjs-layers `LayerVariable.originalName`).
 */
import { sizeOf } from "../../core/shape.js";
import { array } from "../../ops/index.js";
import type { Layer } from "../../nn/layer.js";
import { Model } from "../../nn/model.js";
import type { Weight } from "../../nn/weight.js";
import { warn } from "../../nn/warnings.js";
import { ModelFormatError } from "../errors.js";
import { halfToFloat } from "../containers/npy.js";
import { assignWeights, legacyWeightOrder, MAX_WEIGHT_ELEMENTS, type StoredArray } from "./weights.js";
import { nameTable } from "../../core/table.js";

/**
 * One weight of the manifest.
 *
 * @example const w: TfjsWeightSpec = { name: "dense_Dense1/kernel", shape: [8, 50], dtype: "float32" };
 */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool";
  quantization?: { dtype: "uint8" | "uint16" | "float16"; scale?: number; min?: number };
}

/**
 * One manifest group: shard paths and the weights laid out across them.
 *
 * @example const g: TfjsWeightGroup = { paths: ["weights.bin"], weights: [w] };
 */
export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

const BYTES: Record<string, number> = nameTable({
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
});

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Checks and returns `weightsManifest`; every deviation is a `ModelFormatError` naming the JSON path.
 *
 * @example const groups = parseManifest(json.weightsManifest, "model.json");
 */
export function parseManifest(raw: unknown, label: string): TfjsWeightGroup[] {
  const bad = (path: string, what: string): never => {
    throw new ModelFormatError(`${label}: weightsManifest${path}: ${what}`);
  };
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) bad("", "expected a list of weight groups");
  return (raw as unknown[]).map((g, i) => {
    if (!isObj(g)) bad(`[${i}]`, "expected {paths, weights}");
    const group = g as Record<string, unknown>;
    if (!Array.isArray(group.paths) || !group.paths.every((p) => typeof p === "string"))
      bad(`[${i}].paths`, "expected a list of file names");
    if (!Array.isArray(group.weights)) bad(`[${i}].weights`, "expected a list of weights");
    const weights = (group.weights as unknown[]).map((w, j) => {
      const at = `[${i}].weights[${j}]`;
      if (!isObj(w)) bad(at, "expected {name, shape, dtype}");
      const spec = w as Record<string, unknown>;
      if (typeof spec.name !== "string" || spec.name === "") bad(`${at}.name`, "expected a weight name");
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0))
        bad(`${at}.shape`, `expected a list of dimensions, got ${JSON.stringify(spec.shape)}`);
      if (sizeOf(spec.shape as number[]) > MAX_WEIGHT_ELEMENTS)
        bad(`${at}.shape`, `${JSON.stringify(spec.shape)} is larger than gradlens loads into one weight`);
      if (!["float32", "int32", "bool"].includes(spec.dtype as string))
        bad(`${at}.dtype`, `expected float32, int32 or bool, got ${JSON.stringify(spec.dtype)}`);
      const q = spec.quantization;
      if (q !== undefined && q !== null) {
        if (!isObj(q) || !["uint8", "uint16", "float16"].includes(q.dtype as string))
          bad(
            `${at}.quantization`,
            `expected {dtype: uint8 | uint16 | float16, …}, got ${JSON.stringify(q)}`,
          );
        const qq = q as Record<string, unknown>;
        if (qq.dtype !== "float16" && !(Number.isFinite(qq.scale) && Number.isFinite(qq.min)))
          bad(`${at}.quantization`, "uint8/uint16 quantization needs numeric scale and min");
      }
      return spec as unknown as TfjsWeightSpec;
    });
    return { paths: group.paths as string[], weights };
  });
}

/** Bytes a weight takes in a shard. */
const byteSize = (w: TfjsWeightSpec) => sizeOf(w.shape) * BYTES[w.quantization?.dtype ?? w.dtype];

/** Decodes one weight from its bytes (dequantizing as tfjs-core io_utils.ts `decodeWeights` does). */
function decode(w: TfjsWeightSpec, bytes: Uint8Array): Float32Array | Int32Array {
  const n = sizeOf(w.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = w.quantization;
  const out = w.dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  const put = (i: number, v: number) => (out[i] = w.dtype === "float32" ? v : Math.round(v));
  if (q?.dtype === "uint8") for (let i = 0; i < n; i++) put(i, view.getUint8(i) * q.scale! + q.min!);
  else if (q?.dtype === "uint16")
    for (let i = 0; i < n; i++) put(i, view.getUint16(2 * i, true) * q.scale! + q.min!);
  else if (q?.dtype === "float16")
    for (let i = 0; i < n; i++) put(i, halfToFloat(view.getUint16(2 * i, true)));
  else if (w.dtype === "float32") for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (w.dtype === "int32") for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
  else for (let i = 0; i < n; i++) out[i] = view.getUint8(i) ? 1 : 0;
  return out;
}

/**
 * The stored arrays of every group, read from each group's concatenated shards (`readShard`
 * returns a path's bytes, and may refuse one over `maxBytes`: what the group's weights still need,
 * so an oversized shard is refused before it is read). A group whose shards are shorter or longer
 * than its weights is refused.
 *
 * @example const arrays = await tfjsArrays(groups, (p) => readFile(p), "model.json");
 */
export async function tfjsArrays(
  groups: TfjsWeightGroup[],
  readShard: (path: string, maxBytes: number) => Promise<Uint8Array>,
  label: string,
): Promise<StoredArray[]> {
  const out: StoredArray[] = [];
  for (const [gi, g] of groups.entries()) {
    const need = g.weights.reduce((n, w) => n + byteSize(w), 0);
    const parts: Uint8Array[] = [];
    let have = 0;
    for (const p of g.paths) {
      const part = await readShard(p, need - have);
      have += part.length;
      if (have > need)
        throw new ModelFormatError(
          `${label}: weight group ${gi} needs ${need} bytes, but its files [${g.paths.join(", ")}] hold more (at least ${have})`,
        );
      parts.push(part);
    }
    if (have !== need)
      throw new ModelFormatError(
        `${label}: weight group ${gi} needs ${need} bytes, but its files [${g.paths.join(", ")}] hold ${have} (truncated?)`,
      );
    const buf = new Uint8Array(need);
    let at = 0;
    for (const p of parts) {
      buf.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const w of g.weights) {
      const slice = buf.subarray(offset, offset + byteSize(w));
      offset += byteSize(w);
      const shape = w.shape.slice();
      out.push({
        name: w.name,
        where: `${label}: weightsManifest[${gi}] '${w.name}'`,
        shape,
        read: () => array(decode(w, slice), { shape }),
      });
    }
  }
  return out;
}

/** The layers that own weights by name: top-level layers, and the layers of nested models. */
function weightOwners(model: Model, names: Set<string>, out = new Map<string, Layer>()): Map<string, Layer> {
  for (const l of model.layers) {
    if (l instanceof Model && !names.has(l.name)) weightOwners(l, names, out);
    else out.set(l.name, l);
  }
  return out;
}

/** The arrays by owning layer, the owner being the path segment at `depth` (0: `dense/kernel`). */
function byOwner(arrays: StoredArray[], depth: number): Map<string, StoredArray[]> {
  const out = new Map<string, StoredArray[]>();
  for (const a of arrays) {
    const owner = a.name.split("/")[depth];
    if (!out.has(owner)) out.set(owner, []);
    out.get(owner)!.push(a);
  }
  return out;
}

/** Why `groups` does not fit the model's layers (count and shapes per layer), or undefined when it does. */
function misfit(model: Model, groups: Map<string, StoredArray[]>): string | undefined {
  const owners = weightOwners(model, new Set(groups.keys()));
  for (const [name, list] of groups) {
    const layer = owners.get(name);
    if (layer === undefined) return `no layer '${name}' (weights ${list.map((a) => a.name).join(", ")})`;
    const want = legacyWeightOrder(layer);
    if (want.length !== list.length)
      return `'${name}' has ${want.length} weight(s), the manifest ${list.length}`;
    const bad = want.findIndex((w, i) => w.shape.join() !== list[i].shape.join());
    if (bad >= 0)
      return `'${name}' weight ${want[bad].name} is [${want[bad].shape}], the manifest's '${list[bad].name}' [${list[bad].shape}]`;
  }
  for (const [name, layer] of owners)
    if (!groups.has(name) && layer.weights.length > 0) return `nothing for '${name}'`;
  return undefined;
}

/** The weight each array goes to, when `groups` fits (see `misfit`). */
function targets(model: Model, groups: Map<string, StoredArray[]>): Map<StoredArray, Weight> {
  const owners = weightOwners(model, new Set(groups.keys()));
  const out = new Map<StoredArray, Weight>();
  for (const [name, list] of groups) {
    const want = legacyWeightOrder(owners.get(name)!);
    list.forEach((a, i) => out.set(a, want[i]));
  }
  return out;
}

/** Whether two fitting readings put every array into the same weight (a nested model and its layer). */
function sameTargets(model: Model, a: Map<string, StoredArray[]>, b: Map<string, StoredArray[]>): boolean {
  const ta = targets(model, a);
  const tb = targets(model, b);
  return [...ta].every(([arr, w]) => tb.get(arr) === w);
}

/**
 * The manifest's weights by owning layer. Normally a weight `a/b/kernel` belongs to layer `a`. The
 * TF.js 4.x converter, fed a Keras 3 model, writes Keras 3 variable paths instead, with the model's
 * name in front (`sequential_4/lstm_8/lstm_cell/kernel`), which TF.js itself rejects ("Provided
 * weight data has no target variable"). When every name starts with the model's name and only that
 * reading fits the layers, it is used and said; when both readings fit, the manifest is refused.
 */
function tfjsOwners(model: Model, arrays: StoredArray[], label: string): Map<string, StoredArray[]> {
  const plain = byOwner(arrays, 0);
  const prefix = `${model.name}/`;
  if (arrays.length === 0 || !arrays.every((a) => a.name.startsWith(prefix) && a.name.split("/").length >= 3))
    return plain;
  const stripped = byOwner(arrays, 1);
  const plainMisfit = misfit(model, plain);
  const strippedMisfit = misfit(model, stripped);
  const same =
    plainMisfit === undefined && strippedMisfit === undefined && sameTargets(model, plain, stripped);
  if (plainMisfit === undefined && (strippedMisfit !== undefined || same)) return plain;
  if (plainMisfit === undefined) {
    const [first, second] = arrays
      .find((a) => a.name.split("/")[0] !== a.name.split("/")[1])!
      .name.split("/");
    throw new ModelFormatError(
      `${label}: every weight name starts with the model's name '${model.name}', which is also a layer, and ` +
        `the weights fit the layers both with and without it ('${first}/${second}/…' could be layer '${first}' ` +
        `or layer '${second}'); gradlens does not guess`,
    );
  }
  if (strippedMisfit !== undefined)
    throw new ModelFormatError(
      `${label}: the weights do not fit the model's layers, neither by their first name (${plainMisfit}) nor ` +
        `without the model's name '${model.name}' in front (${strippedMisfit})`,
    );
  const shown = arrays.slice(0, 3).map((a) => `'${a.name}' → layer '${a.name.split("/")[1]}'`);
  warn(
    `${label}: the weight names start with the model's name ('${arrays[0].name}'), as the TF.js 4.x converter ` +
      `writes Keras 3 models and TF.js itself cannot load; read them without it: ${shown.join(", ")}` +
      `${arrays.length > 3 ? ", …" : ""}`,
  );
  return stripped;
}

/**
 * Renames owners that are not layers but become exactly one layer without a trailing `_<n>`: TF
 * and Keras name a model's variables `dense_1/kernel` instead of `dense/kernel` when the model is
 * built a second time in one session, and convert those names (tensorflow/tfjs#755, #2858). Only
 * when no two owners claim one layer, the layer has no weights under its own name, and the
 * result fits every layer's weights; said in a warning.
 */
function unsuffixedOwners(
  model: Model,
  groups: Map<string, StoredArray[]>,
  label: string,
): Map<string, StoredArray[]> {
  const owners = weightOwners(model, new Set(groups.keys()));
  const renames = new Map<string, string>();
  for (const name of groups.keys()) {
    if (owners.has(name)) continue;
    const base = name.replace(/_\d+$/, "");
    const layer = owners.get(base);
    if (base === name || layer === undefined || groups.has(base) || layer.weights.length === 0) continue;
    const rival = [...renames].find(([, b]) => b === base)?.[0];
    if (rival !== undefined)
      throw new ModelFormatError(
        `${label}: the manifest has weights for '${rival}' and '${name}', no such layers; both could be layer ` +
          `'${base}' with a suffix added, and gradlens does not guess which`,
      );
    renames.set(name, base);
  }
  if (renames.size === 0) return groups;
  const renamed = new Map([...groups].map(([k, v]) => [renames.get(k) ?? k, v]));
  if (misfit(model, renamed) !== undefined) return groups;
  warn(
    `${label}: the manifest names weights after layers the model does not have, each a layer's name with a ` +
      `suffix added (as TF does when a model is built twice in one session); read ` +
      [...renames].map(([from, to]) => `'${from}/…' as layer '${to}'`).join(", "),
  );
  return renamed;
}

/**
 * Assigns TF.js weights to the model's layers: a weight `a/b/kernel` belongs to layer `a` (or, in
 * a manifest whose names all start with the model's name, to layer `b`: see `tfjsOwners`), and a
 * layer's weights follow the manifest order (tfjs `Layer.weights`: trainable, then the others).
 *
 * @example assignTfjsWeights(model, await tfjsArrays(groups, read, "model.json"), "model.json");
 */
export function assignTfjsWeights(model: Model, arrays: StoredArray[], label: string): void {
  const byLayer = unsuffixedOwners(model, tfjsOwners(model, arrays, label), label);
  const owners = weightOwners(model, new Set(byLayer.keys()));
  for (const [name, list] of byLayer) {
    const layer = owners.get(name);
    if (layer === undefined)
      throw new ModelFormatError(
        `${label}: the manifest has weights for a layer '${name}' (${list.map((a) => a.name).join(", ")}), ` +
          `which the model does not have`,
      );
    assignWeights(layer, legacyWeightOrder(layer), list, `${label}: weights of '${name}'`);
  }
  for (const [name, layer] of owners)
    if (!byLayer.has(name) && layer.weights.length > 0)
      throw new ModelFormatError(
        `${name} (${layer.className}): has ${layer.weights.length} weight(s), but ${label} lists none for it`,
      );
}
