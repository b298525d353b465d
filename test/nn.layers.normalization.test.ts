/**
 * Normalization layers: BatchNormalization (keras-js goldens, channels_first, flags → weights),
 * LayerNormalization (incl. Keras 3 rms_scaling), GroupNormalization, UnitNormalization and the
 * preprocessing layers Normalization and Rescaling — against naive per-sample loops and checkGrads
 * to second order.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  initializers,
  Input,
  jvp,
  layers,
  Model,
  random,
  resetNames,
  ShapeError,
  Tensor,
  ValueError,
  zeros,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { expectGolden, golden } from "./helpers/kerasjsGolden.js";

beforeEach(() => resetNames());

const F = (xs: number[], shape: number[]) => array(Float64Array.from(xs), { shape });

/** Mean and population variance of a list. */
function moments(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return [m, v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length];
}

describe("BatchNormalization", () => {
  it("keras-js goldens (epsilon, axis -1/1/2/3, center/scale on and off)", () => {
    const cfg: [number, number, boolean, boolean][] = [
      [1e-5, -1, true, true],
      [1e-2, -1, true, true],
      [1e-5, 1, true, true],
      [1e-5, 2, true, true],
      [1e-5, 3, true, false],
      [1e-5, -1, false, true],
      [1e-3, -1, false, false],
    ];
    cfg.forEach(([epsilon, axis, center, scale], i) => {
      const g = golden(`normalization.BatchNormalization.${i}`);
      const x = Input({ shape: g.inputs[0].shape.slice(1) });
      const bn = new layers.BatchNormalization({ epsilon, axis, center, scale });
      const model = new Model({ inputs: x, outputs: bn.apply(x) });
      expect(bn.weights.length).toBe(g.weights.length);
      model.setWeights(g.weights);
      expectGolden(model.call(g.inputs[0]), g.expected);
    });
  });

  it("normalises channels_first (axis 1) per channel with the moving statistics (loop)", () => {
    const bn = new layers.BatchNormalization({ axis: 1, epsilon: 1e-3 });
    const x = random.normal([2, 3, 2, 2], { seed: 1 });
    bn.call(x);
    const gamma = [0.5, 2, -1];
    const beta = [0.1, 0, -0.3];
    const mm = [0.2, -0.4, 1];
    const mv = [0.9, 1.5, 0.25];
    bn.setWeights([gamma, beta, mm, mv]);
    const y = bn.call(x, { training: true }).data();
    const X = x.data();
    X.forEach((v, i) => {
      const c = Math.floor(i / 4) % 3;
      expect(y[i]).toBeCloseTo(((v - mm[c]) / Math.sqrt(mv[c] + 1e-3)) * gamma[c] + beta[c], 13);
    });
  });

  it("center/scale decide which weights exist, in Keras's order and trainability", () => {
    const names = (args: ConstructorParameters<typeof layers.BatchNormalization>[0]) => {
      const bn = new layers.BatchNormalization(args);
      bn.call(zeros([1, 4]));
      return bn.weights.map((w) => `${w.name}${w.trainable ? "" : "*"}:${w.shape}`);
    };
    expect(names({})).toEqual(["gamma:4", "beta:4", "moving_mean*:4", "moving_variance*:4"]);
    expect(names({ scale: false })).toEqual(["beta:4", "moving_mean*:4", "moving_variance*:4"]);
    expect(names({ center: false, scale: false })).toEqual(["moving_mean*:4", "moving_variance*:4"]);
    const bn = new layers.BatchNormalization({ momentum: 0.9 });
    bn.call(zeros([1, 4]));
    expect(bn.trainableWeights.map((w) => w.name)).toEqual(["gamma", "beta"]);
    expect(bn.getConfig()).toMatchObject({
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-3,
      center: true,
      scale: true,
    });
  });

  it("accepts tf.keras's list axis, including several axes (weights of the input's rank)", () => {
    const one = new layers.BatchNormalization({ axis: [3] });
    one.call(zeros([1, 2, 2, 5]));
    expect(one.gamma!.shape).toEqual([5]);
    const two = new layers.BatchNormalization({ axis: [1, 2], epsilon: 0 });
    const x = random.normal([2, 2, 3, 4], { seed: 2 });
    two.call(x);
    expect(two.gamma!.shape).toEqual([1, 2, 3, 1]);
    const mv = random.uniform([1, 2, 3, 1], { low: 0.5, high: 2, seed: 3 });
    const mm = random.normal([1, 2, 3, 1], { seed: 4 });
    two.setWeights([zeros([1, 2, 3, 1]).add(2), zeros([1, 2, 3, 1]), mm, mv]);
    assertAllclose(two.call(x), x.sub(mm).div(mv.sqrt()).mul(2), { rtol: 1e-13 });
    expect(() => new layers.BatchNormalization({ virtualBatchSize: 4 })).toThrow(ValueError);
  });

  it("checks the feature axis and is differentiable to second order", () => {
    const bn = new layers.BatchNormalization({ name: "bn" });
    bn.call(zeros([1, 3]));
    expect(() => bn.call(zeros([1, 4]))).toThrow(ShapeError);
    expect(() => bn.call(zeros([1, 4]))).toThrow(
      /BatchNormalization 'bn': expected input of rank 2 with 3 features/,
    );
    bn.setWeights([
      [1, 2, 3],
      [0, 1, 0],
      [0.5, 0, -1],
      [2, 1, 0.5],
    ]);
    checkGrads((x: Tensor) => bn.call(x).tanh(), [random.normal([2, 3], { seed: 5 })], { order: 2 });
  });
});

describe("LayerNormalization", () => {
  it("normalises each sample over the last axis (loop), with gamma and beta", () => {
    const ln = new layers.LayerNormalization({
      epsilon: 1e-3,
      gammaInitializer: initializers.randomNormal({ seed: 6 }),
      betaInitializer: initializers.randomNormal({ seed: 7 }),
    });
    const x = random.normal([3, 4], { seed: 8 });
    const y = ln.call(x).toArray() as number[][];
    const [gamma, beta] = ln.getWeights().map((w) => Array.from(w.data()));
    (x.toArray() as number[][]).forEach((row, i) => {
      const [m, v] = moments(row);
      row.forEach((xv, j) =>
        expect(y[i][j]).toBeCloseTo(((xv - m) / Math.sqrt(v + 1e-3)) * gamma[j] + beta[j], 12),
      );
    });
    expect(ln.weights.map((w) => w.name)).toEqual(["gamma", "beta"]);
  });

  it("normalises over several axes; unsorted axes read the weights in stored order (Keras's reshape)", () => {
    const x = random.normal([2, 3, 4], { seed: 9 });
    const ln = new layers.LayerNormalization({ axis: [2, 1], epsilon: 1e-6 });
    ln.call(x);
    expect(ln.gamma!.shape).toEqual([4, 3]);
    const gamma = random.normal([4, 3], { seed: 10 });
    const beta = random.normal([4, 3], { seed: 11 });
    ln.setWeights([gamma, beta]);
    const m = x.mean({ axis: [1, 2], keepdims: true });
    const v = x.variance({ axis: [1, 2], keepdims: true });
    const want = x
      .sub(m)
      .div(v.add(1e-6).sqrt())
      .mul(gamma.reshape([1, 3, 4]))
      .add(beta.reshape([1, 3, 4]));
    assertAllclose(ln.call(x), want, { rtol: 1e-12 });
  });

  it("rms_scaling (Keras 3): x · rsqrt(var + eps) · gamma, no beta", () => {
    const ln = new layers.LayerNormalization({
      rmsScaling: true,
      center: true,
      gammaInitializer: initializers.constant(1.5),
    });
    const x = random.normal([2, 5], { seed: 12 });
    const y = ln.call(x);
    expect(ln.weights.map((w) => w.name)).toEqual(["gamma"]);
    assertAllclose(y, x.mul(x.variance({ axis: -1, keepdims: true }).add(1e-3).rsqrt()).mul(1.5), {
      rtol: 1e-13,
    });
    expect(ln.getConfig().rmsScaling).toBe(true);
    const plain = new layers.LayerNormalization({ center: false, scale: false });
    plain.call(x);
    expect(plain.weights).toEqual([]);
  });

  it("is differentiable to second order", () => {
    const ln = new layers.LayerNormalization({
      axis: [1, 2],
      gammaInitializer: initializers.randomNormal({ seed: 13 }),
    });
    checkGrads((x: Tensor) => ln.call(x), [random.normal([2, 2, 3], { seed: 14 })], { order: 2 });
  });
});

describe("GroupNormalization", () => {
  it("normalises each group of channels over all positions (loop), channels last", () => {
    const gn = new layers.GroupNormalization({
      groups: 2,
      epsilon: 1e-3,
      gammaInitializer: initializers.randomNormal({ seed: 15 }),
      betaInitializer: initializers.randomNormal({ seed: 16 }),
    });
    const x = random.normal([2, 5, 4], { seed: 17 });
    const y = gn.call(x).toArray() as number[][][];
    const X = x.toArray() as number[][][];
    const [gamma, beta] = gn.getWeights().map((w) => Array.from(w.data()));
    for (let n = 0; n < 2; n++)
      for (let g = 0; g < 2; g++) {
        const vals: number[] = [];
        for (let s = 0; s < 5; s++) for (let c = 2 * g; c < 2 * g + 2; c++) vals.push(X[n][s][c]);
        const [m, v] = moments(vals);
        for (let s = 0; s < 5; s++)
          for (let c = 2 * g; c < 2 * g + 2; c++)
            expect(y[n][s][c]).toBeCloseTo(((X[n][s][c] - m) / Math.sqrt(v + 1e-3)) * gamma[c] + beta[c], 12);
      }
  });

  it("channels first (axis 1) equals channels last after transposing; groups -1 is per channel", () => {
    const x = random.normal([2, 6, 3], { seed: 18 });
    const last = new layers.GroupNormalization({ groups: 3 });
    const first = new layers.GroupNormalization({ groups: 3, axis: 1 });
    assertAllclose(first.call(x), last.call(x.transpose([0, 2, 1])).transpose([0, 2, 1]), {
      rtol: 1e-12,
    });
    const inst = new layers.GroupNormalization({ groups: -1 });
    const y = inst.call(x);
    const m = x.mean({ axis: 1, keepdims: true });
    assertAllclose(y, x.sub(m).div(x.variance({ axis: 1, keepdims: true }).add(1e-3).sqrt()), {
      rtol: 1e-12,
    });
  });

  it("checks groups against channels and is differentiable to second order", () => {
    expect(() => new layers.GroupNormalization({ groups: 4, name: "gn" }).call(zeros([1, 2, 3]))).toThrow(
      /GroupNormalization 'gn': number of groups \(4\) cannot be more than the number of channels \(3\)/,
    );
    expect(() => new layers.GroupNormalization({ groups: 2 }).call(zeros([1, 2, 3]))).toThrow(/multiple/);
    const gn = new layers.GroupNormalization({
      groups: 2,
      gammaInitializer: initializers.randomNormal({ seed: 19 }),
    });
    checkGrads((x: Tensor) => gn.call(x), [random.normal([2, 3, 4], { seed: 20 })], { order: 2 });
  });
});

describe("UnitNormalization", () => {
  it("scales to unit L2 norm over the axes; a zero vector stays zero with finite derivatives", () => {
    const un = new layers.UnitNormalization();
    assertAllclose(un.call(array([[3, 4]])), array([[0.6, 0.8]]), { rtol: 1e-15 });
    const x = random.normal([2, 3, 4], { seed: 21 });
    const y = new layers.UnitNormalization({ axis: [1, 2] }).call(x);
    assertAllclose(y.square().sum({ axis: [1, 2] }), array([1, 1]), { rtol: 1e-14 });
    expect(un.call(array([[0, 0]])).toArray()).toEqual([[0, 0]]);
    checkGrads((v: Tensor) => un.call(v), [x], { order: 2 });
    // At 0, Keras's x · min(1/‖x‖, 1e12) is 1e12 · x: the derivative is that, not NaN.
    const [, dy] = jvp((v: Tensor) => un.call(v), [array([[0, 0]])], [array([[1, -2]])]);
    expect(dy.toArray()).toEqual([[1e12, -2e12]]);
  });
});

describe("Normalization (preprocessing)", () => {
  it("uses the constructor's mean and variance: (x − mean) / sqrt(var), or the inverse", () => {
    const norm = new layers.Normalization({ mean: [1, 2], variance: [4, 9] });
    expect(norm.call(array([[3, 8]])).toArray()).toEqual([[1, 2]]);
    expect(norm.weights).toEqual([]);
    const inv = new layers.Normalization({ mean: [1, 2], variance: [4, 9], invert: true });
    expect(inv.call(array([[1, 2]])).toArray()).toEqual([[3, 8]]);
    const scalar = new layers.Normalization({ axis: null, mean: 3, variance: 2 });
    assertAllclose(
      scalar.call(array([[1], [2], [3]])),
      F(
        [-2, -1, 0].map((v) => v / Math.SQRT2),
        [3, 1],
      ),
      { rtol: 1e-15 },
    );
    // Zero variance divides by 1e-7 (Keras's backend.epsilon()), not by zero.
    expect(new layers.Normalization({ mean: 0, variance: 0 }).call(array([[1e-7]])).item()).toBeCloseTo(
      1,
      12,
    );
  });

  it("keeps the adapt state as weights mean, variance, count (Keras 3 order) over the kept axes", () => {
    const norm = new layers.Normalization({ axis: [1, 2] });
    norm.call(zeros([1, 2, 3]));
    expect(norm.weights.map((w) => [w.name, w.shape, w.trainable, w.value.dtype])).toEqual([
      ["mean", [2, 3], false, "float64"],
      ["variance", [2, 3], false, "float64"],
      ["count", [], false, "int32"],
    ]);
    const mean = random.normal([2, 3], { seed: 22 });
    const variance = random.uniform([2, 3], { low: 0.5, high: 2, seed: 23 });
    norm.setWeights([mean, variance, 100]);
    const x = random.normal([4, 2, 3], { seed: 24 });
    assertAllclose(norm.call(x), x.sub(mean).div(variance.sqrt()), { rtol: 1e-14 });
    checkGrads((v: Tensor) => norm.call(v).square(), [x], { order: 2 });
  });

  it("checks its arguments", () => {
    expect(() => new layers.Normalization({ mean: [1, 2] })).toThrow(ValueError);
    expect(() => new layers.Normalization({ mean: [1, 2], variance: [1] })).toThrow(/same shape/);
    expect(() => new layers.Normalization({ mean: [[1, 2]], variance: [[1, 2]] })).toThrow(/rank of mean/);
    // Batched scalars [None] with the default axis -1 would keep the batch axis: Keras refuses too.
    expect(() => new layers.Normalization({ name: "nz" }).build([null])).toThrow(
      /Normalization 'nz': kept axis 0 must have a known size, got input shape \[None\]/,
    );
  });
});

describe("Rescaling", () => {
  it("computes x · scale + offset, casting integer inputs, with per-channel arrays", () => {
    const r = new layers.Rescaling({ scale: 1 / 127.5, offset: -1 });
    assertAllclose(r.call(array([[0, 255]], { dtype: "int32" })), array([[-1, 1]]), { rtol: 1e-15 });
    const pc = new layers.Rescaling({ scale: [1, 2, 3], offset: [0, 1, 0] });
    expect(pc.call(array([[1, 1, 1]])).toArray()).toEqual([[1, 3, 3]]);
    expect(pc.getConfig()).toMatchObject({ scale: [1, 2, 3], offset: [0, 1, 0] });
    checkGrads((x: Tensor) => r.call(x).square(), [random.normal([2, 3], { seed: 25 })], { order: 2 });
  });
});
