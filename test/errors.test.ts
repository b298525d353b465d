/**
 * Errors say what, where and what was expected: the op's name and the shapes involved, the bad
 * axis, and for tracer misuse a message that tells the user what to do instead.
 */
import { describe, expect, it } from "vitest";
import * as G from "../src/index.js";
import {
  array,
  grad,
  jacrev,
  vmap,
  DTypeError,
  GradlensError,
  ShapeError,
  TracerError,
  ValueError,
  type Tensor,
} from "../src/index.js";
import { bind } from "../src/prims/tensor.js";

/** Runs `f`, expecting an error of class `cls` whose message contains every fragment. */
function expectError(f: () => unknown, cls: new (...a: never[]) => Error, ...fragments: string[]): void {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected an error").toBeInstanceOf(cls);
  for (const frag of fragments) expect((caught as Error).message).toContain(frag);
}

describe("shape errors name the op and both shapes", () => {
  it("add (broadcasting)", () => {
    expectError(() => G.add(G.zeros([2, 3]), G.zeros([4])), ShapeError, "add", "[2,3]", "[4]");
    expectError(() => G.zeros([2, 3]).mul(G.zeros([3, 2])), ShapeError, "mul", "[2,3]", "[3,2]");
    expectError(
      () => G.where(array([true, false, true]), G.zeros([2]), 0),
      ShapeError,
      "where",
      "[3]",
      "[2]",
    );
  });

  it("matmul", () => {
    expectError(() => G.matmul(G.zeros([2, 3]), G.zeros([4, 5])), ShapeError, "matmul", "[2,3]", "[4,5]");
    expectError(() => G.matmul(G.zeros([3]), G.zeros([2])), ShapeError, "matmul", "[3]", "[2]");
    expectError(() => G.matmul(G.zeros([2, 2, 3]), G.zeros([3, 3, 2])), ShapeError, "matmul", "[2]", "[3]");
    expectError(() => G.matmul(array(1), G.zeros([2])), ShapeError, "matmul");
  });

  it("reshape", () => {
    expectError(() => G.zeros([2, 3]).reshape([4, 2]), ShapeError, "reshape", "[2,3]", "[4,2]");
    expectError(() => G.zeros([2, 3]).reshape([-1, 4]), ShapeError, "reshape", "[2,3]", "[-1,4]");
    expectError(() => G.zeros([2, 3]).reshape([-1, -1]), ShapeError, "reshape", "-1");
  });

  it("concatenate", () => {
    expectError(
      () => G.concatenate([G.zeros([2, 3]), G.zeros([2, 4])], 0),
      ShapeError,
      "concatenate",
      "[2,3]",
      "[2,4]",
    );
    expectError(() => G.stack([G.zeros([2]), G.zeros([3])]), ShapeError, "stack", "[2]", "[3]");
  });

  it("dot_general", () => {
    const lhs = G.zeros([2, 3]);
    const rhs = G.zeros([4, 5]);
    expectError(
      () => bind("dot_general", [lhs, rhs], { contract: [[1], [0]], batch: [[], []] }),
      ShapeError,
      "dot_general",
      "[2,3]",
      "[4,5]",
    );
    expectError(
      () => bind("dot_general", [lhs, rhs], { contract: [[1], [5]], batch: [[], []] }),
      ShapeError,
      "dot_general",
      "invalid dimension",
    );
    expectError(() => G.einsum("ij,jk->ik", lhs, rhs), ShapeError, "einsum", "'j'");
  });

  it("other shape checks: broadcastTo, transpose, squeeze, split, vmap sizes", () => {
    expectError(() => G.broadcastTo(G.zeros([3]), [2, 4]), ShapeError, "broadcastTo", "[3]", "[2,4]");
    expectError(() => G.transpose(G.zeros([2, 3]), [0, 0]), ShapeError, "transpose", "[0,0]", "[2,3]");
    expectError(() => G.squeeze(G.zeros([2, 3]), 0), ShapeError, "squeeze", "[2,3]");
    expectError(() => G.split(G.zeros([5]), 2), ShapeError, "split", "5");
    expectError(
      () => vmap((a: Tensor, b: Tensor) => a.add(b))(G.zeros([2]), G.zeros([3])),
      ShapeError,
      "vmap",
      "[2]",
      "[3]",
    );
    expectError(() => grad((x: Tensor) => x.mul(2))(G.zeros([2])), ShapeError, "grad", "scalar", "[2]");
  });
});

describe("bad axes", () => {
  it("reductions, argmax, cumsum, concatenate, take, expandDims name the axis and the rank", () => {
    expectError(() => G.sum(G.zeros([2, 3]), { axis: 2 }), ValueError, "sum", "axis 2", "rank 2");
    expectError(() => G.sum(G.zeros([2, 3]), { axis: -3 }), ValueError, "axis -3");
    expectError(() => G.sum(G.zeros([2, 3]), { axis: [0, -2] }), ValueError, "repeated axis");
    expectError(() => G.max(G.zeros([2]), { axis: 1.5 }), ValueError, "axis 1.5");
    expectError(() => G.argmax(G.zeros([2, 3]), 3), ValueError, "argmax", "axis 3");
    expectError(() => G.cumsum(G.zeros([2]), 1), ValueError, "cumsum", "axis 1");
    expectError(() => G.concatenate([G.zeros([2]), G.zeros([2])], 1), ValueError, "concatenate", "axis 1");
    expectError(() => G.take(G.zeros([2]), [0], 1), ValueError, "take", "axis 1");
    expectError(() => G.expandDims(G.zeros([2]), 2), ValueError, "expandDims", "axis 2");
  });

  it("rank-0 arrays have no axis 0 (regression: axis 0 passed the range check)", () => {
    expectError(() => G.sum(array(2), { axis: 0 }), ValueError, "axis 0", "rank 0");
    expectError(() => vmap((x: Tensor) => x)(array(2)), ValueError, "vmap inAxes", "rank 0");
  });

  it("flip with a repeated axis is an error (regression: it read out of bounds and gave NaN)", () => {
    expectError(() => G.flip(G.zeros([3]), [0, 0]), ValueError, "flip", "repeated axis");
    expectError(() => bind("rev", [G.zeros([3])], { axes: [0, 0] }), ValueError, "flip", "repeated");
  });

  it("integer powers with negative exponents are refused, like NumPy (they were truncated to 0)", () => {
    expectError(
      () => G.pow(array([2], { dtype: "int32" }), -1),
      ValueError,
      "pow",
      "negative integer powers",
    );
    expect(G.pow(array([2], { dtype: "int32" }), 3).toArray()).toEqual([8]);
    expect(G.pow(array([2]), -1).toArray()).toEqual([0.5]);
  });

  it("out-of-range indices are errors, not clamps", () => {
    expectError(() => G.take(array([1, 2, 3]), [3]), ValueError, "index 3", "size 3");
    expectError(() => G.take(array([1, 2, 3]), [-4]), ValueError, "index -4");
    expectError(() => array([1, 2]).slice([2]), ValueError, "slice", "index 2");
  });
});

describe("dtype errors", () => {
  it("integer inputs to grad name the argument; primitives name the op", () => {
    expectError(
      () => grad((x: Tensor) => x.sum())(array([1], { dtype: "int32" })),
      DTypeError,
      "grad",
      "argument 0",
      "int32",
    );
    expectError(
      () => jacrev((x: Tensor) => x)(array([1], { dtype: "int32" })),
      DTypeError,
      "jacrev",
      "argument 0",
    );
    // An integer-valued function has no derivative (it used to give silent zeros, JAX refuses it).
    expectError(
      () => grad((x: Tensor) => x.argmax())(array([1, 3])),
      DTypeError,
      "grad",
      "float scalar",
      "int32",
    );
    expectError(
      () => G.valueAndGrad((x: Tensor) => G.greater(x, 0).sum())(array([1])),
      DTypeError,
      "valueAndGrad",
    );
    expectError(
      () => bind("add", [G.zeros([1]), G.zeros([1], { dtype: "float32" })], {}),
      DTypeError,
      "add",
      "float64",
      "float32",
    );
    expectError(() => bind("sin", [G.zeros([1], { dtype: "int32" })], {}), DTypeError, "sin", "int32");
    expectError(() => G.array([1], { dtype: "float16" as never }), DTypeError, "float16");
  });

  it("tangents and cotangents must match their primal's/output's dtype (checked at the boundary)", () => {
    const x = array(new Float32Array([1, 2]));
    const sin = (t: Tensor) => t.sin();
    expectError(() => G.jvp(sin, [x], [array([1, 1])]), DTypeError, "jvp: tangents", "float64", "float32");
    expectError(() => G.vjp(sin, x)[1](array([1, 1])), DTypeError, "vjp: the cotangent", "like the output");
    expectError(
      () => G.vjp(sin, x)[1]([array([1, 1])] as never),
      ValueError,
      "same structure as the outputs",
    );
    expectError(() => G.jvp(sin, [x], [array(new Float32Array([1]))]), ShapeError, "leaf 0", "[1]", "[2]");
  });
});

describe("transform arguments", () => {
  it("jvp/hvp take arrays of arguments (a bare tensor used to fail with a TypeError about spreading)", () => {
    const sin = (x: Tensor) => x.sin();
    expectError(() => G.jvp(sin, array(1) as never, array(1) as never), ValueError, "jvp(f, [x], [v])");
    expectError(() => G.hvp(sin, array(1) as never, array(1) as never), ValueError, "jvp(f, [x], [v])");
  });
});

describe("tracer misuse", () => {
  it("reading .toArray() inside grad gives a TracerError that says what to do", () => {
    expectError(
      () =>
        grad((x: Tensor) => {
          x.toArray();
          return x;
        })(array(1)),
      TracerError,
      "toArray()",
      "traced",
      "read them after the transform returns",
    );
    expectError(
      () =>
        vmap((x: Tensor) => {
          x.item();
          return x;
        })(array([1, 2])),
      TracerError,
      "item()",
    );
    expectError(
      () =>
        grad((x: Tensor) => {
          x.data();
          return x;
        })(array(1)),
      TracerError,
      "data()",
    );
  });

  it("item() of a non-scalar is a ValueError, not a TracerError (regression)", () => {
    expectError(() => array([1, 2]).item(), ValueError, "item()", "2 elements");
    expect(() => array([1, 2]).item()).not.toThrow(TracerError);
  });

  it("every error is a GradlensError", () => {
    expectError(() => G.add(G.zeros([2]), G.zeros([3])), GradlensError);
    expectError(() => G.sum(G.zeros([2]), { axis: 5 }), GradlensError);
  });
});
