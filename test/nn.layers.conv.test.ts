/**
 * Convolution layers (Conv1D/2D/3D, SeparableConv1D/2D, DepthwiseConv1D/2D, Conv1D/2D/3DTranspose):
 * hand-computed outputs, layout and composition identities, Keras's shape formulas, weights and
 * configs, typed errors, derivatives to second order, and a small CNN through `derivatives()`.
 * The Keras goldens are in golden.kerasjs.conv.test.ts.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  concatenate,
  derivatives,
  initializers,
  Input,
  jacfwd,
  jacrev,
  layers,
  random,
  resetNames,
  Sequential,
  ShapeError,
  sum,
  transpose,
  ValueError,
  vmap,
  type Layer,
  type SymbolicTensor,
  type Tensor,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";

beforeEach(() => resetNames());

const rand = (shape: number[], seed: number) => random.normal(shape, { seed });
const run = (layer: Layer, x: Tensor) => layer.call(x) as Tensor;
/** Builds `layer` for `x` and sets its weights. */
function withWeights<L extends Layer>(layer: L, x: Tensor, weights: Tensor[]): L {
  layer.ensureBuilt(x);
  layer.setWeights(weights);
  return layer;
}
const toFirst = (t: Tensor) =>
  transpose(t, [0, t.ndim - 1, ...Array.from({ length: t.ndim - 2 }, (_, i) => i + 1)]);
const toLast = (t: Tensor) => transpose(t, [0, ...Array.from({ length: t.ndim - 2 }, (_, i) => i + 2), 1]);

describe("Conv1D/2D/3D", () => {
  const x1 = array([1, 2, 3, 4, 5]).reshape([1, 5, 1]);
  const k1 = array([1, 0, -1]).reshape([3, 1, 1]);

  it("computes a hand-checked 1-D cross-correlation with bias (valid, causal, causal dilated)", () => {
    // y[t] = x[t]·1 + x[t+1]·0 + x[t+2]·(−1) + 0.5
    const valid = withWeights(new layers.Conv1D({ filters: 1, kernelSize: 3 }), x1, [k1, array([0.5])]);
    expect(run(valid, x1).toArray()).toEqual([[[-1.5], [-1.5], [-1.5]]]);
    // causal: left-pad by 2 → x' = [0, 0, 1, 2, 3, 4, 5]
    const causal = withWeights(
      new layers.Conv1D({ filters: 1, kernelSize: 3, padding: "causal", useBias: false }),
      x1,
      [k1],
    );
    expect(run(causal, x1).reshape([5]).toArray()).toEqual([-1, -2, -2, -2, -2]);
    // dilation 2: left-pad by 4, taps t and t+4 of x' = [0, 0, 0, 0, 1, 2, 3, 4, 5]
    const dilated = withWeights(
      new layers.Conv1D({ filters: 1, kernelSize: 3, padding: "causal", dilationRate: 2, useBias: false }),
      x1,
      [k1],
    );
    expect(run(dilated, x1).reshape([5]).toArray()).toEqual([-1, -2, -3, -4, -4]);
    expect(dilated.computeOutputShape([null, 5, 1])).toEqual([null, 5, 1]);
  });

  it("causal convolution: output t never depends on inputs after t", () => {
    const conv = new layers.Conv1D({
      filters: 2,
      kernelSize: 3,
      padding: "causal",
      dilationRate: 2,
      kernelInitializer: initializers.glorotUniform({ seed: 1 }),
    });
    const x = rand([1, 7, 3], 2);
    const jac = jacrev((v: Tensor) => run(conv, v))(x); // [1, 7, 2, 1, 7, 3]
    const j = jac.reshape([7, 2, 7, 3]).toArray() as number[][][][];
    const future: number[] = [];
    for (let t = 0; t < 7; t++)
      for (let o = 0; o < 2; o++) for (let s = t + 1; s < 7; s++) future.push(...j[t][o][s]);
    expect(future.length).toBe(21 * 2 * 3);
    expect(future.every((v) => v === 0)).toBe(true);
    // …while it does depend on its taps t, t − 2 and t − 4, and on nothing else
    expect([6, 4, 2].every((s) => j[6][0][s].some((v) => v !== 0))).toBe(true);
    expect([5, 3, 1, 0].every((s) => j[6][0][s].every((v) => v === 0))).toBe(true);
  });

  it("uses TF's 'same' padding: the odd pad goes at the end", () => {
    // 4×4 input, 3×3 ones kernel, stride 2: total pad 1, all of it after → windows rows/cols 0..2 and 2..3
    const x = array(
      Float64Array.from({ length: 16 }, (_, i) => i),
      { shape: [1, 4, 4, 1] },
    );
    const conv = withWeights(
      new layers.Conv2D({ filters: 1, kernelSize: 3, strides: 2, padding: "same", useBias: false }),
      x,
      [array(new Float64Array(9).fill(1), { shape: [3, 3, 1, 1] })],
    );
    expect(run(conv, x).reshape([2, 2]).toArray()).toEqual([
      [45, 39],
      [66, 50],
    ]);
  });

  it("channels_first gives the transposed channels_last result (2-D and 3-D)", () => {
    for (const [Cls, x] of [
      [layers.Conv2D, rand([2, 6, 5, 3], 3)],
      [layers.Conv3D, rand([1, 4, 5, 3, 2], 4)],
    ] as const) {
      const opts = { filters: 4, kernelSize: 3, strides: 2, padding: "same" as const, activation: "tanh" };
      const last = new Cls({
        ...opts,
        kernelInitializer: initializers.glorotUniform({ seed: 5 }),
        biasInitializer: "ones",
      });
      const first = new Cls({ ...opts, dataFormat: "channels_first" });
      const y = run(last, x);
      withWeights(first, toFirst(x), last.getWeights());
      assertAllclose(run(first, toFirst(x)), toFirst(y), { rtol: 1e-12, atol: 1e-12 });
      expect(first.computeOutputShape([null, ...toFirst(x).shape.slice(1)])).toEqual([
        null,
        ...toFirst(y).shape.slice(1),
      ]);
    }
  });

  it("groups: equals separate convolutions of the channel groups, concatenated", () => {
    const x = rand([2, 6, 6, 4], 6);
    const grouped = new layers.Conv2D({
      filters: 6,
      kernelSize: 3,
      groups: 2,
      kernelInitializer: initializers.glorotUniform({ seed: 7 }),
    });
    const y = run(grouped, x);
    expect(grouped.kernel.shape).toEqual([3, 3, 2, 6]);
    const k = grouped.kernel.value;
    const parts = [0, 1].map((g) => {
      const c = new layers.Conv2D({ filters: 3, kernelSize: 3, useBias: false });
      const xg = x.slice([null, null, null, [2 * g, 2 * g + 2]]);
      withWeights(c, xg, [k.slice([null, null, null, [3 * g, 3 * g + 3]])]);
      return run(c, xg);
    });
    assertAllclose(y, concatenate(parts, 3), { rtol: 1e-12, atol: 1e-12 });
  });

  it("creates kernel then bias with Keras's shapes and names, and round-trips its config", () => {
    const conv = new layers.Conv3D({
      filters: 5,
      kernelSize: [3, 2, 1],
      strides: [1, 2, 1],
      dilationRate: 1,
      activation: "relu",
      kernelRegularizer: { className: "L2", config: { l2: 0.01 } },
      name: "c3",
    });
    conv.ensureBuilt(rand([1, 6, 6, 6, 2], 0));
    expect(conv.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [3, 2, 1, 2, 5]],
      ["bias", [5]],
    ]);
    const config = conv.getConfig();
    expect(config).toMatchObject({
      name: "c3",
      filters: 5,
      kernelSize: [3, 2, 1],
      strides: [1, 2, 1],
      padding: "valid",
      dataFormat: "channels_last",
      dilationRate: [1, 1, 1],
      groups: 1,
      activation: "relu",
      useBias: true,
      kernelInitializer: { className: "GlorotUniform" },
      biasInitializer: { className: "Zeros" },
      kernelRegularizer: { className: "L2", config: { l2: 0.01 } },
      biasRegularizer: null,
      activityRegularizer: null,
      kernelConstraint: null,
      biasConstraint: null,
    });
    expect(layers.Conv3D.fromConfig(config).getConfig()).toEqual(config);
    const c1 = new layers.Conv1D({ filters: 2, kernelSize: 4, padding: "causal", useBias: false });
    expect(layers.Conv1D.fromConfig(c1.getConfig()).getConfig()).toEqual(c1.getConfig());
  });

  it("accepts the ops' spelling of dataFormat and stores Keras's", () => {
    expect(new layers.Conv2D({ filters: 1, kernelSize: 1, dataFormat: "channelsFirst" }).dataFormat).toBe(
      "channels_first",
    );
    expect(new layers.Conv2D({ filters: 1, kernelSize: 1, dataFormat: null }).dataFormat).toBe(
      "channels_last",
    );
  });

  it("throws typed errors naming the layer, with expected vs got", () => {
    expect(() => new layers.Conv2D({ filters: 0, kernelSize: 3 })).toThrow(ValueError);
    expect(() => new layers.Conv2D({ filters: 3, kernelSize: 3, groups: 2, name: "g" })).toThrow(
      /Conv2D 'g': filters \(3\) must be divisible by groups \(2\)/,
    );
    expect(() => new layers.Conv2D({ filters: 2, kernelSize: [3, 3, 3] })).toThrow(
      /kernelSize must be an integer or 2 integers/,
    );
    expect(() => new layers.Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(
      /strides > 1 is not supported together with dilationRate > 1/,
    );
    expect(() => new layers.Conv2D({ filters: 2, kernelSize: 3, padding: "causal" as "same" })).toThrow(
      /padding must be "valid" or "same", got "causal"/,
    );
    expect(
      () => new layers.Conv2D({ filters: 2, kernelSize: 3, dataFormat: "NHWC" as "channels_last" }),
    ).toThrow(ValueError);
    const conv = new layers.Conv2D({ filters: 2, kernelSize: 3, name: "feat" });
    run(conv, rand([1, 5, 5, 3], 0));
    expect(() => run(conv, rand([1, 5, 5, 2], 0))).toThrow(ShapeError);
    expect(() => run(conv, rand([1, 5, 5, 2], 0))).toThrow(
      "Conv2D 'feat': expected input with 3 channels on axis 3 (channels_last), got shape [1, 5, 5, 2]",
    );
    expect(() => run(conv, rand([5, 5, 3], 0))).toThrow(
      /Conv2D 'feat': expected an input of rank 4 \[batch, rows, cols, channels\]/,
    );
    expect(() => conv.computeOutputShape([null, 2, 9, 3])).toThrow(
      /Conv2D 'feat': input shape \[None, 2, 9, 3\] is too small for kernel \[3, 3\].*spatial dims would be \[0, 7\]/,
    );
    const grouped = new layers.Conv1D({ filters: 4, kernelSize: 1, groups: 2 });
    expect(() => run(grouped, rand([1, 3, 3], 0))).toThrow(
      /the input's 3 channels are not divisible by groups=2/,
    );
    expect(() => new layers.Conv1D({ filters: 1, kernelSize: 1 }).build([null, 4, null])).toThrow(
      /channel dimension of the input must be known/,
    );
  });
});

describe("DepthwiseConv1D/2D and SeparableConv1D/2D", () => {
  it("depthwise output channel c·M + m is input channel c times its own filter m", () => {
    const x = rand([2, 4, 3], 1);
    const dw = new layers.DepthwiseConv1D({ kernelSize: 1, depthMultiplier: 2, name: "dw" });
    const kernel = array([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]); // [1, 3, 2]
    withWeights(dw, x, [kernel, array([0, 0, 0, 0, 0, 1])]);
    expect(dw.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [1, 3, 2]],
      ["bias", [6]],
    ]);
    const y = run(dw, x);
    const want = concatenate(
      [0, 1, 2].flatMap((c) => [0, 1].map((m) => x.slice([null, null, [c, c + 1]]).mul(2 * c + m + 1))),
      2,
    ).add(array([0, 0, 0, 0, 0, 1]));
    assertAllclose(y, want, { rtol: 1e-14, atol: 1e-14 });
    expect(dw.computeOutputShape([null, null, 3])).toEqual([null, null, 6]);
  });

  it("separable = depthwise (no bias) then a pointwise Conv with the same kernels", () => {
    for (const [Sep, Dw, Cv, x] of [
      [layers.SeparableConv2D, layers.DepthwiseConv2D, layers.Conv2D, rand([2, 7, 6, 3], 2)],
      [layers.SeparableConv1D, layers.DepthwiseConv1D, layers.Conv1D, rand([2, 9, 3], 3)],
    ] as const) {
      const sep = new Sep({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        depthMultiplier: 2,
        activation: "tanh",
        biasInitializer: "ones",
      });
      const y = run(sep, x);
      expect(sep.weights.map((w) => w.name)).toEqual(["depthwise_kernel", "pointwise_kernel", "bias"]);
      expect(sep.pointwiseKernel.shape).toEqual([...sep.kernelSize.map(() => 1), 6, 4]);
      const dw = new Dw({ kernelSize: 3, strides: 2, padding: "same", depthMultiplier: 2, useBias: false });
      const mid = run(withWeights(dw, x, [sep.depthwiseKernel.value]), x);
      const pw = new Cv({ filters: 4, kernelSize: 1, activation: "tanh" });
      const want = run(withWeights(pw, mid, [sep.pointwiseKernel.value, sep.bias!.value]), mid);
      assertAllclose(y, want, { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it("channels_first depthwise and separable match channels_last", () => {
    const x = rand([1, 5, 6, 2], 4);
    const a = new layers.SeparableConv2D({
      filters: 3,
      kernelSize: [2, 3],
      dilationRate: 2,
      depthMultiplier: 3,
    });
    const b = new layers.SeparableConv2D({
      filters: 3,
      kernelSize: [2, 3],
      dilationRate: 2,
      depthMultiplier: 3,
      dataFormat: "channels_first",
    });
    const y = run(a, x);
    withWeights(b, toFirst(x), a.getWeights());
    assertAllclose(run(b, toFirst(x)), toFirst(y), { rtol: 1e-12, atol: 1e-12 });
    const c = new layers.DepthwiseConv2D({
      kernelSize: 3,
      padding: "same",
      dataFormat: "channels_first",
      depthMultiplier: 2,
    });
    const d = new layers.DepthwiseConv2D({ kernelSize: 3, padding: "same", depthMultiplier: 2 });
    const z = run(d, x);
    withWeights(c, toFirst(x), d.getWeights());
    assertAllclose(toLast(run(c, toFirst(x))), z, { rtol: 1e-12, atol: 1e-12 });
  });

  it("round-trips configs with every option", () => {
    const sep = new layers.SeparableConv1D({
      filters: 2,
      kernelSize: 3,
      depthMultiplier: 2,
      pointwiseInitializer: "he_normal",
      pointwiseConstraint: { className: "MaxNorm" },
    });
    const config = sep.getConfig();
    expect(config).toMatchObject({
      filters: 2,
      kernelSize: [3],
      depthMultiplier: 2,
      depthwiseInitializer: { className: "GlorotUniform" },
      pointwiseInitializer: { className: "HeNormal" },
      pointwiseConstraint: { className: "MaxNorm" },
      depthwiseRegularizer: null,
    });
    expect(layers.SeparableConv1D.fromConfig(config).getConfig()).toEqual(config);
    const dw = new layers.DepthwiseConv2D({
      kernelSize: [1, 3],
      depthMultiplier: 3,
      depthwiseInitializer: "ones",
    });
    expect(dw.getConfig()).toMatchObject({
      depthMultiplier: 3,
      kernelSize: [1, 3],
      depthwiseInitializer: { className: "Ones" },
    });
    expect(layers.DepthwiseConv2D.fromConfig(dw.getConfig()).getConfig()).toEqual(dw.getConfig());
  });

  it("checks its input and options", () => {
    expect(() => new layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 0 })).toThrow(
      /depthMultiplier must be a positive integer/,
    );
    expect(
      () => new layers.SeparableConv2D({ filters: 1, kernelSize: 3, strides: 2, dilationRate: 3 }),
    ).toThrow(ValueError);
    const sep = new layers.SeparableConv2D({ filters: 1, kernelSize: 3, name: "sep" });
    run(sep, rand([1, 4, 4, 2], 0));
    expect(() => run(sep, rand([1, 4, 4, 3], 0))).toThrow(
      /SeparableConv2D 'sep': expected input with 2 channels/,
    );
  });
});

describe("Conv1DTranspose/2D/3D", () => {
  it("computes a hand-checked 1-D transposed convolution (stride 2, valid, with and without outputPadding)", () => {
    // Each input scatters x_i · kernel at offset 2i: [1·(1,10,100)] + [2·(1,10,100) at 2] = [1, 10, 102, 20, 200]
    const x = array([1, 2]).reshape([1, 2, 1]);
    const k = array([1, 10, 100]).reshape([3, 1, 1]);
    const t = withWeights(
      new layers.Conv1DTranspose({ filters: 1, kernelSize: 3, strides: 2, useBias: false }),
      x,
      [k],
    );
    expect(run(t, x).reshape([5]).toArray()).toEqual([1, 10, 102, 20, 200]);
    const p = withWeights(
      new layers.Conv1DTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 1, useBias: false }),
      x,
      [k],
    );
    expect(run(p, x).reshape([6]).toArray()).toEqual([1, 10, 102, 20, 200, 0]);
    expect(p.computeOutputShape([null, 2, 1])).toEqual([null, 6, 1]);
  });

  it("is the adjoint of the Conv with the same kernel: <T x, y> = <x, C y>", () => {
    for (const [T, C, x, opts] of [
      [
        layers.Conv2DTranspose,
        layers.Conv2D,
        rand([1, 4, 3, 2], 1),
        { kernelSize: 3, strides: 2, padding: "valid" },
      ],
      [
        layers.Conv2DTranspose,
        layers.Conv2D,
        rand([1, 4, 3, 2], 2),
        { kernelSize: [2, 3], strides: [2, 1], padding: "same" },
      ],
      [
        layers.Conv3DTranspose,
        layers.Conv3D,
        rand([1, 3, 2, 3, 2], 3),
        { kernelSize: 2, strides: 2, padding: "same" },
      ],
      [
        layers.Conv1DTranspose,
        layers.Conv1D,
        rand([2, 5, 2], 4),
        { kernelSize: 4, dilationRate: 2, padding: "same" },
      ],
    ] as const) {
      const t = new T({ filters: 3, ...opts, useBias: false });
      const tx = run(t, x);
      const y = rand(tx.shape.slice(), 9);
      const c = withWeights(new C({ filters: 2, ...opts, useBias: false }), y, [t.kernel.value]);
      const cy = run(c, y);
      expect(cy.shape).toEqual(x.shape);
      expect(sum(tx.mul(y)).item()).toBeCloseTo(sum(x.mul(cy)).item(), 10);
    }
  });

  it("follows deconv_output_length, channels_first included", () => {
    const t = new layers.Conv2DTranspose({
      filters: 3,
      kernelSize: [3, 4],
      strides: [2, 3],
      padding: "same",
      outputPadding: [1, 0],
      dataFormat: "channels_first",
    });
    const x = rand([1, 2, 5, 4], 5);
    const y = run(t, x);
    // same + outputPadding: (L − 1)·s + k − 2·⌊k/2⌋ + p → (5−1)·2 + 3 − 2 + 1 = 10, (4−1)·3 + 4 − 4 + 0 = 9
    expect(y.shape).toEqual([1, 3, 10, 9]);
    expect(t.computeOutputShape([null, 2, 5, null])).toEqual([null, 3, 10, null]);
    expect(t.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [3, 4, 3, 2]],
      ["bias", [3]],
    ]);
    const last = withWeights(
      new layers.Conv2DTranspose({
        filters: 3,
        kernelSize: [3, 4],
        strides: [2, 3],
        padding: "same",
        outputPadding: [1, 0],
      }),
      toLast(x),
      t.getWeights(),
    );
    assertAllclose(run(last, toLast(x)), toLast(y), { rtol: 1e-12, atol: 1e-12 });
    expect(
      new layers.Conv3DTranspose({ filters: 1, kernelSize: 3, strides: 2 }).computeOutputShape([
        null,
        4,
        1,
        2,
        7,
      ]),
    ).toEqual([null, 9, 3, 5, 1]);
  });

  it("validates outputPadding and round-trips its config", () => {
    expect(
      () => new layers.Conv2DTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 2 }),
    ).toThrow(/outputPadding \[2, 2\] must be smaller than strides \[2, 2\]/);
    expect(
      () => new layers.Conv2DTranspose({ filters: 1, kernelSize: 3, padding: "causal" as "same" }),
    ).toThrow(ValueError);
    const t = new layers.Conv1DTranspose({
      filters: 2,
      kernelSize: 3,
      strides: 3,
      outputPadding: 2,
      activation: "sigmoid",
    });
    expect(t.getConfig()).toMatchObject({ outputPadding: [2], strides: [3], activation: "sigmoid" });
    expect(layers.Conv1DTranspose.fromConfig(t.getConfig()).getConfig()).toEqual(t.getConfig());
    expect(new layers.Conv1DTranspose({ filters: 2, kernelSize: 3 }).getConfig().outputPadding).toBeNull();
  });
});

describe("shapes: Keras's closed forms agree with abstract evaluation and the computed output", () => {
  const cases: [string, () => Layer, number[]][] = [
    [
      "Conv1D causal",
      () => new layers.Conv1D({ filters: 3, kernelSize: 4, padding: "causal", strides: 3 }),
      [2, 10, 2],
    ],
    [
      "Conv1D cf",
      () => new layers.Conv1D({ filters: 3, kernelSize: 2, dataFormat: "channels_first", strides: 2 }),
      [2, 2, 9],
    ],
    [
      "Conv2D same",
      () => new layers.Conv2D({ filters: 2, kernelSize: [4, 3], strides: [3, 2], padding: "same" }),
      [1, 7, 8, 1],
    ],
    [
      "Conv2D dilated",
      () => new layers.Conv2D({ filters: 2, kernelSize: 3, dilationRate: [2, 1] }),
      [1, 7, 8, 3],
    ],
    [
      "Conv3D cf",
      () =>
        new layers.Conv3D({ filters: 2, kernelSize: 2, strides: [1, 2, 3], dataFormat: "channels_first" }),
      [1, 2, 5, 6, 7],
    ],
    [
      "Separable1D",
      () => new layers.SeparableConv1D({ filters: 2, kernelSize: 3, depthMultiplier: 2, strides: 2 }),
      [1, 9, 3],
    ],
    [
      "Separable2D cf",
      () =>
        new layers.SeparableConv2D({
          filters: 2,
          kernelSize: 3,
          padding: "same",
          dataFormat: "channels_first",
        }),
      [1, 3, 5, 4],
    ],
    [
      "Depthwise1D",
      () => new layers.DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 3, strides: 2 }),
      [1, 7, 2],
    ],
    ["Depthwise2D", () => new layers.DepthwiseConv2D({ kernelSize: 3, dilationRate: 2 }), [1, 7, 6, 2]],
    ["Transpose1D", () => new layers.Conv1DTranspose({ filters: 2, kernelSize: 2, strides: 3 }), [1, 4, 2]],
    [
      "Transpose2D",
      () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, dilationRate: 2, padding: "same" }),
      [1, 4, 5, 2],
    ],
    [
      "Transpose3D cf",
      () =>
        new layers.Conv3DTranspose({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          outputPadding: 1,
          dataFormat: "channels_first",
        }),
      [1, 2, 2, 3, 2],
    ],
  ];
  for (const [name, make, shape] of cases)
    it(name, () => {
      const layer = make();
      const y = run(layer, rand(shape, 1));
      const declared = [null, ...shape.slice(1)];
      expect(layer.computeOutputShape(declared)).toEqual([null, ...y.shape.slice(1)]);
      expect((layer.apply(Input({ shape: shape.slice(1) })) as SymbolicTensor).shape).toEqual([
        null,
        ...y.shape.slice(1),
      ]);
    });
});

describe("derivatives", () => {
  const smooth = { activation: "tanh", biasInitializer: "ones" } as const;
  const cases: [string, () => Layer, number[]][] = [
    [
      "Conv1D causal",
      () => new layers.Conv1D({ filters: 2, kernelSize: 3, padding: "causal", dilationRate: 2, ...smooth }),
      [2, 5, 2],
    ],
    [
      "Conv2D same strided",
      () => new layers.Conv2D({ filters: 2, kernelSize: 3, strides: 2, padding: "same", ...smooth }),
      [1, 4, 5, 2],
    ],
    [
      "Conv2D grouped cf",
      () =>
        new layers.Conv2D({ filters: 2, kernelSize: 2, groups: 2, dataFormat: "channels_first", ...smooth }),
      [1, 2, 3, 4],
    ],
    ["Conv3D", () => new layers.Conv3D({ filters: 1, kernelSize: 2, ...smooth }), [1, 3, 3, 2, 2]],
    [
      "SeparableConv2D",
      () =>
        new layers.SeparableConv2D({
          filters: 2,
          kernelSize: 2,
          depthMultiplier: 2,
          padding: "same",
          ...smooth,
        }),
      [1, 3, 4, 2],
    ],
    [
      "DepthwiseConv2D",
      () => new layers.DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 2, ...smooth }),
      [1, 3, 3, 2],
    ],
    [
      "Conv2DTranspose",
      () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: "same", ...smooth }),
      [1, 2, 3, 2],
    ],
    [
      "Conv1DTranspose",
      () =>
        new layers.Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, ...smooth }),
      [1, 3, 2],
    ],
  ];
  for (const [name, make, shape] of cases)
    it(`${name}: checkGrads to second order`, () => {
      const layer = make();
      checkGrads((x: Tensor) => run(layer, x), [rand(shape, 11)], { order: 2 });
    });

  it("a small CNN Sequential: derivatives() matches per-sample jacrev/jacfwd and its Hessians are symmetric", () => {
    const seeded = (seed: number) => initializers.glorotUniform({ seed });
    const model = new Sequential([
      new layers.Conv2D({
        filters: 3,
        kernelSize: 3,
        padding: "same",
        activation: "tanh",
        kernelInitializer: seeded(1),
        inputShape: [6, 6, 2],
      }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.SeparableConv2D({
        filters: 2,
        kernelSize: 2,
        activation: "tanh",
        depthwiseInitializer: seeded(2),
        pointwiseInitializer: seeded(3),
      }),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense({ units: 1, kernelInitializer: seeded(4) }),
    ]);
    const x = rand([3, 6, 6, 2], 5);
    const d = derivatives(model, x, { order: 2 });
    const name = d.inputNames[0];
    const out = d.outputNames[0];
    const jac = d.jacobian[out][name]; // [3, 6, 6, 2]
    const hes = d.hessian![out][name][name]; // [3, 6, 6, 2, 6, 6, 2]
    expect(jac.shape).toEqual([3, 6, 6, 2]);
    expect(hes.shape).toEqual([3, 6, 6, 2, 6, 6, 2]);
    const single = (v: Tensor) => model.call(v.reshape([1, 6, 6, 2])).reshape([]);
    for (let n = 0; n < 3; n++) {
      const xn = x.slice([[n, n + 1]]).reshape([6, 6, 2]);
      assertAllclose(jac.slice([[n, n + 1]]).reshape([6, 6, 2]), jacrev(single)(xn), {
        rtol: 1e-10,
        atol: 1e-12,
      });
      assertAllclose(jac.slice([[n, n + 1]]).reshape([6, 6, 2]), jacfwd(single)(xn), {
        rtol: 1e-10,
        atol: 1e-12,
      });
      const h = hes.slice([[n, n + 1]]).reshape([72, 72]);
      assertAllclose(h, transpose(h), { rtol: 1e-10, atol: 1e-12 });
    }
    // The vmapped per-sample values equal the batch call; finite differences confirm the model's derivatives.
    assertAllclose(d.values[out].reshape([3]), model.call(x).reshape([3]), {
      rtol: 1e-12,
      atol: 1e-12,
    });
    assertAllclose(vmap(single)(x), model.call(x).reshape([3]), {
      rtol: 1e-12,
      atol: 1e-12,
    });
    checkGrads(single, [x.slice([[0, 1]]).reshape([6, 6, 2])], { order: 2 });
  });
});
