/**
 * Reading HDF5 from bytes: a small, library-independent tree of groups, datasets and attributes.
 *
 * Decoding is done by jsfive (pure JS, synchronous, works in Node and browsers from an
 * ArrayBuffer; see docs/io-hdf5-choice.md). Before jsfive touches an object, guard.ts checks its
 * structure against the bytes, and everything jsfive throws (it throws strings, TypeErrors,
 * RangeErrors) comes out as a `ModelFormatError` naming the file and the path inside it.
 */
import * as jsfive from "jsfive";
import type { DataArray, DType } from "../../../core/dtype.js";
import { ModelFormatError } from "../../errors.js";
import { hdf5SignatureOffset } from "../sniff.js";
import { ByteReader } from "./bytes.js";
import {
  checkAttributes,
  checkDataset,
  checkGroup,
  checkSuperblock,
  listMessages,
  MSG,
  type Message,
} from "./guard.js";

/**
 * An attribute value: strings (fixed- or variable-length alike) or numbers, scalar or 1-D.
 *
 * @example const v: H5AttrValue = file.attr("keras_version"); // "2.1.6-tf"
 */
export type H5AttrValue = string | number | string[] | number[];

/** Shared state of one open file. */
interface FileContext {
  label: string;
  reader: ByteReader;
  root: jsfive.File;
  headers: Map<number, Message[]>;
}

/** Runs `fn`, turning anything that is not already a ModelFormatError into one that says where. */
function guarded<T>(ctx: FileContext, path: string, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    const detail = typeof e === "string" ? e : e instanceof Error ? e.message : String(e);
    throw new ModelFormatError(
      `${ctx.label}: ${action} '${path}' failed, the file is damaged or unsupported: ${detail}`,
    );
  }
}

function headerOf(ctx: FileContext, addr: number, path: string): Message[] {
  let msgs = ctx.headers.get(addr);
  if (msgs === undefined) {
    msgs = listMessages(ctx.reader, addr, path);
    ctx.headers.set(addr, msgs);
  }
  return msgs;
}

function joinPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** Trailing NULs are padding in fixed-length HDF5 strings (numpy `|S` arrays), never content. */
function normaliseAttr(value: unknown, name: string, path: string, ctx: FileContext): H5AttrValue {
  const one = (v: unknown): string | number => {
    if (typeof v === "string") return v.replace(/\0+$/, "");
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    throw new ModelFormatError(`${ctx.label}: attribute '${name}' of '${path}' has an unsupported type`);
  };
  if (!Array.isArray(value)) return one(value);
  const items = value.map(one);
  if (items.every((v) => typeof v === "string")) return items as string[];
  if (items.every((v) => typeof v === "number")) return items as number[];
  throw new ModelFormatError(`${ctx.label}: attribute '${name}' of '${path}' mixes strings and numbers`);
}

abstract class H5Object {
  constructor(
    protected readonly ctx: FileContext,
    /** Absolute path inside the file, `/` for the root. */
    readonly path: string,
    protected readonly addr: number,
    protected readonly node: jsfive.Group | jsfive.Dataset,
    /** Object addresses from the root down to the parent, to refuse links that form a cycle. */
    protected readonly ancestors: readonly number[] = [],
  ) {}

  /**
   * All attributes of this object. Fixed-length byte strings (Keras ≤ 2.4) and variable-length
   * strings (Keras ≥ 2.11, 3.x) both come back as JS strings; an empty `weight_names` (stored by
   * numpy as an empty float64 array) comes back as `[]`.
   *
   * @example const { layer_names } = file.group("model_weights").attrs();
   */
  attrs(): Record<string, H5AttrValue> {
    return guarded(this.ctx, this.path, "reading the attributes of", () => {
      checkAttributes(this.ctx.reader, headerOf(this.ctx, this.addr, this.path), this.path);
      const out: Record<string, H5AttrValue> = Object.create(null);
      for (const [name, value] of Object.entries(this.node.attrs))
        out[name] = normaliseAttr(value, name, this.path, this.ctx);
      return out;
    });
  }

  /**
   * One attribute; throws `ModelFormatError` naming the attribute, the object and the file when
   * it is missing.
   *
   * @example const backend = file.attr("backend"); // "tensorflow"
   */
  attr(name: string): H5AttrValue {
    const all = this.attrs();
    if (!Object.hasOwn(all, name)) throw this.missingAttr(name, all);
    return all[name];
  }

  private missingAttr(name: string, all: Record<string, H5AttrValue>): ModelFormatError {
    const have = Object.keys(all).join(", ") || "none";
    return new ModelFormatError(
      `${this.ctx.label}: '${this.path}' has no attribute '${name}' (it has: ${have})`,
    );
  }

  /** Whether the attribute exists. @example if (file.hasAttr("training_config")) … */
  hasAttr(name: string): boolean {
    return Object.hasOwn(this.attrs(), name);
  }

  /**
   * A string attribute, e.g. a JSON config; throws `ModelFormatError` (naming what it got)
   * when it is missing or not a single string.
   *
   * @example const config = parseJsonSafe(file.attrString("model_config"), "model.h5 model_config");
   */
  attrString(name: string): string {
    const value = this.attr(name);
    if (typeof value !== "string")
      throw new ModelFormatError(
        `${this.ctx.label}: attribute '${name}' of '${this.path}' should be a string, got ${JSON.stringify(value).slice(0, 80)}`,
      );
    return value;
  }

  /**
   * A list of names such as `layer_names` or `weight_names`. An empty numeric array (how numpy
   * stores an empty list) reads as `[]`. Keras splits lists too big for one HDF5 attribute into
   * `name0`, `name1`, … (Keras: legacy/saving/legacy_h5_format.py,
   * `load_attributes_from_hdf5_group`); those are joined here.
   *
   * @example for (const layer of weights.stringList("layer_names")) …
   */
  stringList(name: string): string[] {
    const all = this.attrs();
    const parts: string[] = [];
    if (Object.hasOwn(all, name)) parts.push(name);
    else for (let i = 0; Object.hasOwn(all, `${name}${i}`); i++) parts.push(`${name}${i}`);
    if (parts.length === 0) throw this.missingAttr(name, all);
    return parts.flatMap((part) => {
      const value = all[part];
      if (typeof value === "string") return [value];
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
      if (Array.isArray(value) && value.length === 0) return [];
      throw new ModelFormatError(
        `${this.ctx.label}: attribute '${part}' of '${this.path}' should be a list of strings, got ${JSON.stringify(value).slice(0, 80)}`,
      );
    });
  }
}

/**
 * An HDF5 group: named children (groups or datasets) plus attributes. Get one from `openHdf5`.
 *
 * @example const layers = openHdf5(bytes, "model.weights.h5").group("layers");
 */
export class H5Group extends H5Object {
  readonly kind = "group";

  /**
   * Names of the direct children, in the file's link order (alphabetical for files written by
   * h5py, which is NOT Keras's weight order: follow `weight_names` for that).
   *
   * @example file.group("layers").keys() // ["dense", "dense_1"]
   */
  keys(): string[] {
    return guarded(this.ctx, this.path, "listing", () => {
      const names = (this.node as jsfive.Group).keys;
      // HDF5 link names are never empty, ".", or contain "/"; such a name could not be looked up
      // (and "" would resolve to the group itself, making a recursive walk endless).
      const bad = names.find((n) => n.length === 0 || n === "." || n.includes("/"));
      if (bad !== undefined)
        throw new ModelFormatError(
          `${this.ctx.label}: group '${this.path}' holds an invalid link name ${JSON.stringify(bad)}`,
        );
      return names;
    });
  }

  /**
   * Whether `path` (relative, `a/b/c`, or absolute, `/a/b`) names an object.
   *
   * @example if (file.has("model_weights")) …
   */
  has(path: string): boolean {
    return this.resolve(path, true) !== null;
  }

  /**
   * The group or dataset at `path` (relative to this group, or absolute from the root). Names
   * may contain `:` (Keras 2's `kernel:0`). Throws `ModelFormatError` listing what the parent has
   * when a name is missing.
   *
   * @example const kernel = file.get("model_weights/dense_1/dense_1/kernel:0");
   */
  get(path: string): H5Group | H5Dataset {
    return this.resolve(path, false)!;
  }

  private resolve(path: string, missingOk: boolean): H5Group | H5Dataset | null {
    let current: H5Group | H5Dataset = path.startsWith("/") ? this.rootGroup() : this;
    for (const name of path.split("/").filter((s) => s.length > 0 && s !== ".")) {
      if (current.kind !== "group") {
        if (missingOk) return null;
        throw new ModelFormatError(
          `${this.ctx.label}: '${current.path}' is a dataset, not a group (looking up '${path}')`,
        );
      }
      const next: H5Group | H5Dataset | null = current.child(name, missingOk);
      if (next === null) return null;
      current = next;
    }
    return current;
  }

  /** Like `get`, but the result must be a group. @example file.group("layers/dense/vars") */
  group(path: string): H5Group {
    const obj = this.get(path);
    if (obj.kind !== "group")
      throw new ModelFormatError(`${this.ctx.label}: '${obj.path}' is a dataset, expected a group`);
    return obj;
  }

  /** Like `get`, but the result must be a dataset. @example file.dataset("layers/dense/vars/0") */
  dataset(path: string): H5Dataset {
    const obj = this.get(path);
    if (obj.kind !== "dataset")
      throw new ModelFormatError(`${this.ctx.label}: '${obj.path}' is a group, expected a dataset`);
    return obj;
  }

  private rootGroup(): H5Group {
    return new H5Group(this.ctx, "/", checkSuperblock(this.ctx.reader), this.ctx.root);
  }

  private child(name: string, missingOk: boolean): H5Group | H5Dataset | null {
    const path = joinPath(this.path, name);
    return guarded(this.ctx, path, "opening", () => {
      const links = (this.node as jsfive.Group)._links;
      if (!Object.hasOwn(links, name)) {
        if (missingOk) return null;
        const have = Object.keys(links);
        throw new ModelFormatError(
          `${this.ctx.label}: '${this.path}' has no '${name}' (it has: ${have.slice(0, 20).join(", ") || "nothing"}${have.length > 20 ? ", …" : ""})`,
        );
      }
      const target = links[name];
      if (typeof target !== "number")
        throw new ModelFormatError(
          `${this.ctx.label}: '${path}' is a soft link to '${target}'; soft links are not supported`,
        );
      // HDF5 allows a hard link back to an ancestor; Keras never writes one, and following it
      // would make any recursive walk endless.
      const lineage = [...this.ancestors, this.addr];
      if (lineage.includes(target))
        throw new ModelFormatError(
          `${this.ctx.label}: '${path}' links back to one of its parent groups (a cycle)`,
        );
      const msgs = headerOf(this.ctx, target, path);
      const isDataset = msgs.some((m) => m.type === MSG.dataspace);
      if (isDataset) checkDataset(this.ctx.reader, msgs, path);
      else checkGroup(this.ctx.reader, msgs, path);
      const node = (this.node as jsfive.Group).get(name);
      if (node === null) throw new ModelFormatError(`${this.ctx.label}: '${path}' could not be opened`);
      return node instanceof jsfive.Dataset
        ? new H5Dataset(this.ctx, path, target, node, lineage)
        : new H5Group(this.ctx, path, target, node, lineage);
    });
  }
}

/** How a stored numeric type maps to a gradlens dtype; int64 must fit in int32 (as in npy.ts). */
function dtypeOf(stored: string | unknown[], where: string): DType {
  const m = typeof stored === "string" ? /^[<>=|]?([fiu])(\d+)$/.exec(stored) : null;
  if (m === null) throw new ModelFormatError(`${where} holds ${JSON.stringify(stored)} values, not numbers`);
  const [kind, size] = [m[1], Number(m[2])];
  if (kind === "f") return size === 8 ? "float64" : "float32"; // float16 is widened to float32
  if (kind === "u" && size === 4) return "float64"; // uint32 does not fit int32 but is exact in float64
  return "int32";
}

/**
 * An HDF5 dataset: a row-major n-d array plus attributes.
 *
 * @example const bias = file.dataset("layers/dense/vars/1"); bias.shape; bias.read();
 */
export class H5Dataset extends H5Object {
  readonly kind = "dataset";

  /** The dims as stored (`[]` for a scalar). @example file.dataset("layers/dense/vars/0").shape // [5, 8] */
  get shape(): number[] {
    return guarded(
      this.ctx,
      this.path,
      "reading the shape of",
      () => checkDataset(this.ctx.reader, headerOf(this.ctx, this.addr, this.path), this.path).dims,
    );
  }

  /**
   * The gradlens dtype `read()` returns: float32 for f2/f4, float64 for f8 and u4, int32 for other
   * integers (int64/uint64 values must fit in int32).
   *
   * @example ds.dtype // "float32"
   */
  get dtype(): DType {
    return guarded(this.ctx, this.path, "reading the type of", () =>
      dtypeOf((this.node as jsfive.Dataset).dtype, `${this.ctx.label}: dataset '${this.path}'`),
    );
  }

  /**
   * All values, row-major, in a typed array of `dtype`.
   *
   * @example const kernel = file.dataset("layers/dense/vars/0"); new Tensor… (kernel.read(), kernel.shape)
   */
  read(): DataArray {
    return guarded(this.ctx, this.path, "reading", () => {
      const where = `${this.ctx.label}: dataset '${this.path}'`;
      const { count } = checkDataset(this.ctx.reader, headerOf(this.ctx, this.addr, this.path), this.path);
      const dtype = dtypeOf((this.node as jsfive.Dataset).dtype, where);
      const values = (this.node as jsfive.Dataset).value;
      if (values.length !== count)
        throw new ModelFormatError(`${where}: expected ${count} values, got ${values.length}`);
      const out =
        dtype === "float64"
          ? new Float64Array(count)
          : dtype === "float32"
            ? new Float32Array(count)
            : new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = values[i] ?? 0; // chunks never written read as the default fill value, 0
        if (typeof v !== "number") throw new ModelFormatError(`${where}: value ${i} is not a number`);
        if (dtype === "int32" && (v > 2147483647 || v < -2147483648))
          throw new ModelFormatError(`${where}: integer ${v} does not fit in int32`);
        out[i] = v;
      }
      return out;
    });
  }
}

/**
 * Opens an HDF5 file held in memory. `label` (usually the file name) starts every error message.
 * Works the same in Node and browsers; nothing touches a file system. A user block before the
 * superblock (HDF5 spec: 512, 1024, … bytes) is skipped. Data is decoded lazily from `bytes`,
 * which may be kept without a copy: do not modify it while the file is in use.
 *
 * @example
 * const file = openHdf5(fs.readFileSync("model.h5"), "model.h5");
 * const config = parseJsonSafe(file.attrString("model_config"), "model.h5");
 * const kernel = file.dataset("model_weights/dense_1/dense_1/kernel:0").read(); // Float32Array
 */
export function openHdf5(bytes: Uint8Array, label: string): H5Group {
  const start = hdf5SignatureOffset(bytes);
  if (start < 0) throw new ModelFormatError(`${label}: not an HDF5 file (no \\x89HDF signature)`);
  // Addresses inside the file are relative to the superblock, so jsfive gets an ArrayBuffer that
  // starts there; copy only when `bytes` is a view into something larger (e.g. a zip entry).
  const whole = start === 0 && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // Uint8Array's slice copies; a Node Buffer's own `slice` would return a view of the whole buffer.
  const own =
    whole && bytes.buffer instanceof ArrayBuffer ? bytes : Uint8Array.prototype.slice.call(bytes, start);
  const buffer = own.buffer as ArrayBuffer; // a slice always owns a plain ArrayBuffer
  const reader = new ByteReader(own, label);
  const ctx = { label, reader, headers: new Map() } as Omit<FileContext, "root"> as FileContext;
  const rootAddr = checkSuperblock(reader);
  const path = "/";
  guarded(ctx, path, "opening", () => checkGroup(reader, headerOf(ctx, rootAddr, path), path));
  ctx.root = guarded(ctx, path, "opening", () => new jsfive.File(buffer, label));
  return new H5Group(ctx, path, rootAddr, ctx.root);
}
