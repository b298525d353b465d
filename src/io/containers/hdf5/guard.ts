/**
 * Structural checks run on the raw bytes before jsfive decodes an object.
 *
 * Why: jsfive trusts the counts and addresses it finds in the file. Fuzzing showed that a flipped
 * bit in a dataspace can make it loop for billions of iterations (its string reads clamp instead of
 * throwing), and a B-tree whose nodes share children makes its traversal exponential. Here we walk
 * the same structures with every read bounds-checked, every count compared with the bytes that must
 * hold it, and every node visited once, so that whatever jsfive does next is bounded by the file
 * size. Only the fields needed for those bounds are parsed; decoding is left to jsfive.
 *
 * Layout references are to the HDF5 File Format Specification v3.0 (sections in comments).
 */
import { ModelFormatError } from "../../errors.js";
import { ByteReader, UNDEF } from "./bytes.js";

/** One header message of an object: its type, and where its body lies in the file. */
export interface Message {
  type: number;
  offset: number;
  size: number;
}

export const MSG = {
  dataspace: 0x01,
  linkInfo: 0x02,
  datatype: 0x03,
  layout: 0x08,
  filters: 0x0b,
  attribute: 0x0c,
  continuation: 0x10,
  symbolTable: 0x11,
} as const;

/** Datatype classes (IV.A.2.d) jsfive decodes for us; others are refused with a clear message. */
const SUPPORTED_CLASSES = new Map([
  [0, "integer"],
  [1, "float"],
  [3, "fixed-length string"],
  [8, "enum"], // h5py stores bool as an int8 enum; jsfive reads the base integer
  [9, "variable-length"],
]);
const CLASS_NAMES = ["integer", "float", "time", "string", "bitfield", "opaque", "compound"];
const MAX_RANK = 32;
/** More elements than this in one dataset is refused (2^31 float32 is already 8 GiB). */
const MAX_ELEMENTS = 2 ** 31 - 1;
/** deflate cannot expand by more than ~1032x, so compressed data larger than this is impossible. */
const MAX_INFLATE_RATIO = 1100;

/**
 * Validates the superblock at offset 0 (II.A) and returns the address of the root object header.
 * jsfive reads versions 0, 2 and 3 with 8-byte addresses; anything else is refused here.
 */
export function checkSuperblock(r: ByteReader): number {
  if (!r.hasSignature(0, "\x89HDF\r\n\x1a\n"))
    throw new ModelFormatError(`${r.where}: not an HDF5 file (missing the \\x89HDF signature)`);
  const version = r.u8(8, "superblock version");
  if (version === 0) {
    const [offsets, lengths] = [r.u8(13, "size of offsets"), r.u8(14, "size of lengths")];
    checkAddressSizes(r, offsets, lengths);
    return r.u64(64, "root group object header address");
  }
  if (version === 2 || version === 3) {
    checkAddressSizes(r, r.u8(9, "size of offsets"), r.u8(10, "size of lengths"));
    return r.u64(36, "root group object header address");
  }
  throw new ModelFormatError(
    `${r.where}: unsupported HDF5 superblock version ${version} (expected 0, 2 or 3)`,
  );
}

function checkAddressSizes(r: ByteReader, offsets: number, lengths: number): void {
  if (offsets !== 8 || lengths !== 8)
    throw new ModelFormatError(
      `${r.where}: HDF5 file uses ${offsets}-byte addresses and ${lengths}-byte lengths; only 8/8 is supported`,
    );
}

/**
 * Lists the header messages of the object at `addr`, following continuation blocks (IV.A.1).
 * Mirrors jsfive's own walk (same message counts, same end conditions) so that the list matches
 * what jsfive will look at, and refuses blocks outside the file or visited twice.
 */
export function listMessages(r: ByteReader, addr: number, path: string): Message[] {
  const what = `object header of '${path}'`;
  r.need(addr, 16, what);
  if (r.u8(addr, what) === 1) return listV1(r, addr, what);
  if (r.hasSignature(addr, "OHDR")) return listV2(r, addr, what);
  throw new ModelFormatError(`${r.where}: ${what} at byte ${addr} is not an object header`);
}

function listV1(r: ByteReader, addr: number, what: string): Message[] {
  const count = r.u16(addr + 2, what);
  const blocks: [number, number][] = [[addr + 16, r.u32(addr + 8, what)]];
  const seen = new Set([addr + 16]);
  const msgs: Message[] = [];
  let [block, local] = [0, 0];
  while (msgs.length < count) {
    if (local >= blocks[block][1]) {
      block++;
      local = 0;
      if (block >= blocks.length)
        throw new ModelFormatError(`${r.where}: ${what} claims ${count} messages but holds ${msgs.length}`);
    }
    const at = blocks[block][0] + local;
    const msg = { type: r.u16(at, what), size: r.u16(at + 2, what), offset: at + 8 };
    r.need(msg.offset, msg.size, `${what}, message ${msgs.length}`);
    if (msg.type === MSG.continuation)
      addBlock(r, blocks, seen, r.u64(msg.offset, what), r.u64(msg.offset + 8, what), 0);
    msgs.push(msg);
    local += 8 + msg.size;
  }
  return msgs;
}

function listV2(r: ByteReader, addr: number, what: string): Message[] {
  const flags = r.u8(addr + 5, what);
  if (flags & 0x10)
    throw new ModelFormatError(
      `${r.where}: ${what} stores attribute phase-change values, which are not supported`,
    );
  let at = addr + 6 + (flags & 0x20 ? 16 : 0);
  const sizeBytes = 1 << (flags & 3);
  const size =
    sizeBytes === 8
      ? r.u64(at, what)
      : sizeBytes === 4
        ? r.u32(at, what)
        : sizeBytes === 2
          ? r.u16(at, what)
          : r.u8(at, what);
  at += sizeBytes;
  const orderBytes = flags & 0x04 ? 2 : 0;
  const blocks: [number, number][] = [[at, size]];
  const seen = new Set([at]);
  const msgs: Message[] = [];
  let [block, local] = [0, 0];
  for (;;) {
    if (local >= blocks[block][1] - 4) {
      block++;
      local = 0;
      if (block >= blocks.length) return msgs;
    }
    const start = blocks[block][0] + local;
    const msg = { type: r.u8(start, what), size: r.u16(start + 1, what), offset: start + 4 + orderBytes };
    r.need(msg.offset, msg.size, `${what}, message ${msgs.length}`);
    // A v2 continuation block starts with the 4-byte "OCHK" signature (IV.A.1.b).
    if (msg.type === MSG.continuation)
      addBlock(r, blocks, seen, r.u64(msg.offset, what), r.u64(msg.offset + 8, what), 4);
    msgs.push(msg);
    local += 4 + msg.size + orderBytes;
  }
}

function addBlock(
  r: ByteReader,
  blocks: [number, number][],
  seen: Set<number>,
  addr: number,
  len: number,
  skip: number,
): void {
  r.need(addr, len, "object header continuation block");
  if (len < skip)
    throw new ModelFormatError(`${r.where}: object header continuation block at byte ${addr} is too short`);
  if (seen.has(addr + skip)) return; // jsfive also visits each block once
  seen.add(addr + skip);
  blocks.push([addr + skip, len - skip]);
}

/**
 * Checks the link storage of a group: for old-style groups (symbol table message, IV.A.2.r) the
 * local heap and the whole B-tree of symbol nodes (III.A.1, III.B), each node visited once and at
 * the level its parent promises. New-style groups keep links in the header (bounded by the message
 * list) or, when dense, in a fractal heap whose address we check.
 */
export function checkGroup(r: ByteReader, msgs: Message[], path: string): void {
  for (const m of msgs) {
    if (m.type === MSG.symbolTable) {
      if (m.size < 16)
        throw new ModelFormatError(`${r.where}: group '${path}' has a short symbol table message`);
      checkLocalHeap(r, r.u64(m.offset + 8, "local heap address"), path);
      walkGroupTree(r, r.u64(m.offset, "B-tree address"), path);
    } else if (m.type === MSG.linkInfo) {
      const flags = r.u8(m.offset + 1, "link info flags");
      const heap = r.u64(m.offset + 2 + (flags & 1 ? 8 : 0), "fractal heap address");
      if (heap !== UNDEF) r.need(heap, 4, `fractal heap of group '${path}'`);
    }
  }
}

function checkLocalHeap(r: ByteReader, addr: number, path: string): void {
  const what = `local heap of group '${path}'`;
  if (!r.hasSignature(addr, "HEAP"))
    throw new ModelFormatError(`${r.where}: ${what} at byte ${addr} is missing`);
  r.need(r.u64(addr + 24, what), r.u64(addr + 8, what), `${what} data`);
}

function walkGroupTree(r: ByteReader, root: number, path: string): void {
  const what = `group B-tree of '${path}'`;
  const seen = new Set<number>();
  const stack: [number, number | null][] = [[root, null]];
  while (stack.length > 0) {
    const [addr, level] = stack.pop()!;
    if (seen.has(addr))
      throw new ModelFormatError(`${r.where}: ${what} reaches the node at byte ${addr} twice`);
    seen.add(addr);
    if (!r.hasSignature(addr, "TREE") || r.u8(addr + 4, what) !== 0)
      throw new ModelFormatError(`${r.where}: ${what}: no group B-tree node at byte ${addr}`);
    const nodeLevel = r.u8(addr + 5, what);
    if (level !== null && nodeLevel !== level)
      throw new ModelFormatError(
        `${r.where}: ${what}: node at byte ${addr} has level ${nodeLevel}, expected ${level}`,
      );
    const entries = r.u16(addr + 6, what);
    r.need(addr + 24, entries * 16 + 8, what);
    for (let i = 0; i < entries; i++) {
      const child = r.u64(addr + 32 + i * 16, what);
      if (nodeLevel > 0) stack.push([child, nodeLevel - 1]);
      else checkSymbolNode(r, child, seen, what);
    }
  }
}

function checkSymbolNode(r: ByteReader, addr: number, seen: Set<number>, what: string): void {
  if (seen.has(addr))
    throw new ModelFormatError(`${r.where}: ${what} reaches the symbol node at byte ${addr} twice`);
  seen.add(addr);
  if (!r.hasSignature(addr, "SNOD"))
    throw new ModelFormatError(`${r.where}: ${what}: no symbol node at byte ${addr}`);
  r.need(addr + 8, r.u16(addr + 6, what) * 40, what);
}

/** A parsed dataspace (IV.A.2.b): the element count and the dims. */
interface Space {
  dims: number[];
  count: number;
}

function readDataspace(r: ByteReader, at: number, end: number, what: string): Space {
  const version = r.u8(at, what);
  if (version !== 1 && version !== 2)
    throw new ModelFormatError(`${r.where}: ${what}: unknown dataspace version ${version}`);
  const rank = r.u8(at + 1, what);
  if (rank > MAX_RANK) throw new ModelFormatError(`${r.where}: ${what}: rank ${rank} is over ${MAX_RANK}`);
  const first = at + (version === 1 ? 8 : 4);
  if (first + rank * 8 > end)
    throw new ModelFormatError(`${r.where}: ${what}: dataspace runs past its message`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = r.u64(first + i * 8, what);
    // jsfive reads dataset dims as 32-bit; anything larger would be misread, so refuse it.
    if (d < 0 || d > 0xffffffff)
      throw new ModelFormatError(`${r.where}: ${what}: dimension ${d} is out of range`);
    dims.push(d);
  }
  const isNull = version === 2 && r.u8(at + 3, what) === 2;
  const count = isNull ? 0 : dims.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS)
    throw new ModelFormatError(`${r.where}: ${what}: ${dims.join("x")} elements is too many`);
  return { dims, count };
}

/** The class and the stored size of one element (IV.A.2.d); variable-length items take 16 bytes. */
function readDatatype(r: ByteReader, at: number, what: string): { cls: number; size: number } {
  const cls = r.u8(at, what) & 0x0f;
  const size = r.u32(at + 4, what);
  if (!SUPPORTED_CLASSES.has(cls))
    throw new ModelFormatError(
      `${r.where}: ${what}: HDF5 ${CLASS_NAMES[cls] ?? `class ${cls}`} datatype is not supported`,
    );
  if (size < 1) throw new ModelFormatError(`${r.where}: ${what}: element size 0`);
  return { cls, size: cls === 9 ? 16 : size };
}

/**
 * Checks every attribute message (IV.A.2.m) of an object: name, datatype and dataspace inside the
 * message, a supported datatype, and room in the message for all of the values it claims.
 */
export function checkAttributes(r: ByteReader, msgs: Message[], path: string): void {
  for (const m of msgs) {
    if (m.type !== MSG.attribute) continue;
    const what = `attribute message of '${path}'`;
    const end = m.offset + m.size;
    const version = r.u8(m.offset, what);
    if (version < 1 || version > 3)
      throw new ModelFormatError(`${r.where}: ${what}: unknown version ${version}`);
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    const [nameSize, typeSize, spaceSize] = [
      r.u16(m.offset + 2, what),
      r.u16(m.offset + 4, what),
      r.u16(m.offset + 6, what),
    ];
    const nameAt = m.offset + (version === 3 ? 9 : 8);
    const typeAt = nameAt + pad(nameSize);
    const spaceAt = typeAt + pad(typeSize);
    const valueAt = spaceAt + pad(spaceSize);
    if (valueAt > end) throw new ModelFormatError(`${r.where}: ${what}: header fields run past the message`);
    const name = new TextDecoder().decode(r.bytes.subarray(nameAt, nameAt + Math.max(0, nameSize - 1)));
    const where = `attribute '${name}' of '${path}'`;
    const type = readDatatype(r, typeAt, where);
    const space = readDataspace(r, spaceAt, valueAt, where);
    if (space.count * type.size > end - valueAt)
      throw new ModelFormatError(
        `${r.where}: ${where}: ${space.count} values of ${type.size} bytes do not fit in its ${end - valueAt}-byte message`,
      );
  }
}

/** What `checkDataset` learned: dims and element size as stored. */
export interface DatasetInfo {
  dims: number[];
  count: number;
  itemSize: number;
}

/**
 * Checks a dataset's dataspace, datatype and storage (IV.A.2.i): contiguous data must lie inside
 * the file, chunked data must have a sane chunk shape and a chunk B-tree (III.A.1) that visits
 * each node once and holds no more chunks than cover the dataset.
 */
export function checkDataset(r: ByteReader, msgs: Message[], path: string): DatasetInfo {
  const find = (type: number, name: string) => {
    const m = msgs.find((x) => x.type === type);
    if (m === undefined) throw new ModelFormatError(`${r.where}: dataset '${path}' has no ${name} message`);
    return m;
  };
  const spaceMsg = find(MSG.dataspace, "dataspace");
  const space = readDataspace(r, spaceMsg.offset, spaceMsg.offset + spaceMsg.size, `dataset '${path}'`);
  const { size: itemSize } = readDatatype(r, find(MSG.datatype, "datatype").offset, `dataset '${path}'`);
  const layout = find(MSG.layout, "data layout");
  const version = r.u8(layout.offset, "layout version");
  const cls = r.u8(layout.offset + (version <= 2 ? 2 : 1), "layout class");
  const info = { dims: space.dims, count: space.count, itemSize };
  const bytes = space.count * itemSize;
  if (cls === 1) {
    const addr = r.u64(layout.offset + (version <= 2 ? 8 : 2), "data address");
    if (addr === UNDEF) {
      if (bytes === 0) return info;
      throw new ModelFormatError(`${r.where}: dataset '${path}' has no stored data (never written)`);
    }
    r.need(addr, bytes, `data of dataset '${path}'`);
    return info;
  }
  if (cls === 2 && version === 3) {
    checkChunks(
      r,
      layout,
      space,
      itemSize,
      msgs.some((m) => m.type === MSG.filters),
      path,
    );
    return info;
  }
  const kind = cls === 0 ? "compact" : cls === 2 ? `chunked (layout version ${version})` : `class ${cls}`;
  throw new ModelFormatError(`${r.where}: dataset '${path}' uses ${kind} storage, which is not supported`);
}

function checkChunks(
  r: ByteReader,
  layout: Message,
  space: Space,
  itemSize: number,
  filtered: boolean,
  path: string,
): void {
  const what = `chunk index of dataset '${path}'`;
  const rank = r.u8(layout.offset + 2, what); // chunk rank + 1 (the last "dim" is the element size)
  const tree = r.u64(layout.offset + 3, what);
  if (rank !== space.dims.length + 1)
    throw new ModelFormatError(
      `${r.where}: ${what}: chunk rank ${rank - 1} != data rank ${space.dims.length}`,
    );
  const chunk: number[] = [];
  for (let i = 0; i < rank - 1; i++) {
    const c = r.u32(layout.offset + 11 + 4 * i, what);
    if (c < 1) throw new ModelFormatError(`${r.where}: ${what}: chunk dimension 0`);
    chunk.push(c);
  }
  if (space.count * itemSize > (filtered ? MAX_INFLATE_RATIO : 1) * r.length)
    throw new ModelFormatError(`${r.where}: dataset '${path}' claims more data than the file can hold`);
  if (tree === UNDEF) return;
  const maxChunks = space.dims.reduce((a, d, i) => a * Math.ceil(d / chunk[i]), 1);
  const keySize = 8 + 8 * rank;
  const seen = new Set<number>();
  const stack: [number, number | null][] = [[tree, null]];
  let chunks = 0;
  while (stack.length > 0) {
    const [addr, level] = stack.pop()!;
    if (seen.has(addr))
      throw new ModelFormatError(`${r.where}: ${what} reaches the node at byte ${addr} twice`);
    seen.add(addr);
    if (!r.hasSignature(addr, "TREE") || r.u8(addr + 4, what) !== 1)
      throw new ModelFormatError(`${r.where}: ${what}: no chunk B-tree node at byte ${addr}`);
    const nodeLevel = r.u8(addr + 5, what);
    if (level !== null && nodeLevel !== level)
      throw new ModelFormatError(`${r.where}: ${what}: node level mismatch at byte ${addr}`);
    const entries = r.u16(addr + 6, what);
    r.need(addr + 24, entries * (keySize + 8) + keySize, what);
    for (let i = 0; i < entries; i++) {
      const child = r.u64(addr + 24 + i * (keySize + 8) + keySize, what);
      if (nodeLevel > 0) stack.push([child, nodeLevel - 1]);
      else if (++chunks > maxChunks)
        throw new ModelFormatError(`${r.where}: ${what} lists more chunks than cover the data`);
    }
  }
}
