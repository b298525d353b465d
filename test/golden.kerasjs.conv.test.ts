/**
 * Convolution, pooling and spatial reshaping layers against the keras-js goldens (Keras 2.1.x,
 * test/fixtures/real/keras-js): every `convolutional.*` and `pooling.*` fixture, 167 in all. Each
 * layer is built from the fixture's own Python constructor call (parsed by test/helpers/kerasjs.ts),
 * given the fixture's weights, and run on its input.
 *
 * Tolerance. The fixtures hold inputs, weights and outputs rounded to 6 decimals, while Keras
 * computed in float32 from the unrounded values. A layer that sums T products of values in [−1, 1]
 * can so differ by up to 5e-7·(2T + 1) (T = 54 for the largest Conv3D here: 5.5e-5); the measured
 * worst case is 5.1e-6. We require |err| ≤ 1e-5·|y| + 1e-5 for layers with weights, and one unit
 * of the 6th decimal (1e-6, plus float slack) for the weightless ones, which only copy, average or
 * take maxima of the rounded inputs.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { Input, layers, resetNames, type Layer, type SymbolicTensor, type Tensor } from "../src/index.js";
import {
  bindArgs,
  fixtureTensor,
  kerasJsKeys,
  layerCallOf,
  loadKerasJsCase,
  parsePyCall,
  parsePyExpr,
  parsePyKwargs,
  titleKwargs,
  toLayerOptions,
} from "./helpers/kerasjs.js";

beforeEach(() => resetNames());

type LayerClass = new (args: Record<string, unknown>) => Layer;
const CLASSES: Record<string, LayerClass> = Object.fromEntries(
  [
    layers.Conv1D,
    layers.Conv2D,
    layers.Conv3D,
    layers.Conv2DTranspose,
    layers.SeparableConv2D,
    layers.Cropping1D,
    layers.Cropping2D,
    layers.Cropping3D,
    layers.ZeroPadding1D,
    layers.ZeroPadding2D,
    layers.ZeroPadding3D,
    layers.UpSampling1D,
    layers.UpSampling2D,
    layers.UpSampling3D,
    layers.MaxPooling1D,
    layers.MaxPooling2D,
    layers.MaxPooling3D,
    layers.AveragePooling1D,
    layers.AveragePooling2D,
    layers.AveragePooling3D,
    layers.GlobalMaxPooling1D,
    layers.GlobalMaxPooling2D,
    layers.GlobalMaxPooling3D,
    layers.GlobalAveragePooling1D,
    layers.GlobalAveragePooling2D,
    layers.GlobalAveragePooling3D,
  ].map((C) => [C.className, C as unknown as LayerClass]),
);

const KEYS = kerasJsKeys(/^(convolutional|pooling)\./);

function maxError(got: ArrayLike<number>, want: readonly number[], rtol: number, atol: number) {
  let worst = { i: -1, err: 0, excess: -Infinity };
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const excess = err - (atol + rtol * Math.abs(want[i]));
    if (excess > worst.excess) worst = { i, err, excess };
  }
  return worst;
}

describe("keras-js goldens: convolutional.* and pooling.*", () => {
  it("finds all 167 fixtures of these families, each with a layer class", () => {
    expect(KEYS.length).toBe(167);
    const missing = KEYS.map((k) => loadKerasJsCase(k).call.callee).filter((c) => !(c in CLASSES));
    expect(missing).toEqual([]);
  });

  for (const key of KEYS)
    it(key, () => {
      const c = loadKerasJsCase(key);
      const options = toLayerOptions(bindArgs(c.call));
      const layer = new CLASSES[c.call.callee](options);
      const input = c.input!;
      expect(c.dataInShape).toEqual(input.shape);
      const x = fixtureTensor(input);
      layer.ensureBuilt(x);
      layer.setWeights(c.weights.map((w) => fixtureTensor(w, false)));
      const y = layer.call(x) as Tensor;
      expect(y.shape).toEqual([1, ...c.expected.shape]);
      // The closed-form output shape and the symbolic (abstract evaluation) one agree with Keras.
      expect(layer.computeOutputShape([null, ...input.shape])).toEqual([null, ...c.expected.shape]);
      expect((layer.apply(Input({ shape: input.shape })) as SymbolicTensor).shape).toEqual([
        null,
        ...c.expected.shape,
      ]);
      const weighted = c.weights.length > 0;
      const [rtol, atol] = weighted ? [1e-5, 1e-5] : [0, 1.000001e-6];
      const worst = maxError(y.data(), c.expected.data, rtol, atol);
      expect(
        worst.excess,
        `${c.title}\nworst element ${worst.i}: got ${y.data()[worst.i]}, want ${c.expected.data[worst.i]}`,
      ).toBeLessThanOrEqual(0);
    });
});

describe("keras-js fixture helper", () => {
  it("parses Keras 2 constructor calls: positional, keyword, tuples, strings, None/True/False", () => {
    expect(
      parsePyCall("conv = Conv2D(4, (3,3), strides=(1, 2), padding='same', use_bias=False, bias=None)"),
    ).toEqual({
      kind: "call",
      callee: "Conv2D",
      target: "conv",
      args: [4, [3, 3]],
      kwargs: { strides: [1, 2], padding: "same", use_bias: false, bias: null },
      complete: true,
    });
    expect(parsePyExpr("((1,2),(3, 4))")).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parsePyExpr("(5,)")).toEqual([5]);
    expect(parsePyExpr("(5)")).toBe(5);
    expect(parsePyExpr('[-1.5e-3, .5, "a\\"b", True]')).toEqual([-1.5e-3, 0.5, 'a"b', true]);
    expect(parsePyExpr("Constant(0.1)")).toMatchObject({ kind: "call", callee: "Constant", args: [0.1] });
    expect(parsePyExpr("data_in_shape")).toEqual({ kind: "name", id: "data_in_shape" });
    expect(parsePyKwargs("a=1, b='x'")).toEqual({ a: 1, b: "x" });
    expect(() => parsePyCall("Conv2D(filters=4, 3)")).toThrow(/positional after keyword/);
    expect(() => parsePyExpr("(1, 2")).toThrow(SyntaxError);
  });

  it("marks a call cut off at the end of a line as incomplete", () => {
    const call = parsePyCall("conv = Conv2D(4, (3,3), strides=(1,1), padding='valid',");
    expect(call.complete).toBe(false);
    expect(call.args).toEqual([4, [3, 3]]);
    expect(call.kwargs).toEqual({ strides: [1, 1], padding: "valid" });
  });

  it("picks the constructor line, not Input() or the call of the layer variable", () => {
    const call = layerCallOf([
      "L = Cropping1D(cropping=(1,1))",
      "layer_0 = Input(shape=data_in_shape)",
      "layer_1 = L(layer_0)",
    ]);
    expect(call).toMatchObject({ callee: "Cropping1D", kwargs: { cropping: [1, 1] } });
  });

  it("completes truncated calls from the title, and the two must agree", () => {
    const c = loadKerasJsCase("convolutional.Conv2D.9");
    expect(c.fromTitle).toEqual(["data_format", "dilation_rate", "activation", "use_bias"]);
    expect(toLayerOptions(bindArgs(c.call))).toEqual({
      filters: 4,
      kernelSize: [3, 3],
      strides: [1, 1],
      padding: "valid",
      dataFormat: "channels_last",
      dilationRate: [3, 3],
      activation: "relu",
      useBias: true,
    });
    expect(titleKwargs(c.title)).toMatchObject({ strides: [1, 1], padding: "valid" });
    // Pooling calls are complete on one line: nothing comes from the title, None is dropped.
    const p = loadKerasJsCase("pooling.MaxPooling2D.0");
    expect(p.fromTitle).toEqual([]);
    expect(toLayerOptions(bindArgs(p.call))).toEqual({
      poolSize: [2, 2],
      padding: "valid",
      dataFormat: "channels_last",
    });
  });

  it("refuses more positional arguments than the class signature has", () => {
    expect(() => bindArgs(parsePyCall("Cropping1D((1, 1), 2)"))).toThrow(/2 positional arguments/);
  });
});
