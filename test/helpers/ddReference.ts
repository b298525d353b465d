/**
 * An independent high-precision reference for the transcendental kernels: each function computed
 * in double-double arithmetic (~106 bits: a value is hi + lo with |lo| ≤ ulp(hi)/2), by methods
 * unrelated to fdlibm's — Taylor series with squaring for exp, the full atanh series for log,
 * direct series for small arguments, the all-positive Kummer series for erf. Results carry a
 * power-of-two scale so subnormal results keep their precision: the value is (hi + lo)·2^e.
 * Cross-checked against mpmath at 200 bits by scripts/ulp-accuracy.ts (--check-mpmath).
 */

export interface Ref {
  hi: number;
  lo: number;
  /** The value is (hi + lo)·2^e. */
  e: number;
}

type DD = [number, number];

const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function add(a: DD, b: DD): DD {
  const [s1, s2] = twoSum(a[0], b[0]);
  const [t1, t2] = twoSum(a[1], b[1]);
  const [u1, u2] = quickTwoSum(s1, s2 + t1);
  return quickTwoSum(u1, u2 + t2);
}
function neg(a: DD): DD {
  return [-a[0], -a[1]];
}
function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}
function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = add(a, neg(mul([q1, 0], b)));
  const q2 = r[0] / b[0];
  r = add(r, neg(mul([q2, 0], b)));
  const q3 = r[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}
/** a / b for a double b (one Newton correction of the double quotient). */
function divD(a: DD, b: number): DD {
  const q1 = a[0] / b;
  const [p, e] = twoProd(q1, b);
  return quickTwoSum(q1, (a[0] - p - e + a[1]) / b);
}
function scale(a: DD, e: number): DD {
  const s = pow2(e);
  return [a[0] * s, a[1] * s];
}
/** 2^n for any n in [-1074, 1023] (two factors so neither leaves the double range). */
export function pow2(n: number): number {
  const h = Math.trunc(n / 2);
  return 2 ** h * 2 ** (n - h);
}

const LN2_1 = 0.6931471805599453;
const LN2_2 = 2.3190468138462996e-17;
const LN2_3 = 5.707708438416212e-34;
const TWO_OVER_SQRT_PI: DD = [1.1283791670955126, 1.533545961316588e-17];

/** e^a for a double-double a, as a mantissa DD and a power-of-two scale. */
function expScaled(a: DD): { m: DD; e: number } {
  const k = Math.round(a[0] / LN2_1);
  // r = a − k·ln2 with ln2 to ~160 bits; every k·ln2ᵢ product exact or far below the target.
  let r = add(a, neg(twoProd(k, LN2_1)));
  r = add(r, neg(twoProd(k, LN2_2)));
  r = add(r, [-k * LN2_3, 0]);
  // e^r = (e^{r/2^10})^{2^10}: the Taylor series of a tiny argument, then 10 squarings.
  const s = scale(r, -10);
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let n = 1; n <= 14; n++) {
    term = divD(mul(term, s), n);
    sum = add(sum, term);
  }
  for (let i = 0; i < 10; i++) sum = mul(sum, sum);
  return { m: sum, e: k };
}

function unscaled(r: { m: DD; e: number }): DD {
  return r.e < -1000 ? [r.m[0] * pow2(r.e), 0] : scale(r.m, r.e);
}

function ref(v: DD, e = 0): Ref {
  return { hi: v[0], lo: v[1], e };
}

export function refExp(x: number): Ref {
  if (x !== x) return ref([NaN, 0]);
  if (x > 710) return ref([Infinity, 0]);
  if (x < -746) return ref([0, 0]);
  const r = expScaled([x, 0]);
  return ref(r.m, r.e);
}

/** Series x + x²/2 + … for |x| < 2^-10 (no cancellation), e^x − 1 in DD otherwise. */
function expm1DD(a: DD): DD {
  if (Math.abs(a[0]) < 2 ** -10) {
    let term: DD = a;
    let sum: DD = a;
    for (let n = 2; n <= 14; n++) {
      term = divD(mul(term, a), n);
      sum = add(sum, term);
    }
    return sum;
  }
  return add(unscaled(expScaled(a)), [-1, 0]);
}

export function refExpm1(x: number): Ref {
  if (x !== x) return ref([NaN, 0]);
  if (x > 710) return ref([Infinity, 0]);
  if (x < -800) return ref([-1, 0]);
  if (Math.abs(x) < 2 ** -500) return ref([x, 0]); // x + x²/2: the square is below every ulp
  if (x > 1) {
    // e^x − 1 = (m − 2^-k)·2^k: stays scaled so e^x near the overflow threshold is no trouble
    const r = expScaled([x, 0]);
    return ref(add(r.m, [-pow2(-r.e), 0]), r.e);
  }
  return ref(expm1DD([x, 0]));
}

/** ln of a positive DD: split off the binary exponent exactly, then the atanh series of the mantissa. */
function logDD(a: DD): DD {
  let j = Math.floor(Math.log2(a[0]));
  let m = scale(a, -j);
  if (m[0] >= 2) {
    m = scale(m, -1);
    j += 1;
  } else if (m[0] < 1) {
    m = scale(m, 1);
    j -= 1;
  }
  if (m[0] > Math.SQRT2) {
    m = scale(m, -1);
    j += 1;
  }
  // ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| ≤ 0.172: no cancellation
  const s = div(add(m, [-1, 0]), add(m, [1, 0]));
  const s2 = mul(s, s);
  let p: DD = s;
  let y: DD = s;
  for (let n = 3; n < 80; n += 2) {
    p = mul(p, s2);
    const t = divD(p, n);
    y = add(y, t);
    if (Math.abs(t[0]) <= Math.abs(y[0]) * 2 ** -110) break;
  }
  y = scale(y, 1);
  // + j·ln2
  let jl = twoProd(j, LN2_1);
  jl = add(jl, twoProd(j, LN2_2));
  jl = add(jl, [j * LN2_3, 0]);
  return add(jl, y);
}

export function refLog(x: number): Ref {
  if (x !== x || x < 0) return ref([NaN, 0]);
  if (x === 0) return ref([-Infinity, 0]);
  if (x === Infinity) return ref([Infinity, 0]);
  if (x < 2 ** -1000) return ref(add(logDD([x * 2 ** 100, 0]), neg(mul([100, 0], [LN2_1, LN2_2]))));
  return ref(logDD([x, 0]));
}

export function refLog1p(x: number): Ref {
  if (x !== x || x < -1) return ref([NaN, 0]);
  if (x === -1) return ref([-Infinity, 0]);
  if (x === Infinity) return ref([Infinity, 0]);
  if (Math.abs(x) < 2 ** -500) return ref([x, 0]);
  if (Math.abs(x) < 2 ** -10) {
    // x − x²/2 + x³/3 − …
    const a: DD = [x, 0];
    let p: DD = a;
    let sum: DD = a;
    for (let n = 2; n <= 14; n++) {
      p = mul(p, a);
      sum = add(sum, divD(n % 2 === 0 ? neg(p) : p, n));
    }
    return ref(sum);
  }
  if (x > 2 ** 60) return ref(add(logDD([x, 0]), [1 / x, 0])); // ln x + ln(1 + 1/x)
  return ref(logDD(twoSum(1, x)));
}

export function refTanh(x: number): Ref {
  if (x !== x) return ref([NaN, 0]);
  if (Math.abs(x) < 2 ** -500) return ref([x, 0]); // x − x³/3: the cube is below every ulp
  const ax = Math.abs(x);
  if (ax > 400) return ref([Math.sign(x), 0]); // 1 − 2e^{−800}: below every ulp of 1
  let t: DD;
  if (ax < 20) {
    const e = expm1DD([2 * ax, 0]); // tanh = (e^{2x} − 1)/(e^{2x} + 1)
    t = div(e, add(e, [2, 0]));
  } else {
    const e = unscaled(expScaled([-2 * ax, 0])); // 1 − 2e^{−2x}/(1 + e^{−2x})
    t = add([1, 0], neg(div(scale(e, 1), add([1, 0], e))));
  }
  return ref(x < 0 ? neg(t) : t);
}

export function refSigmoid(x: number): Ref {
  if (x !== x) return ref([NaN, 0]);
  if (x >= 0) {
    const e = x > 800 ? ([0, 0] as DD) : unscaled(expScaled([-x, 0]));
    return ref(div([1, 0], add([1, 0], e)));
  }
  if (x < -800) return ref([0, 0]);
  const r = expScaled([x, 0]);
  return ref(div(r.m, add([1, 0], unscaled(r))), r.e);
}

/** erfc(x) for x ≥ 6 to ~3 digits (it only shifts 1 − erfc by ≤ 0.2 ulp). */
function erfcTail(x: number): number {
  const x2 = x * x;
  return (Math.exp(-x2) / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2));
}

export function refErf(x: number): Ref {
  if (x !== x) return ref([NaN, 0]);
  const ax = Math.abs(x);
  const sgn = x < 0 ? -1 : 1;
  if (ax < 2 ** -500) return ref(mul(TWO_OVER_SQRT_PI, [x * 2 ** 600, 0]), -600);
  if (ax >= 6) return ref(ax > 27 ? [sgn, 0] : [sgn, -sgn * erfcTail(ax)]);
  // erf x = 2x/√π · e^{−x²} · Σ (2x²)ⁿ / (1·3·…·(2n+1)): every term positive, no cancellation.
  const x2 = twoProd(ax, ax);
  const q = scale(x2, 1);
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let n = 1; n < 400; n++) {
    term = divD(mul(term, q), 2 * n + 1);
    sum = add(sum, term);
    if (term[0] < sum[0] * 2 ** -110) break;
  }
  const e = unscaled(expScaled(neg(x2)));
  const v = mul(mul(TWO_OVER_SQRT_PI, [ax, 0]), mul(e, sum));
  return ref(x < 0 ? neg(v) : v);
}

/**
 * |ours − ref| in units in the last place of the reference value (the spacing of doubles at the
 * true value; 2^-1074 for subnormals). 0 when both are the same NaN/∞, Infinity when they differ.
 */
export function ulpError(ours: number, r: Ref): number {
  if (r.hi !== r.hi) return ours !== ours ? 0 : Infinity;
  if (ours !== ours) return Infinity;
  if (!Number.isFinite(r.hi) || !Number.isFinite(ours)) return ours === r.hi * pow2(r.e) ? 0 : Infinity;
  if (r.hi === 0) return ours === 0 ? 0 : Math.abs(ours) / 2 ** -1074;
  // The exponent of |hi + lo| (one less when hi is a power of two and lo pulls it below).
  const ah = Math.abs(r.hi);
  let ex = Math.floor(Math.log2(ah));
  if (2 ** ex > ah) ex -= 1;
  else if (2 ** (ex + 1) <= ah) ex += 1;
  if (ah === 2 ** ex && r.lo !== 0 && Math.sign(r.lo) !== Math.sign(r.hi)) ex -= 1;
  const ulpExp = Math.max(ex + r.e, -1022) - 52;
  // Compare in the reference's scale: ours·2^-e is exact (a power-of-two change of a double).
  const o = ours * pow2(-Math.trunc(r.e / 2)) * pow2(-(r.e - Math.trunc(r.e / 2)));
  const d = add(twoSum(o, -r.hi), [-r.lo, 0]);
  return Math.abs(d[0] + d[1]) / pow2(ulpExp - r.e);
}

/** The references by kernel name. */
export const REFERENCES = {
  exp: refExp,
  expm1: refExpm1,
  log: refLog,
  log1p: refLog1p,
  tanh: refTanh,
  sigmoid: refSigmoid,
  erf: refErf,
} as const;
