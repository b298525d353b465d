/**
 * NumPy semantics of the public ops against hand-computed results (each checked against NumPy 2
 * when written): broadcasting, dtype promotion, creation, random streams, printing, indexing,
 * einsum/matmul, numerically delicate composites and special functions.
 */
import { describe, expect, it } from "vitest";
import * as G from "../src/index.js";
import { array, grad, Rng, type Tensor } from "../src/index.js";
import { allclose, assertAllclose, checkGrads } from "../src/testing/index.js";

const f64 = (n: number, shape: number[]) => G.arange(n).astype("float64").reshape(shape);
const expectArray = (t: Tensor, values: unknown, dtype = "float64") => {
  expect(t.dtype).toBe(dtype);
  expect(t.toArray()).toEqual(values);
};

describe("broadcasting and dtype promotion", () => {
  it("broadcasts like NumPy", () => {
    expectArray(G.add(array([[1], [2]]), array([10, 20, 30])), [
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expect(G.mul(G.zeros([2, 1, 3]), G.zeros([4, 1])).shape).toEqual([2, 4, 3]);
    expectArray(G.where(array([true, false]), array([[1], [2]]), 0), [
      [1, 0],
      [2, 0],
    ]);
  });

  it("promotes: int32+float32 → float64, float32+float64 → float64, bool+int32 → int32", () => {
    expect(G.add(array([1], { dtype: "int32" }), array(new Float32Array([0.5]))).dtype).toBe("float64");
    expect(G.add(array(new Float32Array([1])), array([1])).dtype).toBe("float64");
    expect(G.add(array([1], { dtype: "int32" }), array([true])).dtype).toBe("int32");
    expectArray(G.add(array([true, false]), array([true, true])), [true, true], "bool");
  });

  it("keeps JS numbers weak: float32·2 stays float32; int32·2 stays int32, int32·2.5 → float64", () => {
    expectArray(array(new Float32Array([1.5])).mul(2), [3], "float32");
    expectArray(array([1], { dtype: "int32" }).mul(2), [2], "int32");
    expectArray(array([1], { dtype: "int32" }).mul(2.5), [2.5], "float64");
    expectArray(G.add(array([true, false]), 1), [2, 1], "int32");
  });

  it("sums bools to int32, divides ints to float64, applies float functions to ints as float64", () => {
    expectArray(G.sum(array([true, true, false])), 2, "int32");
    expectArray(G.prod(array([true, true])), 1, "int32");
    expectArray(G.div(array([1, 2], { dtype: "int32" }), array([2, 4], { dtype: "int32" })), [0.5, 0.5]);
    expectArray(G.mean(array([1, 2], { dtype: "int32" })), 1.5);
    expectArray(G.sqrt(array([4], { dtype: "int32" })), [2]);
    expectArray(G.pow(array([2, 3], { dtype: "int32" }), 3), [8, 27], "int32");
  });
});

describe("creation", () => {
  it("array, zeros, ones, full, eye, arange, linspace", () => {
    expectArray(array([true, false]), [true, false], "bool");
    expectArray(array(new Int32Array([1, 2]), { shape: [2, 1] }), [[1], [2]], "int32");
    expectArray(array([[1, 2]], { dtype: "float32" }), [[1, 2]], "float32");
    expectArray(G.full([2], 7, { dtype: "int32" }), [7, 7], "int32");
    expectArray(G.ones([2, 1]), [[1], [1]]);
    expectArray(G.zerosLike(array([1], { dtype: "int32" })), [0], "int32");
    expectArray(G.eye(2, 3, { k: 1 }), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectArray(G.eye(3, 2, { k: -1 }), [
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expectArray(G.arange(5), [0, 1, 2, 3, 4], "int32");
    expectArray(G.arange(5, 1, -2), [5, 3], "int32");
    expectArray(G.arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectArray(G.arange(0.5, 3), [0.5, 1.5, 2.5]);
    expectArray(G.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    expectArray(G.linspace(0, 1, 4, { endpoint: false }), [0, 0.25, 0.5, 0.75]);
  });

  it("converts to a requested dtype with NumPy's astype semantics (regression: bool stored 2, and 0.5 as false)", () => {
    expectArray(array([2, 0, 0.5, NaN], { dtype: "bool" }), [true, false, true, true], "bool");
    expectArray(array(new Float64Array([0.5, 0]), { dtype: "bool" }), [true, false], "bool");
    expectArray(G.full([2], 2, { dtype: "bool" }).equal(array([true, true])), [true, true], "bool");
    expectArray(array([1.7, -1.7], { dtype: "int32" }), [1, -1], "int32");
    expectArray(array([true, false], { dtype: "float64" }), [1, 0]);
    expectArray(G.astype(array([0.5, 0, -2]), "bool"), [true, false, true], "bool");
  });
});

describe("random streams", () => {
  it("reproduce the same values for a seed (a change in the generator is caught here)", () => {
    expect(G.random.normal([4], { seed: 42 }).toArray()).toEqual([
      0.31875784963858494, -0.7706160167419408, 0.15178267621950975, -0.12624145471928355,
    ]);
    expect(G.random.uniform([4], { seed: 42 }).toArray()).toEqual([
      0.6606157208001621, 0.1117019639532224, 0.0791056456144914, 0.015209237180418,
    ]);
    expect(G.random.uniform([3], { seed: 7, low: -1, high: 1 }).toArray()).toEqual([
      -0.5323445571626364, -0.10217083733208154, 0.13133933355705785,
    ]);
    expect(G.random.bernoulli([8], { seed: 1, p: 0.3 }).toArray()).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(G.random.bernoulli([2], { seed: 1, dtype: undefined }).dtype).toBe("bool");
    expect(G.random.bernoulli([2], { seed: 1, dtype: "float32" }).dtype).toBe("float32");
    const r = new Rng(123);
    expect([r.nextUint32(), r.nextUint32(), r.nextFloat(), r.nextNormal()]).toEqual([
      3146710351, 1913850085, 0.5029474901224547, -0.4424633087139427,
    ]);
    // Seeds above 2³² use their high bits too.
    expect(G.random.normal([2], { seed: 2 ** 40 + 5 }).toArray()).toEqual([
      -0.9225744569740519, -0.8893721332455066,
    ]);
    expect(G.random.normal([3], { seed: 9 }).toArray()).toEqual(G.random.normal([3], { seed: 9 }).toArray());
    expect(G.random.normal([3], { seed: 9 }).toArray()).not.toEqual(
      G.random.normal([3], { seed: 10 }).toArray(),
    );
  });

  it("an rng option keeps drawing; the global stream is reseeded by seed()", () => {
    const rng = new Rng(5);
    const a = G.random.uniform([2], { rng }).toArray();
    const b = G.random.uniform([2], { rng }).toArray();
    expect(a).not.toEqual(b);
    expect([...(a as number[]), ...(b as number[])]).toEqual(G.random.uniform([4], { seed: 5 }).toArray());
    G.random.seed(3);
    const first = G.random.normal([2]).toArray();
    G.random.seed(3);
    expect(G.random.normal([2]).toArray()).toEqual(first);
  });

  it("have roughly the right moments", () => {
    const n = 200_000;
    const z = G.random.normal([n], { seed: 1, mean: 2, std: 3 });
    // Standard errors: mean 3/√n ≈ 0.0067, std ≈ 3/√(2n) ≈ 0.0047; allow about 5 of them.
    expect(Math.abs(G.mean(z).item() - 2)).toBeLessThan(0.035);
    expect(Math.abs(G.std(z).item() - 3)).toBeLessThan(0.025);
    const u = G.random.uniform([n], { seed: 2, low: -1, high: 3 });
    expect(Math.abs(G.mean(u).item() - 1)).toBeLessThan(0.015);
    expect(Math.abs(G.variance(u).item() - 16 / 12)).toBeLessThan(0.01);
    expect(G.min(u).item()).toBeGreaterThanOrEqual(-1);
    expect(G.max(u).item()).toBeLessThan(3);
    const t = G.random.truncatedNormal([n], { seed: 3, std: 0.5 });
    expect(G.max(G.abs(t)).item()).toBeLessThanOrEqual(1);
    // Std of a standard normal truncated to ±2 is 0.8796.
    expect(Math.abs(G.std(t).item() - 0.5 * 0.8796)).toBeLessThan(0.005);
    const bits = G.random.bernoulli([n], { seed: 4, p: 0.3 });
    expect(Math.abs(G.sum(bits).item() / n - 0.3)).toBeLessThan(0.006);
  });
});

describe("printing", () => {
  it("renders like NumPy's repr, with dtype when not float64", () => {
    expect(
      String(
        array([
          [1.5, 2],
          [3, 4.25],
        ]),
      ),
    ).toBe("array([[ 1.5,   2.],\n       [  3., 4.25]])");
    expect(String(array([1, 2]))).toBe("array([1., 2.])");
    expect(
      String(
        array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: "int32" },
        ),
      ),
    ).toBe("array([[1, 2],\n       [3, 4]], dtype=int32)");
    expect(String(array([true, false]))).toBe("array([ true, false], dtype=bool)");
    expect(String(array(2.5))).toBe("array(2.5)");
    expect(String(array([NaN, Infinity, -1]))).toBe("array([nan, inf, -1.])");
    expect(String(array([1e-7, 1]))).toBe("array([1e-7,   1.])");
    expect(String(G.zeros([0, 3]))).toBe("array([], shape=[0,3])");
    expect(String(G.arange(2000))).toBe("array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)");
    expect(String(G.arange(8).reshape([2, 2, 2]))).toBe(
      "array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]], dtype=int32)",
    );
    // Traced values say so instead of printing numbers.
    let inside = "";
    grad((x: Tensor) => {
      inside = String(x);
      return x;
    })(array(1));
    expect(inside).toMatch(/Tracer<float64\[\]>/);
  });
});

describe("indexing and reshaping", () => {
  const a = f64(24, [2, 3, 4]);

  it("slice: specs, negative indices, negative steps, clipping", () => {
    // a[:, ::-1, 3:0:-2]
    expect(a.slice([null, [null, null, -1], [3, 0, -2]]).toArray()).toEqual([
      [
        [11, 9],
        [7, 5],
        [3, 1],
      ],
      [
        [23, 21],
        [19, 17],
        [15, 13],
      ],
    ]);
    // a[-1, -2:, :-5:-1]
    expect(a.slice([-1, [-2, null], [null, -5, -1]]).toArray()).toEqual([
      [19, 18, 17, 16],
      [23, 22, 21, 20],
    ]);
    // a[::-2, 1, 1:100:2] (only row 1: the walk from 1 down by 2 stops before -1)
    expect(a.slice([[null, null, -2], 1, [1, 100, 2]]).toArray()).toEqual([[17, 19]]);
    expect(
      f64(6, [3, 2])
        .slice([[null, null, -2]])
        .toArray(),
    ).toEqual([
      [4, 5],
      [0, 1],
    ]);
    // a[5:0:-1] (start clipped to the last row), a[-100:100], a[0, -1:-4:-1, 2:1] (empty)
    expect(a.slice([[5, 0, -1]]).toArray()).toEqual(a.slice([[1, 2]]).toArray());
    expect(a.slice([[-100, 100]]).toArray()).toEqual(a.toArray());
    expect(a.slice([0, [-1, -4, -1], [2, 1]]).shape).toEqual([3, 0]);
    expect(a.slice([1, 2, -1]).item()).toBe(23);
    // Derivatives flow back through negative-step slices.
    const g = grad((x: Tensor) =>
      x
        .slice([[null, null, -2]])
        .mul(array([1, 2, 3]))
        .sum(),
    )(array([0, 0, 0, 0, 0]));
    expect(g.toArray()).toEqual([3, 0, 2, 0, 1]);
  });

  it("split into equal sections or at indices (NumPy's clipping of indices)", () => {
    expect(G.split(G.arange(6), 3).map((t) => t.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(G.split(G.arange(9), [2, 5, 20]).map((t) => t.toArray())).toEqual([
      [0, 1],
      [2, 3, 4],
      [5, 6, 7, 8],
      [],
    ]);
    expect(G.split(G.arange(6).reshape([2, 3]), [-1], 1).map((t) => t.toArray())).toEqual([
      [
        [0, 1],
        [3, 4],
      ],
      [[2], [5]],
    ]);
  });

  it("tile, repeat (scalar and per-element counts), take with negative indices", () => {
    expect(
      G.tile(
        array([
          [1, 2],
          [3, 4],
        ]),
        [2, 3],
      ).toArray(),
    ).toEqual([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    expect(G.tile(array([1, 2]), [2, 1, 2]).toArray()).toEqual([[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expect(
      G.repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        2,
        1,
      ).toArray(),
    ).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4],
    ]);
    expect(
      G.repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        2,
      ).toArray(),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    // Regression: per-element counts built float64 indices and always threw.
    expect(
      G.repeat(
        array([
          [1, 2],
          [3, 4],
        ]),
        [1, 2],
        0,
      ).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(
      G.take(
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [-1, 0, -3],
        1,
      ).toArray(),
    ).toEqual([
      [3, 1, 1],
      [6, 4, 4],
    ]);
    expect(
      G.take(
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [
          [-1, 2],
          [0, 5],
        ],
      ).toArray(),
    ).toEqual([
      [6, 3],
      [1, 6],
    ]);
    expect(
      G.scatterAdd(G.zeros([5]), array([0, 0, -2], { dtype: "int32" }), array([1, 2, 3])).toArray(),
    ).toEqual([3, 0, 0, 3, 0]);
  });

  it("reshape with -1, squeeze, expandDims, moveaxis, swapaxes, transpose, flip, pad, stack, concatenate", () => {
    expect(G.reshape(G.arange(6), [-1, 2]).shape).toEqual([3, 2]);
    expect(G.squeeze(G.zeros([1, 2, 1])).shape).toEqual([2]);
    expect(G.expandDims(array([1, 2]), -1).shape).toEqual([2, 1]);
    expect(G.moveaxis(G.zeros([2, 3, 4]), 0, -1).shape).toEqual([3, 4, 2]);
    expect(G.swapaxes(G.zeros([2, 3, 4]), 0, 2).shape).toEqual([4, 3, 2]);
    expect(G.transpose(G.zeros([2, 3, 4])).shape).toEqual([4, 3, 2]);
    expect(
      G.flip(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [4, 3],
      [2, 1],
    ]);
    expect(
      G.flip(
        array([
          [1, 2],
          [3, 4],
        ]),
        -1,
      ).toArray(),
    ).toEqual([
      [2, 1],
      [4, 3],
    ]);
    expect(
      G.pad(
        array([[1, 2]]),
        [
          [1, 0],
          [0, 2],
        ],
        { value: 9 },
      ).toArray(),
    ).toEqual([
      [9, 9, 9, 9],
      [1, 2, 9, 9],
    ]);
    expect(G.stack([array([1, 2]), array([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(G.concatenate([array([[1, 2]]), array([[3, 4]])], -1).toArray()).toEqual([[1, 2, 3, 4]]);
    expect(
      G.cumsum(
        array([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([1, 3, 6, 10]);
    expect(
      G.cumsum(
        array([
          [1, 2],
          [3, 4],
        ]),
        0,
        { reverse: true },
      ).toArray(),
    ).toEqual([
      [4, 6],
      [3, 4],
    ]);
  });
});

describe("reductions and elementwise", () => {
  it("max/min over axes (ints too), argmax (first of ties, flattened by default), var/std with ddof", () => {
    expectArray(G.max(G.arange(24).reshape([2, 3, 4]), { axis: [0, 2] }), [15, 19, 23], "int32");
    // Regression: int32 max of negatives used to start from -Infinity stored as 0.
    expectArray(G.max(array([-3, -5], { dtype: "int32" })), -3, "int32");
    expectArray(G.min(array([3, 5], { dtype: "int32" })), 3, "int32");
    expect(G.min(G.arange(24).reshape([2, 3, 4]), { axis: -1, keepdims: true }).shape).toEqual([2, 3, 1]);
    expectArray(
      G.argmax(
        array([
          [1, 5],
          [5, 2],
        ]),
      ),
      1,
      "int32",
    );
    expectArray(
      G.argmax(
        array([
          [1, 5],
          [5, 2],
        ]),
        1,
        true,
      ),
      [[1], [0]],
      "int32",
    );
    expectArray(G.argmin(array([2, 1, 1])), 1, "int32");
    expect(G.variance(array([1, 2, 3, 4]), { ddof: 1 }).item()).toBeCloseTo(5 / 3, 15);
    expect(
      G.std(
        array([
          [1, 2],
          [3, 5],
        ]),
        { axis: 0 },
      ).toArray(),
    ).toEqual([1, 1.5]);
  });

  it("NaN propagates through max/min like NumPy", () => {
    expect(G.max(array([1, NaN, 3])).item()).toBeNaN();
    expect(G.argmax(array([1, NaN, 3])).item()).toBe(1);
    expect(G.minimum(array([NaN, 1]), array([1, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(G.sign(array([-2, 0, 3, NaN])).toArray()).toEqual([-1, 0, 1, NaN]);
  });

  it("round half to even, clip, atan2, pow", () => {
    expect(G.round(array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4])).toArray()).toEqual([0, 2, 2, -0, -2, 2]);
    expect(G.clip(array([-1, 0.5, 2]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(G.atan2(array([1, -1]), array([-1, -1])).toArray()).toEqual([
      (3 * Math.PI) / 4,
      (-3 * Math.PI) / 4,
    ]);
    expect(G.pow(array([2, 4]), 0.5).toArray()).toEqual([Math.SQRT2, 2]);
  });
});

describe("einsum, matmul and friends", () => {
  it("einsum with batch dims, implicit output, several operands, transposes and full sums", () => {
    expect(G.einsum("bij,bjk->bik", f64(12, [2, 2, 3]), f64(12, [2, 3, 2])).toArray()).toEqual([
      [
        [10, 13],
        [28, 40],
      ],
      [
        [172, 193],
        [244, 274],
      ],
    ]);
    // Implicit output: indices appearing once, in alphabetical order ("ba,ca" → "bc").
    expect(G.einsum("ij,jk", f64(6, [2, 3]), f64(6, [3, 2])).toArray()).toEqual([
      [10, 13],
      [28, 40],
    ]);
    expect(G.einsum("ba,ca", f64(6, [2, 3]), f64(6, [2, 3])).toArray()).toEqual([
      [5, 14],
      [14, 50],
    ]);
    expect(G.einsum("bi,bi->b", f64(6, [2, 3]), f64(6, [2, 3])).toArray()).toEqual([5, 50]);
    expect(G.einsum("i,j->ij", array([1, 2]), array([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(G.einsum("ij,jk,kl->il", f64(4, [2, 2]), f64(4, [2, 2]), f64(4, [2, 2])).toArray()).toEqual([
      [6, 11],
      [22, 39],
    ]);
    expect(G.einsum("ij->", f64(6, [2, 3])).item()).toBe(15);
    expect(G.einsum("ij->ji", f64(6, [2, 3])).toArray()).toEqual(f64(6, [2, 3]).transpose().toArray());
  });

  it("matmul: 1-D operands and broadcast batch dims", () => {
    expect(G.matmul(array([1, 2, 3]), array([4, 5, 6])).item()).toBe(32);
    expect(
      G.matmul(
        array([1, 2]),
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).toEqual([9, 12, 15]);
    expect(
      G.matmul(
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        array([1, 0, -1]),
      ).toArray(),
    ).toEqual([-2, -2]);
    const bc = G.matmul(f64(12, [2, 1, 2, 3]), f64(18, [3, 3, 2]));
    expect(bc.shape).toEqual([2, 3, 2, 2]);
    expect(bc.slice([1, 2]).toArray()).toEqual([
      [298, 319],
      [424, 454],
    ]);
    expect(G.matmul(array([1, -1]), f64(12, [2, 2, 3])).toArray()).toEqual([
      [-3, -3, -3],
      [-3, -3, -3],
    ]);
    expect(G.matmul(f64(12, [2, 2, 3]), array([1, 0, -1])).toArray()).toEqual([
      [-2, -2],
      [-2, -2],
    ]);
    expect(G.matmul(f64(12, [2, 2, 3]), f64(6, [3, 2])).toArray()).toEqual([
      [
        [10, 13],
        [28, 40],
      ],
      [
        [46, 67],
        [64, 94],
      ],
    ]);
  });

  it("dot, tensordot, outer", () => {
    expect(G.dot(f64(8, [2, 2, 2]), f64(4, [2, 2])).toArray()).toEqual([
      [
        [2, 3],
        [6, 11],
      ],
      [
        [10, 19],
        [14, 27],
      ],
    ]);
    expect(G.tensordot(f64(6, [2, 3]), f64(6, [2, 3]), 2).item()).toBe(55);
    expect(G.tensordot(f64(6, [2, 3]), f64(6, [3, 2]), 1).toArray()).toEqual([
      [10, 13],
      [28, 40],
    ]);
    expect(G.outer(array([1, 2]), array([3, 4])).toArray()).toEqual([
      [3, 4],
      [6, 8],
    ]);
  });
});

describe("numerically delicate composites", () => {
  it("logsumexp and softmax are finite for ±1000 inputs, with finite gradients", () => {
    // Regression: softmax was exp(x − logsumexp(x)), whose rounding of 1000 + log 2 gave
    // 0.5000000000000275 here; it is now exp(x − max)/Σ exp(x − max), exact for these inputs.
    const x = array([1000, -1000, 1000, 0]);
    expect(G.logsumexp(x).item()).toBeCloseTo(1000 + Math.LN2, 12);
    expect(G.softmax(x).toArray()).toEqual([0.5, 0, 0.5, 0]);
    expect(grad((t: Tensor) => G.logsumexp(t))(x).toArray()).toEqual([0.5, 0, 0.5, 0]);
    const gs = grad((t: Tensor) =>
      G.softmax(t)
        .mul(array([1, 2, 3, 4]))
        .sum(),
    )(x);
    expect(gs.toArray()).toEqual([-0.5, 0, 0.5, 0]);
    const nl = G.logSoftmax(array([-1000, 1000]));
    expect(nl.toArray()).toEqual([-2000, 0]);
    expect(
      G.logsumexp(
        array([
          [0, 0],
          [1000, 1000],
        ]),
        { axis: 1 },
      ).toArray(),
    ).toEqual([Math.LN2, 1000 + Math.LN2]);
    expect(G.logsumexp(array([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(grad((t: Tensor) => G.logsumexp(t))(array([-Infinity, 0])).toArray()).toEqual([0, 1]);
  });

  it("softplus, sigmoid and logSigmoid are finite and accurate at ±1000", () => {
    expect(G.softplus(array([-1000, 0, 1000])).toArray()).toEqual([0, Math.LN2, 1000]);
    expect(G.sigmoid(array([-1000, 0, 1000])).toArray()).toEqual([0, 0.5, 1]);
    expect(G.logSigmoid(array([-1000, 1000])).toArray()).toEqual([-1000, -0]);
    expect(grad((t: Tensor) => G.softplus(t).sum())(array([-1000, 1000])).toArray()).toEqual([0, 1]);
    expect(G.softplus(array([-30])).item()).toBeCloseTo(9.357622968840175e-14, 26);
  });

  it("erf and erfc match tabulated values to ~1e-14 relative", () => {
    const table: [Tensor, number][] = [
      [G.erf(array(0.5)), 0.5204998778130465],
      [G.erf(array(1)), 0.8427007929497149],
      [G.erf(array(2)), 0.9953222650189527],
      [G.erf(array(-1)), -0.8427007929497149],
      [G.erfc(array(3)), 2.209049699858544e-5],
      [G.erfc(array(5)), 1.5374597944280349e-12],
      [G.erfc(array(10)), 2.088487583762545e-45],
      [G.erfc(array(-1)), 1.8427007929497148],
    ];
    for (const [got, want] of table) expect(Math.abs(got.item() - want) / Math.abs(want)).toBeLessThan(1e-14);
  });
});

describe("testing helpers", () => {
  it("allclose broadcasts like NumPy's (regression: allclose(zeros([2]), 0) was false)", () => {
    expect(allclose(G.zeros([2]), 0)).toBe(true);
    expect(allclose(G.zeros([2]), 1)).toBe(false);
    expect(allclose(array([[1, 2]]), array([1, 2 + 1e-9]))).toBe(true);
    expect(allclose(G.zeros([2]), G.zeros([3]))).toBe(false);
    expect(allclose(array([1, NaN]), array([1, NaN]))).toBe(false);
    expect(allclose(array([1, NaN]), array([1, NaN]), { equalNan: true })).toBe(true);
    expect(() => assertAllclose(array([1, 2]), array([1, 3]), { what: "y" })).toThrow(
      /y: 1 of 2 elements differ/,
    );
  });

  it("checkGrads flags a derivative that disagrees with finite differences", () => {
    // x·stopGradient(x) has value x², but its derivative is (deliberately) x, not 2x.
    const wrong = (x: Tensor) => x.mul(G.stopGradient(x));
    expect(() => checkGrads(wrong, [array([0.5, -1.5])], { order: 1, modes: ["fwd"] })).toThrow(
      /JVP vs central/,
    );
    expect(() => checkGrads((x: Tensor) => x.mul(x), [array([0.5, -1.5])], { order: 2 })).not.toThrow();
  });
});
