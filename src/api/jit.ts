import { dtypeOfData } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { prepare, type Executable } from "../interp/execute.js";
import { optimize } from "../interp/optimize/index.js";
import type { Program } from "../interp/program.js";
import { stageFlat } from "../interp/stage.js";
import { Tracer } from "../interp/stack.js";
import { Concrete, Tensor } from "../prims/tensor.js";
import { flatten, isPlainObject, unflatten, type TreeDef } from "./pytree.js";

/**
 * Options of `jit`.
 *
 * @example
 * const f = jit((x) => x.tanh().sum(), { maxCacheSize: 8 }); // at most 8 compiled signatures
 */
export interface JitOptions {
  /** Most compiled signatures kept; the least recently used is dropped beyond it. Default 64. */
  maxCacheSize?: number;
}

/**
 * Counters of a jitted function's cache: `misses` is the number of compilations.
 *
 * @example
 * const f = jit((x) => x.mul(2));
 * f(array([1])); f(array([2])); f(array([1, 2]));
 * f.cacheStats(); // { hits: 1, misses: 2, evictions: 0, entries: 2, maxSize: 64 }
 */
export interface JitCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  maxSize: number;
}

/**
 * The programs a jitted function runs for one signature, as staged and after optimization
 * (for inspection and tests; `eqns.length` counts the primitives executed per call). The
 * optimized program is meant for concrete execution only: `stop_gradient` is dropped from it.
 *
 * @example
 * const { staged, optimized } = jit(f).lower(x);
 * console.log(staged.eqns.length, "→", optimized.eqns.length);
 */
export interface JitLowered {
  staged: Program;
  optimized: Program;
}

/**
 * A jitted function: callable like `f`, plus its cache controls.
 *
 * @example
 * const g = jit(f);
 * g(x); g.cacheStats().misses; // 1
 * g.clearCache();
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Jitted<F extends (...args: any[]) => any> = F & {
  /** Drops every compiled program of this function and resets its counters. */
  clearCache(): void;
  cacheStats(): JitCacheStats;
  /** Stages and optimizes `f` for these arguments without running it (and without caching). */
  lower(...args: Parameters<F>): JitLowered;
};

/** How the arguments are laid out: tensor leaves are dynamic, everything else is part of the key. */
type Skeleton =
  | { kind: "leaf" }
  | { kind: "static"; value: unknown }
  | { kind: "array"; children: Skeleton[] }
  | { kind: "object"; keys: string[]; children: Skeleton[] };

/** Identity numbers for objects used as static arguments (a model, a function), held weakly. */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
const idOf = (o: object) => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
};

const isTypedArray = (x: unknown): x is Float64Array | Float32Array | Int32Array | Uint8Array =>
  x instanceof Float64Array ||
  x instanceof Float32Array ||
  x instanceof Int32Array ||
  x instanceof Uint8Array;

/** A key for a static value: primitives by value (−0 and NaN distinguished), objects by identity. */
function staticKey(x: unknown): string {
  if (typeof x === "number") return Object.is(x, -0) ? "n:-0" : `n:${x}`;
  if (typeof x === "string") return `s:${JSON.stringify(x)}`;
  if (typeof x === "boolean" || typeof x === "bigint" || x === null || x === undefined)
    return `${typeof x}:${String(x)}`;
  if (typeof x === "symbol") return `sym:${String(x.description)}#${idOf(Object(x) as object)}`;
  return `o#${idOf(x as object)}`;
}

/**
 * Splits arguments into tensor leaves and a skeleton, and the signature key: the structure,
 * each leaf's shape and dtype, and each static value. Typed arrays become 1-D tensors as in the
 * other transforms; JS numbers stay static (compiled in by value) so that `x.mul(2)` promotes
 * exactly as it does without jit (a float64 tensor would not).
 */
function splitArgs(args: readonly unknown[]): { leaves: Tensor[]; skeleton: Skeleton; key: string } {
  const leaves: Tensor[] = [];
  const parts: string[] = [];
  const walk = (x: unknown): Skeleton => {
    if (x instanceof Tensor || isTypedArray(x)) {
      const t = x instanceof Tensor ? x : new Concrete(new NDArray(dtypeOfData(x), [x.length], x.slice()));
      leaves.push(t);
      parts.push(`T${t.aval.dtype}[${t.aval.shape.join(",")}]`);
      return { kind: "leaf" };
    }
    if (Array.isArray(x)) {
      parts.push(`[${x.length}`);
      const children = x.map(walk);
      parts.push("]");
      return { kind: "array", children };
    }
    if (isPlainObject(x)) {
      const keys = Object.keys(x);
      parts.push(`{${keys.map((k) => JSON.stringify(k)).join(",")}`);
      const children = keys.map((k) => walk(x[k]));
      parts.push("}");
      return { kind: "object", keys, children };
    }
    parts.push(staticKey(x));
    return { kind: "static", value: x };
  };
  const skeleton = walk(args);
  return { leaves, skeleton, key: parts.join(" ") };
}

function rebuild(skeleton: Skeleton, leaves: readonly Tensor[]): unknown[] {
  let k = 0;
  const build = (s: Skeleton): unknown => {
    switch (s.kind) {
      case "leaf":
        return leaves[k++];
      case "static":
        return s.value;
      case "array":
        return s.children.map(build);
      case "object": {
        const out: Record<string, unknown> = {};
        s.keys.forEach((key, i) => (out[key] = build(s.children[i])));
        return out;
      }
    }
  };
  return build(skeleton) as unknown[];
}

interface Compiled {
  exec: Executable;
  outDef: TreeDef;
  staged: Program;
}

/**
 * Stages `f` for these leaves' avals. Returns null when the program closes over a value traced
 * by an enclosing transform (f reads an outer tracer through a closure): such a program is only
 * valid inside that transform, so the call must be traced through instead of compiled.
 */
function compile(f: AnyFn, skeleton: Skeleton, leaves: readonly Tensor[]): Compiled | null {
  let outDef: TreeDef | undefined;
  const staged = stageFlat(
    (xs) => {
      const [outs, def] = flatten(f(...rebuild(skeleton, xs)), "output of the function passed to jit");
      outDef = def;
      return outs;
    },
    leaves.map((l) => l.aval),
  );
  if (staged.consts.some((c) => !(c instanceof Concrete))) return null;
  return { exec: prepare(optimize(staged)), outDef: outDef!, staged };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

const DEFAULT_MAX_CACHE = 64;

/** Compilations by every jitted function since the process started (never reset). */
let totalCompilations = 0;

/**
 * How many programs every `jit`ted function together has compiled so far: a process-wide
 * counter for tests and profiles (take the difference around a call), never reset.
 *
 * @example
 * const before = jitCompilations();
 * analyze(model, data);
 * jitCompilations() - before; // a handful, however many batches
 */
export function jitCompilations(): number {
  return totalCompilations;
}

/** Every live jitted function's cache clearer, for `clearJitCaches`. */
const registry = new Set<WeakRef<() => void>>();

/**
 * Compiles `f`: the first call with a given signature (the argument tree's structure, each
 * tensor's shape and dtype, and the values of non-tensor arguments) traces `f` once into a
 * program of primitives, optimizes it (dead code and common subexpressions removed, identity
 * operations dropped, transposes folded into matrix products) and caches it; later calls with
 * that signature run the program directly, without re-running `f`'s JavaScript or the
 * interpreter. Results are bit-identical to calling `f`.
 *
 * Under another transform (`grad(jit(f))`, `vmap(jit(f))`, jit inside jit) the call is traced
 * through, so the outer transform sees every primitive; `jit(grad(f))`, `jit(vmap(grad(f)))`
 * and `jit(hessian(f))` compile the whole derivative program.
 *
 * As with JAX, what `f` reads from outside its arguments (a model's weights, a closure
 * variable) is captured when it is compiled: after changing such values, call `clearCache()`.
 * JS side effects in `f` (logging, counters, random numbers drawn in JS) happen only when it is
 * compiled. JS numbers passed as arguments are compiled in by value (pass a tensor to avoid one
 * compilation per value). The cache keeps the `maxCacheSize` most recently used signatures.
 *
 * @example
 * const perSample = jit(vmap(grad((x, price) => mlp(x).add(1).mul(price).sum(), { argnums: [0, 1] })));
 * const [dx, dprice] = perSample(xBatch, priceBatch); // compiled on the first call
 * perSample(xBatch2, priceBatch2); // same shapes: runs the cached program
 * perSample.cacheStats(); // { hits: 1, misses: 1, ... }
 */
export function jit<F extends AnyFn>(f: F, opts: JitOptions = {}): Jitted<F> {
  const maxSize = opts.maxCacheSize ?? DEFAULT_MAX_CACHE;
  if (!Number.isInteger(maxSize) || maxSize < 1)
    throw new ValueError(`jit: maxCacheSize must be a positive integer, got ${String(opts.maxCacheSize)}`);
  if (typeof f !== "function") throw new ValueError(`jit: expected a function, got ${typeof f}`);
  // A Map iterates in insertion order; re-inserting on every hit makes its first key the LRU one.
  const cache = new Map<string, Compiled>();
  const stats = { hits: 0, misses: 0, evictions: 0 };

  const jitted = (...args: unknown[]) => {
    const { leaves, skeleton, key } = splitArgs(args);
    if (leaves.some((l) => l instanceof Tracer)) return f(...args);
    let entry = cache.get(key);
    if (entry !== undefined) {
      stats.hits++;
      cache.delete(key);
      cache.set(key, entry);
    } else {
      const compiled = compile(f, skeleton, leaves);
      if (compiled === null) return f(...args);
      stats.misses++;
      totalCompilations++;
      entry = compiled;
      cache.set(key, entry);
      if (cache.size > maxSize) {
        cache.delete(cache.keys().next().value!);
        stats.evictions++;
      }
    }
    const outs = entry.exec.run(leaves.map((l) => (l as Concrete).value));
    return unflatten(
      entry.outDef,
      outs.map((o) => new Concrete(o)),
    );
  };
  const clearCache = () => {
    cache.clear();
    stats.hits = stats.misses = stats.evictions = 0;
  };
  registry.add(new WeakRef(clearCache));
  return Object.assign(jitted, {
    clearCache,
    cacheStats: (): JitCacheStats => ({ ...stats, entries: cache.size, maxSize }),
    lower: (...args: unknown[]): JitLowered => {
      const { leaves, skeleton } = splitArgs(args);
      const compiled = compile(f, skeleton, leaves);
      if (compiled === null)
        throw new ValueError("jit.lower: f closes over a value traced by an enclosing transform");
      return { staged: compiled.staged, optimized: compiled.exec.program };
    },
  }) as unknown as Jitted<F>;
}

/**
 * Clears the caches of every jitted function (for example after changing model weights that
 * jitted functions closed over).
 *
 * @example
 * model.setWeights(newWeights);
 * clearJitCaches(); // every jit(...) recompiles on its next call
 */
export function clearJitCaches(): void {
  for (const ref of registry) {
    const clear = ref.deref();
    if (clear === undefined) registry.delete(ref);
    else clear();
  }
}
