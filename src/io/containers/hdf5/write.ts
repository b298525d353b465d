/**
 * A minimal HDF5 writer: groups, contiguous float32/float64/int32 datasets, and UTF-8 string
 * attributes. Enough for Keras 3's `model.weights.h5` (`layers/<key>/vars/<i>`), which h5py and
 * Keras read back.
 *
 * Why our own: jsfive cannot write, and h5wasm (libhdf5 in WebAssembly) would add ~1 MB gzipped
 * and an async start-up to `model.save` for a fixed, small subset of the format. The output uses
 * the oldest structures (superblock v0, version-1 object headers, symbol-table groups), the same
 * ones h5py writes by default, so every HDF5 reader since 1.6 understands it. Tests read it back
 * with libhdf5 itself (h5wasm) and with jsfive.
 *
 * Layout references are to the HDF5 File Format Specification v3.0.
 */
import { ValueError } from "../../../core/errors.js";

/**
 * A string attribute: scalar or 1-D, stored as variable-length UTF-8 like h5py stores `str`.
 *
 * @example const attrs: Record<string, H5WriteAttr> = { name: "dense", tags: ["a", "b"] };
 */
export type H5WriteAttr = string | readonly string[];

/**
 * A group to write: children by name, plus attributes.
 *
 * @example const vars: H5WriteGroup = { kind: "group", attrs: { name: "dense" }, children: {} };
 */
export interface H5WriteGroup {
  kind: "group";
  children: Record<string, H5WriteGroup | H5WriteDataset>;
  attrs?: Record<string, H5WriteAttr>;
}

/**
 * A dataset to write: row-major `data` with `shape` (`[]` for a scalar).
 *
 * @example const kernel: H5WriteDataset = { kind: "dataset", shape: [2, 1], data: new Float32Array([0.1, 0.1]) };
 */
export interface H5WriteDataset {
  kind: "dataset";
  shape: readonly number[];
  data: Float32Array | Float64Array | Int32Array;
  attrs?: Record<string, H5WriteAttr>;
}

// Superblock v0 B-tree ranks (II.A): a symbol node holds up to 2*LEAF_K links, a group B-tree node
// up to 2*INTERNAL_K children. These are libhdf5's defaults.
const LEAF_K = 4;
const INTERNAL_K = 16;
const UNDEF = -1;
const SNOD_SIZE = 8 + 2 * LEAF_K * 40;
const TREE_SIZE = 24 + 2 * INTERNAL_K * 8 + (2 * INTERNAL_K + 1) * 8;
/** libhdf5 never makes a global heap collection smaller than this (H5HG_MINSIZE). */
const GCOL_MIN = 4096;
/** libhdf5's end-of-free-list marker for local heaps (H5HL_FREE_NULL), not the undefined address. */
const HEAP_FREE_NULL = 1;

const utf8 = new TextEncoder();
const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** A growable little-endian byte buffer with 8-byte-aligned allocation. */
class Buffer8 {
  bytes = new Uint8Array(4096);
  view = new DataView(this.bytes.buffer);
  end = 0;

  alloc(size: number): number {
    const at = pad8(this.end);
    this.end = at + size;
    if (this.end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.end, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    return at;
  }

  put(at: number, data: Uint8Array): void {
    this.bytes.set(data, at);
  }
}

/** Builds a message body or other structure field by field. */
class Fields {
  private readonly parts: number[] = [];

  u8(...vs: number[]): this {
    for (const v of vs) this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v, v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number): this {
    if (v === UNDEF) return this.u32(0xffffffff).u32(0xffffffff);
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  raw(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.parts.push(0);
    return this;
  }
  padTo8(): this {
    return this.zeros(pad8(this.parts.length) - this.parts.length);
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

// Datatype messages (IV.A.2.d), version 1.
function floatType(bits: 32 | 64): Uint8Array {
  const [expLoc, expSize, mantSize, bias] = bits === 32 ? [23, 8, 23, 127] : [52, 11, 52, 1023];
  // class 1; little-endian, implied-MSB mantissa normalisation (0x20); sign bit at bits-1
  return new Fields()
    .u8(0x11, 0x20, bits - 1, 0)
    .u32(bits / 8)
    .u16(0)
    .u16(bits)
    .u8(expLoc, expSize, 0, mantSize)
    .u32(bias)
    .done();
}
const INT32_TYPE = new Fields().u8(0x10, 0x08, 0, 0).u32(4).u16(0).u16(32).done(); // class 0, signed
// class 9 (variable-length), type string, NUL-terminated, UTF-8; base type unsigned 8-bit integer
const VLEN_STRING_TYPE = new Fields()
  .u8(0x19, 0x01, 0x01, 0)
  .u32(16)
  .u8(0x10, 0, 0, 0)
  .u32(1)
  .u16(0)
  .u16(8)
  .done();

/** Dataspace message (IV.A.2.b), version 1; rank 0 is a scalar. */
function dataspace(shape: readonly number[]): Uint8Array {
  const f = new Fields().u8(1, shape.length, 0, 0).u32(0);
  for (const d of shape) f.u64(d);
  return f.done();
}

interface Msg {
  type: number;
  body: Uint8Array;
}

/** Serialises the whole tree. */
class Writer {
  readonly out = new Buffer8();
  private readonly strings: Uint8Array[] = [];
  /** Index in `strings` of each node's first attribute string (pass 2 writes in another order). */
  private readonly firstString = new Map<H5WriteGroup | H5WriteDataset, number>();
  private gcol = 0;

  constructor(root: H5WriteGroup) {
    this.out.alloc(96); // superblock v0 + root symbol table entry, written last
    this.collectStrings(root, "/");
    this.writeGlobalHeap();
    const rootLoc = this.writeGroup(root, "/");
    this.writeSuperblock(rootLoc);
  }

  /** Pass 1: every attribute string, in the order pass 2 will reference them. */
  private collectStrings(node: H5WriteGroup | H5WriteDataset, path: string): void {
    this.firstString.set(node, this.strings.length);
    for (const [name, value] of Object.entries(node.attrs ?? {})) {
      checkName(name, `attribute of '${path}'`);
      for (const s of typeof value === "string" ? [value] : value) {
        if (typeof s !== "string")
          throw new ValueError(`writeHdf5: attribute '${name}' of '${path}' must hold strings`);
        this.strings.push(utf8.encode(s));
      }
    }
    if (node.kind === "group")
      for (const [name, child] of sortedChildren(node, path))
        this.collectStrings(child, joinPath(path, name));
  }

  /** One global heap collection (III.E) holding every variable-length string. */
  private writeGlobalHeap(): void {
    if (this.strings.length === 0) return;
    if (this.strings.length > 65535) throw new ValueError(`writeHdf5: more than 65535 attribute strings`);
    const used = 16 + this.strings.reduce((a, s) => a + 16 + pad8(s.length), 0);
    const size = Math.max(GCOL_MIN, used);
    const f = new Fields().raw(utf8.encode("GCOL")).u8(1, 0, 0, 0).u64(size);
    this.strings.forEach((s, i) =>
      f
        .u16(i + 1)
        .u16(0)
        .u32(0)
        .u64(s.length)
        .raw(s)
        .padTo8(),
    );
    // The rest is one free-space object (index 0) whose size counts its own header.
    if (size - used >= 16)
      f.u16(0)
        .u16(0)
        .u32(0)
        .u64(size - used);
    f.zeros(size - f.length);
    this.gcol = this.out.alloc(size);
    this.out.put(this.gcol, f.done());
  }

  private attributeMessages(node: H5WriteGroup | H5WriteDataset, path: string): Msg[] {
    let next = this.firstString.get(node)!;
    return Object.entries(node.attrs ?? {}).map(([name, value]) => {
      const items = typeof value === "string" ? [value] : value;
      const space = dataspace(typeof value === "string" ? [] : [items.length]);
      const nameBytes = utf8.encode(name + "\0");
      // Attribute message (IV.A.2.m), version 1: every field padded to 8 bytes.
      const f = new Fields().u8(1, 0).u16(nameBytes.length).u16(VLEN_STRING_TYPE.length).u16(space.length);
      f.raw(nameBytes).padTo8().raw(VLEN_STRING_TYPE).padTo8().raw(space).padTo8();
      for (let i = 0; i < items.length; i++) {
        const s = this.strings[next];
        next++;
        f.u32(s.length).u64(this.gcol).u32(next); // heap object ids are 1-based
      }
      if (f.length > 0xffff)
        throw new ValueError(
          `writeHdf5: attribute '${name}' of '${path}' needs ${f.length} bytes; HDF5 allows 65535`,
        );
      return { type: 0x0c, body: f.done() };
    });
  }

  /** A version-1 object header (IV.A.1.a) holding `msgs`; returns its address. */
  private objectHeader(msgs: Msg[]): number {
    const size = msgs.reduce((a, m) => a + 8 + pad8(m.body.length), 0);
    const f = new Fields().u8(1, 0).u16(msgs.length).u32(1).u32(size).u32(0);
    for (const m of msgs) f.u16(m.type).u16(pad8(m.body.length)).u8(0, 0, 0, 0).raw(m.body).padTo8();
    const at = this.out.alloc(f.length);
    this.out.put(at, f.done());
    return at;
  }

  private writeDataset(ds: H5WriteDataset, path: string): number {
    const count = ds.shape.reduce((a, b) => a * b, 1);
    for (const d of ds.shape)
      if (!Number.isSafeInteger(d) || d < 0)
        throw new ValueError(`writeHdf5: dataset '${path}' has bad dimension ${d}`);
    if (count !== ds.data.length)
      throw new ValueError(
        `writeHdf5: dataset '${path}' has shape [${ds.shape.join(", ")}] but ${ds.data.length} values`,
      );
    const type =
      ds.data instanceof Float32Array
        ? floatType(32)
        : ds.data instanceof Float64Array
          ? floatType(64)
          : INT32_TYPE;
    const raw = new Uint8Array(ds.data.buffer, ds.data.byteOffset, ds.data.byteLength);
    const addr = raw.length > 0 ? this.out.alloc(raw.length) : UNDEF;
    if (raw.length > 0) this.out.put(addr, littleEndian(raw, ds.data.BYTES_PER_ELEMENT));
    return this.objectHeader([
      { type: 0x01, body: dataspace(ds.shape) },
      { type: 0x03, body: type },
      // Fill value (IV.A.2.f) v2: allocate late, write fill if set, none defined (h5py's default).
      { type: 0x05, body: new Fields().u8(2, 2, 2, 0).done() },
      // Data layout (IV.A.2.i) v3: contiguous at `addr`.
      { type: 0x08, body: new Fields().u8(3, 1).u64(addr).u64(raw.length).done() },
      ...this.attributeMessages(ds, path),
    ]);
  }

  /** Writes a group and everything below it; returns its header, B-tree and heap addresses. */
  private writeGroup(group: H5WriteGroup, path: string): { header: number; tree: number; heap: number } {
    const children = sortedChildren(group, path);
    const written = children.map(([name, child]) => {
      const childPath = joinPath(path, name);
      return child.kind === "group"
        ? { name, ...this.writeGroup(child, childPath) }
        : { name, header: this.writeDataset(child, childPath) };
    });
    // Local heap (III.D): offset 0 holds the empty name that B-tree key 0 points at.
    const heapData = new Fields().zeros(8);
    const offsets = written.map(({ name }) => {
      const at = heapData.length;
      heapData.raw(utf8.encode(name + "\0")).padTo8();
      return at;
    });
    const heapBytes = heapData.done();
    const heapDataAt = this.out.alloc(heapBytes.length);
    this.out.put(heapDataAt, heapBytes);
    const heap = this.out.alloc(32);
    this.out.put(
      heap,
      new Fields()
        .raw(utf8.encode("HEAP"))
        .u8(0, 0, 0, 0)
        .u64(heapBytes.length)
        .u64(HEAP_FREE_NULL)
        .u64(heapDataAt)
        .done(),
    );
    // Symbol table nodes (III.B): links sorted by name, 2*LEAF_K per node.
    const leaves: { addr: number; lastName: number }[] = [];
    for (let i = 0; i < written.length; i += 2 * LEAF_K) {
      const f = new Fields()
        .raw(utf8.encode("SNOD"))
        .u8(1, 0)
        .u16(Math.min(2 * LEAF_K, written.length - i));
      for (let j = i; j < Math.min(i + 2 * LEAF_K, written.length); j++) {
        const w = written[j];
        // Symbol table entry (III.C); for groups, cache type 1 carries the B-tree and heap addresses.
        f.u64(offsets[j]).u64(w.header);
        if ("tree" in w) f.u32(1).u32(0).u64(w.tree).u64(w.heap);
        else f.u32(0).u32(0).zeros(16);
      }
      f.zeros(SNOD_SIZE - f.length);
      const addr = this.out.alloc(SNOD_SIZE);
      this.out.put(addr, f.done());
      leaves.push({ addr, lastName: offsets[Math.min(i + 2 * LEAF_K, written.length) - 1] });
    }
    const tree = this.writeGroupTree(leaves);
    const header = this.objectHeader([
      { type: 0x11, body: new Fields().u64(tree).u64(heap).done() }, // symbol table message (IV.A.2.r)
      ...this.attributeMessages(group, path),
    ]);
    return { header, tree, heap };
  }

  /**
   * Group B-tree (III.A.1, node type 0): key i is the heap offset of the largest name under
   * child i-1, key 0 the empty name. Builds levels upward until one root remains.
   */
  private writeGroupTree(children: { addr: number; lastName: number }[]): number {
    let level = 0;
    let current = children;
    for (;;) {
      const groups: (typeof children)[] = [];
      for (let i = 0; i < current.length; i += 2 * INTERNAL_K)
        groups.push(current.slice(i, i + 2 * INTERNAL_K));
      if (groups.length === 0) groups.push([]); // an empty group still has a root node
      const addrs = groups.map(() => this.out.alloc(TREE_SIZE));
      groups.forEach((kids, n) => {
        const f = new Fields().raw(utf8.encode("TREE")).u8(0, level).u16(kids.length);
        f.u64(n > 0 ? addrs[n - 1] : UNDEF)
          .u64(n + 1 < addrs.length ? addrs[n + 1] : UNDEF)
          .u64(0);
        for (const k of kids) f.u64(k.addr).u64(k.lastName);
        f.zeros(TREE_SIZE - f.length);
        this.out.put(addrs[n], f.done());
      });
      if (addrs.length === 1) return addrs[0];
      current = groups.map((kids, n) => ({ addr: addrs[n], lastName: kids[kids.length - 1].lastName }));
      level++;
    }
  }

  /** Superblock v0 (II.A) with the root group's symbol table entry. */
  private writeSuperblock(root: { header: number; tree: number; heap: number }): void {
    const f = new Fields().raw(Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
    f.u8(0, 0, 0, 0, 0, 8, 8, 0).u16(LEAF_K).u16(INTERNAL_K).u32(0);
    f.u64(0).u64(UNDEF).u64(pad8(this.out.end)).u64(UNDEF);
    f.u64(0).u64(root.header).u32(1).u32(0).u64(root.tree).u64(root.heap);
    this.out.put(0, f.done());
  }
}

/** Copies typed-array bytes into little-endian order (a no-op copy on little-endian hosts). */
function littleEndian(raw: Uint8Array, itemSize: number): Uint8Array {
  const hostIsLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (hostIsLittle) return raw;
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += itemSize)
    for (let j = 0; j < itemSize; j++) out[i + j] = raw[i + itemSize - 1 - j];
  return out;
}

function joinPath(parent: string, name: string): string {
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

function checkName(name: string, what: string): void {
  if (name.length === 0 || name.includes("\0") || name === "." || name.includes("/"))
    throw new ValueError(
      `writeHdf5: bad name ${JSON.stringify(name)} for ${what} (no '/', NUL, '.' or empty names)`,
    );
}

/** Children in the byte order of their UTF-8 names, as HDF5 symbol tables require. */
function sortedChildren(group: H5WriteGroup, path: string): [string, H5WriteGroup | H5WriteDataset][] {
  const entries = Object.entries(group.children);
  for (const [name] of entries) checkName(name, `a child of '${path}'`);
  const key = (s: string) => Array.from(utf8.encode(s));
  return entries.sort(([a], [b]) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
}

/**
 * Writes a tree of groups, datasets and string attributes as an HDF5 file. Children are stored in
 * name order (as every HDF5 group is); attributes are variable-length UTF-8 strings.
 *
 * @example
 * const bytes = writeHdf5({
 *   kind: "group",
 *   children: {
 *     layers: { kind: "group", children: {
 *       dense: { kind: "group", children: {
 *         vars: { kind: "group", attrs: { name: "dense" }, children: {
 *           "0": { kind: "dataset", shape: [2, 1], data: new Float32Array([0.1, 0.1]) },
 *           "1": { kind: "dataset", shape: [1], data: new Float32Array([0]) },
 *         } },
 *       } },
 *     } },
 *     optimizer: { kind: "group", children: { vars: { kind: "group", children: {} } } },
 *     vars: { kind: "group", children: {} },
 *   },
 * });
 */
export function writeHdf5(root: H5WriteGroup): Uint8Array {
  const w = new Writer(root);
  return w.out.bytes.slice(0, pad8(w.out.end));
}
