/**
 * f64x2 (WebAssembly SIMD) statements of our float64 transcendentals, emitted into a fused
 * element-wise kernel (fused.ts). Each one is the scalar kernel of transcendental/fdlibm.ts
 * re-stated lane-wise with the SAME operations in the SAME order: every branch of the scalar
 * code is computed for both lanes and the lane's own branch is picked by a bit-select, so each
 * lane's bits are those of the scalar kernel (IEEE + − × ÷ are correctly rounded in wasm as in
 * JS; neither fuses a multiply-add). Integer work on the high word of a double is i64x2
 * arithmetic on that word sign-extended into each 64-bit lane (so signed compares match JS's Int32
 * ones); `(v) | 0` is i32x4.trunc_sat (equal wherever the scalar code uses it: in range);
 * a multiplication by the table entry 2^k is a multiplication by a double built from its
 * exponent bits (the same value: every such k gives a normal number); 2^{j/64} comes from a
 * table in linear memory at TABLE_ADDR (lane loads).
 *
 * Which functions exist here is the list VECTOR_OPS; a chain using any other goes to the JS loop.
 */
import { simd, uleb, type Code } from "./asm.js";

/** Byte address of the 2^{j/64} tables (head, then tail; 64 doubles each) in linear memory. */
export const TABLE_ADDR = 0;
/** Bytes the tables take: the first free address after them. */
export const TABLE_BYTES = 1024;

/**
 * Emits straight-line code into a function body, naming every intermediate vector a local.
 * Locals are numbered from `base` (the function's parameters and earlier locals come first)
 * in creation order, which is the order `locals` lists them for the function's declaration.
 */
export class VecBuilder {
  code: Code[] = [];
  /** Code setting the constants' locals: run once, before the loop. */
  readonly constants: Code[] = [];
  readonly locals: Record<string, "v128"> = {};
  private n = 0;
  private readonly pool = new Map<string, Code>();
  constructor(private readonly base: number) {}
  private fresh(): number {
    const idx = this.base + this.n;
    this.locals[`v${this.n++}`] = "v128";
    return idx;
  }
  /** Evaluates `v` once into a fresh v128 local and returns the code that reads it. */
  let(v: Code): Code {
    const idx = this.fresh();
    this.code.push([v, 0x21, ...uleb(idx)]);
    return [0x20, ...uleb(idx)];
  }
  /**
   * `mask ? value() : base` lane-wise, with `value` computed only when some lane needs it (a
   * branch on v128.any_true): a rare path of the scalar code (a special range, tiny arguments)
   * costs nothing when neither lane takes it. Same bits either way: lanes not in `mask` keep `base`.
   */
  maybe(mask: Code, base: Code, value: () => Code): Code {
    const idx = this.fresh();
    const get = [0x20, ...uleb(idx)];
    this.code.push([base, 0x21, ...uleb(idx)]);
    const m = this.let(mask);
    const outer = this.code;
    this.code = [];
    const v = value();
    this.code.push([sel(m, v, get), 0x21, ...uleb(idx)]);
    const inner = this.code;
    this.code = outer;
    this.code.push([m, simd(0x53), 0x04, 0x40, inner, 0x0b]);
    return get;
  }
  /**
   * A v128 constant as a local set once before the loop: V8 builds a `v128.const` from
   * immediates each time it appears (several instructions), a local is one register or load.
   */
  constant(bytes: number[]): Code {
    const key = bytes.join(",");
    let get = this.pool.get(key);
    if (get === undefined) {
      const idx = this.fresh();
      this.constants.push([simd(0x0c, ...bytes), 0x21, ...uleb(idx)]);
      this.pool.set(key, (get = [0x20, ...uleb(idx)]));
    }
    return get;
  }
}

/** The builder whose constant pool F and I use while a kernel is emitted (null: inline constants). */
let pool: VecBuilder | null = null;
/** Runs `emit` with constants pooled in `b`. */
export function withConstantPool<T>(b: VecBuilder, emit: () => T): T {
  pool = b;
  try {
    return emit();
  } finally {
    pool = null;
  }
}
const constant = (a: Float64Array | BigInt64Array): Code => {
  const bytes = Array.from(new Uint8Array(a.buffer));
  return pool === null ? simd(0x0c, ...bytes) : pool.constant(bytes);
};
/** f64x2 with both lanes `x`. */
export const F = (x: number): Code => constant(new Float64Array([x, x]));
/** i64x2 with both lanes `n`. */
export const I = (n: number | bigint): Code => constant(new BigInt64Array([BigInt(n), BigInt(n)]));

const op2 =
  (o: number) =>
  (a: Code, b: Code): Code => [a, b, simd(o)];
const op1 =
  (o: number) =>
  (a: Code): Code => [a, simd(o)];

export const add = op2(0xf0);
export const sub = op2(0xf1);
export const mul = op2(0xf2);
export const div = op2(0xf3);
export const min = op2(0xf4);
export const max = op2(0xf5);
export const neg = op1(0xed);
export const abs = op1(0xec);
export const feq = op2(0x47);
export const fne = op2(0x48);
export const flt = op2(0x49);
export const fgt = op2(0x4a);
export const fle = op2(0x4b);
export const fge = op2(0x4c);
export const and = op2(0x4e);
export const or = op2(0x50);
export const ieq = op2(0xd6);
export const ilt = op2(0xd8);
export const igt = op2(0xd9);
export const ile = op2(0xda);
export const ige = op2(0xdb);
export const iadd = op2(0xce);
const sub64 = op2(0xd1);
const ishl = (a: Code, n: number): Code => [a, 0x41, n, simd(0xcb)];
/** Logical right shift: the same as arithmetic on the non-negative words it is used on (and one instruction on x64, where i64x2.shr_s is several). */
const ishrU = (a: Code, n: number): Code => [a, 0x41, n, simd(0xcd)];
/** Lane-wise `mask ? a : b` (mask lanes all ones or all zeros). */
export const sel = (mask: Code, a: Code, b: Code): Code => [a, b, mask, simd(0x52)];
/** i32x4.trunc_sat_f64x2_s_zero: JS `v | 0` in lanes 0, 1 (for in-range v). */
const truncI32 = op1(0xfc);
/** f64x2.convert_low_i32x4_s. */
const cvtI32 = op1(0xfe);
/** i64x2.extend_low_i32x4_s. */
const extI32 = op1(0xc7);
/** The sign-extended high 32-bit word of each double (fdlibm's `hx`, as JS's Int32Array read gives it). */
export const hiWord = (x: Code): Code =>
  // i32 lanes 1 and 3 (the high words) moved to lanes 0, 1, then i64x2.extend_low_i32x4_s
  extI32([x, x, simd(0x0d, 4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15)]);
/** 2^k for an i64x2 of integers k whose power is a normal double (-1022 ≤ k ≤ 1023). */
const pow2 = (k: Code): Code => ishl(iadd(k, I(1023)), 52);

/** `(v) | 0` as a double (exact small integer) and as i64x2, plus the i32x4 holding it in lanes 0 and 1. */
function toInt(b: VecBuilder, v: Code): { kd: Code; k32: Code; k64: Code } {
  const k32 = b.let(truncI32(v));
  return { k32, kd: b.let(cvtI32(k32)), k64: extI32(k32) };
}

/**
 * One f64x2 from the doubles at byte addresses `base + addr[lane]` (`addr` an i32x4 with the two
 * lanes' byte offsets in lanes 0 and 1): v128.load64_splat, then v128.load64_lane into lane 1.
 */
function gather64(addr: Code, base: number): Code {
  return [
    addr,
    simd(0x1b, 1),
    addr,
    simd(0x1b, 0),
    simd(0x0a, 3, ...uleb(base)),
    simd(0x57, 3, ...uleb(base), 1),
  ];
}

/** Horner steps in the scalar code's order: c[0] + z·(c[1] + z·(… + z·c[n−1])). */
function horner(z: Code, c: number[]): Code {
  let p: Code = F(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) p = add(F(c[i]), mul(z, p));
  return p;
}

/** fdlibm e_exp.c lane-wise (expInto). */
export function vexp(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const hxs = b.let(hiWord(x));
  const negM = b.let(ilt(hxs, I(0)));
  const hx = b.let(and(hxs, I(0x7fffffff)));
  const big = b.let(igt(hx, I(0x3fd62e42)));
  const near = b.let(ilt(hx, I(0x3ff0a2b2)));
  const kRound = toInt(b, add(mul(F(1.442695040888963387), x), sel(negM, F(-0.5), F(0.5))));
  const kdSel = b.let(sel(near, sel(negM, F(-1), F(1)), kRound.kd));
  const { kd, k64 } = toInt(b, kdSel);
  const hi = b.let(sub(x, mul(kd, F(6.9314718036912381649e-1))));
  const lo = b.let(mul(kd, F(1.90821492927058770002e-10)));
  const r = b.let(sel(big, sub(hi, lo), x));
  const t = b.let(mul(r, r));
  const c = b.let(
    sub(
      r,
      mul(
        t,
        horner(
          t,
          [
            1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5,
            -1.6533902205465251539e-6, 4.13813679705723846039e-8,
          ],
        ),
      ),
    ),
  );
  const rc = b.let(mul(r, c));
  const small = sub(F(1), sub(div(rc, sub(c, F(2))), r));
  const y = b.let(sub(F(1), sub(sub(lo, div(rc, sub(F(2), c))), hi)));
  const normal = sel(feq(kd, F(1024)), mul(mul(y, F(2)), F(8.98846567431157953865e307)), mul(y, pow2(k64)));
  const subn = mul(mul(y, pow2(iadd(k64, I(1000)))), F(9.3326361850321887899e-302));
  const general = sel(big, sel(fge(kd, F(-1021)), normal, subn), small);
  let res: Code = sel(ilt(hx, I(0x3e300000)), add(F(1), x), general);
  const edge = b.let(ige(hx, I(0x40862e42)));
  res = sel(and(edge, flt(x, F(-7.4513321910194110842e2))), F(0), res);
  res = sel(and(edge, fgt(x, F(7.09782712893383973096e2))), F(Infinity), res);
  res = sel(ige(hx, I(0x7ff00000)), sel(fne(x, x), x, sel(negM, F(0), x)), res);
  return b.let(res);
}

/** fdlibm e_log.c lane-wise (logInto). */
export function vlog(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const hx0 = b.let(hiWord(x));
  const low = b.let(ilt(hx0, I(0x00100000)));
  // zero (either sign): all bits but the sign clear
  const zero = b.let(ieq(and(x, I(0x7fffffffffffffffn)), I(0)));
  const xs = b.let(sel(low, mul(x, F(1.8014398509481984e16)), x));
  const kBase = b.let(sel(low, I(-54), I(0)));
  const hxA = b.let(hiWord(xs));
  const e = b.let(iadd(ishrU(hxA, 20), I(-1023))); // hxA ≥ 0 wherever it is used
  const hxm = b.let(and(hxA, I(0x000fffff)));
  const i0 = and(iadd(hxm, I(0x95f64)), I(0x100000));
  const ek = b.let(iadd(e, ishrU(i0, 20)));
  const k64 = b.let(iadd(kBase, ek));
  // k as a double: |k| < 2^11, so the low 32 bits as i32 convert exactly (shuffle lanes 0, 2 → 0, 1)
  const kd = b.let(smallIntToF64(k64));
  // xs·2^-ek is exact; 2^-ek is subnormal for ek ≥ 1023, so there it is 2^(2−ek) then ¼ (both exact too)
  const top = b.let(ige(ek, I(1023)));
  const scale = sel(top, pow2(sub64(I(2), ek)), pow2(sub64(I(0), ek)));
  const f = b.let(sub(mul(mul(xs, scale), sel(top, F(0.25), F(1))), F(1)));
  const tiny = b.let(ilt(and(iadd(I(2), hxm), I(0x000fffff)), I(3)));
  const kHi = b.let(mul(kd, F(6.9314718036912381649e-1)));
  const kLo = b.let(mul(kd, F(1.90821492927058770002e-10)));
  // −2^-20 ≤ f < 2^-20
  const Rt = b.let(mul(mul(f, f), sub(F(0.5), mul(F(0.3333333333333333), f))));
  const tinyRes = sel(
    feq(f, F(0)),
    sel(feq(kd, F(0)), F(0), add(kHi, kLo)),
    sel(feq(kd, F(0)), sub(f, Rt), sub(kHi, sub(sub(Rt, kLo), f))),
  );
  const s = b.let(div(f, add(F(2), f)));
  const z = b.let(mul(s, s));
  const w = b.let(mul(z, z));
  const t1 = mul(w, horner(w, [3.999999999940941908e-1, 2.222219843214978396e-1, 1.531383769920937332e-1]));
  const t2 = mul(
    z,
    horner(
      w,
      [6.66666666666673513e-1, 2.857142874366239149e-1, 1.818357216161805012e-1, 1.479819860511658591e-1],
    ),
  );
  const R = b.let(add(t2, t1));
  const hfsq = b.let(mul(mul(F(0.5), f), f));
  const w1 = sub(hfsq, add(mul(s, add(hfsq, R)), kLo));
  const w0 = sub(mul(s, sub(f, R)), kLo);
  // W[-((hx - 0x6147a) | (0x6b851 - hx)) >>> 31]: 1 when 0x6147a ≤ hx ≤ 0x6b851 (hx the masked mantissa word)
  const pick1 = and(ige(hxm, I(0x6147a)), ile(hxm, I(0x6b851)));
  const general = sub(kHi, sub(sel(pick1, w1, w0), f));
  let res: Code = sel(tiny, tinyRes, general);
  res = sel(ige(hxA, I(0x7ff00000)), add(x, x), res);
  res = sel(and(low, ilt(hx0, I(0))), F(NaN), res);
  res = sel(and(low, zero), F(-Infinity), res);
  return b.let(res);
}

/**
 * sigmoid lane-wise (sigmoidInto): (na + ns·E)/(1 + E) with E = e^w in double-double by Tang's
 * table method and a tail-corrected quotient.
 */
export function vsigmoid(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const neg = b.let(flt(x, F(0)));
  const w = b.let(sel(fge(x, F(0)), neg1(x), x));
  const na = b.let(sel(neg, F(0), F(1)));
  const ns = b.let(sel(neg, F(1), F(0)));
  const { kd, k32 } = toInt(b, sub(mul(w, F(92.33248261689366)), F(0.5)));
  const hi = b.let(sub(w, mul(kd, F(1.083042469326756e-2))));
  const lo = b.let(mul(kd, F(2.9815858269852933e-12)));
  const rh = b.let(sub(hi, lo));
  const rl = b.let(sub(sub(hi, rh), lo));
  const r2 = b.let(mul(rh, rh));
  const p = mul(
    r2,
    add(
      add(F(0.5), mul(rh, F(1 / 6))),
      mul(r2, add(add(F(1 / 24), mul(rh, F(1 / 120))), mul(r2, F(1 / 720)))),
    ),
  );
  const sr = b.let(add(rh, add(rl, p)));
  // byte offsets 8·(k & 63) of 2^{j/64}, j = k & 63, in the i32 lanes (i32x4.shl)
  const at = b.let([and(k32, I(0x3f_0000_003fn)), 0x41, 3, simd(0xab)]); // 63 in every i32 lane
  const th = b.let(gather64(at, TABLE_ADDR));
  const tl = b.let(gather64(at, TABLE_ADDR + 512));
  const u = b.let(add(mul(th, sr), add(tl, mul(tl, sr))));
  const h = b.let(add(th, u));
  const l = b.let(sub(u, sub(h, th)));
  const m = b.let(extI32([k32, 0x41, 6, simd(0xac)])); // k >> 6 on the i32 lanes (i32x4.shr_s), widened
  const normalM = b.let(ige(m, I(-1021)));
  const inRange = b.let(fge(w, F(-7.4513321910194110842e2)));
  const sc = b.let(pow2(m));
  const eh = b.let(
    sel(
      inRange,
      sel(normalM, mul(h, sc), mul(mul(add(h, l), pow2(iadd(m, I(1000)))), F(9.3326361850321887899e-302))),
      F(0),
    ),
  );
  const el = b.let(sel(and(inRange, normalM), mul(l, sc), F(0)));
  const bh = b.let(mul(ns, eh));
  const nh = b.let(add(na, bh));
  const nhna = b.let(sub(nh, na));
  const nt = b.let(add(add(sub(na, sub(nh, nhna)), sub(bh, nhna)), mul(ns, el)));
  const dh = b.let(add(F(1), eh));
  const dh1 = b.let(sub(dh, F(1)));
  const dt = b.let(add(add(sub(F(1), sub(dh, dh1)), sub(eh, dh1)), el));
  const q = b.let(div(nh, dh));
  const res = b.let(add(q, div(sub(nt, mul(q, dt)), dh)));
  return b.let(sel(fne(x, x), x, res));
}
/**
 * tanh lane-wise (tanhInto): both ranges for both lanes on |x|, picked by a select (no branch):
 * the odd polynomial |x| + |x|·z·P(z) for |x| < 0.55, else 1 − 2E/(1 + E), E = e^{−2|x|} with
 * |x| clamped to 20; then x's sign bit; NaN lanes return x. k = round(w/ln2) comes from the 1.5·2^52 shifter, whose low bits
 * are k itself: (bits + 1023) << 52 is 2^k (the shifter's own bits shift out).
 */
export function vtanh(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const ax = b.let(abs(x));
  // Estrin's scheme, as the scalar code (short dependency chains: this loop is latency-bound)
  const z = b.let(mul(ax, ax));
  const z2 = b.let(mul(z, z));
  const z4 = b.let(mul(z2, z2));
  const pair = (c0: number, c1: number): Code => b.let(add(F(c0), mul(z, F(c1))));
  const b0 = pair(-3.333333333333235e-1, 1.3333333333173714e-1);
  const b1 = pair(-5.396825387836276e-2, 2.186948602587388e-2);
  const b2 = pair(-8.863195150206822e-3, 3.591724634040584e-3);
  const b3 = pair(-1.4532399902309327e-3, 5.792028962603487e-4);
  const b4 = pair(-2.1040561490239104e-4, 5.109010656802332e-5);
  const poly = add(add(b0, mul(z2, b1)), mul(z4, add(add(b2, mul(z2, b3)), mul(z4, b4))));
  const small = b.let(add(ax, mul(ax, mul(z, poly))));
  const w = b.let(sel(fgt(ax, F(20)), F(-40), mul(F(-2), ax)));
  const kb = b.let(add(mul(w, F(1.4426950408889634)), F(6755399441055744)));
  const k = b.let(sub(kb, F(6755399441055744)));
  const r = b.let(sub(sub(w, mul(k, F(LN2_HI))), mul(k, F(LN2_LO))));
  const r2 = b.let(mul(r, r));
  const r4 = b.let(mul(r2, r2));
  const quad = (c0: number, c1: number, c2: number, c3: number): Code =>
    b.let(add(add(F(c0), mul(r, F(c1))), mul(r2, add(F(c2), mul(r, F(c3))))));
  const c0 = quad(0.5, 1 / 6, 1 / 24, 1 / 120);
  const c1 = quad(1 / 720, 1 / 5040, 1 / 40320, 1 / 362880);
  const c2 = quad(1 / 3628800, 1 / 39916800, 1 / 479001600, 1 / 6227020800);
  const q = add(c0, mul(r4, add(c1, mul(r4, c2))));
  const e = b.let(mul(add(F(1), add(r, mul(r2, q))), ishl(iadd(kb, I(1023)), 52)));
  const big = sub(F(1), div(add(e, e), add(F(1), e)));
  // x's sign onto res ≥ 0: the scalar code's `x < 0 ? −res : x > 0 ? res : x` (NaN lanes: x)
  const signed = or(sel(flt(ax, F(0.55)), small, big), and(x, I(-0x8000000000000000n)));
  return b.let(sel(fne(x, x), x, signed));
}
/** −x as the scalar code writes it (`-x`): a sign flip. */
const neg1 = (x: Code): Code => neg(x);

/** An i64x2 of small integers (|k| < 2^31) as f64x2: their low words moved to i32 lanes 0, 1, then converted. */
const smallIntToF64 = (k64: Code): Code =>
  cvtI32([k64, k64, simd(0x0d, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11)]);

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/** fdlibm s_expm1.c lane-wise (expm1Into). */
export function vexpm1(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const hw = b.let(hiWord(x));
  const sign = b.let(ilt(hw, I(0)));
  const hx = b.let(and(hw, I(0x7fffffff)));
  const big = b.let(igt(hx, I(0x3fd62e42)));
  const near = b.let(ilt(hx, I(0x3ff0a2b2)));
  const kRound = toInt(b, add(mul(F(1.442695040888963387), x), sel(sign, F(-0.5), F(0.5))));
  const { kd, k64 } = toInt(b, sel(big, sel(near, sel(sign, F(-1), F(1)), kRound.kd), F(0)));
  const hi = b.let(sel(near, sel(sign, add(x, F(LN2_HI)), sub(x, F(LN2_HI))), sub(x, mul(kd, F(LN2_HI)))));
  const lo = b.let(sel(near, sel(sign, F(-LN2_LO), F(LN2_LO)), mul(kd, F(LN2_LO))));
  const r = b.let(sel(big, sub(hi, lo), x));
  const c = b.let(sel(big, sub(sub(hi, r), lo), F(0)));
  const hfx = b.let(mul(F(0.5), r));
  const hxs = b.let(mul(r, hfx));
  const r1 = b.let(
    add(
      F(1),
      mul(
        hxs,
        horner(
          hxs,
          [
            -3.33333333333331316428e-2, 1.58730158725481460165e-3, -7.93650757867487942473e-5,
            4.00821782732936239552e-6, -2.01099218183624371326e-7,
          ],
        ),
      ),
    ),
  );
  const t = b.let(sub(F(3), mul(r1, hfx)));
  const e0 = b.let(mul(hxs, div(sub(r1, t), sub(F(6), mul(r, t)))));
  const res0 = sub(r, sub(mul(r, e0), hxs));
  const e = b.let(sub(sub(mul(r, sub(e0, c)), c), hxs));
  const resM1 = sub(mul(F(0.5), sub(r, e)), F(0.5));
  const resP1 = sel(flt(r, F(-0.25)), mul(F(-2), sub(e, add(r, F(0.5)))), add(F(1), mul(F(2), sub(r, e))));
  const yA = b.let(add(sub(r, e), F(1)));
  const resA = sub(
    sel(feq(kd, F(1024)), mul(mul(yA, F(2)), F(8.98846567431157953865e307)), mul(yA, pow2(k64))),
    F(1),
  );
  const twomk = b.let(pow2(sub64(I(0), k64)));
  const yB = sel(flt(kd, F(20)), add(sub(r, e), sub(F(1), twomk)), add(sub(r, add(e, twomk)), F(1)));
  const resB = mul(yB, pow2(k64));
  const general = sel(
    feq(kd, F(0)),
    res0,
    sel(feq(kd, F(-1)), resM1, sel(feq(kd, F(1)), resP1, sel(or(flt(kd, F(0)), fgt(kd, F(56))), resA, resB))),
  );
  let res: Code = sel(ilt(hx, I(0x3c900000)), x, general); // |x| < 2^-54 (not big)
  const edge = b.let(ige(hx, I(0x4043687a)));
  res = sel(and(edge, fgt(x, F(7.09782712893383973096e2))), F(Infinity), res);
  res = sel(and(edge, sign), F(-1), res);
  res = sel(and(edge, fne(x, x)), x, res);
  return b.let(res);
}

/** fdlibm s_log1p.c lane-wise (log1pInto). */
export function vlog1p(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const hx = b.let(hiWord(x));
  const ax = b.let(and(hx, I(0x7fffffff)));
  const lowSide = b.let(ilt(hx, I(0x3fda827a)));
  // √2/2 ≤ 1+x < √2: f = x exactly, k = 0
  const kz = b.let(and(lowSide, or(igt(hx, I(0)), ile(hx, I(0xbfd2bec4 | 0)))));
  const bigX = b.let(ige(hx, I(0x43400000)));
  const u = b.let(sel(bigX, x, add(F(1), x)));
  const huW = b.let(hiWord(u));
  const k0 = b.let(iadd(ishrU(huW, 20), I(-1023))); // u > 0 wherever it is used
  const k0d = b.let(smallIntToF64(k0));
  const cu = div(sel(fgt(k0d, F(0)), sub(F(1), sub(u, x)), sub(x, sub(u, F(1)))), u);
  const cK = b.let(sel(bigX, F(0), cu));
  const huM = b.let(and(huW, I(0x000fffff)));
  const adj = b.let(ige(huM, I(0x6a09e)));
  const kA = b.let(sel(adj, iadd(k0, I(1)), k0));
  const huA = sel(adj, ishrU(sub64(I(0x00100000), huM), 2), huM);
  const top = b.let(ige(kA, I(1023)));
  const scale = sel(top, pow2(sub64(I(2), kA)), pow2(sub64(I(0), kA)));
  const fA = sub(mul(mul(u, scale), sel(top, F(0.25), F(1))), F(1));
  const k64 = b.let(sel(kz, I(0), kA));
  const kd = b.let(smallIntToF64(k64));
  const f = b.let(sel(kz, x, fA));
  const c = b.let(sel(kz, F(0), cK));
  const hu = b.let(sel(kz, I(1), huA));
  const hfsq = b.let(mul(mul(F(0.5), f), f));
  const kHi = b.let(mul(kd, F(LN2_HI)));
  const kLo = b.let(mul(kd, F(LN2_LO)));
  const kz0 = b.let(feq(kd, F(0)));
  // |f| < 2^-20
  const Rt = b.let(mul(hfsq, sub(F(1), mul(F(0.6666666666666666), f))));
  const tinyRes = sel(
    feq(f, F(0)),
    sel(kz0, F(0), add(kHi, add(c, kLo))),
    sel(kz0, sub(f, Rt), sub(kHi, sub(sub(Rt, add(kLo, c)), f))),
  );
  const s = b.let(div(f, add(F(2), f)));
  const z = b.let(mul(s, s));
  const R = b.let(
    mul(
      z,
      horner(
        z,
        [
          6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
          1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
        ],
      ),
    ),
  );
  const shR = b.let(mul(s, add(hfsq, R)));
  const general = sel(kz0, sub(f, sub(hfsq, shR)), sub(kHi, sub(sub(hfsq, add(shR, add(kLo, c))), f)));
  let res: Code = sel(ieq(hu, I(0)), tinyRes, general);
  res = sel(ige(hx, I(0x7ff00000)), add(x, x), res);
  const tinyX = b.let(and(lowSide, ilt(ax, I(0x3e200000))));
  res = sel(tinyX, sel(ilt(ax, I(0x3c900000)), x, sub(x, mul(mul(x, x), F(0.5)))), res);
  const minus = b.let(and(lowSide, ige(ax, I(0x3ff00000))));
  res = sel(minus, sel(feq(x, F(-1)), F(-Infinity), F(NaN)), res);
  return b.let(res);
}

/** fdlibm s_erf.c lane-wise (erfInto); the tail's two exp calls are vexp. */
export function verf(b: VecBuilder, xIn: Code): Code {
  const x = b.let(xIn);
  const hx = b.let(hiWord(x));
  const ix = b.let(and(hx, I(0x7fffffff)));
  const pos = b.let(ige(hx, I(0)));
  // |x| < 0.84375
  const z0 = b.let(mul(x, x));
  const r0 = horner(
    z0,
    [
      1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
      -5.77027029648944159157e-3, -2.37630166566501626084e-5,
    ],
  );
  const s0 = horner(
    z0,
    [
      1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
      1.32494738004321644526e-4, -3.9602282787753681232e-6,
    ],
  );
  const small = b.let(add(x, mul(x, div(r0, s0))));
  // 0.84375 ≤ |x| < 1.25
  const ax = b.let(sel(pos, x, neg(x)));
  const s1 = b.let(sub(ax, F(1)));
  const P = horner(
    s1,
    [
      -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
      3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
      -2.166375594868790843e-3,
    ],
  );
  const Q = horner(
    s1,
    [
      1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
      1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
    ],
  );
  const pq = b.let(div(P, Q));
  const erx = 8.45062911510467529297e-1;
  const mid = b.let(sel(pos, add(F(erx), pq), sub(F(-erx), pq)));
  // 1.25 ≤ |x| < 6
  const s = b.let(div(F(1), mul(ax, ax)));
  const nearTail = b.let(ilt(ix, I(0x4006db6e)));
  const R = sel(
    nearTail,
    horner(
      s,
      [
        -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
        -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
        -8.12874355063065934246e1, -9.81432934416914548592,
      ],
    ),
    horner(
      s,
      [
        -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
        -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
        -4.83519191608651397019e2,
      ],
    ),
  );
  const S = sel(
    nearTail,
    horner(
      s,
      [
        1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
        6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135,
        -6.04244152148580987438e-2,
      ],
    ),
    horner(
      s,
      [
        1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
        3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
        -2.24409524465858183362e1,
      ],
    ),
  );
  const RS = b.let(div(R, S));
  const zc = b.let(mul(F(134217729), ax));
  const z = b.let(sub(zc, sub(zc, ax)));
  const e1 = vexp(b, sub(mul(neg(z), z), F(0.5625)));
  const e2 = vexp(b, add(mul(sub(z, ax), add(z, ax)), RS));
  const r = b.let(mul(e1, e2));
  const rax = b.let(div(r, ax));
  let res: Code = sel(pos, sub(F(1), rax), sub(rax, F(1)));
  res = sel(ige(ix, I(0x40180000)), sel(pos, F(1), F(-1)), res);
  res = sel(ilt(ix, I(0x3ff40000)), mid, res);
  const tiny = sel(
    ilt(ix, I(0x00800000)),
    mul(F(0.125), add(mul(F(8), x), mul(F(1.02703333676410069053), x))),
    add(x, mul(F(1.28379167095512586316e-1), x)),
  );
  res = sel(ilt(ix, I(0x3feb0000)), sel(ilt(ix, I(0x3e300000)), tiny, small), res);
  res = sel(ige(ix, I(0x7ff00000)), add(sel(ilt(hx, I(0)), F(-1), F(1)), div(F(1), x)), res);
  return b.let(res);
}

/** Functions with a lane-wise statement here, by primitive name. */
export const VECTOR_OPS: Record<string, (b: VecBuilder, x: Code) => Code> = {
  exp: vexp,
  expm1: vexpm1,
  log: vlog,
  log1p: vlog1p,
  erf: verf,
  tanh: vtanh,
  logistic: vsigmoid,
};
