/**
 * Core and structural layers: EinsumDense, the inference-identity layers (Dropout family, noise,
 * Identity), Flatten, Reshape, Permute, RepeatVector, Masking and Embedding — each against a
 * hand computation or a naive loop, against the keras-js goldens where they exist, and through
 * checkGrads to second order (the structural layers are linear, so their second derivatives are
 * zero and the second-order check is cheap).
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  concatenate,
  Input,
  initializers,
  layers,
  Model,
  random,
  resetNames,
  Sequential,
  ShapeError,
  Tensor,
  ValueError,
  zeros,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { expectGolden, golden } from "./helpers/kerasjsGolden.js";

beforeEach(() => resetNames());

const data = (x: Tensor) => Array.from(x.data());

/** A Dense layer with given weights, built for `inDim` inputs. */
function dense(W: Tensor, b: Tensor, activation: string | null = null): layers.Dense {
  const d = new layers.Dense({ units: W.shape[1], activation });
  d.call(zeros([1, W.shape[0]]));
  d.setWeights([W, b]);
  return d;
}

describe("EinsumDense", () => {
  it("'ab,bc->ac' with bias 'c' is a dense layer (naive loop)", () => {
    const layer = new layers.EinsumDense({ equation: "ab,bc->ac", outputShape: 3, biasAxes: "c" });
    const x = random.normal([4, 2], { seed: 1 });
    const y = layer.call(x);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [2, 3]],
      ["bias", [3]],
    ]);
    const [K, b] = layer.getWeights().map(data);
    const X = data(x);
    const want: number[] = [];
    for (let i = 0; i < 4; i++)
      for (let c = 0; c < 3; c++) {
        let s = b[c];
        for (let k = 0; k < 2; k++) s += X[i * 2 + k] * K[k * 3 + c];
        want.push(s);
      }
    assertAllclose(y, array(Float64Array.from(want), { shape: [4, 3] }), { rtol: 1e-14 });
    expect(layer.computeOutputShape([null, 2])).toEqual([null, 3]);
  });

  it("'abc,cde->abde' (the MHA projection) with a 2-D bias, against a loop", () => {
    const layer = new layers.EinsumDense({
      equation: "abc,cde->abde",
      outputShape: [null, 2, 3],
      biasAxes: "de",
      biasInitializer: initializers.randomNormal({ seed: 5 }),
    });
    const x = random.normal([2, 4, 5], { seed: 2 });
    const y = layer.call(x);
    expect(y.shape).toEqual([2, 4, 2, 3]);
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [5, 2, 3],
      [2, 3],
    ]);
    expect(layer.fullOutputShape).toEqual([null, 4, 2, 3]);
    const [K, b] = layer.getWeights().map(data);
    const X = data(x);
    const Y = data(y);
    for (let a = 0; a < 2; a++)
      for (let s = 0; s < 4; s++)
        for (let d = 0; d < 2; d++)
          for (let e = 0; e < 3; e++) {
            let v = b[d * 3 + e];
            for (let c = 0; c < 5; c++) v += X[(a * 4 + s) * 5 + c] * K[(c * 2 + d) * 3 + e];
            expect(Y[((a * 4 + s) * 2 + d) * 3 + e]).toBeCloseTo(v, 12);
          }
  });

  it("handles left ('...b,bc->...c') and right ('ab...,bc->ac...') ellipses", () => {
    const left = new layers.EinsumDense({ equation: "...b,bc->...c", outputShape: 2, biasAxes: "c" });
    const x = random.normal([2, 3, 4, 5], { seed: 3 });
    const y = left.call(x);
    expect(y.shape).toEqual([2, 3, 4, 2]);
    assertAllclose(y, x.matmul(left.kernel.value).add(left.bias!.value), { rtol: 1e-13 });
    expect(left.computeOutputShape([null, 3, 4, 5])).toEqual([null, 3, 4, 2]);

    const right = new layers.EinsumDense({
      equation: "ab...,bc->ac...",
      outputShape: 2,
      biasAxes: "c",
      biasInitializer: initializers.constant(0.5),
    });
    const z = random.normal([2, 3, 4], { seed: 4 });
    const w = right.call(z);
    expect(w.shape).toEqual([2, 2, 4]);
    expect(right.bias!.shape).toEqual([2, 1]);
    // out[a, c, e] = Σ_b z[a, b, e] K[b, c] + 0.5
    const want = z.transpose([0, 2, 1]).matmul(right.kernel.value).transpose([0, 2, 1]).add(0.5);
    assertAllclose(w, want, { rtol: 1e-13 });
  });

  it("rejects bad equations and mismatched inputs, naming the layer", () => {
    expect(() => new layers.EinsumDense({ equation: "ab,bc", outputShape: 2 })).toThrow(ValueError);
    expect(
      () => new layers.EinsumDense({ equation: "ab,bc->ac", outputShape: 2, biasAxes: "z", name: "ed" }),
    ).toThrow(/EinsumDense 'ed': bias axis 'z' is not part of the output subscripts 'ac'/);
    const l = new layers.EinsumDense({ equation: "ab,bc->ac", outputShape: 2, name: "proj" });
    l.call(zeros([1, 3]));
    expect(() => l.call(zeros([1, 4]))).toThrow(ShapeError);
    expect(() => l.call(zeros([1, 4]))).toThrow(/EinsumDense 'proj'.*kernel \[4, 2\].*\[3, 2\]/);
    expect(() =>
      new layers.EinsumDense({ equation: "ab,bc->ac", outputShape: 2 }).call(zeros([1, 2, 3])),
    ).toThrow(/expects inputs of rank 2, got shape \[None, 2, 3\]/);
  });

  it("is differentiable to second order (tanh activation)", () => {
    const l = new layers.EinsumDense({
      equation: "abc,cd->abd",
      outputShape: [null, 3],
      biasAxes: "d",
      activation: "tanh",
    });
    checkGrads((x: Tensor) => l.call(x), [random.normal([2, 2, 4], { seed: 6 })], { order: 2 });
  });
});

describe("identity at inference: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout, Identity", () => {
  const cases: [
    layers.Dropout | layers.SpatialDropout1D | layers.Identity | layers.GaussianNoise,
    number[],
  ][] = [
    [new layers.Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 3 }), [2, 3]],
    [new layers.SpatialDropout1D({ rate: 0.3 }), [2, 4, 3]],
    [new layers.SpatialDropout2D({ rate: 0.3, dataFormat: "channels_first" }), [2, 3, 2, 2]],
    [new layers.SpatialDropout3D({ rate: 0.3 }), [1, 2, 2, 2, 3]],
    [new layers.GaussianNoise({ stddev: 0.5 }), [2, 3]],
    [new layers.GaussianDropout({ rate: 0.2 }), [2, 3]],
    [new layers.AlphaDropout({ rate: 0.1 }), [2, 3]],
    [new layers.Identity(), [2, 3]],
  ];
  for (const [layer, shape] of cases)
    it(`${layer.className} returns its input (training or not), passes masks and derivatives`, () => {
      const x = random.normal(shape, { seed: 7 });
      expect(data(layer.call(x))).toEqual(data(x));
      expect(data(layer.call(x, { training: true }))).toEqual(data(x));
      const m = array([[true, false]]);
      expect(layer.computeMask(x, m)).toBe(m);
      expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...shape.slice(1)]);
      checkGrads((v: Tensor) => layer.call(v).sin(), [x], { order: 2 });
    });

  it("keeps Keras options in the config and checks them", () => {
    expect(
      new layers.Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 3, name: "d" }).getConfig(),
    ).toMatchObject({
      name: "d",
      rate: 0.5,
      noiseShape: [null, 1],
      seed: 3,
    });
    expect(
      new layers.SpatialDropout2D({ rate: 0.1, dataFormat: "channelsFirst" }).getConfig().dataFormat,
    ).toBe("channels_first");
    expect(() => new layers.Dropout({ rate: 1.5 })).toThrow(ValueError);
    expect(() => new layers.GaussianNoise({ stddev: -1 })).toThrow(ValueError);
    expect(() => new layers.SpatialDropout2D({ rate: 0.1, name: "sd" }).call(zeros([2, 3, 4]))).toThrow(
      /SpatialDropout2D 'sd': expected input of rank 4, got shape \[None, 3, 4\]/,
    );
  });

  it("keras-js: Dense → Dropout / GaussianNoise / GaussianDropout pass through", () => {
    for (const [key, make] of [
      ["core.Dropout.0", () => new layers.Dropout({ rate: 0.5 })],
      ["noise.GaussianNoise.0", () => new layers.GaussianNoise({ stddev: 0.5 })],
      ["noise.GaussianDropout.0", () => new layers.GaussianDropout({ rate: 0.5 })],
    ] as const) {
      const g = golden(key);
      const m = new Sequential([dense(g.weights[0], g.weights[1]), make()]);
      expectGolden(m.call(g.inputs[0]), g.expected);
    }
  });
});

describe("Flatten, Reshape, Permute, RepeatVector", () => {
  it("Flatten: channels_last keeps order, channels_first moves channels last first; [N] → [N, 1]", () => {
    const x = random.normal([2, 3, 4, 5], { seed: 8 });
    assertAllclose(new layers.Flatten().call(x), x.reshape([2, 60]), { rtol: 0 });
    const cf = new layers.Flatten({ dataFormat: "channels_first" }).call(x);
    assertAllclose(cf, x.transpose([0, 2, 3, 1]).reshape([2, 60]), { rtol: 0 });
    // element [n, c=1, h=2, w=3] lands at (h·5 + w)·3 + c
    expect(cf.slice([0]).data()[(2 * 5 + 3) * 3 + 1]).toBe(x.slice([0, 1, 2, 3]).item());
    expect(new layers.Flatten().call(array([1, 2])).shape).toEqual([2, 1]);
    expect(new layers.Flatten().computeOutputShape([null, 3, null])).toEqual([null, null]);
    expect(new layers.Flatten().computeOutputShape([null, 3, 4])).toEqual([null, 12]);
    checkGrads(
      (v: Tensor) => new layers.Flatten({ dataFormat: "channels_first" }).call(v).square(),
      [x.slice([[0, 1]])],
      {
        order: 2,
      },
    );
  });

  it("keras-js Flatten / Reshape / Permute / RepeatVector goldens", () => {
    const cases: [string, () => layers.Flatten | layers.Reshape | layers.Permute | layers.RepeatVector][] = [
      ["core.Flatten.0", () => new layers.Flatten()],
      ["core.Flatten.1", () => new layers.Flatten()],
      ["core.Flatten.2", () => new layers.Flatten()],
      ["core.Reshape.0", () => new layers.Reshape({ targetShape: [2, 3] })],
      ["core.Reshape.1", () => new layers.Reshape({ targetShape: [6] })],
      ["core.Reshape.2", () => new layers.Reshape({ targetShape: [4, 3] })],
      ["core.Permute.0", () => new layers.Permute({ dims: [2, 1] })],
      ["core.Permute.1", () => new layers.Permute({ dims: [3, 2, 1] })],
      ["core.Permute.2", () => new layers.Permute({ dims: [2, 1, 3] })],
      ["core.Permute.3", () => new layers.Permute({ dims: [3, 1, 2, 4] })],
      ["core.RepeatVector.0", () => new layers.RepeatVector({ n: 7 })],
    ];
    for (const [key, make] of cases) {
      const g = golden(key);
      // Flatten.0 is a 1-D sample: Keras's Flatten of (None, 6) is (None, 6).
      expectGolden(make().call(g.inputs[0]), g.expected);
    }
  });

  it("Reshape infers -1 and names the layer on a bad size", () => {
    const r = new layers.Reshape({ targetShape: [-1, 2], name: "rs" });
    expect(r.call(zeros([5, 3, 4])).shape).toEqual([5, 6, 2]);
    expect(r.computeOutputShape([null, 3, 4])).toEqual([null, 6, 2]);
    expect(r.computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    expect(() => r.call(zeros([2, 5]))).toThrow(/Reshape 'rs': cannot reshape input of shape \[2, 5\]/);
    expect(() => new layers.Reshape({ targetShape: [-1, -1] })).toThrow(ValueError);
    const x = random.normal([2, 6], { seed: 9 });
    assertAllclose(new layers.Reshape({ targetShape: [3, 2] }).call(x), x.reshape([2, 3, 2]), { rtol: 0 });
  });

  it("Permute is 1-based and checks dims and rank", () => {
    const x = random.normal([2, 3, 4, 5], { seed: 10 });
    const p = new layers.Permute({ dims: [3, 1, 2] });
    assertAllclose(p.call(x), x.transpose([0, 3, 1, 2]), { rtol: 0 });
    expect(p.computeOutputShape([null, 3, 4, 5])).toEqual([null, 5, 3, 4]);
    expect(() => new layers.Permute({ dims: [0, 1] })).toThrow(/permutation of 1\.\.2/);
    expect(() => p.call(zeros([2, 3]))).toThrow(ShapeError);
    checkGrads((v: Tensor) => p.call(v).mul(v.transpose([0, 3, 1, 2])), [x.slice([[0, 1]])], { order: 2 });
  });

  it("RepeatVector repeats each sample and needs rank 2", () => {
    const x = array([
      [1, 2],
      [3, 4],
    ]);
    const r = new layers.RepeatVector({ n: 3 });
    expect(r.call(x).toArray()).toEqual([
      [
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
        [3, 4],
      ],
    ]);
    expect(() => r.call(zeros([1, 2, 3]))).toThrow(/RepeatVector 'repeat_vector': expected input of rank 2/);
    checkGrads(
      (v: Tensor) =>
        r
          .call(v)
          .square()
          .mul(array([1, 2, 3]).reshape([1, 3, 1])),
      [x],
      { order: 2 },
    );
  });
});

describe("Masking", () => {
  it("zeroes steps whose features all equal maskValue and emits any(x != maskValue, -1)", () => {
    const x = array([
      [
        [1, 2],
        [-1, -1],
        [-1, 3],
      ],
    ]);
    const m = new layers.Masking({ maskValue: -1 });
    assertAllclose(
      m.call(x),
      array([
        [
          [1, 2],
          [0, 0],
          [-1, 3],
        ],
      ]),
      { rtol: 0, atol: 0 },
    );
    expect(m.computeMask(x, null)?.toArray()).toEqual([[true, false, true]]);
    expect(m.getConfig().maskValue).toBe(-1);
    // The mask is a step function of x: differentiate with the masked step held fixed.
    const masked = array([[[-1, -1]]]);
    const f = (v: Tensor) => m.call(concatenate([v, masked], 1)).square();
    checkGrads(
      f,
      [
        array([
          [
            [0.1, 0.2],
            [0.3, -1],
          ],
        ]),
      ],
      { order: 2 },
    );
  });

  it("passes its mask along a Sequential model", () => {
    const seen: (Tensor | null)[] = [];
    class Probe extends layers.Identity {
      override call(x: Tensor, kwargs?: { mask?: unknown }) {
        seen.push((kwargs?.mask as Tensor) ?? null);
        return x;
      }
    }
    const model = new Sequential([new layers.Masking({ inputShape: [3, 2] }), new Probe()]);
    model.call(
      array([
        [
          [0, 0],
          [1, 0],
          [0, 0],
        ],
      ]),
    );
    expect(seen[seen.length - 1]!.toArray()).toEqual([[false, true, false]]);
  });
});

describe("Embedding", () => {
  it("keras-js goldens (mask_zero false and true)", () => {
    const dims: [number, number, number, boolean][] = [
      [5, 3, 7, false],
      [20, 5, 10, true],
      [33, 2, 5, false],
    ];
    dims.forEach(([inputDim, outputDim, inputLength, maskZero], i) => {
      const g = golden(`embeddings.Embedding.${i}`);
      const emb = new layers.Embedding({ inputDim, outputDim, inputLength, maskZero });
      const model = new Sequential([emb]);
      model.setWeights(g.weights);
      const ids = g.inputs[0];
      expectGolden(model.call(ids), g.expected);
      const mask = emb.computeMask(ids, null);
      if (maskZero) expect(mask!.toArray()).toEqual([data(ids).map((v) => v !== 0)]);
      else expect(mask).toBeNull();
    });
  });

  it("looks up rows for int32 and float ids alike (naive check) and rejects ids out of range", () => {
    const emb = new layers.Embedding({
      inputDim: 4,
      outputDim: 2,
      embeddingsInitializer: initializers.randomNormal({ seed: 1 }),
      name: "e",
    });
    const E = emb.call(array([[0]], { dtype: "int32" })) && emb.embeddings.value;
    const ids = [3, 0, 2, 2];
    const out = emb.call(array([ids], { dtype: "int32" }));
    const outF = emb.call(array([ids.map((v) => v + 0.25)]));
    const rows = E.toArray() as number[][];
    expect(out.toArray()).toEqual([ids.map((i) => rows[i])]);
    expect(outF.toArray()).toEqual(out.toArray());
    expect(emb.weights.map((w) => [w.name, w.shape])).toEqual([["embeddings", [4, 2]]]);
    expect(() => emb.call(array([[4]], { dtype: "int32" }))).toThrow(
      /Embedding 'e': id 4 is out of range \[0, 4\)/,
    );
    expect(() => emb.call(array([[-1]], { dtype: "int32" }))).toThrow(ValueError);
  });

  it("Keras 2 inputLength sets the input shape and is checked", () => {
    const emb = new layers.Embedding({ inputDim: 10, outputDim: 3, inputLength: 4, name: "emb" });
    const model = new Sequential([emb, new layers.Flatten(), new layers.Dense({ units: 1 })]);
    expect(model.built).toBe(true);
    expect(model.layers[2].weights[0].shape).toEqual([12, 1]);
    expect(() => emb.call(zeros([1, 5]))).toThrow(
      /Embedding 'emb': inputLength is \[4\], but received input has shape \[1, 5\]/,
    );
  });

  it("works inside a functional model under vmap/jacrev of the other input", () => {
    const ids = Input({ shape: [3], name: "ids" });
    const feats = Input({ shape: [2], name: "feats" });
    const emb = new layers.Embedding({
      inputDim: 6,
      outputDim: 2,
      embeddingsInitializer: initializers.randomNormal({ seed: 4 }),
    });
    const flat = new layers.Flatten().apply(emb.apply(ids));
    const joined = new layers.Concatenate().apply([flat, feats]);
    const out = new layers.Dense({
      units: 1,
      activation: "tanh",
      kernelInitializer: initializers.randomNormal({ seed: 5 }),
    }).apply(joined);
    const model = new Model({ inputs: [ids, feats], outputs: out });
    const idv = array([
      [1, 5, 0],
      [2, 2, 3],
    ]);
    const fv = random.normal([2, 2], { seed: 6 });
    const y = model.call([idv, fv]);
    expect(y.shape).toEqual([2, 1]);
    checkGrads((f: Tensor) => model.call([idv, f]), [fv], { order: 2 });
  });
});
