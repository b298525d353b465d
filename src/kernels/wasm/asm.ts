/**
 * A very small WebAssembly assembler: enough of the binary format (MVP + fixed-width SIMD) to
 * write gradlens's kernels by hand in TypeScript, without a toolchain. Instructions are plain
 * functions returning byte arrays; a function body is a (nested) list of them. Locals are
 * referred to by name.
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/index.html
 * SIMD opcodes: https://github.com/WebAssembly/simd/blob/main/proposals/simd/BinarySIMD.md
 */

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** An instruction or a sequence of them; nested arrays are flattened. */
export type Code = number | Code[];

export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${n} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  if (!Number.isInteger(n)) throw new RangeError(`sleb: ${n} is not an integer`);
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function flatten(code: Code, out: number[] = []): number[] {
  if (typeof code === "number") out.push(code);
  else for (const c of code) flatten(c, out);
  return out;
}

const str = (s: string) => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// ---------------------------------------------------------------- instructions

/** Memory argument: alignment as log2 bytes, and a constant byte offset. */
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];

export const block = (...body: Code[]): Code => [0x02, 0x40, body, 0x0b];
export const loop = (...body: Code[]): Code => [0x03, 0x40, body, 0x0b];
export const if_ = (cond: Code, then: Code[], otherwise: Code[] = []): Code => [
  cond,
  0x04,
  0x40,
  then,
  otherwise.length ? [0x05, otherwise] : [],
  0x0b,
];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Code): Code => [cond, 0x0d, ...uleb(depth)];
export const ret: Code = 0x0f;

export const i32 = {
  const: (n: number): Code => [0x41, ...sleb(n | 0)],
  eqz: (a: Code): Code => [a, 0x45],
  eq: (a: Code, b: Code): Code => [a, b, 0x46],
  ne: (a: Code, b: Code): Code => [a, b, 0x47],
  ltS: (a: Code, b: Code): Code => [a, b, 0x48],
  ltU: (a: Code, b: Code): Code => [a, b, 0x49],
  gtS: (a: Code, b: Code): Code => [a, b, 0x4a],
  gtU: (a: Code, b: Code): Code => [a, b, 0x4b],
  leS: (a: Code, b: Code): Code => [a, b, 0x4c],
  geS: (a: Code, b: Code): Code => [a, b, 0x4e],
  geU: (a: Code, b: Code): Code => [a, b, 0x4f],
  add: (a: Code, b: Code): Code => [a, b, 0x6a],
  sub: (a: Code, b: Code): Code => [a, b, 0x6b],
  mul: (a: Code, b: Code): Code => [a, b, 0x6c],
  and: (a: Code, b: Code): Code => [a, b, 0x71],
  shl: (a: Code, b: Code): Code => [a, b, 0x74],
  shrU: (a: Code, b: Code): Code => [a, b, 0x76],
};

export const f64 = {
  const: (x: number): Code => {
    const b = new Uint8Array(new Float64Array([x]).buffer);
    return [0x44, ...b];
  },
  load: (addr: Code, offset = 0): Code => [addr, 0x2b, ...memarg(3, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [addr, value, 0x39, ...memarg(3, offset)],
  add: (a: Code, b: Code): Code => [a, b, 0xa0],
  mul: (a: Code, b: Code): Code => [a, b, 0xa2],
};

export const f32 = {
  load: (addr: Code, offset = 0): Code => [addr, 0x2a, ...memarg(2, offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [addr, value, 0x38, ...memarg(2, offset)],
};

export const v128 = {
  load: (addr: Code, offset = 0): Code => [addr, simd(0x00, ...memarg(4, offset))],
  store: (addr: Code, value: Code, offset = 0): Code => [addr, value, simd(0x0b, ...memarg(4, offset))],
  load32Splat: (addr: Code, offset = 0): Code => [addr, simd(0x09, ...memarg(2, offset))],
  load64Splat: (addr: Code, offset = 0): Code => [addr, simd(0x0a, ...memarg(3, offset))],
  zero: (): Code => simd(0x0c, ...new Array<number>(16).fill(0)),
};

export const i8x16 = {
  /** Lanes 0–15 pick bytes of `a`, 16–31 bytes of `b`. */
  shuffle: (a: Code, b: Code, lanes: number[]): Code => [a, b, simd(0x0d, ...lanes)],
};

export const f64x2 = {
  splat: (x: Code): Code => [x, simd(0x14)],
  extractLane: (v: Code, lane: number): Code => [v, simd(0x21, lane)],
  add: (a: Code, b: Code): Code => [a, b, simd(0xf0)],
  mul: (a: Code, b: Code): Code => [a, b, simd(0xf2)],
};

export const f32x4 = {
  add: (a: Code, b: Code): Code => [a, b, simd(0xe4)],
  mul: (a: Code, b: Code): Code => [a, b, simd(0xe6)],
};

// ---------------------------------------------------------------- functions and modules

export interface FuncSpec {
  name: string;
  params: Record<string, ValType>;
  locals?: Record<string, ValType>;
  /** Builds the body; `get`/`set`/`tee` resolve local names to indices. */
  body: (l: Locals) => Code[];
}

export interface Locals {
  get(name: string): Code;
  set(name: string, value: Code): Code;
  tee(name: string, value: Code): Code;
}

function localsFor(spec: FuncSpec): Locals {
  const index = new Map<string, number>();
  for (const name of [...Object.keys(spec.params), ...Object.keys(spec.locals ?? {})]) {
    if (index.has(name)) throw new Error(`${spec.name}: local '${name}' declared twice`);
    index.set(name, index.size);
  }
  const at = (name: string) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`${spec.name}: unknown local '${name}'`);
    return uleb(i);
  };
  return {
    get: (name) => [0x20, ...at(name)],
    set: (name, value) => [value, 0x21, ...at(name)],
    tee: (name, value) => [value, 0x22, ...at(name)],
  };
}

function encodeBody(spec: FuncSpec): number[] {
  // Locals are declared as runs of one type; one run per local keeps this simple.
  const locals = Object.values(spec.locals ?? {}).map((t) => [1, VALTYPE[t]]);
  const body = [...vec(locals), ...flatten(spec.body(localsFor(spec))), 0x0b];
  return [...uleb(body.length), ...body];
}

/**
 * A module importing one linear memory as `env.memory` (minimum `minPages` 64 KiB pages) and
 * exporting every function by name. Functions return nothing: kernels write to memory. With
 * `sharedMaxPages` the import is a shared memory of at most that many pages, which worker
 * threads can use at the same time.
 */
export function assembleModule(
  funcs: FuncSpec[],
  minPages = 1,
  sharedMaxPages?: number,
): Uint8Array<ArrayBuffer> {
  const limits =
    sharedMaxPages === undefined
      ? [0x00, ...uleb(minPages)]
      : [0x03, ...uleb(minPages), ...uleb(sharedMaxPages)];
  const types = funcs.map((f) => [0x60, ...vec(Object.values(f.params).map((t) => [VALTYPE[t]])), 0]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, ...limits]])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map(encodeBody))),
  ];
  return new Uint8Array(bytes);
}
