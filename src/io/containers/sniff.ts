/**
 * Format detection from content, never from the file name: `hls4ml/*.keras` files are HDF5, TF.js
 * weight shards have no extension, and users rename things.
 */

/**
 * What a byte buffer looks like. `unknown` covers everything else (e.g. raw weight shards).
 *
 * @example const tag: FormatTag = sniffFormat(bytes); if (tag === "zip") …
 */
export type FormatTag = "hdf5" | "zip" | "npy" | "json" | "unknown";

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // \x89HDF\r\n\x1a\n
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\x03\x04, a local file header
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06]; // an archive with no entries is just the end record
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (at + magic.length > bytes.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/**
 * Where the HDF5 superblock starts, or -1. The HDF5 spec lets a file begin with a user block, so
 * the signature may sit at byte 0, 512, 1024, 2048, … (0 and then every power of two from 512).
 *
 * @example hdf5SignatureOffset(bytes) // 0 for files written by h5py
 */
export function hdf5SignatureOffset(bytes: Uint8Array): number {
  for (let at = 0; at + HDF5_MAGIC.length <= bytes.length; at = at === 0 ? 512 : at * 2)
    if (startsWith(bytes, HDF5_MAGIC, at)) return at;
  return -1;
}

/**
 * Detects the container format of `bytes`: HDF5 (legacy Keras `.h5`, `model.weights.h5`), zip
 * (Keras 3 `.keras`), NumPy `.npy`, or JSON (Keras config, TF.js `model.json`; a UTF-8 BOM and
 * leading whitespace are allowed before the `{` or `[`).
 *
 * @example
 * sniffFormat(fs.readFileSync("hls4ml/mlp_streaming.keras")) // "hdf5", despite the extension
 */
export function sniffFormat(bytes: Uint8Array): FormatTag {
  if (startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, EMPTY_ZIP_MAGIC)) return "zip";
  if (startsWith(bytes, NPY_MAGIC)) return "npy";
  if (hdf5SignatureOffset(bytes) >= 0) return "hdf5";
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return "json"; // { or [
  return "unknown";
}
