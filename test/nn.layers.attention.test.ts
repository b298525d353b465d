/**
 * Attention (Luong dot-product / concat) and MultiHeadAttention, each against a naive per-sample
 * (and, for MHA, per-head) implementation written here with plain loops, with masks (value, query,
 * key, attention, causal), returned scores, attention axes, and checkGrads to second order.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  initializers,
  Input,
  layers,
  Model,
  random,
  resetNames,
  ShapeError,
  Tensor,
  ValueError,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";

beforeEach(() => resetNames());

type M3 = number[][][];
const nested = (x: Tensor) => x.toArray() as M3;
const F = (xs: number[], shape: number[]) => array(Float64Array.from(xs), { shape });

/** softmax over the entries where keep[i] is true; 0 elsewhere (all zero if none is kept). */
function maskedSoftmax(s: number[], keep: boolean[]): number[] {
  const idx = s.map((_, i) => i).filter((i) => keep[i]);
  if (idx.length === 0) return s.map(() => 0);
  const m = Math.max(...idx.map((i) => s[i]));
  const e = s.map((v, i) => (keep[i] ? Math.exp(v - m) : 0));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

describe("Attention", () => {
  /** Naive Luong attention for one batch: scores, masked softmax, weighted values, query mask. */
  function naive(
    q: M3,
    v: M3,
    k: M3,
    opts: { scale?: number; concat?: number; vMask?: boolean[][]; qMask?: boolean[][]; causal?: boolean },
  ): { out: number[]; weights: number[] } {
    const out: number[] = [];
    const weights: number[] = [];
    q.forEach((qs, b) =>
      qs.forEach((qi, i) => {
        const s = k[b].map((kj) =>
          opts.concat !== undefined
            ? opts.concat * qi.reduce((acc, qv, d) => acc + Math.tanh((opts.scale ?? 1) * (qv + kj[d])), 0)
            : (opts.scale ?? 1) * qi.reduce((acc, qv, d) => acc + qv * kj[d], 0),
        );
        const keep = s.map((_, j) => (opts.vMask?.[b][j] ?? true) && (!opts.causal || j <= i));
        const p = maskedSoftmax(s, keep);
        weights.push(...p);
        const qOn = opts.qMask?.[b][i] ?? true;
        for (let d = 0; d < v[b][0].length; d++)
          out.push(qOn ? p.reduce((acc, pj, j) => acc + pj * v[b][j][d], 0) : 0);
      }),
    );
    return { out, weights };
  }

  const q = random.normal([2, 3, 4], { seed: 1 });
  const v = random.normal([2, 5, 4], { seed: 2 });
  const k = random.normal([2, 5, 4], { seed: 3 });

  it("dot scores with a learned scale, value and key given separately (naive loop)", () => {
    const att = new layers.Attention({ useScale: true });
    att.call([q, v, k]);
    expect(att.weights.map((w) => [w.name, w.shape])).toEqual([["scale", []]]);
    att.setWeights([0.7]);
    const [out, w] = att.call([q, v, k], { returnAttentionScores: true });
    const want = naive(nested(q), nested(v), nested(k), { scale: 0.7 });
    assertAllclose(out, F(want.out, [2, 3, 4]), { rtol: 1e-13 });
    assertAllclose(w, F(want.weights, [2, 3, 5]), { rtol: 1e-13 });
    expect(
      att.computeOutputShape([
        [null, 3, 4],
        [null, 5, 6],
        [null, 5, 4],
      ]),
    ).toEqual([null, 3, 6]);
  });

  it("concat scores: Σ tanh(scale·(q + k)) · concat_score_weight (naive loop)", () => {
    const att = new layers.Attention({ scoreMode: "concat", useScale: true });
    att.call([q, v]);
    expect(att.weights.map((w) => w.name)).toEqual(["scale", "concat_score_weight"]);
    att.setWeights([0.5, 1.3]);
    const want = naive(nested(q), nested(v), nested(v), { scale: 0.5, concat: 1.3 });
    assertAllclose(att.call([q, v]), F(want.out, [2, 3, 4]), { rtol: 1e-13 });
  });

  it("value and query masks and the causal mask (naive loop)", () => {
    const att = new layers.Attention();
    const vMask = [
      [true, false, true, true, false],
      [false, true, true, true, true],
    ];
    const qMask = [
      [true, true, false],
      [true, false, true],
    ];
    const mask = [array(qMask), array(vMask)];
    const want = naive(nested(q), nested(v), nested(v), { vMask, qMask });
    assertAllclose(att.call([q, v], { mask }), F(want.out, [2, 3, 4]), { rtol: 1e-12, atol: 1e-15 });
    const qq = random.normal([1, 4, 3], { seed: 4 });
    const causal = naive(nested(qq), nested(qq), nested(qq), { causal: true });
    assertAllclose(att.call([qq, qq], { useCausalMask: true }), F(causal.out, [1, 4, 3]), { rtol: 1e-12 });
    assertAllclose(new layers.Attention({ causal: true }).call([qq, qq]), F(causal.out, [1, 4, 3]), {
      rtol: 1e-12,
    });
    expect(att.computeMask([q, v], mask)?.toArray()).toEqual(qMask);
  });

  it("takes Keras masks from earlier layers in a functional model", () => {
    const x = Input({ shape: [4, 2] });
    const m = new layers.Masking().apply(x);
    const model = new Model({ inputs: x, outputs: new layers.Attention().apply([m, m]) });
    const xv = array([
      [
        [1, 2],
        [0, 0],
        [3, -1],
        [0.5, 0.5],
      ],
    ]);
    const keep = [[true, false, true, true]];
    const want = naive(nested(xv), nested(xv), nested(xv), { vMask: keep, qMask: keep });
    assertAllclose(model.call(xv), F(want.out, [1, 4, 2]), { rtol: 1e-12, atol: 1e-15 });
  });

  it("checks its inputs and is differentiable to second order", () => {
    const att = new layers.Attention({ useScale: true, name: "att" });
    expect(() => att.call([q])).toThrow(ValueError);
    expect(() => att.call([q, random.normal([2, 5, 3])])).toThrow(
      /Attention 'att': query and key must have the same last dim/,
    );
    expect(() => new layers.Attention({ scoreMode: "additive" as "dot" })).toThrow(ValueError);
    const mask = [
      null,
      array([
        [true, true, false, true, true],
        [true, true, true, true, false],
      ]),
    ];
    checkGrads((a: Tensor, b: Tensor) => att.call([a, b], { mask }), [q, v], { order: 2 });
  });
});

describe("MultiHeadAttention", () => {
  const B = 2;
  const T = 3;
  const S = 4;
  const E = 5;
  const Ev = 6;

  interface Weights {
    Wq: number[];
    bq: number[];
    Wk: number[];
    bk: number[];
    Wv: number[];
    bv: number[];
    Wo: number[];
    bo: number[];
  }

  /**
   * Multi-head attention written out per batch row, head and position: projections by loops over
   * the kernels `[E, N, H]`, scaled dot products, a softmax over the allowed keys, the weighted
   * sum of values and the output projection `[N, Hv, O]`.
   */
  function naiveMHA(
    query: M3,
    value: M3,
    key: M3,
    w: Weights,
    d: { N: number; H: number; Hv: number; O: number },
    allowed: (b: number, i: number, j: number) => boolean,
    fullyMasked: "zero" | "uniform",
  ): { out: number[]; probs: number[] } {
    const proj = (x: number[], W: number[], bias: number[], h: number, width: number) =>
      Array.from({ length: width }, (_, c) => {
        let s = bias[h * width + c];
        x.forEach((xv, e) => (s += xv * W[(e * d.N + h) * width + c]));
        return s;
      });
    const out: number[] = [];
    const probs: number[] = new Array<number>(query.length * d.N * query[0].length * key[0].length);
    query.forEach((qb, b) => {
      const ctx = qb.map(() => Array.from({ length: d.N }, () => new Array<number>(d.Hv).fill(0)));
      for (let h = 0; h < d.N; h++) {
        const Q = qb.map((x) => proj(x, w.Wq, w.bq, h, d.H));
        const K = key[b].map((x) => proj(x, w.Wk, w.bk, h, d.H));
        const V = value[b].map((x) => proj(x, w.Wv, w.bv, h, d.Hv));
        Q.forEach((qi, i) => {
          const s = K.map((kj) => qi.reduce((a, v, c) => a + v * kj[c], 0) / Math.sqrt(d.H));
          const keep = K.map((_, j) => allowed(b, i, j));
          const none = !keep.some(Boolean);
          const p = none && fullyMasked === "uniform" ? s.map(() => 1 / s.length) : maskedSoftmax(s, keep);
          p.forEach((pj, j) => (probs[((b * d.N + h) * qb.length + i) * K.length + j] = pj));
          for (let c = 0; c < d.Hv; c++) ctx[i][h][c] = p.reduce((a, pj, j) => a + pj * V[j][c], 0);
        });
      }
      ctx.forEach((ci) => {
        for (let o = 0; o < d.O; o++) {
          let s = w.bo[o];
          for (let h = 0; h < d.N; h++)
            for (let c = 0; c < d.Hv; c++) s += ci[h][c] * w.Wo[(h * d.Hv + c) * d.O + o];
          out.push(s);
        }
      });
    });
    return { out, probs };
  }

  const query = random.normal([B, T, E], { seed: 10 });
  const value = random.normal([B, S, Ev], { seed: 11 });
  const key = random.normal([B, S, 3], { seed: 12 });
  const dims = { N: 2, H: 3, Hv: 4, O: 7 };

  function makeMHA(extra: Partial<ConstructorParameters<typeof layers.MultiHeadAttention>[0]> = {}) {
    const mha = new layers.MultiHeadAttention({
      numHeads: 2,
      keyDim: 3,
      valueDim: 4,
      outputShape: 7,
      kernelInitializer: initializers.randomNormal({ stddev: 0.5, seed: 13 }),
      biasInitializer: initializers.randomNormal({ stddev: 0.5, seed: 14 }),
      ...extra,
    });
    mha.call([query, value, key]);
    // Distinct random weights for every kernel and bias (the seeded initializers repeat).
    mha.setWeights(mha.weights.map((w, i) => random.normal(w.shape, { seed: 100 + i })));
    const [Wq, bq, Wk, bk, Wv, bv, Wo, bo] = mha.getWeights().map((x) => Array.from(x.data()));
    return { mha, w: { Wq, bq, Wk, bk, Wv, bv, Wo, bo } };
  }

  it("builds EinsumDense sublayers query, key, value, attention_output with Keras's weights", () => {
    const { mha } = makeMHA();
    expect(mha.weights.map((w) => `${w.path}:${w.shape.join("x")}`)).toEqual([
      "query/kernel:5x2x3",
      "query/bias:2x3",
      "key/kernel:3x2x3",
      "key/bias:2x3",
      "value/kernel:6x2x4",
      "value/bias:2x4",
      "attention_output/kernel:2x4x7",
      "attention_output/bias:7",
    ]);
    expect(mha.subLayers.map((l) => [l.className, (l as layers.EinsumDense).equation])).toEqual([
      ["EinsumDense", "abc,cde->abde"],
      ["EinsumDense", "abc,cde->abde"],
      ["EinsumDense", "abc,cde->abde"],
      ["EinsumDense", "abcd,cde->abe"],
    ]);
    const noBias = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, useBias: false });
    noBias.call([query, query]);
    expect(noBias.weights.map((w) => w.path)).toEqual([
      "query/kernel",
      "key/kernel",
      "value/kernel",
      "attention_output/kernel",
    ]);
  });

  it("matches a naive per-head implementation, and returns the per-head scores", () => {
    const { mha, w } = makeMHA();
    const want = naiveMHA(nested(query), nested(value), nested(key), w, dims, () => true, "zero");
    const [out, scores] = mha.call([query, value, key], { returnAttentionScores: true });
    assertAllclose(out, F(want.out, [B, T, 7]), { rtol: 1e-11 });
    assertAllclose(scores, F(want.probs, [B, 2, T, S]), { rtol: 1e-11 });
    assertAllclose(mha.call([query, value, key]), out, { rtol: 1e-13 });
  });

  it("merges the attention mask, the Keras masks of query/value/key and the causal mask (AND)", () => {
    const { mha, w } = makeMHA();
    const am = [
      [
        [true, true, false, true],
        [true, true, true, true],
        [false, true, true, true],
      ],
      [
        [true, false, true, true],
        [true, true, true, false],
        [true, true, true, true],
      ],
    ];
    const vMask = [
      [true, true, true, false],
      [true, true, false, true],
    ];
    const kMask = [
      [true, false, true, true],
      [true, true, true, true],
    ];
    const allowed = (b: number, i: number, j: number) => am[b][i][j] && vMask[b][j] && kMask[b][j] && j <= i;
    const want = naiveMHA(nested(query), nested(value), nested(key), w, dims, allowed, "uniform");
    const got = mha.call([query, value, key], {
      attentionMask: array(am),
      mask: [null, array(vMask), array(kMask)],
      useCausalMask: true,
    });
    assertAllclose(got, F(want.out, [B, T, 7]), { rtol: 1e-11 });
  });

  it("fully masked query rows: uniform on the fused path, zero weights when scores are returned (Keras 3)", () => {
    const { mha, w } = makeMHA();
    const qMask = [
      [true, false, true],
      [true, true, true],
    ];
    const allowed = (b: number, i: number) => qMask[b][i];
    const mask = [array(qMask), null, null];
    const fused = naiveMHA(nested(query), nested(value), nested(key), w, dims, allowed, "uniform");
    assertAllclose(mha.call([query, value, key], { mask }), F(fused.out, [B, T, 7]), { rtol: 1e-11 });
    const explicit = naiveMHA(nested(query), nested(value), nested(key), w, dims, allowed, "zero");
    const [out, scores] = mha.call([query, value, key], { mask, returnAttentionScores: true });
    assertAllclose(out, F(explicit.out, [B, T, 7]), { rtol: 1e-11 });
    assertAllclose(scores, F(explicit.probs, [B, 2, T, S]), { rtol: 1e-11, atol: 1e-300 });
    expect(mha.computeMask([query, value, key], mask)?.toArray()).toEqual(qMask);
  });

  it("attention over axis 2 of rank-4 inputs is attention within each slice of axis 1", () => {
    const x4 = random.normal([2, 3, 4, 5], { seed: 20 });
    const mha4 = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [2] });
    const mha3 = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    mha4.call([x4, x4]);
    const slice = (a: number) => x4.slice([null, a]);
    mha3.call([slice(0), slice(0)]);
    expect(mha4.weights.map((w) => w.shape)).toEqual(mha3.weights.map((w) => w.shape));
    mha3.setWeights(mha4.getWeights());
    const y4 = mha4.call([x4, x4]);
    expect(y4.shape).toEqual([2, 3, 4, 5]);
    for (const a of [0, 1, 2])
      assertAllclose(y4.slice([null, a]), mha3.call([slice(a), slice(a)]), { rtol: 1e-12 });
  });

  it("runs in a functional model with named inputs carrying the attention mask", () => {
    const qIn = Input({ shape: [T, E], name: "q" });
    const vIn = Input({ shape: [S, Ev], name: "v" });
    const mIn = Input({ shape: [T, S], name: "m", dtype: "bool" });
    const mha = new layers.MultiHeadAttention({
      numHeads: 2,
      keyDim: 3,
      valueDim: 4,
      outputShape: 7,
      name: "mha",
    });
    const y = mha.apply({ query: qIn, value: vIn, attentionMask: mIn });
    expect(y.shape).toEqual([null, T, 7]);
    const model = new Model({ inputs: [qIn, vIn, mIn], outputs: y });
    model.setWeights(model.weights.map((w, i) => random.normal(w.shape, { seed: 300 + i })));
    const [Wq, bq, Wk, bk, Wv, bv, Wo, bo] = mha.getWeights().map((x) => Array.from(x.data()));
    const am = random.uniform([B, T, S], { seed: 21 }).greater(0.3);
    const A = am.toArray() as boolean[][][];
    const w = { Wq, bq, Wk, bk, Wv, bv, Wo, bo };
    const want = naiveMHA(
      nested(query),
      nested(value),
      nested(value),
      w,
      dims,
      (b, i, j) => A[b][i][j],
      "uniform",
    );
    assertAllclose(model.call([query, value, am]), F(want.out, [B, T, 7]), { rtol: 1e-11 });
    // Built with key = value (width 6): a key of another width does not fit the key kernel.
    expect(() => mha.call([query, value, key])).toThrow(ShapeError);
    expect(() => mha.call([query, value, key])).toThrow(/EinsumDense 'key'/);
    expect(() => mha.call({ query, values: value } as never)).toThrow(
      /MultiHeadAttention 'mha': named inputs/,
    );
  });

  it("is differentiable to second order in query and value (causal, masked)", () => {
    const mha = new layers.MultiHeadAttention({
      numHeads: 2,
      keyDim: 2,
      kernelInitializer: initializers.randomNormal({ stddev: 0.6, seed: 30 }),
    });
    const x = random.normal([1, 3, 4], { seed: 31 });
    const y = random.normal([1, 3, 4], { seed: 32 });
    mha.call([x, y]);
    mha.setWeights(mha.weights.map((w, i) => random.normal(w.shape, { seed: 200 + i, std: 0.6 })));
    const mask = [null, array([[true, false, true]])];
    checkGrads((a: Tensor, b: Tensor) => mha.call([a, b], { useCausalMask: true, mask }), [x, y], {
      order: 2,
    });
  });
});
