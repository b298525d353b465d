/**
 * The keras-js golden fixtures (test/fixtures/real/keras-js, Keras 2.1.x; see PROVENANCE.md):
 * `INDEX.json` maps a fixture key to the notebook lines that built its layer, `data/**.json` holds
 * `{input(s), weights, expected}` flattened row-major without the batch dim, rounded to 6 dp.
 *
 * This helper reads both and parses the Python constructor line with a small parser of Python call
 * syntax (positional and keyword args, ints, floats, strings, None/True/False, tuples, lists and
 * nested calls), so a golden test can turn `Conv2D(4, (3,3), strides=(1,1), padding='valid')`
 * into TS layer options.
 *
 * INDEX.json keeps only the first line of a call that the notebook spread over several lines
 * (`conv = Conv2D(4, (3,3), strides=(1,1), padding='valid',`). The notebook's markdown title of the
 * same cell repeats every keyword argument (`… on 5x5x2 input, strides=(1,1), padding='valid',
 * data_format='channels_last', dilation_rate=(1,1), activation='linear', use_bias=True`), so an
 * unterminated call is completed from the title; keyword arguments present in both must agree.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { array, type Tensor } from "../../src/index.js";

export const KERASJS_ROOT = fileURLToPath(new URL("../fixtures/real/keras-js/", import.meta.url));

// ---------------------------------------------------------------------------------------------
// Python call syntax

/** A bare identifier, such as `data_in_shape` in `Input(shape=data_in_shape)`. */
export interface PyName {
  kind: "name";
  id: string;
}

/** A call `f(args, k=v)`; `complete` is false when the source ended before the closing paren. */
export interface PyCall {
  kind: "call";
  callee: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
  complete: boolean;
}

/** A Python literal or expression of the subset above; tuples and lists are arrays. */
export type PyValue = number | string | boolean | null | PyValue[] | PyName | PyCall;

type Token =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "name"; v: string }
  | { t: "op"; v: string }
  | { t: "end" };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === "#") break;
    else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))!;
      out.push({ t: "name", v: m[0] });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) throw new SyntaxError(`unterminated string in ${JSON.stringify(src)}`);
      out.push({ t: "str", v: s });
      i = j + 1;
    } else if ("()[]{},=:-+".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
    } else throw new SyntaxError(`unexpected ${JSON.stringify(c)} at ${i} in ${JSON.stringify(src)}`);
  }
  out.push({ t: "end" });
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  atEnd(): boolean {
    return this.peek().t === "end";
  }
  private fail(what: string): never {
    throw new SyntaxError(`expected ${what} at token ${this.pos} of ${JSON.stringify(this.src)}`);
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`'${v}'`);
    this.pos++;
  }

  /** An expression: literal, name, call, tuple/parenthesised expression, list, or dict. */
  value(): PyValue {
    const t = this.next();
    if (t.t === "num" || t.t === "str") return t.v;
    if (t.t === "op" && (t.v === "-" || t.v === "+")) {
      const v = this.value();
      if (typeof v !== "number") this.fail("a number after a sign");
      return t.v === "-" ? -v : v;
    }
    if (t.t === "name") {
      if (t.v === "None") return null;
      if (t.v === "True") return true;
      if (t.v === "False") return false;
      if (this.isOp("(")) return this.callAfter(t.v);
      return { kind: "name", id: t.v };
    }
    if (t.t === "op" && t.v === "(") {
      const items: PyValue[] = [];
      let trailingComma = false;
      while (!this.isOp(")")) {
        items.push(this.value());
        trailingComma = this.isOp(",");
        if (trailingComma) this.pos++;
        else if (!this.isOp(")")) this.fail("',' or ')'");
      }
      this.pos++;
      return items.length === 1 && !trailingComma ? items[0] : items;
    }
    if (t.t === "op" && t.v === "[") {
      const items: PyValue[] = [];
      while (!this.isOp("]")) {
        items.push(this.value());
        if (this.isOp(",")) this.pos++;
        else if (!this.isOp("]")) this.fail("',' or ']'");
      }
      this.pos++;
      return items;
    }
    return this.fail("a value");
  }

  /** A call `name(...)`, which may end early (`complete: false`). */
  call(): PyCall {
    const t = this.next();
    if (t.t !== "name") this.fail("a callee name");
    return this.callAfter(t.v);
  }

  /** The argument list of a call whose `(` comes next; may end early (`complete: false`). */
  callAfter(callee: string): PyCall {
    this.expectOp("(");
    const call: PyCall = { kind: "call", callee, args: [], kwargs: {}, complete: false };
    for (;;) {
      if (this.atEnd()) return call;
      if (this.isOp(")")) {
        this.pos++;
        call.complete = true;
        return call;
      }
      const t = this.peek();
      const u = this.tokens[this.pos + 1];
      if (t.t === "name" && u.t === "op" && u.v === "=") {
        this.pos += 2;
        if (t.v in call.kwargs) this.fail(`no repeated keyword ${t.v}`);
        call.kwargs[t.v] = this.value();
      } else {
        if (Object.keys(call.kwargs).length > 0) this.fail("a keyword argument (positional after keyword)");
        call.args.push(this.value());
      }
      if (this.isOp(",")) this.pos++;
      else if (!this.isOp(")") && !this.atEnd()) this.fail("',' or ')'");
    }
  }
}

/** Parses one Python expression (a literal, name, tuple, list or call). */
export function parsePyExpr(src: string): PyValue {
  const p = new Parser(tokenize(src), src);
  const v = p.value();
  if (!p.atEnd()) throw new SyntaxError(`trailing input after expression in ${JSON.stringify(src)}`);
  return v;
}

/** Parses `target = expr` (or a bare expression, target null). */
export function parsePyStatement(src: string): { target: string | null; value: PyValue } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*)$/s.exec(src);
  return m ? { target: m[1], value: parsePyExpr(m[2]) } : { target: null, value: parsePyExpr(src) };
}

/** Parses a bare keyword-argument list, `a=1, b=(1, 2), c='x'`. */
export function parsePyKwargs(src: string): Record<string, PyValue> {
  const call = new Parser(tokenize(`f(${src})`), src).call();
  if (call.args.length > 0)
    throw new SyntaxError(`positional arguments in keyword list ${JSON.stringify(src)}`);
  return call.kwargs;
}

/** Parses a (possibly unterminated) call `f(...)`, optionally prefixed by `target =`. */
export function parsePyCall(src: string): PyCall & { target: string | null } {
  const m = /^\s*(?:([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=))?\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\(.*)$/s.exec(src);
  if (m === null) throw new SyntaxError(`not a call: ${JSON.stringify(src)}`);
  const p = new Parser(tokenize(`${m[2]}${m[3]}`), src);
  const call = p.call();
  if (call.complete && !p.atEnd())
    throw new SyntaxError(`trailing input after call in ${JSON.stringify(src)}`);
  return { ...call, target: m[1] ?? null };
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A flattened array of a fixture. */
export interface FlatArray {
  data: number[];
  shape: number[];
}

/** A fixture array as a float64 tensor, with a leading batch dim of 1 unless `batch` is false. */
export const fixtureTensor = (a: FlatArray, batch = true): Tensor =>
  array(Float64Array.from(a.data), { shape: batch ? [1, ...a.shape] : a.shape });

/** One INDEX.json entry: the notebook cell that made a fixture and where its data is. */
export interface KerasJsIndexEntry {
  notebook: string;
  title: string;
  layer_spec_lines: string[];
  setup_lines: string[];
  data_file: string;
}

/** A fixture's stored data: one input or several, weights in `get_weights()` order, the output. */
export interface KerasJsData {
  input?: FlatArray;
  inputs?: FlatArray[];
  weights?: FlatArray[];
  expected: FlatArray;
}

let indexCache: Record<string, KerasJsIndexEntry> | null = null;
const dataCache = new Map<string, Record<string, KerasJsData>>();

/** INDEX.json's entries by fixture key, in file order (read once). */
export function kerasJsIndex(): Record<string, KerasJsIndexEntry> {
  indexCache ??= (
    JSON.parse(readFileSync(KERASJS_ROOT + "INDEX.json", "utf8")) as {
      keys: Record<string, KerasJsIndexEntry>;
    }
  ).keys;
  return indexCache;
}

/** The INDEX.json entry of fixture `key`. */
export function kerasJsEntry(key: string): KerasJsIndexEntry {
  const entry = kerasJsIndex()[key];
  if (entry === undefined) throw new Error(`no keras-js fixture '${key}' in INDEX.json`);
  return entry;
}

/** The stored data of fixture `key` (each data file is read once). */
export function kerasJsData(key: string): KerasJsData {
  const file = kerasJsEntry(key).data_file;
  let data = dataCache.get(file);
  if (data === undefined) {
    data = JSON.parse(readFileSync(KERASJS_ROOT + file, "utf8")) as Record<string, KerasJsData>;
    dataCache.set(file, data);
  }
  const d = data[key];
  if (d === undefined) throw new Error(`fixture '${key}' is missing from ${file}`);
  return d;
}

/**
 * A fixture's arrays, uniformly: its inputs as a list (whether it stored one `input` or several
 * `inputs`), its weights ([] when it has none) and its expected output.
 */
export function kerasJsArrays(key: string): {
  inputs: FlatArray[];
  weights: FlatArray[];
  expected: FlatArray;
} {
  const d = kerasJsData(key);
  return { inputs: d.inputs ?? [d.input!], weights: d.weights ?? [], expected: d.expected };
}

/** One golden case: the parsed layer call and its data. */
export interface KerasJsCase {
  key: string;
  title: string;
  notebook: string;
  /** The layer constructor call (completed from the title if INDEX.json truncated it). */
  call: PyCall;
  /** Keyword arguments that came from the title rather than the spec line. */
  fromTitle: string[];
  /** `data_in_shape` of the notebook (one sample, no batch dim), when it set one. */
  dataInShape: number[] | null;
  input?: FlatArray;
  inputs?: FlatArray[];
  weights: FlatArray[];
  expected: FlatArray;
}

/** Fixture keys whose name matches, in INDEX.json order. */
export function kerasJsKeys(match: RegExp | ((key: string) => boolean)): string[] {
  const test = match instanceof RegExp ? (k: string) => match.test(k) : match;
  return Object.keys(kerasJsIndex()).filter(test);
}

/**
 * The constructor call among a cell's spec lines: the first `x = Name(...)` whose callee is not
 * `Input`/`Model` and not a variable bound by an earlier line (`layer_1 = L(layer_0)` calls one).
 */
export function layerCallOf(specLines: readonly string[]): PyCall | null {
  const bound = new Set<string>();
  for (const line of specLines) {
    if (!/^\s*[A-Za-z_]\w*\s*=\s*[A-Za-z_][\w.]*\s*\(/.test(line)) continue;
    const call = parsePyCall(line);
    if (call.target !== null && !bound.has(call.callee) && !/^(Input|Model|Sequential)$/.test(call.callee)) {
      const { target: _target, ...rest } = call;
      return rest;
    }
    if (call.target !== null) bound.add(call.target);
  }
  return null;
}

/** The keyword arguments a fixture title lists (everything from the first `name=`). */
export function titleKwargs(title: string): Record<string, PyValue> {
  const m = /\b[a-z_][a-z0-9_]*=/.exec(title);
  return m === null ? {} : parsePyKwargs(title.slice(m.index));
}

const same = (a: PyValue, b: PyValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Loads a fixture: its parsed (and if need be completed) layer call, input, weights and expected output. */
export function loadKerasJsCase(key: string): KerasJsCase {
  const entry = kerasJsEntry(key);
  const d = kerasJsData(key);
  const parsed = layerCallOf(entry.layer_spec_lines);
  if (parsed === null)
    throw new Error(`fixture '${key}': no layer constructor among ${JSON.stringify(entry.layer_spec_lines)}`);
  const call: PyCall = { ...parsed, args: parsed.args.slice(), kwargs: { ...parsed.kwargs } };
  const fromTitle: string[] = [];
  if (!call.complete) {
    for (const [k, v] of Object.entries(titleKwargs(entry.title))) {
      if (!(k in call.kwargs)) {
        call.kwargs[k] = v;
        fromTitle.push(k);
      } else if (!same(call.kwargs[k], v))
        throw new Error(
          `fixture '${key}': ${k} is ${JSON.stringify(call.kwargs[k])} in the call but ${JSON.stringify(v)} in the title`,
        );
    }
    call.complete = true;
  }
  const setup = entry.setup_lines.map((l) => parsePyStatement(l)).find((s) => s.target === "data_in_shape");
  const dataInShape = setup === undefined ? null : (setup.value as number[]);
  return {
    key,
    title: entry.title,
    notebook: entry.notebook,
    call,
    fromTitle,
    dataInShape,
    input: d.input,
    inputs: d.inputs,
    weights: d.weights ?? [],
    expected: d.expected,
  };
}

// ---------------------------------------------------------------------------------------------
// From a Keras call to TS options

/** The leading positional parameters of Keras 2.1's Conv2D and Conv3D (both `_Conv`). */
const CONV_ND = ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"] as const;

/**
 * Positional parameter names of Keras 2.1 layer constructors (keras/layers/*.py at 2.1.x), for the
 * convolution, pooling and spatial reshaping families; extend it for other families.
 */
export const KERAS2_POSITIONAL: Record<string, readonly string[]> = {
  Conv1D: ["filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias"],
  Conv2D: [...CONV_ND, "activation", "use_bias"],
  Conv3D: [...CONV_ND, "activation", "use_bias"],
  Conv2DTranspose: ["filters", "kernel_size", "strides", "padding", "data_format", "activation", "use_bias"],
  SeparableConv2D: [
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "depth_multiplier",
    "activation",
    "use_bias",
  ],
  Cropping1D: ["cropping"],
  Cropping2D: ["cropping", "data_format"],
  Cropping3D: ["cropping", "data_format"],
  ZeroPadding1D: ["padding"],
  ZeroPadding2D: ["padding", "data_format"],
  ZeroPadding3D: ["padding", "data_format"],
  UpSampling1D: ["size"],
  UpSampling2D: ["size", "data_format"],
  UpSampling3D: ["size", "data_format"],
  ...Object.fromEntries(
    ["MaxPooling", "AveragePooling"].flatMap((p) =>
      [1, 2, 3].map((d) => [`${p}${d}D`, ["pool_size", "strides", "padding", "data_format"]]),
    ),
  ),
  ...Object.fromEntries(
    ["GlobalMaxPooling", "GlobalAveragePooling"].flatMap((p) =>
      [1, 2, 3].map((d) => [`${p}${d}D`, ["data_format"]]),
    ),
  ),
};

/** Positional arguments bound to their parameter names, merged with the keyword arguments. */
export function bindArgs(
  call: PyCall,
  positional: readonly string[] = KERAS2_POSITIONAL[call.callee] ?? [],
): Record<string, PyValue> {
  if (call.args.length > positional.length)
    throw new Error(
      `${call.callee}: ${call.args.length} positional arguments, but only [${positional.join(", ")}] are known`,
    );
  const out: Record<string, PyValue> = {};
  call.args.forEach((v, i) => (out[positional[i]] = v));
  for (const [k, v] of Object.entries(call.kwargs)) {
    if (k in out) throw new Error(`${call.callee}: ${k} given both positionally and by keyword`);
    out[k] = v;
  }
  return out;
}

export const snakeToCamel = (s: string): string =>
  s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Keras keyword arguments → TS options: snake_case names to camelCase, tuples to arrays, and
 * `None` dropped (the option's default, as Keras's None means there). Names and calls inside are
 * refused: they need the notebook's variables.
 */
export function toLayerOptions(kwargs: Record<string, PyValue>): Record<string, unknown> {
  const plain = (v: PyValue, k: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => plain(x, k));
    if (v !== null && typeof v === "object")
      throw new Error(`argument ${k}: cannot convert ${JSON.stringify(v)}`);
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) if (v !== null) out[snakeToCamel(k)] = plain(v, k);
  return out;
}
