/**
 * The layers together: a functional model with two inputs mixing Dense, BatchNormalization,
 * LayerNormalization, LeakyReLU, Dropout, Concatenate and Multiply, and a Sequential
 * Embedding → Flatten → Dense, differentiated to second order through `derivatives()` / `jacrev`;
 * and `getConfig()` → `fromConfig()` round trips of every layer class of this family (same config,
 * same outputs after `setWeights` of the original weights).
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  derivatives,
  initializers,
  Input,
  jacrev,
  layers,
  Layer,
  Model,
  random,
  resetNames,
  Sequential,
  Tensor,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";

beforeEach(() => resetNames());

const seeded = (seed: number) => initializers.randomNormal({ stddev: 0.5, seed });

/** Gives every weight of a built layer distinct random values (moving variances positive). */
function randomize(layer: Layer, seed: number): void {
  layer.setWeights(
    layer.weights.map((w, i) =>
      w.value.dtype === "int32"
        ? array(7, { dtype: "int32" })
        : w.name.includes("variance")
          ? random.uniform(w.shape, { low: 0.5, high: 1.5, seed: seed + i })
          : random.normal(w.shape, { seed: seed + i, std: 0.5 }),
    ),
  );
}

describe("a functional model mixing the layers", () => {
  function build() {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [2], name: "b" });
    const ha = new layers.BatchNormalization().apply(
      new layers.Dense({ units: 4, activation: "tanh", kernelInitializer: seeded(1) }).apply(a),
    );
    const hb = new layers.LeakyReLU({ negativeSlope: 0.1 }).apply(
      new layers.LayerNormalization().apply(
        new layers.Dense({ units: 3, kernelInitializer: seeded(2) }).apply(b),
      ),
    );
    const joined = new layers.Dropout({ rate: 0.3 }).apply(new layers.Concatenate().apply([ha, hb]));
    const gate = new layers.Dense({ units: 7, activation: "sigmoid", kernelInitializer: seeded(3) }).apply(
      joined,
    );
    const mixed = new layers.Multiply().apply([joined, gate]);
    const out = new layers.Dense({
      units: 2,
      activation: "softplus",
      kernelInitializer: seeded(4),
      name: "out",
    }).apply(mixed);
    const model = new Model({ inputs: { a, b }, outputs: out });
    for (const l of model.layers)
      if (l instanceof layers.BatchNormalization || l instanceof layers.LayerNormalization) randomize(l, 10);
    return model;
  }

  it("has second derivatives that pass checkGrads, and derivatives() agrees with jacrev per sample", () => {
    const model = build();
    const a = random.normal([3, 3], { seed: 5 });
    const b = random.normal([3, 2], { seed: 6 });
    checkGrads((x: Tensor, y: Tensor) => model.call({ a: x, b: y }), [a, b], { order: 2 });
    const d = derivatives(model, { a, b }, { order: 2 });
    expect(d.jacobian.out.a.shape).toEqual([3, 2, 3]);
    expect(d.hessian!.out.a.b.shape).toEqual([3, 2, 3, 2]);
    for (let i = 0; i < 3; i++) {
      const one = (x: Tensor, y: Tensor) =>
        model.call({ a: x.reshape([1, 3]), b: y.reshape([1, 2]) }).reshape([2]);
      const [ja, jb] = jacrev(one, { argnums: [0, 1] })(a.slice([i]), b.slice([i]));
      assertAllclose(d.jacobian.out.a.slice([i]), ja, { rtol: 1e-12 });
      assertAllclose(d.jacobian.out.b.slice([i]), jb, { rtol: 1e-12 });
      // The Hessian block d²out/da db is the Jacobian in b of the Jacobian in a.
      const jab = jacrev((y: Tensor) => jacrev((x: Tensor) => one(x, y))(a.slice([i])))(b.slice([i]));
      assertAllclose(d.hessian!.out.a.b.slice([i]), jab, { rtol: 1e-10, atol: 1e-13 });
    }
  });
});

describe("Sequential Embedding → Flatten → Dense", () => {
  function build() {
    const emb = new layers.Embedding({
      inputDim: 5,
      outputDim: 2,
      inputLength: 3,
      embeddingsInitializer: seeded(7),
    });
    const model = new Sequential([
      emb,
      new layers.Flatten(),
      new layers.Dense({ units: 2, activation: "tanh", kernelInitializer: seeded(8), name: "out" }),
    ]);
    return { emb, model };
  }
  const ids = array([
    [1, 4, 0],
    [3, 3, 2],
  ]);

  it("computes rows of the table, and zero derivatives in the ids under vmap/jacrev", () => {
    const { emb, model } = build();
    const E = emb.embeddings.value.toArray() as number[][];
    const dense = model.layers[2] as layers.Dense;
    const want = (ids.toArray() as number[][]).map((row) => row.flatMap((i) => E[i]));
    const manual = array(want).matmul(dense.kernel.value).add(dense.bias!.value).tanh();
    assertAllclose(model.call(ids), manual, { rtol: 1e-14 });
    const d = derivatives(model, ids, { order: 2 });
    const name = d.inputNames[0];
    assertAllclose(d.values.out, manual, { rtol: 1e-14 });
    expect(d.jacobian.out[name].shape).toEqual([2, 2, 3]);
    expect(Array.from(d.jacobian.out[name].data()).every((v) => v === 0)).toBe(true);
    expect(Array.from(d.hessian!.out[name][name].data()).every((v) => v === 0)).toBe(true);
  });

  it("is differentiable to second order in the embedding table and the dense kernel", () => {
    const { emb, model } = build();
    const dense = model.layers[2] as layers.Dense;
    /** Runs the model with the weights replaced by traced values, then restores them. */
    const withWeights = (E: Tensor, K: Tensor) => {
      const saved = [emb.embeddings.value, dense.kernel.value];
      emb.embeddings.value = E;
      dense.kernel.value = K;
      try {
        return model.call(ids);
      } finally {
        [emb.embeddings.value, dense.kernel.value] = saved;
      }
    };
    checkGrads(withWeights, [emb.embeddings.value, dense.kernel.value], { order: 2 });
  });
});

describe("getConfig → fromConfig round trips", () => {
  const x2 = random.normal([2, 4], { seed: 20 });
  const x3 = random.normal([2, 3, 4], { seed: 21 });
  const x4 = random.normal([2, 3, 2, 4], { seed: 22 });
  const x5 = random.normal([1, 2, 2, 2, 4], { seed: 23 });
  const ids = array([
    [1, 2, 0],
    [3, 0, 4],
  ]);

  const cases: [() => Layer, unknown, Record<string, unknown>?][] = [
    [
      () =>
        new layers.EinsumDense({
          equation: "abc,cd->abd",
          outputShape: [null, 5],
          biasAxes: "d",
          activation: "relu",
        }),
      x3,
    ],
    [() => new layers.Dropout({ rate: 0.25, noiseShape: [null, 1, 4], seed: 2 }), x3],
    [() => new layers.SpatialDropout1D({ rate: 0.1, seed: 1 }), x3],
    [() => new layers.SpatialDropout2D({ rate: 0.1, dataFormat: "channels_first" }), x4],
    [() => new layers.SpatialDropout3D({ rate: 0.1 }), x5],
    [() => new layers.GaussianNoise({ stddev: 0.3, seed: 4 }), x2],
    [() => new layers.GaussianDropout({ rate: 0.3 }), x2],
    [() => new layers.AlphaDropout({ rate: 0.3, noiseShape: null }), x2],
    [() => new layers.Identity(), x2],
    [() => new layers.Flatten({ dataFormat: "channels_first" }), x4],
    [() => new layers.Reshape({ targetShape: [-1, 2] }), x3],
    [() => new layers.Permute({ dims: [2, 1] }), x3],
    [() => new layers.RepeatVector({ n: 3 }), x2],
    [() => new layers.Masking({ maskValue: 0.5 }), x3],
    [() => new layers.Concatenate({ axis: 1 }), [x3, x3]],
    [() => new layers.Add(), [x3, x3.mul(2)]],
    [() => new layers.Subtract(), [x3, x3.mul(2)]],
    [() => new layers.Multiply(), [x3, x3.mul(2)]],
    [() => new layers.Average(), [x3, x3.mul(2)]],
    [() => new layers.Maximum(), [x3, x3.neg()]],
    [() => new layers.Minimum(), [x3, x3.neg()]],
    [() => new layers.Dot({ axes: [2, 2], normalize: true }), [x3, x3.mul(2)]],
    [() => new layers.BatchNormalization({ axis: 1, epsilon: 1e-5, momentum: 0.9, center: false }), x4],
    [() => new layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-6, rmsScaling: false }), x3],
    [() => new layers.LayerNormalization({ rmsScaling: true }), x3],
    [() => new layers.GroupNormalization({ groups: 2, axis: -1, epsilon: 1e-4 }), x3],
    [() => new layers.UnitNormalization({ axis: [1, 2] }), x3],
    [() => new layers.Normalization({ axis: -1 }), x3],
    [() => new layers.Normalization({ axis: null, mean: 0.5, variance: 2, invert: true }), x3],
    [() => new layers.Rescaling({ scale: 0.5, offset: [1, 2, 3, 4] }), x3],
    [() => new layers.Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputLength: 3 }), ids],
    [() => new layers.LeakyReLU({ alpha: 0.2 }), x3],
    [() => new layers.PReLU({ sharedAxes: [1] }), x3],
    [() => new layers.ELU({ alpha: 0.5 }), x3],
    [() => new layers.ReLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 }), x3],
    [() => new layers.Softmax({ axis: [1, 2] }), x3],
    [() => new layers.ThresholdedReLU({ theta: 0.4 }), x3],
    [() => new layers.Attention({ useScale: true, scoreMode: "concat", dropout: 0.1 }), [x3, x3.mul(2)]],
    [
      () =>
        new layers.MultiHeadAttention({
          numHeads: 2,
          keyDim: 2,
          valueDim: 3,
          outputShape: [5],
          dropout: 0.1,
        }),
      [x3, x3.mul(2)],
    ],
    [
      () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, useBias: false }),
      [x3, x3.mul(2)],
      { useCausalMask: true, returnAttentionScores: true },
    ],
  ];

  for (const [make, input, kwargs] of cases) {
    const probe = make();
    it(`${probe.className} ${JSON.stringify(probe.getConfig()).slice(0, 60)}…`, () => {
      const orig = make();
      orig.call(input as Tensor, kwargs);
      randomize(orig, 40);
      const config = orig.getConfig();
      const Cls = orig.constructor as unknown as { fromConfig(c: Record<string, unknown>): Layer };
      const copy = Cls.fromConfig(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
      expect(copy.className).toBe(orig.className);
      expect(copy.getConfig()).toEqual(config);
      copy.call(input as Tensor, kwargs);
      expect(copy.weights.map((w) => [w.name, w.shape])).toEqual(orig.weights.map((w) => [w.name, w.shape]));
      copy.setWeights(orig.getWeights());
      const a = orig.call(input as Tensor, kwargs);
      const b = copy.call(input as Tensor, kwargs);
      const list = (v: unknown) => (Array.isArray(v) ? v : [v as Tensor]);
      list(b).forEach((y, i) => assertAllclose(y, list(a)[i], { rtol: 0, atol: 0 }));
    });
  }
});
