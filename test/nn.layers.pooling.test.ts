/**
 * Pooling and spatial reshaping layers (MaxPooling/AveragePooling/Global*Pooling 1D–3D,
 * ZeroPadding, Cropping, UpSampling 1D–3D): hand-computed outputs, channels_first, Keras's shape
 * formulas and configs, masks, typed errors and derivatives. Bilinear UpSampling2D is also checked
 * against TensorFlow.js's resizeBilinear (half-pixel centres) as an independent oracle. The Keras
 * goldens are in golden.kerasjs.conv.test.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  array,
  grad,
  Input,
  layers,
  random,
  resetNames,
  ShapeError,
  sum,
  transpose,
  ValueError,
  type Layer,
  type SymbolicTensor,
  type Tensor,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";

beforeEach(() => resetNames());

const rand = (shape: number[], seed: number) => random.normal(shape, { seed });
const run = (layer: Layer, x: Tensor, kwargs?: Record<string, unknown>) => layer.call(x, kwargs) as Tensor;
const seq = (values: number[]) => array(values).reshape([1, values.length, 1]);
const flat = (t: Tensor) => Array.from(t.data());
const toFirst = (t: Tensor) =>
  transpose(t, [0, t.ndim - 1, ...Array.from({ length: t.ndim - 2 }, (_, i) => i + 1)]);

describe("MaxPooling and AveragePooling", () => {
  const x = seq([1, 5, 2, 4, 3]);

  it("max pooling, hand-checked: valid, same, overlapping windows", () => {
    expect(flat(run(new layers.MaxPooling1D(), x))).toEqual([5, 4]);
    expect(flat(run(new layers.MaxPooling1D({ padding: "same" }), x))).toEqual([5, 4, 3]);
    // pool 3, stride 1, same: one pad each side → windows [·,1,5] [1,5,2] [5,2,4] [2,4,3] [4,3,·]
    expect(flat(run(new layers.MaxPooling1D({ poolSize: 3, strides: 1, padding: "same" }), x))).toEqual([
      5, 5, 5, 4, 4,
    ]);
    // padding never wins, even over negative values
    expect(flat(run(new layers.MaxPooling1D({ padding: "same" }), x.neg()))).toEqual([-1, -2, -3]);
    const img = array(
      Float64Array.from({ length: 16 }, (_, i) => i),
      { shape: [1, 4, 4, 1] },
    );
    expect(flat(run(new layers.MaxPooling2D(), img))).toEqual([5, 7, 13, 15]);
    expect(flat(run(new layers.MaxPooling2D({ poolSize: [1, 4] }), img))).toEqual([3, 7, 11, 15]);
  });

  it("average pooling divides 'same' windows by their real elements only", () => {
    expect(flat(run(new layers.AveragePooling1D({ padding: "same" }), seq([1, 2, 3])))).toEqual([1.5, 3]);
    expect(
      flat(run(new layers.AveragePooling1D({ poolSize: 3, strides: 1, padding: "same" }), seq([1, 2, 3, 4]))),
    ).toEqual([1.5, 2, 3, 3.5]);
    const img = array(
      Float64Array.from({ length: 16 }, (_, i) => i),
      { shape: [1, 4, 4, 1] },
    );
    expect(flat(run(new layers.AveragePooling2D({ strides: 1 }), img))).toEqual([
      2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5,
    ]);
    expect(
      flat(run(new layers.AveragePooling3D({ poolSize: [1, 2, 2] }), img.reshape([1, 1, 4, 4, 1]))),
    ).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it("channels_first equals channels_last transposed", () => {
    for (const [C, shape] of [
      [layers.MaxPooling2D, [2, 5, 7, 3]],
      [layers.AveragePooling2D, [2, 5, 7, 3]],
      [layers.MaxPooling3D, [1, 4, 5, 3, 2]],
      [layers.AveragePooling3D, [1, 4, 5, 3, 2]],
      [layers.MaxPooling1D, [2, 7, 3]],
      [layers.AveragePooling1D, [2, 7, 3]],
    ] as const) {
      const xs = rand(shape.slice(), 3);
      const opts = { poolSize: 3, strides: 2, padding: "same" as const };
      const last = run(new C(opts), xs);
      assertAllclose(run(new C({ ...opts, dataFormat: "channels_first" }), toFirst(xs)), toFirst(last), {
        rtol: 0,
        atol: 1e-15,
      });
    }
  });

  it("derivatives: max pooling routes the gradient to each window's maximum; checkGrads to second order", () => {
    const g = grad((v: Tensor) => sum(run(new layers.MaxPooling1D({ poolSize: 2, strides: 1 }), v)))(x);
    // windows [1,5] [5,2] [2,4] [4,3] → maxima at steps 1, 1, 3, 3
    expect(flat(g)).toEqual([0, 2, 0, 2, 0]);
    for (const layer of [
      new layers.MaxPooling2D({ poolSize: 3, strides: 2, padding: "same" }),
      new layers.AveragePooling2D({ poolSize: 3, strides: 2, padding: "same" }),
      new layers.MaxPooling3D({ poolSize: 2, dataFormat: "channels_first" }),
      new layers.AveragePooling1D({ poolSize: 2, strides: 1 }),
    ])
      checkGrads(
        (v: Tensor) => run(layer, v).tanh(),
        [
          rand(
            layer.className.endsWith("3D")
              ? [1, 2, 4, 4, 2]
              : layer.className.endsWith("1D")
                ? [2, 5, 3]
                : [1, 5, 4, 2],
            8,
          ),
        ],
        { order: 2 },
      );
  });

  it("config: strides default to the pool size; every option round-trips", () => {
    const p = new layers.MaxPooling3D({
      poolSize: [2, 3, 1],
      padding: "same",
      dataFormat: "channels_first",
      name: "pool",
    });
    expect(p.getConfig()).toMatchObject({
      name: "pool",
      poolSize: [2, 3, 1],
      strides: [2, 3, 1],
      padding: "same",
      dataFormat: "channels_first",
    });
    expect(layers.MaxPooling3D.fromConfig(p.getConfig()).getConfig()).toEqual(p.getConfig());
    expect(new layers.AveragePooling2D({ strides: null }).getConfig()).toMatchObject({
      poolSize: [2, 2],
      strides: [2, 2],
    });
  });

  it("throws typed errors naming the layer", () => {
    expect(() => new layers.MaxPooling2D({ poolSize: 0 })).toThrow(ValueError);
    expect(() => new layers.MaxPooling2D({ padding: "full" as "same" })).toThrow(
      /padding must be "valid" or "same"/,
    );
    const pool = new layers.AveragePooling2D({ poolSize: 3, name: "avg" });
    expect(() => run(pool, rand([1, 2, 5, 1], 0))).toThrow(ShapeError);
    expect(() => pool.computeOutputShape([null, 2, 5, 1])).toThrow(
      /AveragePooling2D 'avg': input shape \[None, 2, 5, 1\] is too small for poolSize \[3, 3\]/,
    );
    expect(() => run(pool, rand([1, 5, 5], 0))).toThrow(
      /AveragePooling2D 'avg': expected an input of rank 4/,
    );
  });
});

describe("Global pooling", () => {
  it("max and mean over every spatial dim, keepdims and channels_first", () => {
    const xs = rand([2, 3, 4, 5], 1);
    const data = xs.toArray() as number[][][][];
    const gmax = run(new layers.GlobalMaxPooling2D(), xs);
    expect(gmax.shape).toEqual([2, 5]);
    expect(gmax.toArray()).toEqual(
      data.map((img) => [0, 1, 2, 3, 4].map((c) => Math.max(...img.flat().map((p) => p[c])))),
    );
    const gavg = run(new layers.GlobalAveragePooling2D({ keepdims: true }), xs);
    expect(gavg.shape).toEqual([2, 1, 1, 5]);
    assertAllclose(gavg.reshape([2, 5]), xs.mean({ axis: [1, 2] }), { rtol: 1e-15, atol: 0 });
    assertAllclose(
      run(new layers.GlobalAveragePooling2D({ dataFormat: "channels_first" }), toFirst(xs)),
      xs.mean({ axis: [1, 2] }),
      {
        rtol: 1e-15,
        atol: 0,
      },
    );
    const x3 = rand([1, 2, 3, 2, 4], 2);
    expect(
      run(new layers.GlobalMaxPooling3D({ dataFormat: "channels_first", keepdims: true }), x3).shape,
    ).toEqual([1, 2, 1, 1, 1]);
    expect(
      new layers.GlobalMaxPooling3D({ keepdims: true }).computeOutputShape([null, 2, null, 2, 4]),
    ).toEqual([null, 1, 1, 1, 4]);
    expect(new layers.GlobalAveragePooling3D().computeOutputShape([null, 2, null, 2, 4])).toEqual([null, 4]);
    expect(
      new layers.GlobalMaxPooling1D({ dataFormat: "channels_first" }).computeOutputShape([null, 6, 9]),
    ).toEqual([null, 6]);
    const g = new layers.GlobalMaxPooling1D({ keepdims: true, name: "g" });
    expect(layers.GlobalMaxPooling1D.fromConfig(g.getConfig()).getConfig()).toEqual(g.getConfig());
    expect(g.getConfig()).toMatchObject({ keepdims: true, dataFormat: "channels_last" });
    expect(() => run(g, rand([2, 3], 0))).toThrow(/GlobalMaxPooling1D 'g': expected an input of rank 3/);
  });

  it("GlobalAveragePooling1D averages over unmasked steps only and passes no mask on", () => {
    const gap = new layers.GlobalAveragePooling1D();
    const xs = array([
      [
        [1, 10],
        [2, 20],
        [6, 60],
      ],
      [
        [3, 30],
        [5, 50],
        [7, 70],
      ],
    ]);
    const mask = array([
      [true, true, false],
      [false, true, true],
    ]);
    expect(run(gap, xs).toArray()).toEqual([
      [3, 30],
      [5, 50],
    ]);
    expect(run(gap, xs, { mask }).toArray()).toEqual([
      [1.5, 15],
      [6, 60],
    ]);
    const cf = new layers.GlobalAveragePooling1D({ dataFormat: "channels_first", keepdims: true });
    expect(run(cf, toFirst(xs), { mask }).toArray()).toEqual([
      [[1.5], [15]],
      [[6], [60]],
    ]);
    expect(gap.supportsMasking).toBe(true);
    expect(gap.computeMask(xs, mask)).toBeNull();
    expect(() => run(gap, xs, { mask: array([[true, false]]) })).toThrow(/expected a mask of shape \[2, 3\]/);
    checkGrads((v: Tensor) => run(gap, v, { mask }).sin(), [rand([2, 3, 2], 4)], { order: 2 });
  });
});

describe("ZeroPadding and Cropping", () => {
  it("pads with zeros, hand-checked, in every accepted form", () => {
    expect(flat(run(new layers.ZeroPadding1D({ padding: [1, 2] }), seq([7, 8])))).toEqual([0, 7, 8, 0, 0]);
    expect(flat(run(new layers.ZeroPadding1D(), seq([7])))).toEqual([0, 7, 0]);
    const img = array([1, 2, 3, 4]).reshape([1, 2, 2, 1]);
    expect(
      run(
        new layers.ZeroPadding2D({
          padding: [
            [1, 0],
            [0, 1],
          ],
        }),
        img,
      )
        .reshape([3, 3])
        .toArray(),
    ).toEqual([
      [0, 0, 0],
      [1, 2, 0],
      [3, 4, 0],
    ]);
    const cf = run(
      new layers.ZeroPadding2D({ padding: [0, 1], dataFormat: "channels_first" }),
      img.reshape([1, 1, 2, 2]),
    );
    expect(cf.reshape([2, 4]).toArray()).toEqual([
      [0, 1, 2, 0],
      [0, 3, 4, 0],
    ]);
    const p3 = new layers.ZeroPadding3D({ padding: [1, [0, 2], 0] });
    expect(run(p3, rand([1, 2, 2, 2, 3], 0)).shape).toEqual([1, 4, 4, 2, 3]);
    expect(p3.getConfig()).toMatchObject({
      padding: [
        [1, 1],
        [0, 2],
        [0, 0],
      ],
      dataFormat: "channels_last",
    });
    expect(new layers.ZeroPadding2D().getConfig().padding).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(new layers.ZeroPadding1D({ padding: 3 }).getConfig().padding).toEqual([3, 3]);
    expect(layers.ZeroPadding3D.fromConfig(p3.getConfig()).getConfig()).toEqual(p3.getConfig());
    expect(p3.computeOutputShape([null, null, 2, 2, 3])).toEqual([null, null, 4, 2, 3]);
  });

  it("crops, hand-checked, and refuses to crop a dim away", () => {
    expect(flat(run(new layers.Cropping1D({ cropping: [2, 1] }), seq([1, 2, 3, 4, 5])))).toEqual([3, 4]);
    expect(flat(run(new layers.Cropping1D(), seq([1, 2, 3])))).toEqual([2]);
    const img = array(
      Float64Array.from({ length: 16 }, (_, i) => i),
      { shape: [1, 1, 4, 4] },
    );
    const c2 = new layers.Cropping2D({
      cropping: [
        [1, 2],
        [0, 1],
      ],
      dataFormat: "channels_first",
      name: "crop",
    });
    expect(run(c2, img).reshape([1, 3]).toArray()).toEqual([[4, 5, 6]]);
    expect(c2.getConfig()).toMatchObject({
      cropping: [
        [1, 2],
        [0, 1],
      ],
      dataFormat: "channels_first",
    });
    expect(layers.Cropping2D.fromConfig(c2.getConfig()).getConfig()).toEqual(c2.getConfig());
    expect(new layers.Cropping1D().getConfig()).not.toHaveProperty("dataFormat");
    expect(new layers.Cropping1D({ cropping: 2 }).getConfig().cropping).toEqual([2, 2]);
    expect(() => run(c2, img.slice([null, null, [0, 3]]))).toThrow(ShapeError);
    expect(() => c2.computeOutputShape([null, 1, 3, 4])).toThrow(
      /Cropping2D 'crop': cropping \[\[1,2\],\[0,1\]\] must leave every spatial dim non-empty; input shape \[None, 1, 3, 4\] would become \[None, 1, 0, 3\]/,
    );
    expect(new layers.Cropping3D().computeOutputShape([null, 3, null, 4, 2])).toEqual([null, 1, null, 2, 2]);
  });

  it("rejects malformed amounts with a ValueError", () => {
    expect(() => new layers.ZeroPadding2D({ padding: [1, 2, 3] })).toThrow(
      /padding must be an int, 2 ints, or 2 pairs/,
    );
    expect(() => new layers.ZeroPadding1D({ padding: -1 })).toThrow(ValueError);
    expect(() => new layers.Cropping3D({ cropping: [[1, 1], [1], 0] })).toThrow(ValueError);
    expect(() => new layers.Cropping1D({ cropping: [1, 2, 3] as unknown as [number, number] })).toThrow(
      ValueError,
    );
  });

  it("derivatives: padding and cropping are linear maps (checkGrads to second order)", () => {
    const pad = new layers.ZeroPadding2D({
      padding: [
        [1, 0],
        [2, 1],
      ],
    });
    const crop = new layers.Cropping2D({
      cropping: [
        [1, 0],
        [0, 1],
      ],
    });
    checkGrads((v: Tensor) => run(crop, run(pad, v)).tanh(), [rand([1, 3, 3, 2], 2)], { order: 2 });
  });
});

describe("UpSampling", () => {
  it("nearest: repeats along each spatial dim", () => {
    expect(flat(run(new layers.UpSampling1D({ size: 3 }), seq([1, 2])))).toEqual([1, 1, 1, 2, 2, 2]);
    const img = array([1, 2, 3, 4]).reshape([1, 2, 2, 1]);
    expect(
      run(new layers.UpSampling2D({ size: [1, 2] }), img)
        .reshape([2, 4])
        .toArray(),
    ).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4],
    ]);
    const cf = new layers.UpSampling3D({ size: [2, 1, 1], dataFormat: "channels_first" });
    expect(flat(run(cf, array([1, 2]).reshape([1, 2, 1, 1, 1])))).toEqual([1, 1, 2, 2]);
    expect(cf.computeOutputShape([null, 2, 3, null, 4])).toEqual([null, 2, 6, null, 4]);
    expect(new layers.UpSampling1D().computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    expect(new layers.UpSampling1D({ size: 2 }).getConfig()).toMatchObject({ size: 2 });
    expect(() => new layers.UpSampling1D({ size: 0 })).toThrow(/size must be a positive integer/);
  });

  it("bilinear (half-pixel centres, clamped) reproduces a linear ramp inside and holds the edges", () => {
    // f(r, c) = 2r + c on a 2×2 grid; sample coordinates per dim are 0, 0.25, 0.75, 1 after clamping.
    const img = array([0, 1, 2, 3]).reshape([1, 2, 2, 1]);
    const up = new layers.UpSampling2D({ interpolation: "bilinear" });
    const coords = [0, 0.25, 0.75, 1];
    expect(run(up, img).reshape([4, 4]).toArray()).toEqual(coords.map((r) => coords.map((c) => 2 * r + c)));
    expect(up.getConfig()).toMatchObject({
      size: [2, 2],
      interpolation: "bilinear",
      dataFormat: "channels_last",
    });
    expect(layers.UpSampling2D.fromConfig(up.getConfig()).getConfig()).toEqual(up.getConfig());
  });

  describe("bilinear vs TensorFlow.js resizeBilinear(halfPixelCenters = true)", () => {
    beforeAll(async () => {
      await tf.setBackend("cpu");
    });
    for (const [size, shape] of [
      [
        [2, 3],
        [2, 3, 5, 2],
      ],
      [
        [3, 1],
        [1, 4, 2, 3],
      ],
      [
        [4, 4],
        [1, 1, 3, 1],
      ],
    ] as const)
      it(`size ${JSON.stringify(size)} on ${JSON.stringify(shape)}, channels_last and channels_first`, () => {
        const xs = rand(shape.slice(), 6);
        const want = tf.image.resizeBilinear(
          tf.tensor4d(Float32Array.from(xs.data()), [...shape]),
          [shape[1] * size[0], shape[2] * size[1]],
          false,
          true,
        );
        const expected = array(Float64Array.from(want.dataSync()), { shape: want.shape });
        want.dispose();
        const got = run(new layers.UpSampling2D({ size: [...size], interpolation: "bilinear" }), xs);
        assertAllclose(got, expected, { rtol: 1e-6, atol: 1e-6 });
        const cf = run(
          new layers.UpSampling2D({
            size: [...size],
            interpolation: "bilinear",
            dataFormat: "channels_first",
          }),
          toFirst(xs),
        );
        assertAllclose(cf, toFirst(got), { rtol: 0, atol: 1e-15 });
      });
  });

  it("bilinear: derivatives, and the Keras methods gradlens does not implement are refused", () => {
    const up = new layers.UpSampling2D({ size: [2, 3], interpolation: "bilinear" });
    checkGrads((v: Tensor) => run(up, v).tanh(), [rand([1, 2, 3, 2], 1)], { order: 2 });
    expect(() => new layers.UpSampling2D({ interpolation: "bicubic", name: "u" })).toThrow(
      `UpSampling2D 'u': interpolation "bicubic" is not implemented in gradlens; use "nearest" or "bilinear"`,
    );
    expect(() => new layers.UpSampling2D({ interpolation: "cubic" as "bicubic" })).toThrow(
      /interpolation must be one of/,
    );
    expect(new layers.UpSampling2D({ interpolation: "Bilinear" as "bilinear" }).interpolation).toBe(
      "bilinear",
    );
  });
});

describe("shapes: Keras's closed forms agree with abstract evaluation and the computed output", () => {
  const cases: [string, () => Layer, number[]][] = [
    [
      "MaxPooling1D same s3",
      () => new layers.MaxPooling1D({ poolSize: 2, strides: 3, padding: "same" }),
      [2, 7, 2],
    ],
    [
      "AveragePooling2D cf",
      () => new layers.AveragePooling2D({ poolSize: [3, 2], strides: 1, dataFormat: "channels_first" }),
      [1, 2, 5, 4],
    ],
    [
      "MaxPooling3D",
      () => new layers.MaxPooling3D({ poolSize: [2, 1, 3], padding: "same" }),
      [1, 3, 4, 5, 2],
    ],
    [
      "AveragePooling3D cf",
      () => new layers.AveragePooling3D({ poolSize: 2, strides: [1, 2, 1], dataFormat: "channels_first" }),
      [1, 2, 3, 4, 5],
    ],
    ["GlobalMaxPooling2D keepdims", () => new layers.GlobalMaxPooling2D({ keepdims: true }), [1, 3, 4, 2]],
    [
      "GlobalAveragePooling1D cf",
      () => new layers.GlobalAveragePooling1D({ dataFormat: "channels_first" }),
      [2, 3, 5],
    ],
    ["ZeroPadding1D", () => new layers.ZeroPadding1D({ padding: [0, 3] }), [1, 2, 3]],
    [
      "ZeroPadding2D cf",
      () => new layers.ZeroPadding2D({ padding: [2, 1], dataFormat: "channels_first" }),
      [1, 2, 3, 4],
    ],
    ["Cropping3D", () => new layers.Cropping3D({ cropping: [0, [1, 0], 2] }), [1, 2, 3, 5, 2]],
    [
      "UpSampling2D bilinear",
      () => new layers.UpSampling2D({ size: [3, 2], interpolation: "bilinear" }),
      [1, 2, 3, 2],
    ],
    [
      "UpSampling3D cf",
      () => new layers.UpSampling3D({ size: [1, 2, 3], dataFormat: "channels_first" }),
      [1, 2, 2, 2, 2],
    ],
    ["UpSampling1D", () => new layers.UpSampling1D({ size: 4 }), [1, 3, 2]],
  ];
  for (const [name, make, shape] of cases)
    it(name, () => {
      const layer = make();
      const y = run(layer, rand(shape, 1));
      expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...y.shape.slice(1)]);
      expect((layer.apply(Input({ shape: shape.slice(1) })) as SymbolicTensor).shape).toEqual([
        null,
        ...y.shape.slice(1),
      ]);
    });
});
