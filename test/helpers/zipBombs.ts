/**
 * Decompression bombs built at test time from a real `.keras` file. Zeros are deflated a MiB at a
 * time with node:zlib (`Z_SYNC_FLUSH` ends each piece on a byte boundary without ending the stream,
 * so identical pieces concatenate into one valid deflate stream): a bomb of any size costs the
 * generator ~1 MiB of memory and the archive ~1/1000 of its inflated size. Used by
 * test/io.bombs.test.ts and bench/bombs.ts.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { readZip } from "../../src/io/containers/zip.js";

/** One entry of a generated archive: bytes, then `zeros` bytes of `fill`; deflated unless `stored`. */
export interface BombEntry {
  name: string;
  data?: Uint8Array;
  /** Bytes of `fill` (default 0) appended after `data`. */
  zeros?: number;
  fill?: number;
  stored?: boolean;
}

const MiB = 1024 ** 2;
const syncFlush = { finishFlush: constants.Z_SYNC_FLUSH, level: 9 };

/** Deflated pieces, CRC-32 and size of one entry's content. */
function content(e: BombEntry): { parts: Uint8Array[]; crc: number; size: number; method: number } {
  const data = e.data ?? new Uint8Array(0);
  const zeros = e.zeros ?? 0;
  if (e.stored) {
    if (zeros > 0) throw new Error("buildZip: stored entries take data only");
    return { parts: [data], crc: crc32(data), size: data.length, method: 0 };
  }
  const parts: Uint8Array[] = [deflateRawSync(data, syncFlush)];
  let crc = crc32(data);
  const chunk = new Uint8Array(MiB).fill(e.fill ?? 0);
  const packed = deflateRawSync(chunk, syncFlush);
  for (let left = zeros; left > 0; left -= MiB) {
    const piece = left >= MiB ? chunk : chunk.subarray(0, left);
    parts.push(left >= MiB ? packed : deflateRawSync(piece, syncFlush));
    crc = crc32(piece, crc);
  }
  parts.push(deflateRawSync(new Uint8Array(0))); // the final (empty) block
  return { parts, crc, size: data.length + zeros, method: 8 };
}

/**
 * A zip of `entries`, in order (no data descriptors, no zip64: sizes must stay under 4 GiB).
 *
 * @example buildZip([{ name: "assets/bomb.bin", zeros: 64 * 1024 ** 2 }]);
 */
export function buildZip(entries: readonly BombEntry[]): Uint8Array {
  const out: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const { parts, crc, size, method } = content(e);
    const packedSize = parts.reduce((n, p) => n + p.length, 0);
    const name = new TextEncoder().encode(e.name);
    const header = (sig: number, len: number) => {
      const h = new Uint8Array(len + name.length);
      const v = new DataView(h.buffer);
      v.setUint32(0, sig, true);
      h.set(name, len);
      return { h, v };
    };
    const local = header(0x04034b50, 30);
    local.v.setUint16(4, 20, true);
    local.v.setUint16(8, method, true);
    local.v.setUint32(14, crc, true);
    local.v.setUint32(18, packedSize, true);
    local.v.setUint32(22, size, true);
    local.v.setUint16(26, name.length, true);
    const dir = header(0x02014b50, 46);
    dir.v.setUint16(4, 20, true);
    dir.v.setUint16(6, 20, true);
    dir.v.setUint16(10, method, true);
    dir.v.setUint32(16, crc, true);
    dir.v.setUint32(20, packedSize, true);
    dir.v.setUint32(24, size, true);
    dir.v.setUint16(28, name.length, true);
    dir.v.setUint32(42, offset, true);
    out.push(local.h, ...parts);
    central.push(dir.h);
    offset += local.h.length + packedSize;
  }
  const dirSize = central.reduce((n, p) => n + p.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const all = [...out, ...central, end];
  const bytes = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

/**
 * Rewrites the uncompressed size the central directory declares for `name` (the size readers
 * trust): the "header says 100 bytes, inflates to 1.5 GB" bomb.
 *
 * @example declareSize(zipBytes, "config.json", 100);
 */
export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const want = new TextEncoder().encode(name);
  for (let at = 0; at + 46 <= out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLen = view.getUint16(at + 28, true);
    const got = out.subarray(at + 46, at + 46 + nameLen);
    if (nameLen === want.length && got.every((b, i) => b === want[i])) {
      view.setUint32(at + 24, size, true);
      return out;
    }
  }
  throw new Error(`declareSize: no central directory entry '${name}'`);
}

/**
 * The entries of a real `.keras` file, with `changes` applied: an entry of the same name replaces
 * the original (keeping its place), others are appended.
 *
 * @example kerasWith(bytes, [{ name: "assets/bomb.bin", zeros: 64 * 1024 ** 2 }]);
 */
export function kerasWith(keras: Uint8Array, changes: readonly BombEntry[]): Uint8Array {
  const byName = new Map(changes.map((c) => [c.name, c]));
  const entries: BombEntry[] = [];
  for (const [name, data] of readZip(keras, "base.keras")) {
    entries.push(byName.get(name) ?? { name, data, stored: true });
    byName.delete(name);
  }
  return buildZip([...entries, ...byName.values()]);
}

/**
 * The bombs of issue 9 at a given size (`n` zero or padding bytes; the issue used 1.5e9 and 2.5e8).
 *
 * @example const { unusedEntry } = kerasBombs(bytes, 64 * 1024 ** 2);
 */
export function kerasBombs(keras: Uint8Array, n: number): Record<string, Uint8Array> {
  const files = readZip(keras, "base.keras");
  const config = files.get("config.json")!;
  const weights = files.get("model.weights.h5")!;
  return {
    /** An unused entry of `n` honestly declared zeros. */
    unusedEntry: kerasWith(keras, [{ name: "assets/bomb.bin", zeros: n }]),
    /** An unused entry that declares 100 bytes and inflates to `n`. */
    unusedLiar: declareSize(
      kerasWith(keras, [{ name: "assets/bomb.bin", zeros: n }]),
      "assets/bomb.bin",
      100,
    ),
    /** config.json declares its true size but inflates to `n` more zeros. */
    configLiar: declareSize(
      kerasWith(keras, [{ name: "config.json", data: config, zeros: n }]),
      "config.json",
      config.length,
    ),
    /** model.weights.h5 declares its true size but inflates to `n` more zeros. */
    weightsLiar: declareSize(
      kerasWith(keras, [{ name: "model.weights.h5", data: weights, zeros: n }]),
      "model.weights.h5",
      weights.length,
    ),
    /** config.json with `n` bytes of whitespace padding, honestly declared. */
    paddedConfig: kerasWith(keras, [{ name: "config.json", data: config, zeros: n, fill: 0x20 }]),
    /** model.weights.h5 followed by `n` zeros, honestly declared (far more than the model's shapes need). */
    paddedWeights: kerasWith(keras, [{ name: "model.weights.h5", data: weights, zeros: n }]),
  };
}
