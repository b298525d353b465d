/**
 * Where model bytes come from: a file path (Node), a `URL` or URL string (fetch; `file:` URLs in
 * Node; in a browser relative URLs too), bytes, or a browser `File`/`Blob`. Each source also knows how to find files next to it
 * (TF.js weight shards), and refuses paths that would leave its folder.
 */
import { ValueError } from "../core/errors.js";
import { importNode, isNode } from "../core/platform.js";
import { ModelFormatError } from "./errors.js";

/**
 * Anything `loadModel` reads a model (or weights) from.
 *
 * @example const sources: ModelSource[] = ["m.h5", new URL("https://x/m.json"), bytes, file];
 */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer | Blob;

/**
 * Bytes of files given directly, by the name the model refers to them with (TF.js shard paths).
 *
 * @example loadModel(jsonBytes, { weights: { "group1-shard1of1": shardBytes } });
 */
export type FileMap =
  Record<string, Uint8Array | ArrayBuffer | Blob> | Map<string, Uint8Array | ArrayBuffer | Blob>;

/**
 * Limits and hooks for reading.
 *
 * @example loadModel(url, { maxBytes: 100 * 1024 ** 2, fetch: myFetch });
 */
export interface ReadOptions {
  /** Largest file accepted, in bytes (default 2 GiB). */
  maxBytes?: number;
  /** The fetch used for http(s) URLs (default: the global fetch). */
  fetch?: typeof fetch;
  /** Names the source in errors when it is bytes (default `"<bytes>"`). */
  label?: string;
}

/**
 * A source read into memory, with a way to read files beside it.
 *
 * @example const shard = await (await readSource("model.json")).sibling!("weights.bin");
 */
export interface ReadSource {
  bytes: Uint8Array;
  /** How errors name it: the path or URL as given, a File's name, or the label option. */
  label: string;
  /** The path or URL, when there is one. */
  path?: string;
  /**
   * Reads a file named relative to this one (for TF.js shards), refusing one over `maxBytes`
   * (what the manifest says it holds) before reading it; absent for bytes and Blobs.
   */
  sibling?: (relative: string, maxBytes?: number) => Promise<ReadSource>;
}

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/**
 * Whether a value is a source (and not a map of files).
 *
 * @example isModelSource({ "w.bin": bytes }); // false
 */
export function isModelSource(x: unknown): x is ModelSource {
  return (
    typeof x === "string" ||
    x instanceof URL ||
    x instanceof Uint8Array ||
    x instanceof ArrayBuffer ||
    (typeof Blob !== "undefined" && x instanceof Blob)
  );
}

/**
 * The path segments of a file name a model refers to (a TF.js shard path), or a
 * `ModelFormatError` when the name could reach outside the model's folder. Manifest paths are URL
 * references (tfjs fetches `prefix + path`), so the name is percent-decoded once *before* it is
 * judged — `%2e%2e` is `..` to a URL parser and `%2f` a separator to a server — and then refused
 * if it is absolute (`/x`, `C:x`, a URL scheme), has a `..` segment, a backslash, a NUL, or still
 * holds a percent-escape (double encoding, which a second decoder would turn into `..`). `.` and
 * empty segments are dropped.
 *
 * @example relativeSegments("./group1-shard1of1", "model.json"); // ["group1-shard1of1"]
 * @example relativeSegments("%2e%2e/secret.bin", "model.json"); // throws ModelFormatError
 */
export function relativeSegments(name: string, label: string): string[] {
  const refuse = (why: string): never => {
    throw new ModelFormatError(
      `${label}: the weight file path ${JSON.stringify(name)} is not a plain relative name (${why}); refusing to read it`,
    );
  };
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    refuse("a malformed percent-escape");
  }
  if (decoded.length === 0) refuse("empty");
  if (/%[0-9A-Fa-f]{2}/.test(decoded)) refuse("percent-encoded twice");
  if (decoded.includes("\0") || decoded.includes("\\")) refuse("a backslash or NUL");
  if (decoded.startsWith("/") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(decoded)) refuse("absolute, '..' or a URL");
  const segments = decoded.split("/").filter((p) => p !== "" && p !== ".");
  if (segments.includes("..")) refuse("absolute, '..' or a URL");
  if (segments.length === 0) refuse("it names the folder, not a file");
  return segments;
}

/**
 * `relativeSegments` as one clean relative name (`a/b.bin`), for looking names up.
 *
 * @example checkRelativeName("./group1-shard1of1", "model.json"); // "group1-shard1of1"
 */
export function checkRelativeName(name: string, label: string): string {
  return relativeSegments(name, label).join("/");
}

/**
 * The URL of a file beside `base` (a model.json URL): the segments are percent-encoded one by one
 * and appended to `base`'s folder, so no character in a name can act as a separator, a query or a
 * dot segment; the result is checked to stay at `base`'s origin, under its folder.
 */
function siblingUrl(base: URL, name: string): URL {
  const folder = new URL(".", base);
  const target = new URL(relativeSegments(name, base.href).map(encodeURIComponent).join("/"), folder);
  if (
    target.protocol !== folder.protocol ||
    target.host !== folder.host ||
    !target.pathname.startsWith(folder.pathname) ||
    target.search !== "" ||
    target.hash !== ""
  )
    throw new ModelFormatError(
      `${base.href}: the weight file path ${JSON.stringify(name)} resolves to ${target.href}, outside the model's folder ${folder.href}; refusing to read it`,
    );
  return target;
}

function capped(size: number, label: string, max: number, why = "option maxBytes"): void {
  if (size > max)
    throw new ModelFormatError(`${label}: ${size} bytes is more than the limit of ${max} (${why})`);
}

/** Options for one sibling read: the smaller of the caller's cap and the overall one. */
function within(opts: ReadOptions, maxBytes: number | undefined): ReadOptions & { why?: string } {
  if (maxBytes === undefined || maxBytes >= (opts.maxBytes ?? DEFAULT_MAX_BYTES)) return opts;
  return { ...opts, maxBytes, why: "what the manifest says the weight file holds" };
}

/**
 * A response body read chunk by chunk, stopped as soon as it passes `max` (a server that sends no
 * or a false content-length cannot make us hold more).
 */
async function boundedBody(res: Response, label: string, max: number, why: string): Promise<Uint8Array> {
  if (res.body === null) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      capped(total, label, max, why);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function readPath(p: string, opts: ReadOptions & { why?: string }): Promise<ReadSource> {
  if (!isNode)
    throw new ValueError(
      `loadModel: '${p}' looks like a file path, which needs Node; in a browser pass a URL, a File or bytes`,
    );
  const fs = await importNode("node:fs/promises", "loadModel(path)");
  const path = await importNode("node:path", "loadModel(path)");
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Uint8Array;
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) throw new ModelFormatError(`${p}: not a file`);
    capped(st.size, p, max, opts.why);
    bytes = new Uint8Array(await fs.readFile(p));
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${p}: cannot read the file: ${(e as Error).message}`);
  }
  const dir = path.resolve(path.dirname(p));
  const sibling = (rel: string, maxBytes?: number) => {
    const target = path.join(dir, ...relativeSegments(rel, p));
    const inside = path.relative(dir, target);
    if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside))
      throw new ModelFormatError(
        `${p}: the weight file path ${JSON.stringify(rel)} resolves to ${target}, outside the model's folder ${dir}; refusing to read it`,
      );
    return readPath(target, within(opts, maxBytes));
  };
  return { bytes, label: p, path: p, sibling };
}

async function readUrl(url: URL, opts: ReadOptions & { why?: string }): Promise<ReadSource> {
  if (url.protocol === "file:") {
    if (!isNode) throw new ValueError(`loadModel: file: URLs need Node (${url.href})`);
    const { fileURLToPath } = await importNode("node:url", "loadModel(file: URL)");
    const read = await readPath(fileURLToPath(url), opts);
    return {
      ...read,
      label: url.href,
      path: url.href,
      sibling: (rel, maxBytes) => readUrl(siblingUrl(url, rel), within(opts, maxBytes)),
    };
  }
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const f = opts.fetch ?? globalThis.fetch;
  if (typeof f !== "function") throw new ValueError(`loadModel: no fetch available to read ${url.href}`);
  let bytes: Uint8Array;
  try {
    const res = await f(url.href);
    if (!res.ok) throw new ModelFormatError(`${url.href}: HTTP ${res.status} ${res.statusText}`);
    const why = opts.why ?? "option maxBytes";
    capped(Number(res.headers.get("content-length") ?? "0"), url.href, max, why);
    bytes = await boundedBody(res, url.href, max, why);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${url.href}: cannot fetch it: ${(e as Error).message}`);
  }
  return {
    bytes,
    label: url.href,
    path: url.href,
    sibling: (rel, maxBytes) => readUrl(siblingUrl(url, rel), within(opts, maxBytes)),
  };
}

/**
 * The URL a web page or worker resolves relative URLs against — `document.baseURI` in a page,
 * `self.location` in a worker — or null in Node (and runtimes with neither), where a string
 * that is not an http(s)/file URL is a file path. So in a browser `loadModel("./m.keras")` and
 * `loadModel("/models/m.keras")` mean what they mean in `fetch` or an `<img src>`.
 */
function webBase(): string | null {
  if (isNode) return null;
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return g.document?.baseURI ?? g.location?.href ?? null;
}

/**
 * A plain Uint8Array over the same memory. A Node Buffer (what `fs.readFileSync` returns) is a
 * Uint8Array whose `slice` returns a view instead of a copy, so readers that slice and then use
 * `.buffer` would see the whole file; a plain view restores the standard semantics.
 */
const plainBytes = (b: Uint8Array): Uint8Array =>
  Object.getPrototypeOf(b) === Uint8Array.prototype
    ? b
    : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Reads a source into memory.
 *
 * @example
 * const { bytes, label } = await readSource("models/model.h5");
 * const remote = await readSource(new URL("https://example.com/model/model.json"));
 */
export async function readSource(source: ModelSource, opts: ReadOptions = {}): Promise<ReadSource> {
  if (source instanceof Uint8Array) return { bytes: plainBytes(source), label: opts.label ?? "<bytes>" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), label: opts.label ?? "<bytes>" };
  if (typeof Blob !== "undefined" && source instanceof Blob) {
    const label = opts.label ?? ((source as File).name || "<blob>");
    capped(source.size, label, opts.maxBytes ?? DEFAULT_MAX_BYTES);
    return { bytes: new Uint8Array(await source.arrayBuffer()), label };
  }
  if (source instanceof URL) return readUrl(source, opts);
  if (typeof source === "string") {
    if (/^(https?|file):/i.test(source)) return readUrl(new URL(source), opts);
    const base = webBase();
    return base === null ? readPath(source, opts) : readUrl(new URL(source, base), opts);
  }
  throw new ValueError(
    `loadModel: expected a path, URL, Uint8Array, ArrayBuffer, File or Blob, got ${source === null ? "null" : typeof source}`,
  );
}

/**
 * Looks a file up in a FileMap by the exact name, then without `./`, then by its last path segment.
 *
 * @example const shard = await fromFileMap({ "weights.bin": bytes }, "./weights.bin", "model.json");
 */
export async function fromFileMap(files: FileMap, name: string, label: string): Promise<ReadSource> {
  const get = (k: string) =>
    files instanceof Map ? files.get(k) : Object.hasOwn(files, k) ? files[k] : undefined;
  const bare = name.replace(/^(\.\/)+/, "");
  const base = bare.split("/").pop()!;
  const hit = get(name) ?? get(bare) ?? get(base);
  if (hit === undefined) {
    const have = files instanceof Map ? [...files.keys()] : Object.keys(files);
    throw new ModelFormatError(
      `${label}: the weights file '${name}' was not given (files given: ${have.join(", ") || "none"})`,
    );
  }
  return readSource(hit, { label: name });
}
