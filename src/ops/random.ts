import { allocData, type DType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { Rng } from "../core/rng.js";
import { assertValidShape, sizeOf, type Shape } from "../core/shape.js";
import { Concrete, type Tensor } from "../prims/tensor.js";

/**
 * Where random numbers come from: a `seed` (a fresh generator, so the same seed always gives the
 * same tensor), an `rng` you keep drawing from, or neither (the global generator, see `seed()`).
 *
 * @example
 * random.normal([3], { seed: 7 }); // the same three numbers on every call
 * const rng = new Rng(7);
 * random.uniform([3], { rng, dtype: "float32" }); // continues rng's stream
 */
export interface RandomOptions {
  seed?: number;
  rng?: Rng;
  dtype?: DType;
}

let globalRng = new Rng(0);

/**
 * Reseeds the global generator used when neither `seed` nor `rng` is given.
 *
 * @example random.seed(42); random.normal([3]);
 */
export function seed(s: number): void {
  globalRng = new Rng(s);
}

const pick = (o: RandomOptions) => o.rng ?? (o.seed !== undefined ? new Rng(o.seed) : globalRng);

function fill(shape: Shape, o: RandomOptions, draw: (rng: Rng) => number, op: string): Tensor {
  const s = assertValidShape(shape, op);
  const dtype = o.dtype ?? "float64";
  const rng = pick(o);
  const data = allocData(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Concrete(new NDArray(dtype, s.slice(), data));
}

/** Refuses a NaN or infinite distribution parameter (it would fill the array with NaN or ±∞). */
function finiteParams(op: string, params: Record<string, number>): void {
  for (const [k, v] of Object.entries(params))
    if (!Number.isFinite(v)) throw new ValueError(`random.${op}: ${k} must be finite, got ${v}`);
}

/** Normal samples. @example random.normal([2, 3], { seed: 0, mean: 0, std: 1 }) */
export function normal(shape: Shape, opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  finiteParams("normal", { mean, std });
  return fill(shape, opts, (r) => mean + std * r.nextNormal(), "normal");
}

/** Uniform samples in [low, high). @example random.uniform([4], { seed: 1, low: -1, high: 1 }) */
export function uniform(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  finiteParams("uniform", { low, high });
  return fill(shape, opts, (r) => low + (high - low) * r.nextFloat(), "uniform");
}

/**
 * Normal samples redrawn until within two standard deviations of the mean (Keras's
 * `TruncatedNormal`).
 *
 * @example random.truncatedNormal([3, 3], { seed: 0, std: 0.05 })
 */
export function truncatedNormal(
  shape: Shape,
  opts: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  finiteParams("truncatedNormal", { mean, std });
  return fill(
    shape,
    opts,
    (r) => {
      for (;;) {
        const z = r.nextNormal();
        if (Math.abs(z) <= 2) return mean + std * z;
      }
    },
    "truncatedNormal",
  );
}

/** 1 with probability p, else 0 (bool by default). @example random.bernoulli([5], { seed: 0, p: 0.3 }) */
export function bernoulli(shape: Shape, opts: RandomOptions & { p?: number } = {}): Tensor {
  const p = opts.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`bernoulli: p must be in [0, 1], got ${p}`);
  // `dtype: undefined` spelled out must not override the bool default.
  return fill(
    shape,
    { ...opts, dtype: opts.dtype ?? "bool" },
    (r) => (r.nextFloat() < p ? 1 : 0),
    "bernoulli",
  );
}
