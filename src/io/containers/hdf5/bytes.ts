/**
 * Little-endian byte access for HDF5 structures, with every read checked against the end of the
 * buffer. HDF5 addresses and lengths are 8 bytes; we keep them as JS numbers and refuse values past
 * 2^53, which no file we can hold in memory needs.
 */
import { ModelFormatError } from "../../errors.js";

/** The all-ones 8-byte address HDF5 uses for "not allocated". Read back as `UNDEF`. */
export const UNDEF = -1;

/** A read-only view that throws `ModelFormatError` (naming `where`) instead of reading out of range. */
export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless `[offset, offset + size)` lies inside the buffer. */
  need(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || size < 0 || offset + size > this.bytes.length)
      throw new ModelFormatError(
        `${this.where}: ${what} at byte ${offset} (${size} bytes) lies outside the file (${this.bytes.length} bytes); the file is truncated or damaged`,
      );
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  /** An 8-byte unsigned value; the all-ones pattern comes back as `UNDEF`. */
  u64(offset: number, what: string): number {
    this.need(offset, 8, what);
    const lo = this.view.getUint32(offset, true);
    const hi = this.view.getUint32(offset + 4, true);
    if (lo === 0xffffffff && hi === 0xffffffff) return UNDEF;
    if (hi >= 0x200000)
      throw new ModelFormatError(`${this.where}: ${what} at byte ${offset} is implausibly large`);
    return hi * 2 ** 32 + lo;
  }

  /** Whether the ASCII signature `sig` sits at `offset` (false when out of range). */
  hasSignature(offset: number, sig: string): boolean {
    if (offset < 0 || offset + sig.length > this.bytes.length) return false;
    for (let i = 0; i < sig.length; i++) if (this.bytes[offset + i] !== sig.charCodeAt(i)) return false;
    return true;
  }
}
