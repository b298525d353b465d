/**
 * Zip archives (Keras 3 `.keras`) from and to bytes.
 *
 * Reading parses the central directory here rather than through fflate's `unzipSync`, because that
 * one trusts the archive: it inflates every entry, past the declared size (a zip bomb), checks no
 * CRC (a flipped bit in a STORED weights file would go unnoticed) and accepts any entry name. Here
 * every entry is checked (name, count, local header), but an entry is only decompressed when the
 * caller asks for it (`openZip(…).read`), under a cap the caller sets for that entry (checked
 * against the declared size *before* inflating) and a cap on the archive's total. Deflate data is
 * fed to fflate's `Inflate` in steps sized to what the entry may still produce, so an entry that
 * lies about its size is stopped at most ~1 MiB past it; each entry's CRC-32 is verified. Writing uses fflate with STORED entries, as
 * Keras does.
 *
 * Zip layout: PKWARE APPNOTE.TXT 6.3.x, sections 4.3.7 (local header), 4.3.12 (central directory),
 * 4.3.16 (end of central directory).
 */
import { Inflate, zipSync, type Zippable } from "fflate";
import { ValueError } from "../../core/errors.js";
import { ModelFormatError } from "../errors.js";

/**
 * One entry of the central directory.
 *
 * @example listZip(bytes, "model.keras")[0] // { name: "metadata.json", size: 63, method: "stored", … }
 */
export interface ZipEntry {
  name: string;
  /** Uncompressed size in bytes, as declared (and enforced when read). */
  size: number;
  compressedSize: number;
  method: "stored" | "deflate";
  isDirectory: boolean;
}

/**
 * Caps against decompression bombs; reading fails with a `ModelFormatError` past them.
 *
 * @example readZip(bytes, "model.keras", { maxTotalBytes: 512 * 1024 ** 2 })
 */
export interface ZipLimits {
  /** Most entries accepted (default 10 000). */
  maxEntries?: number;
  /**
   * Most uncompressed bytes read out of the archive in all (default 2 GiB). Only entries that are
   * read count: an unused entry, however large it claims to be, costs nothing.
   */
  maxTotalBytes?: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_TOTAL = 2 * 1024 ** 3;
const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

interface Located extends ZipEntry {
  crc: number;
  localOffset: number;
}

/**
 * Refuses names that could escape an extraction folder or mean different files on different
 * systems: `..` segments, absolute paths (`/x`, `C:x`), backslashes, NUL and empty names.
 */
function checkEntryName(name: string, label: string): void {
  const bad =
    name.length === 0 ||
    name.includes("\0") ||
    name.includes("\\") ||
    name.startsWith("/") ||
    /^[A-Za-z]:/.test(name) ||
    name.split("/").some((part) => part === "..");
  if (bad)
    throw new ModelFormatError(
      `${label}: zip entry name ${JSON.stringify(name)} is unsafe (absolute, '..' or '\\')`,
    );
}

function findEndRecord(view: DataView, label: string): number {
  const last = view.byteLength - 22;
  // The end record is followed only by its comment, at most 65535 bytes.
  for (let at = last; at >= 0 && at >= last - 65535; at--)
    if (view.getUint32(at, true) === EOCD_SIG) return at;
  throw new ModelFormatError(
    `${label}: not a zip archive, or truncated (no end-of-central-directory record)`,
  );
}

function locateEntries(bytes: Uint8Array, label: string, limits: ZipLimits): Located[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(view, label);
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff)
    throw new ModelFormatError(`${label}: zip64 archives are not supported`);
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (count > maxEntries)
    throw new ModelFormatError(`${label}: zip has ${count} entries, more than the limit of ${maxEntries}`);
  if (dirOffset + dirSize > eocd)
    throw new ModelFormatError(`${label}: zip central directory lies outside the file (truncated?)`);
  const entries: Located[] = [];
  const names = new Set<string>();
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL_SIG)
      throw new ModelFormatError(`${label}: zip central directory entry ${i} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const methodCode = view.getUint16(at + 10, true);
    const [nameLen, extraLen, commentLen] = [28, 30, 32].map((o) => view.getUint16(at + o, true));
    if (at + 46 + nameLen > eocd)
      throw new ModelFormatError(`${label}: zip central directory entry ${i} is truncated`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    checkEntryName(name, label);
    if (names.has(name)) throw new ModelFormatError(`${label}: zip holds two entries named '${name}'`);
    names.add(name);
    if (flags & 1) throw new ModelFormatError(`${label}: zip entry '${name}' is encrypted`);
    if (methodCode !== 0 && methodCode !== 8)
      throw new ModelFormatError(
        `${label}: zip entry '${name}' uses compression method ${methodCode}; only stored and deflate are supported`,
      );
    const entry: Located = {
      name,
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      method: methodCode === 0 ? "stored" : "deflate",
      isDirectory: name.endsWith("/"),
      localOffset: view.getUint32(at + 42, true),
    };
    if (entry.method === "stored" && entry.size !== entry.compressedSize)
      throw new ModelFormatError(
        `${label}: stored zip entry '${name}' declares ${entry.size} bytes but holds ${entry.compressedSize}`,
      );
    entries.push(entry);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 as zip uses it (IEEE 802.3 polynomial, reflected). */
function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Deflate's largest expansion: 258 bytes from 2 bits, about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;
/** Smallest and largest compressed step handed to the inflater (small steps are slow in fflate). */
const MIN_STEP = 1024;
const MAX_STEP = 64 * 1024;

/**
 * Inflates `data`, which must give exactly `size` bytes, streaming it a step at a time and
 * stopping the moment the output passes `size`. Each step is sized so that even at deflate's
 * largest ratio it cannot produce much more than what is still allowed (and at least 1 KiB, at
 * most ~1 MiB of output): a lying header costs at most one small step of work past its size.
 * `counter.inflated` is raised by every byte the inflater produces (the budget's bookkeeping).
 */
function inflateBounded(
  data: Uint8Array,
  size: number,
  where: string,
  counter: { inflated: number },
): Uint8Array {
  const out = new Uint8Array(size);
  let filled = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    counter.inflated += chunk.length;
    if (filled + chunk.length > size)
      throw new ModelFormatError(
        `${where} inflates past its declared ${size} bytes (stopped after ${filled + chunk.length})`,
      );
    out.set(chunk, filled);
    filled += chunk.length;
    finished ||= final;
  });
  try {
    let at = 0;
    do {
      const step = Math.min(MAX_STEP, Math.max(MIN_STEP, Math.floor((size - filled) / MAX_DEFLATE_RATIO)));
      const end = Math.min(at + step, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
      at = end;
    } while (at < data.length);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${where} has damaged deflate data (${(e as Error).message})`);
  }
  if (!finished || filled !== size)
    throw new ModelFormatError(`${where} inflates to ${filled} bytes, declared ${size}`);
  return out;
}

/** The entry's bytes as stored in the archive (still compressed for deflate entries). */
function rawBytes(bytes: Uint8Array, e: Located, label: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (e.localOffset + 30 > bytes.length || view.getUint32(e.localOffset, true) !== LOCAL_SIG)
    throw new ModelFormatError(
      `${label}: zip entry '${e.name}' has no local header at byte ${e.localOffset}`,
    );
  const start =
    e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  if (start + e.compressedSize > bytes.length)
    throw new ModelFormatError(`${label}: zip entry '${e.name}' runs past the end of the file (truncated?)`);
  return bytes.subarray(start, start + e.compressedSize);
}

/**
 * The most one read may return, and why (for the error message).
 *
 * @example archive.read("config.json", { maxBytes: 16 * 1024 ** 2, why: "a Keras config" })
 */
export interface EntryBudget {
  /** Most bytes this entry may hold; an entry that declares more is refused before inflating. */
  maxBytes?: number;
  /** What the cap is for, named in the error (`"a Keras config"`). */
  why?: string;
}

/**
 * An archive opened for reading: the central directory is parsed and checked, but no entry is
 * decompressed until it is asked for, so entries the caller never reads cost nothing.
 *
 * @example
 * const zip = openZip(bytes, "model.keras");
 * const config = zip.read("config.json", { maxBytes: 16 * 1024 ** 2, why: "a Keras config" });
 */
export interface ZipArchive {
  readonly label: string;
  readonly entries: readonly ZipEntry[];
  /** Bytes returned by reads so far (the total that `maxTotalBytes` caps). */
  readonly bytesRead: number;
  /** Bytes the inflater has produced so far, overshoot of refused entries included. */
  readonly inflated: number;
  /** Whether a file entry of that name exists. */
  has(name: string): boolean;
  /**
   * The entry's bytes, CRC-checked, or undefined when there is none. Throws `ModelFormatError`
   * naming the archive, the entry and the cap when the entry declares more than `budget.maxBytes`
   * or the archive's remaining total (checked before inflating), or inflates past its declared size
   * (checked while inflating).
   */
  read(name: string, budget?: EntryBudget): Uint8Array | undefined;
}

/**
 * A byte count as people read caps: `"100 bytes"`, `"4 KiB"`, `"16.5 MiB"`.
 *
 * @example formatBytes(16 * 1024 ** 2); // "16 MiB"
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) [v, u] = [v / 1024, u + 1];
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * Opens a zip archive for reading entries one by one (see `ZipArchive`). Throws
 * `ModelFormatError` for truncated archives, unsafe names, duplicates, or more than
 * `limits.maxEntries` entries.
 *
 * @example
 * const zip = openZip(fs.readFileSync("model.keras"), "model.keras");
 * zip.entries.map((e) => e.name); // ["metadata.json", "config.json", "model.weights.h5"]
 */
export function openZip(bytes: Uint8Array, label: string, limits: ZipLimits = {}): ZipArchive {
  const located = locateEntries(bytes, label, limits);
  const byName = new Map(located.filter((e) => !e.isDirectory).map((e) => [e.name, e]));
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL;
  const counter = { inflated: 0, read: 0 };
  return {
    label,
    entries: located.map(publicEntry),
    get bytesRead() {
      return counter.read;
    },
    get inflated() {
      return counter.inflated;
    },
    has: (name) => byName.has(name),
    read(name, budget = {}) {
      const e = byName.get(name);
      if (e === undefined) return undefined;
      const where = `${label}: zip entry '${name}'`;
      const cap = budget.maxBytes ?? Infinity;
      if (e.size > cap)
        throw new ModelFormatError(
          `${where} declares ${formatBytes(e.size)}, more than the ${formatBytes(cap)} allowed for ` +
            `${budget.why ?? "it"}; refusing to decompress it`,
        );
      if (counter.read + e.size > maxTotal)
        throw new ModelFormatError(
          `${label}: zip would expand to more than ${maxTotal} bytes (limit; option maxBytes) with ` +
            `entry '${name}'; refusing to decompress it`,
        );
      const raw = rawBytes(bytes, e, label);
      const data = e.method === "stored" ? raw : inflateBounded(raw, e.size, where, counter);
      if (crc32(data) !== e.crc) throw new ModelFormatError(`${where} fails its CRC-32 check (damaged)`);
      counter.read += data.length;
      return data;
    },
  };
}

const publicEntry = ({ name, size, compressedSize, method, isDirectory }: Located): ZipEntry => ({
  name,
  size,
  compressedSize,
  method,
  isDirectory,
});

/**
 * Lists the entries of a zip archive without decompressing anything. Throws `ModelFormatError`
 * for truncated archives, unsafe names, duplicates, or more than `limits.maxEntries` entries.
 *
 * @example listZip(bytes, "model.keras").map((e) => e.name) // ["metadata.json", "config.json", "model.weights.h5"]
 */
export function listZip(bytes: Uint8Array, label: string, limits: ZipLimits = {}): ZipEntry[] {
  return locateEntries(bytes, label, limits).map(publicEntry);
}

/**
 * Reads every file entry (directories are skipped) into a map from name to bytes, verifying each
 * CRC-32; the total is capped by `limits.maxTotalBytes`. STORED entries are views into `bytes`
 * (no copy); copy them if `bytes` will be reused. Loaders use `openZip` instead, to read only the
 * entries they need, each with its own cap.
 *
 * @example
 * const files = readZip(fs.readFileSync("model.keras"), "model.keras");
 * const config = JSON.parse(new TextDecoder().decode(files.get("config.json")));
 */
export function readZip(bytes: Uint8Array, label: string, limits: ZipLimits = {}): Map<string, Uint8Array> {
  const zip = openZip(bytes, label, limits);
  const out = new Map<string, Uint8Array>();
  for (const e of zip.entries) if (!e.isDirectory) out.set(e.name, zip.read(e.name)!);
  return out;
}

/**
 * Writes a zip with STORED (uncompressed) entries in the given order, as Keras writes `.keras`
 * files. Timestamps are fixed (1980-01-01) so the same input gives the same bytes.
 *
 * @example
 * const keras = writeZip([["metadata.json", meta], ["config.json", config], ["model.weights.h5", weights]]);
 */
export function writeZip(entries: Iterable<readonly [string, Uint8Array]>): Uint8Array {
  const files: Zippable = {};
  const mtime = new Date(1980, 0, 1);
  for (const [name, data] of entries) {
    try {
      checkEntryName(name, "writeZip");
    } catch (e) {
      throw new ValueError((e as Error).message);
    }
    if (Object.hasOwn(files, name)) throw new ValueError(`writeZip: two entries named '${name}'`);
    files[name] = [data, { level: 0, mtime }];
  }
  return zipSync(files);
}
