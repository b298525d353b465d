import type { DataArray, DType } from "../../core/dtype.js";
import { ModelFormatError } from "../errors.js";

/** A parsed `.npy` array: row-major data in the narrowest gradlens dtype that holds it exactly. */
export interface NpyArray {
  shape: number[];
  dtype: DType;
  data: DataArray;
  /** The descr string from the header, e.g. `<f4`. */
  descr: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Refuse headers claiming more elements than this (guards against absurd shapes). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Reads NumPy's `.npy` format (versions 1–3; C order; little-endian f4/f8/i1/i2/i4/i8/u1/u2/u4/b1).
 * int64 values must fit in int32 or they are refused; float16 is widened to float32.
 *
 * @example const { shape, data } = parseNpy(fs.readFileSync("x.npy"));
 */
export function parseNpy(bytes: Uint8Array, where = "npy"): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    throw new ModelFormatError(`${where}: not a .npy file (missing the \\x93NUMPY magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (![1, 2, 3].includes(major) || start + headerLen > bytes.length)
    throw new ModelFormatError(`${where}: unsupported .npy version ${major} or truncated header`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLen),
  );
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new ModelFormatError(`${where}: malformed .npy header ${JSON.stringify(header.trim())}`);
  if (fortran === "True")
    throw new ModelFormatError(
      `${where}: Fortran-ordered .npy arrays are not supported; save with order='C'`,
    );
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ""));
      if (!Number.isInteger(n) || n < 0)
        throw new ModelFormatError(`${where}: bad dimension '${s}' in shape (${shapeText})`);
      return n;
    });
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS) throw new ModelFormatError(`${where}: shape (${shapeText}) is too large`);
  const body = bytes.subarray(start + headerLen);
  const kind = descr.slice(1);
  const endian = descr[0];
  const itemSize = Number(kind.slice(1));
  if (endian === ">" && itemSize > 1)
    throw new ModelFormatError(`${where}: big-endian .npy data ('${descr}') is not supported`);
  if (body.length < count * itemSize)
    throw new ModelFormatError(
      `${where}: truncated data: expected ${count * itemSize} bytes for shape (${shapeText}), got ${body.length}`,
    );
  const dv = new DataView(body.buffer, body.byteOffset, count * itemSize);
  const read = (dtype: DType, get: (i: number) => number): NpyArray => {
    const data =
      dtype === "float64"
        ? new Float64Array(count)
        : dtype === "float32"
          ? new Float32Array(count)
          : dtype === "int32"
            ? new Int32Array(count)
            : new Uint8Array(count);
    for (let i = 0; i < count; i++) data[i] = get(i);
    return { shape, dtype, data, descr };
  };
  switch (kind) {
    case "f8":
      return read("float64", (i) => dv.getFloat64(i * 8, true));
    case "f4":
      return read("float32", (i) => dv.getFloat32(i * 4, true));
    case "f2":
      return read("float32", (i) => halfToFloat(dv.getUint16(i * 2, true)));
    case "i4":
      return read("int32", (i) => dv.getInt32(i * 4, true));
    case "i2":
      return read("int32", (i) => dv.getInt16(i * 2, true));
    case "i1":
      return read("int32", (i) => dv.getInt8(i));
    case "u1":
      return read("int32", (i) => dv.getUint8(i));
    case "u2":
      return read("int32", (i) => dv.getUint16(i * 2, true));
    case "u4":
      return read("float64", (i) => dv.getUint32(i * 4, true));
    case "b1":
      return read("bool", (i) => (dv.getUint8(i) ? 1 : 0));
    case "i8":
      return read("int32", (i) => {
        const v = dv.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n)
          throw new ModelFormatError(`${where}: int64 value ${v} does not fit in int32`);
        return Number(v);
      });
    default:
      throw new ModelFormatError(`${where}: unsupported .npy dtype '${descr}'`);
  }
}

/** IEEE half-precision bits to a JS number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Writes an `.npy` (version 1) file for float64/float32/int32/bool data.
 *
 * @example fs.writeFileSync("out.npy", writeNpy([2, 3], new Float64Array(6)));
 */
export function writeNpy(shape: readonly number[], data: DataArray): Uint8Array {
  const descr =
    data instanceof Float64Array
      ? "<f8"
      : data instanceof Float32Array
        ? "<f4"
        : data instanceof Int32Array
          ? "<i4"
          : "|b1";
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
