/**
 * Keras initializers, with Keras's names, arguments and defaults (keras/src/initializers).
 * A seeded initializer gives the same values on every call and every machine; an unseeded one
 * draws from gradlens's global generator (`random.seed(n)` makes that reproducible too).
 */
import type { DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { Rng } from "../core/rng.js";
import { sizeOf, type Shape } from "../core/shape.js";
import { eye, full, random } from "../ops/index.js";
import { Concrete, type Tensor } from "../prims/tensor.js";
import { nameTable } from "../core/table.js";

/**
 * An initializer: a Keras class name, its config, and a function from shape to values.
 *
 * @example
 * const init: initializers.Initializer = initializers.get("glorot_uniform");
 * init.className; init.apply([3, 4]); // "GlorotUniform", a [3, 4] float64 tensor
 */
export interface Initializer {
  readonly className: string;
  readonly config: Record<string, unknown>;
  apply(shape: Shape, dtype?: DType): Tensor;
}

/**
 * `{ className, config }` as stored in model configs.
 *
 * @example
 * const spec: initializers.InitializerSpec = { className: "RandomNormal", config: { stddev: 0.01 } };
 * initializers.get(spec).apply([2, 2]);
 */
export interface InitializerSpec {
  className: string;
  config?: Record<string, unknown>;
}

function make(
  className: string,
  config: Record<string, unknown>,
  apply: (shape: Shape, dtype: DType) => Tensor,
): Initializer {
  return { className, config, apply: (shape, dtype = "float64") => apply(shape, dtype) };
}

const source = (seed: number | null | undefined) =>
  seed === null || seed === undefined ? {} : { rng: new Rng(seed) };

/** All zeros. @example initializers.zeros() */
export const zeros = () => make("Zeros", {}, (s, d) => full(s, 0, { dtype: d }));
/** All ones. @example initializers.ones() */
export const ones = () => make("Ones", {}, (s, d) => full(s, 1, { dtype: d }));
/** A constant value. @example initializers.constant(0.1) */
export const constant = (value = 0) => make("Constant", { value }, (s, d) => full(s, value, { dtype: d }));

/** Normal(mean, stddev); Keras defaults 0 and 0.05. @example initializers.randomNormal({ stddev: 0.01, seed: 1 }) */
export const randomNormal = (o: { mean?: number; stddev?: number; seed?: number | null } = {}) => {
  const mean = o.mean ?? 0;
  const std = o.stddev ?? 0.05;
  return make("RandomNormal", { mean, stddev: std, seed: o.seed ?? null }, (s, d) =>
    random.normal(s, { mean, std, dtype: d, ...source(o.seed) }),
  );
};

/** Uniform(minval, maxval); Keras defaults −0.05 and 0.05. @example initializers.randomUniform({ seed: 0 }) */
export const randomUniform = (o: { minval?: number; maxval?: number; seed?: number | null } = {}) => {
  const low = o.minval ?? -0.05;
  const high = o.maxval ?? 0.05;
  return make("RandomUniform", { minval: low, maxval: high, seed: o.seed ?? null }, (s, d) =>
    random.uniform(s, { low, high, dtype: d, ...source(o.seed) }),
  );
};

/** Normal redrawn beyond 2 stddev; Keras defaults 0 and 0.05. @example initializers.truncatedNormal({ seed: 3 }) */
export const truncatedNormal = (o: { mean?: number; stddev?: number; seed?: number | null } = {}) => {
  const mean = o.mean ?? 0;
  const std = o.stddev ?? 0.05;
  return make("TruncatedNormal", { mean, stddev: std, seed: o.seed ?? null }, (s, d) =>
    random.truncatedNormal(s, { mean, std, dtype: d, ...source(o.seed) }),
  );
};

/**
 * Fan-in and fan-out as Keras computes them (conv kernels multiply by the receptive field).
 *
 * @example initializers.computeFans([3, 3, 16, 32]) // [144, 288]: 3·3·16 in, 3·3·32 out
 */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/**
 * Which fan `varianceScaling` divides by: inputs, outputs, or their average.
 *
 * @example initializers.varianceScaling({ scale: 2, mode: "fan_out" })
 */
export type FanMode = "fan_in" | "fan_out" | "fan_avg";
/**
 * The distribution `varianceScaling` draws from (`"normal"`, also accepted, means `"truncated_normal"`).
 *
 * @example initializers.varianceScaling({ mode: "fan_avg", distribution: "truncated_normal", seed: 0 })
 */
export type VarianceDistribution = "truncated_normal" | "untruncated_normal" | "uniform";

/**
 * Keras's VarianceScaling: stddev (or limit) from scale / fan. The truncated normal's stddev is
 * divided by 0.8796…, the stddev of a unit normal truncated at ±2, so the variance is as asked.
 *
 * @example initializers.varianceScaling({ scale: 2, mode: "fan_in", distribution: "uniform", seed: 0 })
 */
export function varianceScaling(
  o: {
    scale?: number;
    mode?: FanMode;
    distribution?: VarianceDistribution | "normal";
    seed?: number | null;
  } = {},
  className = "VarianceScaling",
): Initializer {
  const scale = o.scale ?? 1;
  const mode = o.mode ?? "fan_in";
  const distribution =
    o.distribution === "normal" ? "truncated_normal" : (o.distribution ?? "truncated_normal");
  if (!(scale > 0)) throw new ValueError(`VarianceScaling: scale must be positive, got ${scale}`);
  const config =
    className === "VarianceScaling"
      ? { scale, mode, distribution, seed: o.seed ?? null }
      : { seed: o.seed ?? null };
  return make(className, config, (s, d) => {
    const [fanIn, fanOut] = computeFans(s);
    const fan = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const v = scale / Math.max(1, fan);
    if (distribution === "uniform") {
      const limit = Math.sqrt(3 * v);
      return random.uniform(s, { low: -limit, high: limit, dtype: d, ...source(o.seed) });
    }
    if (distribution === "untruncated_normal")
      return random.normal(s, { std: Math.sqrt(v), dtype: d, ...source(o.seed) });
    return random.truncatedNormal(s, { std: Math.sqrt(v) / 0.8796256610342398, dtype: d, ...source(o.seed) });
  });
}

type Seeded = { seed?: number | null };
/** Glorot/Xavier uniform (Keras's default kernel initializer). @example initializers.glorotUniform({ seed: 0 }) */
export const glorotUniform = (o: Seeded = {}) =>
  varianceScaling({ scale: 1, mode: "fan_avg", distribution: "uniform", seed: o.seed }, "GlorotUniform");
/** @example initializers.glorotNormal() */
export const glorotNormal = (o: Seeded = {}) =>
  varianceScaling(
    { scale: 1, mode: "fan_avg", distribution: "truncated_normal", seed: o.seed },
    "GlorotNormal",
  );
/** @example initializers.heUniform() */
export const heUniform = (o: Seeded = {}) =>
  varianceScaling({ scale: 2, mode: "fan_in", distribution: "uniform", seed: o.seed }, "HeUniform");
/** @example initializers.heNormal() */
export const heNormal = (o: Seeded = {}) =>
  varianceScaling({ scale: 2, mode: "fan_in", distribution: "truncated_normal", seed: o.seed }, "HeNormal");
/** @example initializers.lecunUniform() */
export const lecunUniform = (o: Seeded = {}) =>
  varianceScaling({ scale: 1, mode: "fan_in", distribution: "uniform", seed: o.seed }, "LecunUniform");
/** @example initializers.lecunNormal() */
export const lecunNormal = (o: Seeded = {}) =>
  varianceScaling(
    { scale: 1, mode: "fan_in", distribution: "truncated_normal", seed: o.seed },
    "LecunNormal",
  );

/**
 * A random orthogonal matrix (rows = product of all but the last dim), times `gain`: the Q of a
 * QR decomposition of a normal matrix with R's diagonal signs folded in (Saxe et al., as Keras).
 *
 * @example initializers.orthogonal({ gain: 1, seed: 0 })
 */
export function orthogonal(o: { gain?: number; seed?: number | null } = {}): Initializer {
  const gain = o.gain ?? 1;
  return make("Orthogonal", { gain, seed: o.seed ?? null }, (s, d) => {
    if (s.length < 2) throw new ValueError(`Orthogonal: needs a shape of rank ≥ 2, got [${s.join(",")}]`);
    const cols = s[s.length - 1];
    const rows = sizeOf(s) / cols;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = random.normal([m, n], { ...source(o.seed) }).data() as Float64Array;
    const q = householderQ(a, m, n);
    // q is m×n with orthonormal columns; the result is rows×cols.
    const out = new NDArray(d, s.slice(), NDArray.zeros(d, [rows * cols]).data);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++)
        out.data[i * cols + j] = gain * (rows >= cols ? q[i * n + j] : q[j * n + i]);
    return new Concrete(out);
  });
}

/**
 * Thin QR by Householder reflections: returns Q (m×n, orthonormal columns) of an m×n matrix
 * (m ≥ n), with columns signed so that R has a non-negative diagonal (makes Q unique).
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m);
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] * v[i];
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * r[i * n + j];
        const f = (2 * dot) / vn;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i];
      }
    }
    vs.push(v);
  }
  // Q = H_0 H_1 … H_{n−1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] * v[i];
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * q[i * n + j];
      const f = (2 * dot) / vn;
      for (let i = k; i < m; i++) q[i * n + j] -= f * v[i];
    }
  }
  for (let j = 0; j < n; j++) if (r[j * n + j] < 0) for (let i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
  return q;
}

/** The identity matrix times `gain` (2-D shapes only). @example initializers.identity() */
export function identity(o: { gain?: number } = {}): Initializer {
  const gain = o.gain ?? 1;
  return make("Identity", { gain }, (s, d) => {
    if (s.length !== 2) throw new ValueError(`Identity: needs a 2-D shape, got [${s.join(",")}]`);
    return eye(s[0], s[1], { dtype: d }).mul(gain);
  });
}

const BY_NAME: Record<string, (config: Record<string, unknown>) => Initializer> = nameTable({
  Zeros: () => zeros(),
  Ones: () => ones(),
  Constant: (c) => constant(c.value as number),
  RandomNormal: (c) => randomNormal(c),
  RandomUniform: (c) => randomUniform(c),
  TruncatedNormal: (c) => truncatedNormal(c),
  VarianceScaling: (c) => varianceScaling(c),
  GlorotUniform: (c) => glorotUniform(c),
  GlorotNormal: (c) => glorotNormal(c),
  HeUniform: (c) => heUniform(c),
  HeNormal: (c) => heNormal(c),
  LecunUniform: (c) => lecunUniform(c),
  LecunNormal: (c) => lecunNormal(c),
  Orthogonal: (c) => orthogonal(c),
  Identity: (c) => identity(c),
});

const ALIASES: Record<string, string> = nameTable({
  zeros: "Zeros",
  zero: "Zeros",
  ones: "Ones",
  one: "Ones",
  constant: "Constant",
  random_normal: "RandomNormal",
  normal: "RandomNormal",
  random_uniform: "RandomUniform",
  uniform: "RandomUniform",
  truncated_normal: "TruncatedNormal",
  variance_scaling: "VarianceScaling",
  glorot_uniform: "GlorotUniform",
  glorot_normal: "GlorotNormal",
  he_uniform: "HeUniform",
  he_normal: "HeNormal",
  lecun_uniform: "LecunUniform",
  lecun_normal: "LecunNormal",
  orthogonal: "Orthogonal",
  identity: "Identity",
});

/**
 * Resolves an initializer from an instance, a Keras name (`"glorot_uniform"`, `"GlorotUniform"`)
 * or a `{ className, config }` spec.
 *
 * @example initializers.get("he_normal"); initializers.get({ className: "Constant", config: { value: 0.1 } })
 */
export function get(
  id: Initializer | InitializerSpec | string | null | undefined,
  fallback?: string,
): Initializer {
  if (id === null || id === undefined) {
    if (fallback === undefined) throw new ValueError("initializers.get: no initializer given");
    return get(fallback);
  }
  if (typeof id === "string") {
    const cls = BY_NAME[id] ? id : ALIASES[id];
    if (cls === undefined)
      throw new ValueError(`Unknown initializer '${id}'; known: ${Object.keys(ALIASES).join(", ")}`);
    return BY_NAME[cls]({});
  }
  if ("apply" in id) return id;
  const cls = BY_NAME[id.className] ? id.className : ALIASES[id.className];
  if (cls === undefined) throw new ValueError(`Unknown initializer class '${id.className}'`);
  return BY_NAME[cls](id.config ?? {});
}

/**
 * The `{ className, config }` form of an initializer (for getConfig / saving).
 *
 * @example
 * initializers.serialize(initializers.constant(0.1)); // { className: "Constant", config: { value: 0.1 } }
 */
export const serialize = (init: Initializer): InitializerSpec => ({
  className: init.className,
  config: { ...init.config },
});
