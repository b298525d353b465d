/**
 * Special values and the comparison used by the NaN/±Inf/±0 property test (nonfinite.property.test.ts):
 * every op is run on arrays holding these and each element compared with a scalar reference.
 */
import { NDArray } from "../../src/core/ndarray.js";
import { Concrete, type Tensor } from "../../src/prims/tensor.js";

/** NaN, ±Infinity and both zeros. */
export const SPECIAL: readonly number[] = [NaN, Infinity, -Infinity, 0, -0];
/** Ordinary values, including every kink of the activations (0, ±3, 6) and halves (round). */
export const ORDINARY: readonly number[] = [-7, -6, -3, -2.5, -1, -0.5, 0.5, 1, 1.5, 2.5, 3, 6, 7];
/** What every element-wise op is run on. */
export const ALL: readonly number[] = [...SPECIAL, ...ORDINARY];

export const f64 = (xs: readonly number[], shape: number[] = [xs.length]): Tensor =>
  new Concrete(new NDArray("float64", shape, Float64Array.from(xs)));

export const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

/**
 * Whether `actual` matches `expected`: NaN matches NaN, infinities and zeros match exactly (the
 * sign of a zero too when `signedZero`), finite values to `rtol` relative.
 */
export function agrees(actual: number, expected: number, rtol: number, signedZero: boolean): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (expected === 0 && actual === 0) return !signedZero || Object.is(actual, expected);
  return Math.abs(actual - expected) <= rtol * Math.max(Math.abs(expected), 1e-300);
}

/** Collects mismatches so one failure lists every wrong element. */
export class Mismatches {
  readonly lines: string[] = [];
  check(what: string, actual: number, expected: number | undefined, rtol = 0, signedZero = true): void {
    if (expected === undefined) return;
    if (!agrees(actual, expected, rtol, signedZero))
      this.lines.push(`${what}: got ${show(actual)}, expected ${show(expected)}`);
  }
  assertNone(): void {
    if (this.lines.length > 0) throw new Error(`${this.lines.length} mismatches:\n${this.lines.join("\n")}`);
  }
}

/** The C99/NumPy power function (JS Math.pow differs only at 1^y and (−1)^±∞, where it gives NaN). */
export const powC = (x: number, y: number) =>
  x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y);

/** NumPy's round: half to even, keeping the sign of zero. */
export function roundHalfEvenRef(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** NumPy truthiness: anything but ±0 is true, NaN included (JS's `!NaN` is true; NumPy's is False). */
export const truthy = (x: number) => x !== 0;

const valueOf = (t: Tensor) => (t as Concrete).value;

/**
 * A data-movement op moves values bit for bit: run on the special values and on 1..n, each output
 * element must be the input element whose index the second run names (or `padValue` where it is 0).
 * `f` may return several arrays (split); they are checked in turn.
 */
export function checkMovement(
  name: string,
  f: (x: Tensor) => Tensor | Tensor[],
  shape: number[],
  m: Mismatches,
  padValue = 0,
): void {
  const n = shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: n }, (_, i) => ALL[i % ALL.length]);
  const list = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r : [r]);
  const outs = list(f(f64(xs, shape)));
  const wheres = list(
    f(
      f64(
        Array.from({ length: n }, (_, i) => i + 1),
        shape,
      ),
    ),
  );
  outs.forEach((o, k) => {
    const out = valueOf(o);
    const where = valueOf(wheres[k]);
    for (let i = 0; i < out.size; i++) {
      const src = where.data[i];
      m.check(`${name} output ${k} element ${i}`, out.data[i], src === 0 ? padValue : xs[src - 1]);
    }
  });
}

/** What every linear and windowed op is run on: each value at each position, shifted per run. */
const PATTERN = [NaN, Infinity, -Infinity, -0, 0, 1.5, -2, 0.25];
const patternInputs = (n: number, shift: number) =>
  Array.from({ length: n }, (_, j) => PATTERN[(j * 3 + shift) % PATTERN.length]);

/** The outputs of `f` on each basis vector of its input (column j of its matrix when it is linear). */
function basisColumns(f: (x: Tensor) => Tensor, shape: number[]) {
  const n = shape.reduce((a, b) => a * b, 1);
  const basis = (j: number) =>
    f64(
      Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)),
      shape,
    );
  return { n, cols: Array.from({ length: n }, (_, j) => valueOf(f(basis(j))).data) };
}

/** Rows of special values for row-wise ops (reductions, softmax), run along the last axis. */
export const SPECIAL_ROWS: readonly number[][] = [
  [1, 2, 3],
  [NaN, 1, 2],
  [1, NaN, Infinity],
  [Infinity, 1, 2],
  [-Infinity, 1, 2],
  [Infinity, -Infinity, 1],
  [0, -0, 1],
  [-0, -0, -1],
  [-0, 0, -0],
  [Infinity, Infinity, 0],
  [-Infinity, -Infinity, -Infinity],
];

/**
 * An op linear in `x`: its matrix W is read off basis vectors (finite), then each output on inputs
 * holding special values must be Σ W_ij x_j over the j it depends on (W_ij ≠ 0) in IEEE arithmetic:
 * a NaN or an infinity reaches exactly the outputs that depend on it, and no other.
 */
export function checkLinear(name: string, f: (x: Tensor) => Tensor, shape: number[], m: Mismatches): void {
  const { n, cols } = basisColumns(f, shape);
  for (let shift = 0; shift < PATTERN.length; shift++) {
    const xs = patternInputs(n, shift);
    const out = valueOf(f(f64(xs, shape))).data;
    for (let i = 0; i < out.length; i++) {
      let want = 0;
      let scale = 0;
      for (let j = 0; j < n; j++)
        if (cols[j][i] !== 0) {
          want += cols[j][i] * xs[j];
          if (Number.isFinite(xs[j])) scale += Math.abs(cols[j][i] * xs[j]);
        }
      const close = Number.isFinite(want) && Math.abs(out[i] - want) <= 1e-13 * Math.max(scale, 1);
      if (!close) m.check(`${name} output ${i} (pattern shift ${shift})`, out[i], want, 0, false);
    }
  }
}

/**
 * Each output of a windowed max (maxPool) must be the IEEE maximum (NaN wins) over the inputs its
 * linear twin (avgPool with the same geometry) reads.
 */
export function checkWindowMax(
  name: string,
  f: (x: Tensor) => Tensor,
  twin: (x: Tensor) => Tensor,
  shape: number[],
  m: Mismatches,
): void {
  const { n, cols } = basisColumns(twin, shape);
  for (let shift = 0; shift < PATTERN.length; shift++) {
    const xs = patternInputs(n, shift);
    const out = valueOf(f(f64(xs, shape))).data;
    for (let i = 0; i < out.length; i++) {
      let want = -Infinity;
      for (let j = 0; j < n; j++) if (cols[j][i] !== 0) want = Math.max(want, xs[j]);
      m.check(`${name} output ${i} (pattern shift ${shift})`, out[i], want);
    }
  }
}
