/**
 * Our own float64 exp, expm1, log, log1p, tanh, sigmoid and erf, written with nothing but IEEE
 * +, −, ×, ÷, comparisons, integer ops and reads of the two 32-bit words of a stored double. No
 * `Math.*` transcendental is called, so every engine that rounds IEEE arithmetic as ECMAScript
 * requires (each operation rounded on its own: no fused multiply-add) returns the same bits for
 * the same input — which `Math.tanh`/`Math.exp` do not promise (the spec leaves their accuracy
 * to the engine).
 *
 * Algorithms: Sun's fdlibm 5.3 (via FreeBSD msun / musl): e_exp.c, s_expm1.c, e_log.c, s_log1p.c,
 * s_erf.c — argument reduction by a two-part ln 2 and minimax rational/polynomial
 * approximations with the constants published there. Our code is a TypeScript re-statement of
 * those algorithms with the same operation order. tanh and sigmoid are ours: tanh an odd
 * polynomial below 0.55 and 1 − 2E/(1 + E) above (E = e^{−2|x|} by a branch-free exp), built
 * for a cheap f64x2 form; sigmoid e^w in double-double by Tang's table method and a
 * tail-corrected quotient. Measured accuracy (tanh ≤ 1.43 ulp, the others ≤ 1 ulp on 10^7
 * points; docs/transcendentals.md) from scripts/ulp-accuracy.ts.
 *
 * Special values follow C99 Annex F: NaN propagates, exp(−∞)=0, log(0)=−∞, log(x<0)=NaN,
 * log1p(−1)=−∞, expm1(−∞)=−1, tanh(±∞)=±1, erf(±∞)=±1, and odd functions keep the sign of ±0.
 *
 * The factory is self-contained (no imports, no outer references) on purpose: the helper thread
 * (threads/worker-source.ts) is given its source text, so both threads run the same code and
 * threaded results are bit-identical to single-threaded ones.
 */

/** What the array kernels read and write: any float array (or plain array) of numbers. */
export type FloatArray = { readonly length: number; [i: number]: number };

/** `o[i] = f(a[i])` for start ≤ i < end (`o` may be `a`). */
export type IntoKernel = (a: FloatArray, o: FloatArray, start: number, end: number) => void;

/** The scalar functions and their array kernels; `makeTranscendentals()` builds one independent set. */
export interface Transcendentals {
  exp(x: number): number;
  expm1(x: number): number;
  log(x: number): number;
  log1p(x: number): number;
  tanh(x: number): number;
  sigmoid(x: number): number;
  erf(x: number): number;
  expInto: IntoKernel;
  expm1Into: IntoKernel;
  logInto: IntoKernel;
  log1pInto: IntoKernel;
  tanhInto: IntoKernel;
  sigmoidInto: IntoKernel;
  erfInto: IntoKernel;
  /** 2^{j/64} = head[j] + tail[j] (j < 64) to 106 bits: the table tanh and sigmoid use (the SIMD kernels load it too). */
  exp2Table: { head: Float64Array; tail: Float64Array };
}

/**
 * Builds the functions over a private 8-byte scratch word (so a worker can build its own).
 *
 * @example
 * const t = makeTranscendentals();
 * t.tanh(0.5); // 0.46211715726000974, the same bits on every engine
 */
export function makeTranscendentals(): Transcendentals {
  // One double and its two 32-bit halves; HI is the word with sign and exponent.
  const F = new Float64Array(1);
  const I = new Int32Array(F.buffer);
  const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  const LO = 1 - HI;
  // Words are only ever read after a double is stored (never a double read after a word store:
  // that defeats the CPU's store-to-load forwarding and cost ~5 ns a time). Scaling by 2^k, which
  // fdlibm does by writing the exponent field, is a multiplication by P2[k + 1074] = 2^k instead:
  // the same bits whenever the product is a normal number, which is the only way it is used.
  const P2 = new Float64Array(2098);
  for (let i = 0, v = 5e-324; i < 2098; i++, v *= 2) P2[i] = v;
  const W = new Float64Array(2); // two candidate results, indexed instead of branched on

  /** fdlibm e_exp.c: x = k·ln2 + r, |r| ≤ ln2/2, exp(r) = 1 + r + r·c/(2 − c) with c a degree-5 minimax in r². */
  function expInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      F[0] = x;
      let hx = I[HI];
      const neg = hx < 0;
      hx &= 0x7fffffff;
      if (hx >= 0x40862e42) {
        // |x| ≥ 709.78…: NaN, ±∞, overflow or underflow
        if (hx >= 0x7ff00000) {
          o[i] = x !== x ? x : neg ? 0 : x;
          continue;
        }
        if (x > 7.09782712893383973096e2) {
          o[i] = Infinity;
          continue;
        }
        if (x < -7.4513321910194110842e2) {
          o[i] = 0;
          continue;
        }
      }
      let hi = 0;
      let lo = 0;
      let k = 0;
      let r = x;
      if (hx > 0x3fd62e42) {
        // |x| > ln2/2: reduce by k·ln2 with ln2 = LN2_HI + LN2_LO (k·LN2_HI exact for |k| < 2^11)
        if (hx < 0x3ff0a2b2) k = neg ? -1 : 1;
        else k = (1.442695040888963387 * x + (neg ? -0.5 : 0.5)) | 0;
        hi = x - k * 6.9314718036912381649e-1;
        lo = k * 1.90821492927058770002e-10;
        r = hi - lo;
      } else if (hx < 0x3e300000) {
        o[i] = 1 + x; // |x| < 2^-28
        continue;
      }
      const t = r * r;
      const c =
        r -
        t *
          (1.66666666666666019037e-1 +
            t *
              (-2.77777777770155933842e-3 +
                t *
                  (6.61375632143793436117e-5 +
                    t * (-1.6533902205465251539e-6 + t * 4.13813679705723846039e-8))));
      if (k === 0) {
        o[i] = 1 - ((r * c) / (c - 2) - r);
        continue;
      }
      const y = 1 - (lo - (r * c) / (2 - c) - hi);
      if (k >= -1021) {
        // y·2^k, exact
        o[i] = k === 1024 ? y * 2 * 8.98846567431157953865e307 : y * P2[k + 1074];
        continue;
      }
      o[i] = y * P2[k + 2074] * 9.3326361850321887899e-302; // subnormal result: one rounding, in the last multiply by 2^-1000
      continue;
    }
  }

  /** fdlibm s_expm1.c: same reduction; expm1(r) from a degree-5 minimax of r(e^r+1)/(e^r−1) plus a correction for the reduction error. */
  function expm1Into(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      F[0] = x;
      const sign = I[HI] < 0;
      const hx = I[HI] & 0x7fffffff;
      if (hx >= 0x4043687a) {
        // |x| ≥ 56·ln2
        if (x !== x) {
          o[i] = x;
          continue;
        }
        if (sign) {
          o[i] = -1;
          continue;
        }
        if (x > 7.09782712893383973096e2) {
          o[i] = Infinity;
          continue;
        }
      }
      let k = 0;
      let c = 0;
      let r = x;
      if (hx > 0x3fd62e42) {
        let hi = 0; // initialised: a phi with undefined would box the doubles
        let lo = 0;
        if (hx < 0x3ff0a2b2) {
          k = sign ? -1 : 1;
          hi = sign ? x + 6.9314718036912381649e-1 : x - 6.9314718036912381649e-1;
          lo = sign ? -1.90821492927058770002e-10 : 1.90821492927058770002e-10;
        } else {
          k = (1.442695040888963387 * x + (sign ? -0.5 : 0.5)) | 0;
          hi = x - k * 6.9314718036912381649e-1;
          lo = k * 1.90821492927058770002e-10;
        }
        r = hi - lo;
        c = hi - r - lo;
      } else if (hx < 0x3c900000) {
        o[i] = x; // |x| < 2^-54 (keeps −0 and subnormals)
        continue;
      }
      const hfx = 0.5 * r;
      const hxs = r * hfx;
      const r1 =
        1 +
        hxs *
          (-3.33333333333331316428e-2 +
            hxs *
              (1.58730158725481460165e-3 +
                hxs *
                  (-7.93650757867487942473e-5 +
                    hxs * (4.00821782732936239552e-6 + hxs * -2.01099218183624371326e-7))));
      const t = 3 - r1 * hfx;
      let e = hxs * ((r1 - t) / (6 - r * t));
      if (k === 0) {
        o[i] = r - (r * e - hxs);
        continue;
      }
      e = r * (e - c) - c;
      e -= hxs;
      if (k === -1) {
        o[i] = 0.5 * (r - e) - 0.5;
        continue;
      }
      if (k === 1) {
        if (r < -0.25) {
          o[i] = -2 * (e - (r + 0.5));
          continue;
        }
        o[i] = 1 + 2 * (r - e);
        continue;
      }
      if (k < 0 || k > 56) {
        let y = r - e + 1;
        if (k === 1024)
          y = y * 2 * 8.98846567431157953865e307; // 2^1023
        else y = y * P2[k + 1074];
        o[i] = y - 1;
        continue;
      }
      const twomk = P2[1074 - k];
      const y = k < 20 ? r - e + (1 - twomk) : r - (e + twomk) + 1;
      o[i] = y * P2[k + 1074];
      continue;
    }
  }

  /** fdlibm e_log.c: x = 2^k·(1+f), √2/2 < 1+f < √2; log(1+f) = f − s(f − R(s²)), s = f/(2+f), R a degree-14 minimax. */
  function logInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      F[0] = x;
      let hx = I[HI];
      let k = 0;
      let xs = x;
      if (hx < 0x00100000) {
        // x < 2^-1022: zero, negative, subnormal (or NaN with the sign bit)
        if (((hx & 0x7fffffff) | I[LO]) === 0) {
          o[i] = -Infinity;
          continue;
        }
        if (hx < 0) {
          o[i] = NaN;
          continue;
        }
        k -= 54;
        xs = x * 1.8014398509481984e16; // 2^54: subnormal scaled to normal
        F[0] = xs;
        hx = I[HI];
      }
      if (hx >= 0x7ff00000) {
        o[i] = x + x;
        continue;
      }
      const e = (hx >> 20) - 1023;
      hx &= 0x000fffff;
      const i0 = (hx + 0x95f64) & 0x100000;
      const ek = e + (i0 >> 20);
      k += ek;
      const f = xs * P2[1074 - ek] - 1; // the mantissa in [√2/2, √2) (fdlibm sets the exponent field)
      if ((0x000fffff & (2 + hx)) < 3) {
        // −2^-20 ≤ f < 2^-20
        if (f === 0) {
          o[i] = k === 0 ? 0 : k * 6.9314718036912381649e-1 + k * 1.90821492927058770002e-10;
          continue;
        }
        const R = f * f * (0.5 - 0.3333333333333333 * f);
        if (k === 0) {
          o[i] = f - R;
          continue;
        }
        o[i] = k * 6.9314718036912381649e-1 - (R - k * 1.90821492927058770002e-10 - f);
        continue;
      }
      const s = f / (2 + f);
      const z = s * s;
      const w = z * z;
      const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
      const t2 =
        z *
        (6.66666666666673513e-1 +
          w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
      const R = t2 + t1;
      // fdlibm's two final forms, picked without a branch (which one depends on the mantissa: a
      // coin flip the CPU mispredicts). Its k = 0 shortcuts are left out: with k·ln2 = 0 the
      // general forms give the same bits.
      const hfsq = 0.5 * f * f;
      const klo = k * 1.90821492927058770002e-10;
      W[1] = hfsq - (s * (hfsq + R) + klo);
      W[0] = s * (f - R) - klo;
      o[i] = k * 6.9314718036912381649e-1 - (W[-((hx - 0x6147a) | (0x6b851 - hx)) >>> 31] - f);
    }
  }

  /** fdlibm s_log1p.c: 1+x = 2^k·(1+f) with a correction c for the rounding of 1+x, then e_log's polynomial. */
  function log1pInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      F[0] = x;
      const hx = I[HI];
      const ax = hx & 0x7fffffff;
      let k = 1;
      let f = 0;
      let c = 0;
      let hu = 0;
      if (hx < 0x3fda827a) {
        // 1+x < √2
        if (ax >= 0x3ff00000) {
          // x ≤ −1 (or NaN with the sign bit)
          if (x === -1) {
            o[i] = -Infinity;
            continue;
          }
          o[i] = NaN;
          continue;
        }
        if (ax < 0x3e200000) {
          // |x| < 2^-29
          if (ax < 0x3c900000) {
            // keeps −0 and subnormals
            o[i] = x;
            continue;
          }
          o[i] = x - x * x * 0.5;
          continue;
        }
        if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
          // √2/2 ≤ 1+x < √2: f = x exactly
          k = 0;
          f = x;
          hu = 1;
        }
      }
      if (hx >= 0x7ff00000) {
        o[i] = x + x;
        continue;
      }
      if (k !== 0) {
        let u = 0;
        if (hx < 0x43400000) {
          u = 1 + x;
          F[0] = u;
          hu = I[HI];
          k = (hu >> 20) - 1023;
          c = k > 0 ? 1 - (u - x) : x - (u - 1); // the rounding error of 1+x
          c /= u;
        } else {
          u = x;
          F[0] = u;
          hu = I[HI];
          k = (hu >> 20) - 1023;
          c = 0;
        }
        hu &= 0x000fffff;
        if (hu >= 0x6a09e) {
          k += 1; // u/2 ~< √2
          hu = (0x00100000 - hu) >> 2;
        }
        f = u * P2[1074 - k] - 1; // u/2^k in [√2/2, √2) (fdlibm sets the exponent field)
      }
      const hfsq = 0.5 * f * f;
      if (hu === 0) {
        // |f| < 2^-20
        if (f === 0) {
          if (k === 0) {
            o[i] = 0;
            continue;
          }
          c += k * 1.90821492927058770002e-10;
          o[i] = k * 6.9314718036912381649e-1 + c;
          continue;
        }
        const R = hfsq * (1 - 0.6666666666666666 * f);
        if (k === 0) {
          o[i] = f - R;
          continue;
        }
        o[i] = k * 6.9314718036912381649e-1 - (R - (k * 1.90821492927058770002e-10 + c) - f);
        continue;
      }
      const s = f / (2 + f);
      const z = s * s;
      const R =
        z *
        (6.66666666666673513e-1 +
          z *
            (3.999999999940941908e-1 +
              z *
                (2.857142874366239149e-1 +
                  z *
                    (2.222219843214978396e-1 +
                      z *
                        (1.818357216161805012e-1 +
                          z * (1.531383769920937332e-1 + z * 1.479819860511658591e-1))))));
      if (k === 0) {
        o[i] = f - (hfsq - s * (hfsq + R));
        continue;
      }
      o[i] =
        k * 6.9314718036912381649e-1 - (hfsq - (s * (hfsq + R) + (k * 1.90821492927058770002e-10 + c)) - f);
      continue;
    }
  }

  // 2^{j/64} = TH[j] + TL[j] to 106 bits (from mpmath), for the double-double e^x below.
  const TH = new Float64Array([
    1.0, 1.0108892860517005, 1.0218971486541166, 1.0330248790212284, 1.0442737824274138, 1.0556451783605572,
    1.0671404006768237, 1.0787607977571199, 1.0905077326652577, 1.102382583307841, 1.1143867425958924,
    1.1265216186082418, 1.1387886347566916, 1.1511892299529827, 1.1637248587775775, 1.1763969916502812,
    1.189207115002721, 1.202156731452703, 1.215247359980469, 1.22848053610687, 1.241857812073484,
    1.255380757024691, 1.2690509571917332, 1.2828700160787783, 1.2968395546510096, 1.3109612115247644,
    1.3252366431597413, 1.339667524053303, 1.3542555469368927, 1.3690024229745905, 1.383909881963832,
    1.3989796725383112, 1.4142135623730951, 1.42961333839197, 1.4451808069770467, 1.460917794180647,
    1.4768261459394993, 1.4929077282912648, 1.5091644275934228, 1.5255981507445384, 1.5422108254079407,
    1.559004400237837, 1.5759808451078865, 1.593142151342267, 1.6104903319492543, 1.6280274218573478,
    1.645755478153965, 1.6636765803267364, 1.681792830507429, 1.7001063537185235, 1.718619298122478,
    1.7373338352737062, 1.7562521603732995, 1.7753764925265212, 1.7947090750031072, 1.8142521755003989,
    1.8340080864093424, 1.8539791250833855, 1.8741676341103, 1.8945759815869656, 1.9152065613971474,
    1.9360617934922943, 1.9571441241754002, 1.978456026387951,
  ]);
  const TL = new Float64Array([
    0.0, -1.5234778603368577e-17, 5.109225028973444e-17, 7.600838874027088e-18, 8.551889705537965e-17,
    1.759325738772092e-18, -7.899853966841582e-17, -6.656660436056593e-17, -3.046782079812471e-17,
    5.2660368715706944e-17, 1.0410278456845571e-16, 5.165856758795457e-17, 8.912812676025408e-17,
    3.250710218863827e-17, 3.8292048369240935e-17, 5.554203254218079e-17, 3.982015231465646e-17,
    6.644981499252301e-17, -7.712630692681488e-17, -1.89878163130253e-17, 4.658027591836937e-17,
    -6.7113898212968784e-18, 2.667932131342186e-18, 1.713594918243561e-17, 2.5382502794888315e-17,
    -7.181536135519454e-17, -2.8587312100388614e-17, 8.927282594831732e-17, 7.70094837980299e-17,
    9.593797919118849e-17, -6.770511658794786e-17, -9.614213209051323e-17, -9.667293313452913e-17,
    -1.2031642489053655e-17, -3.0237581349939873e-17, -5.600377186075216e-17, -3.483994556892796e-17,
    1.4192920154284036e-17, -1.016455327754295e-16, -1.1024941712342561e-16, 7.949834809697621e-17,
    3.7812070533575275e-17, -1.0136916471278304e-17, -1.0094406542311964e-16, 2.4707192569797888e-17,
    -6.712955084707084e-17, -1.0125679913674773e-16, 5.8909926967131e-17, 8.199010020581497e-17,
    -8.0237193703977e-18, -1.851380418263111e-17, 3.164389299292957e-17, 2.960140695448873e-17,
    6.429731796556572e-17, 1.8227458427912087e-17, -9.969531538920349e-17, 3.283107224245627e-17,
    9.761887490727594e-17, -6.122763413004143e-17, 3.4034035352165297e-17, -1.0619946056195963e-16,
    1.0332385960676326e-16, 8.960767791036668e-17, 4.0388753109278167e-17,
  ]);
  /**
   * sigmoid = (a + s·E)/(1 + E) with E = e^w, w = −|x|: 1/(1 + E) for x ≥ 0 and E/(1 + E) for
   * x < 0. The plain quotient with a rounded E adds E's rounding to the quotient's (the old
   * 1/(1+Math.exp(−x)) measured 2.06 ulp), so here E is carried in double-double (Tang's
   * table-driven method: w = (64m + j)·ln2/64 + r, |r| ≤ ln2/128, e^w = 2^m·2^{j/64}·e^r, e^r − 1
   * a degree-6 Taylor polynomial; ~2^-58 relative) and the quotient is corrected by its exact
   * residual (Dekker product), leaving one rounding. All in locals: values passed between
   * non-inlined functions would be boxed doubles.
   */
  function sigmoidInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      if (x !== x) {
        o[i] = x;
        continue;
      }
      const w = x >= 0 ? -x : x; // e^w, w ≤ 0
      // numerator na + ns·E
      const na = x < 0 ? 0 : 1;
      const ns = x < 0 ? 1 : 0;
      // E = eh + el = e^w
      let eh = 0;
      let el = 0;
      if (w >= -7.4513321910194110842e2) {
        const k = (w * 92.33248261689366 - 0.5) | 0; // round(w·64/ln2) for w ≤ 0
        // ln2/64 in two parts (fdlibm's ln2_hi/64 has 26 significant bits: k·it is exact)
        const hi = w - k * 1.083042469326756e-2;
        const lo = k * 2.9815858269852933e-12;
        const rh = hi - lo;
        const rl = hi - rh - lo;
        const r2 = rh * rh;
        const p = r2 * (0.5 + rh * (1 / 6) + r2 * (1 / 24 + rh * (1 / 120) + r2 * (1 / 720))); // truncation < 2^-65
        const sr = rh + (rl + p); // e^r − 1
        const j = k & 63;
        const m = k >> 6;
        const th = TH[j];
        const tl = TL[j];
        const u = th * sr + (tl + tl * sr);
        const h = th + u;
        const l = u - (h - th);
        if (m >= -1021) {
          eh = h * P2[m + 1074];
          el = l * P2[m + 1074];
        } else {
          // subnormal: one rounding, in the last multiply by 2^-1000 (the low part no longer matters)
          eh = (h + l) * P2[m + 2074] * 9.3326361850321887899e-302;
        }
      }
      // n = na + ns·E and d = 1 + E, each as a rounded head and its tail (two-sum)
      const bh = ns * eh;
      const nh = na + bh;
      const nt = na - (nh - (nh - na)) + (bh - (nh - na)) + ns * el;
      const dh = 1 + eh;
      const dt = 1 - (dh - (dh - 1)) + (eh - (dh - 1)) + el;
      // (nh + nt)/(dh + dt) = q + (nh − q·dh + nt − q·dt)/dh; the first residual is q's own
      // rounding (≤ 0.5 ulp, left in), the tails' correction is added: ≤ ~1 ulp in all
      const q = nh / dh;
      const res = q + (nt - q * dt) / dh;
      o[i] = res;
    }
  }
  /**
   * tanh, branch-light so that its f64x2 form (wasm/vmath.ts) computes both ranges cheaply:
   * |x| < 0.55: x + x·z·P(z), z = x², P a degree-9 fit of (tanh x/x − 1)/x² (weighted
   * least squares → Lawson iterations at 60 digits; its own error ≤ 0.17·2^-53 relative);
   * else tanh|x| = 1 − 2E/(1 + E), E = e^{−2|x|} (|x| clamped to 20, where tanh rounds to 1)
   * by k = round(w/ln2) with the 1.5·2^52 shifter (round-to-even in JS and wasm alike),
   * r = w − k·ln2 in two parts, e^r a degree-13 Taylor polynomial (truncation < 2^-57) and 2^k
   * from the table. ≤ ~1.4 ulp by analysis (E ≤ 1/3: 2E/(1+E) ≤ 1/2 carries ≤ ~1.75 ulp of its
   * own, half an ulp of the result, plus the final rounding); measured in docs/transcendentals.md.
   * Both ranges compute on |x| and the sign is put back at the end, so odd symmetry is exact.
   * NaN → NaN, ±0 and subnormals → themselves (|x| + |x|·0), ±∞ → ±1.
   */
  function tanhInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      const ax = x < 0 ? -x : x;
      let res: number;
      if (ax < 0.55) {
        // P(z) by Estrin's scheme (short dependency chains: the f64x2 form is latency-bound)
        const z = ax * ax;
        const z2 = z * z;
        const z4 = z2 * z2;
        const b0 = -3.333333333333235e-1 + z * 1.3333333333173714e-1;
        const b1 = -5.396825387836276e-2 + z * 2.186948602587388e-2;
        const b2 = -8.863195150206822e-3 + z * 3.591724634040584e-3;
        const b3 = -1.4532399902309327e-3 + z * 5.792028962603487e-4;
        const b4 = -2.1040561490239104e-4 + z * 5.109010656802332e-5;
        const p = b0 + z2 * b1 + z4 * (b2 + z2 * b3 + z4 * b4);
        res = ax + ax * (z * p); // on |x|: x + x·(z·p) would give tanh(−0) = +0
      } else {
        if (ax !== ax) {
          o[i] = x;
          continue;
        }
        const w = ax > 20 ? -40 : -2 * ax;
        const k = w * 1.4426950408889634 + 6755399441055744 - 6755399441055744; // round(w/ln2), ties to even
        const r = w - k * 6.9314718036912381649e-1 - k * 1.90821492927058770002e-10;
        // e^r = 1 + r + r²·Q(r), Q the Taylor coefficients 1/2! … 1/13! by Estrin's scheme
        const r2 = r * r;
        const r4 = r2 * r2;
        const c0 = 0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120));
        const c1 = 1 / 720 + r * (1 / 5040) + r2 * (1 / 40320 + r * (1 / 362880));
        const c2 = 1 / 3628800 + r * (1 / 39916800) + r2 * (1 / 479001600 + r * (1 / 6227020800));
        const e = (1 + (r + r2 * (c0 + r4 * (c1 + r4 * c2)))) * P2[k + 1074];
        res = 1 - (e + e) / (1 + e);
      }
      o[i] = x < 0 ? -res : x > 0 ? res : x; // ±0 → ±0
    }
  }

  // exp for erf's tail, through its own scratch word (erf's caller may be using S)
  const SX = new Float64Array(1);
  function expOf(v: number): number {
    SX[0] = v;
    expInto(SX, SX, 0, 1);
    return SX[0];
  }

  /** fdlibm s_erf.c: four ranges of rational minimax fits; the tail as exp(−z²−0.5625)·exp((z−x)(z+x)+R/S)/x with z = x cut to 26 bits. */
  function erfInto(a: FloatArray, o: FloatArray, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const x = a[i];
      F[0] = x;
      const hx = I[HI];
      const ix = hx & 0x7fffffff;
      if (ix >= 0x7ff00000) {
        // ±∞ → ±1, NaN → NaN
        o[i] = (hx < 0 ? -1 : 1) + 1 / x;
        continue;
      }
      if (ix < 0x3feb0000) {
        // |x| < 0.84375
        if (ix < 0x3e300000) {
          // |x| < 2^-28
          if (ix < 0x00800000) {
            o[i] = 0.125 * (8 * x + 1.02703333676410069053 * x);
            continue;
          }
          o[i] = x + 1.28379167095512586316e-1 * x;
          continue;
        }
        const z = x * x;
        const r =
          1.28379167095512558561e-1 +
          z *
            (-3.2504210724700149937e-1 +
              z *
                (-2.84817495755985104766e-2 +
                  z * (-5.77027029648944159157e-3 + z * -2.37630166566501626084e-5)));
        const s =
          1 +
          z *
            (3.97917223959155352819e-1 +
              z *
                (6.50222499887672944485e-2 +
                  z *
                    (5.08130628187576562776e-3 +
                      z * (1.32494738004321644526e-4 + z * -3.9602282787753681232e-6))));
        o[i] = x + x * (r / s);
        continue;
      }
      if (ix < 0x3ff40000) {
        // 0.84375 ≤ |x| < 1.25
        const s = (hx < 0 ? -x : x) - 1;
        const P =
          -2.36211856075265944077e-3 +
          s *
            (4.14856118683748331666e-1 +
              s *
                (-3.72207876035701323847e-1 +
                  s *
                    (3.18346619901161753674e-1 +
                      s *
                        (-1.10894694282396677476e-1 +
                          s * (3.54783043256182359371e-2 + s * -2.166375594868790843e-3)))));
        const Q =
          1 +
          s *
            (1.06420880400844228286e-1 +
              s *
                (5.40397917702171048937e-1 +
                  s *
                    (7.18286544141962662868e-2 +
                      s *
                        (1.26171219808761642112e-1 +
                          s * (1.36370839120290507362e-2 + s * 1.1984499846799107417e-2)))));
        o[i] = hx >= 0 ? 8.45062911510467529297e-1 + P / Q : -8.45062911510467529297e-1 - P / Q;
        continue;
      }
      if (ix >= 0x40180000) {
        // |x| ≥ 6: erf rounds to ±1
        o[i] = hx >= 0 ? 1 : -1;
        continue;
      }
      const ax = hx < 0 ? -x : x;
      const s = 1 / (ax * ax);
      let R = 0;
      let S = 0;
      if (ix < 0x4006db6e) {
        // |x| < 1/0.35
        R =
          -9.86494403484714822705e-3 +
          s *
            (-6.93858572707181764372e-1 +
              s *
                (-1.05586262253232909814e1 +
                  s *
                    (-6.23753324503260060396e1 +
                      s *
                        (-1.62396669462573470355e2 +
                          s *
                            (-1.84605092906711035994e2 +
                              s * (-8.12874355063065934246e1 + s * -9.81432934416914548592))))));
        S =
          1 +
          s *
            (1.96512716674392571292e1 +
              s *
                (1.376577541435190426e2 +
                  s *
                    (4.34565877475229228821e2 +
                      s *
                        (6.45387271733267880336e2 +
                          s *
                            (4.29008140027567833386e2 +
                              s *
                                (1.08635005541779435134e2 +
                                  s * (6.57024977031928170135 + s * -6.04244152148580987438e-2)))))));
      } else {
        R =
          -9.86494292470009928597e-3 +
          s *
            (-7.99283237680523006574e-1 +
              s *
                (-1.77579549177547519889e1 +
                  s *
                    (-1.60636384855821916062e2 +
                      s *
                        (-6.37566443368389627722e2 +
                          s * (-1.02509513161107724954e3 + s * -4.83519191608651397019e2)))));
        S =
          1 +
          s *
            (3.03380607434824582924e1 +
              s *
                (3.25792512996573918826e2 +
                  s *
                    (1.53672958608443695994e3 +
                      s *
                        (3.19985821950859553908e3 +
                          s *
                            (2.55305040643316442583e3 +
                              s * (4.74528541206955367215e2 + s * -2.24409524465858183362e1))))));
      }
      // z: |x| cut to 26 significant bits (Veltkamp split; fdlibm clears the low word) so z·z is exact
      const zc = 134217729 * ax;
      const z = zc - (zc - ax);
      const r = expOf(-z * z - 0.5625) * expOf((z - ax) * (z + ax) + R / S);
      o[i] = hx >= 0 ? 1 - r / ax : r / ax - 1;
      continue;
    }
  }

  // Scalar forms: one element through the same loop, so scalar and array results are the same bits.
  const S = new Float64Array(1);
  const scalar =
    (into: (a: FloatArray, o: FloatArray, start: number, end: number) => void) =>
    (x: number): number => {
      S[0] = x;
      into(S, S, 0, 1);
      return S[0];
    };
  return {
    exp: scalar(expInto),
    expm1: scalar(expm1Into),
    log: scalar(logInto),
    log1p: scalar(log1pInto),
    tanh: scalar(tanhInto),
    sigmoid: scalar(sigmoidInto),
    erf: scalar(erfInto),
    expInto,
    expm1Into,
    logInto,
    log1pInto,
    tanhInto,
    sigmoidInto,
    erfInto,
    exp2Table: { head: TH, tail: TL },
  };
}
