/**
 * How numbers enter a sensitivity result. The result must survive `JSON.parse(JSON.stringify(r))`
 * unchanged, so it holds only plain arrays, plain objects, strings, booleans, finite numbers and
 * `null`. A value that is not finite (NaN, ±Infinity) is stored as `null` (JSON has no spelling
 * for it, and `JSON.stringify` would turn it into `null` anyway, so the in-memory result already
 * looks like its serialised form); `-0` is stored as `0` because JSON drops the sign.
 */
import type { JsonNumber } from "./schemaBase.js";

/** A finite number as itself (with -0 as 0), anything else as null. */
export function jnum(x: number): JsonNumber {
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

/** `count` numbers starting at `offset` of a flat buffer, as a JSON-safe array. */
export function jvec(buf: ArrayLike<number>, offset = 0, count = buf.length - offset): JsonNumber[] {
  const out = new Array<JsonNumber>(count);
  for (let i = 0; i < count; i++) out[i] = jnum(buf[offset + i]);
  return out;
}

/** A row-major `[rows, cols]` block of a flat buffer as nested arrays. */
export function jmat(buf: ArrayLike<number>, rows: number, cols: number, offset = 0): JsonNumber[][] {
  const out = new Array<JsonNumber[]>(rows);
  for (let r = 0; r < rows; r++) out[r] = jvec(buf, offset + r * cols, cols);
  return out;
}

/** A row-major `[a, b, c]` block of a flat buffer as nested arrays. */
export function jcube(buf: ArrayLike<number>, a: number, b: number, c: number, offset = 0): JsonNumber[][][] {
  const out = new Array<JsonNumber[][]>(a);
  for (let i = 0; i < a; i++) out[i] = jmat(buf, b, c, offset + i * b * c);
  return out;
}

/** A row-major `[a, b, c, d]` block of a flat buffer as nested arrays. */
export function jquad(
  buf: ArrayLike<number>,
  a: number,
  b: number,
  c: number,
  d: number,
  offset = 0,
): JsonNumber[][][][] {
  const out = new Array<JsonNumber[][][]>(a);
  for (let i = 0; i < a; i++) out[i] = jcube(buf, b, c, d, offset + i * b * c * d);
  return out;
}
