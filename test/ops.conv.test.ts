/**
 * Convolutions against naive references written here with plain nested loops over Float64Arrays
 * (no patches, no dot_general): the references compute the Keras/TF padding and output sizes
 * from the documented formulas themselves, so they share nothing with src/ops/conv.ts.
 */
import { describe, expect, it } from "vitest";
import {
  array,
  biasAdd,
  conv,
  conv1d,
  conv2d,
  conv3d,
  convTranspose,
  depthwiseConv,
  depthwiseConv2d,
  grad,
  jacfwd,
  jacrev,
  separableConv,
  ShapeError,
  ValueError,
  vmap,
  type Tensor,
} from "../src/index.js";
import { Rng } from "../src/core/rng.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { at, expectCloseTo, indices, moveAxis, size, toT, type Arr } from "./helpers/rowMajor.js";

function randArr(shape: number[], rng: Rng): Arr {
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
  return { shape, data };
}
type Pad = "valid" | "same" | "causal" | [number, number][];

/** Keras/TF output size and low pad of one spatial dim, straight from the documented formulas. */
function dimGeometry(S: number, k: number, s: number, d: number, pad: Pad, dim: number): [number, number] {
  const dk = (k - 1) * d + 1;
  if (pad === "valid") return [Math.floor((S - dk) / s) + 1, 0];
  if (pad === "causal") return [Math.floor((S - 1) / s) + 1, dk - 1];
  if (pad === "same") {
    const out = Math.ceil(S / s);
    return [out, Math.floor(Math.max((out - 1) * s + dk - S, 0) / 2)];
  }
  const [lo, hi] = pad[dim];
  return [Math.floor((S + lo + hi - dk) / s) + 1, lo];
}

/** Naive grouped convolution, channels-last x [N, S.., Cin], kernel [K.., Cin/G, Cout]. */
function refConv(x: Arr, k: Arr, s: number[], dil: number[], pad: Pad, groups: number): Arr {
  const D = k.shape.length - 2;
  const S = x.shape.slice(1, D + 1);
  const K = k.shape.slice(0, D);
  const [cg, cout] = k.shape.slice(D);
  const geo = S.map((n, d) => dimGeometry(n, K[d], s[d], dil[d], pad, d));
  const shape = [x.shape[0], ...geo.map((g) => g[0]), cout];
  const out = { shape, data: new Float64Array(size(shape)) };
  for (const idx of indices(shape)) {
    const [n, ...o] = idx;
    const co = o.pop()!;
    const g = Math.floor(co / (cout / groups));
    let acc = 0;
    for (const kk of indices(K)) {
      const pos = kk.map((kv, d) => o[d] * s[d] + kv * dil[d] - geo[d][1]);
      if (pos.some((p, d) => p < 0 || p >= S[d])) continue;
      for (let ci = 0; ci < cg; ci++)
        acc += x.data[at(x, [n, ...pos, g * cg + ci])] * k.data[at(k, [...kk, ci, co])];
    }
    out.data[at(out, idx)] = acc;
  }
  return out;
}

/** Keras's deconv_output_length for one dim. */
function deconvLength(M: number, k: number, pad: "valid" | "same", s: number, d: number, op: number | null) {
  const dk = (k - 1) * d + 1;
  if (op === null) return pad === "valid" ? M * s + Math.max(dk - s, 0) : M * s;
  return (M - 1) * s + dk - 2 * (pad === "same" ? Math.floor(dk / 2) : 0) + op;
}

/**
 * Naive transposed conv as TF defines it (the gradient of conv2d w.r.t. its input): every input
 * element scatters x·W into the output at m·s + k·d − pad, with the pad of TF's forward "same"
 * conv over the output size.
 */
function refConvTranspose(
  x: Arr,
  w: Arr,
  s: number[],
  dil: number[],
  pad: "valid" | "same",
  op: number[] | null,
) {
  const D = w.shape.length - 2;
  const M = x.shape.slice(1, D + 1);
  const K = w.shape.slice(0, D);
  const [cout, cin] = w.shape.slice(D);
  const Lo = M.map((m, d) => deconvLength(m, K[d], pad, s[d], dil[d], op && op[d]));
  const lo = Lo.map((L, d) =>
    pad === "valid"
      ? 0
      : Math.floor(Math.max((Math.ceil(L / s[d]) - 1) * s[d] + (K[d] - 1) * dil[d] + 1 - L, 0) / 2),
  );
  const shape = [x.shape[0], ...Lo, cout];
  const out = { shape, data: new Float64Array(size(shape)) };
  for (const [n, ...m] of indices(x.shape.slice(0, D + 1)))
    for (const kk of indices(K)) {
      const pos = kk.map((kv, d) => m[d] * s[d] + kv * dil[d] - lo[d]);
      if (pos.some((p, d) => p < 0 || p >= Lo[d])) continue;
      for (let co = 0; co < cout; co++)
        for (let ci = 0; ci < cin; ci++)
          out.data[at(out, [n, ...pos, co])] += x.data[at(x, [n, ...m, ci])] * w.data[at(w, [...kk, co, ci])];
    }
  return out;
}

const expectClose = expectCloseTo(1e-12);

const SPATIAL: Record<number, { S: number[]; K: number[] }> = {
  1: { S: [9], K: [3] },
  2: { S: [6, 5], K: [2, 3] },
  3: { S: [4, 5, 5], K: [2, 2, 3] },
};

describe("conv vs a naive loop reference", () => {
  const rng = new Rng(1);
  for (const D of [1, 2, 3])
    for (const strideSpec of [1, 2, "mixed"] as const)
      for (const dilation of [1, 2])
        for (const pad of ["valid", "same", "explicit", ...(D === 1 ? ["causal"] : [])])
          for (const groups of [1, 2])
            for (const dataFormat of ["channelsLast", "channelsFirst"] as const) {
              const { S, K } = SPATIAL[D];
              const s = strideSpec === "mixed" ? S.map((_, d) => 1 + (d % 2)) : S.map(() => strideSpec);
              const padding: Pad =
                pad === "explicit" ? S.map((_, d) => [d % 2, 1] as [number, number]) : (pad as Pad);
              it(`${D}-D strides ${s} dilation ${dilation} padding ${JSON.stringify(padding)} groups ${groups} ${dataFormat}`, () => {
                const x = randArr([2, ...S, 4], rng);
                const k = randArr([...K, 4 / groups, 6], rng);
                const want = refConv(
                  x,
                  k,
                  s,
                  S.map(() => dilation),
                  padding,
                  groups,
                );
                const xIn = dataFormat === "channelsFirst" ? moveAxis(x, D + 1, 1) : x;
                const got = conv(toT(xIn), toT(k), { strides: s, dilation, padding, groups, dataFormat });
                expectClose(got, dataFormat === "channelsFirst" ? moveAxis(want, D + 1, 1) : want);
              });
            }

  it("the rank-specific wrappers agree with conv", () => {
    const x = randArr([1, 5, 5, 5, 2], rng);
    const k3 = randArr([2, 2, 2, 2, 3], rng);
    expectClose(
      conv3d(toT(x), toT(k3), { padding: "same" }),
      refConv(x, k3, [1, 1, 1], [1, 1, 1], "same", 1),
    );
    const x1 = randArr([2, 8, 3], rng);
    const k1 = randArr([4, 3, 2], rng);
    expectClose(conv1d(toT(x1), toT(k1), { strides: 3 }), refConv(x1, k1, [3], [1], "valid", 1));
    const x2 = randArr([2, 7, 7, 3], rng);
    const k2 = randArr([3, 3, 3, 2], rng);
    expectClose(
      conv2d(toT(x2), toT(k2), { strides: 2, padding: "same" }),
      refConv(x2, k2, [2, 2], [1, 1], "same", 1),
    );
  });

  it("depthwise conv is a conv with one group per channel and channel-major outputs (c·M + m)", () => {
    const x = randArr([2, 6, 6, 3], rng);
    const k = randArr([3, 3, 3, 2], rng); // [kh, kw, Cin, depthMultiplier]
    // Reference straight from TF's definition: out[..., c·M + m] = Σ x[..., c]·k[.., c, m].
    const want = refConv(x, { shape: [3, 3, 1, 6], data: k.data }, [2, 2], [1, 1], "same", 3);
    expectClose(depthwiseConv2d(toT(x), toT(k), { strides: 2, padding: "same" }), want);
    const x1 = randArr([1, 9, 2], rng);
    const k1 = randArr([3, 2, 1], rng);
    const manual = [0, 1].map((c) =>
      refConv(
        { shape: [1, 9, 1], data: x1.data.filter((_, i) => i % 2 === c) },
        { shape: [3, 1, 1], data: k1.data.filter((_, i) => i % 2 === c) },
        [1],
        [2],
        "valid",
        1,
      ),
    );
    const got = depthwiseConv(toT(x1), toT(k1), { dilation: 2 }).data();
    manual.forEach((m, c) => m.data.forEach((v, i) => expect(got[i * 2 + c]).toBeCloseTo(v, 12)));
  });

  it("separable conv = depthwise then pointwise", () => {
    const x = randArr([1, 6, 6, 2], rng);
    const dk = randArr([3, 3, 2, 2], rng);
    const pk = randArr([1, 1, 4, 5], rng);
    const mid = refConv(x, { shape: [3, 3, 1, 4], data: dk.data }, [1, 1], [1, 1], "same", 2);
    expectClose(
      separableConv(toT(x), toT(dk), toT(pk), { padding: "same" }),
      refConv(mid, pk, [1, 1], [1, 1], "valid", 1),
    );
  });

  it("biasAdd adds along the channel axis for both data formats", () => {
    const y = array([
      [
        [1, 2],
        [3, 4],
      ],
    ]); // [1, 2, 2]
    expect(biasAdd(y, array([10, 20])).toArray()).toEqual([
      [
        [11, 22],
        [13, 24],
      ],
    ]);
    expect(biasAdd(y, array([10, 20]), "channelsFirst").toArray()).toEqual([
      [
        [11, 12],
        [23, 24],
      ],
    ]);
  });
});

describe("convTranspose vs a naive scatter reference", () => {
  const rng = new Rng(2);
  const cases: { M: number[]; K: number[] }[] = [
    { M: [5], K: [3] },
    { M: [3, 4], K: [2, 3] },
    { M: [3, 2, 3], K: [2, 1, 3] },
  ];
  for (const { M, K } of cases)
    for (const s of [1, 2, 3])
      for (const dilation of [1, 2])
        for (const padding of ["valid", "same"] as const)
          for (const withOp of [false, true])
            for (const dataFormat of ["channelsLast", "channelsFirst"] as const) {
              const D = M.length;
              // outputPadding must be < stride; pick the largest allowed.
              const op = withOp ? M.map(() => s - 1) : null;
              // TF only accepts output sizes whose forward "same" conv gives back M.
              const tfOk =
                padding === "valid" ||
                M.every(
                  (m, d) => Math.ceil(deconvLength(m, K[d], padding, s, dilation, op && op[d]) / s) === m,
                );
              if (!tfOk) continue;
              it(`${D}-D stride ${s} dilation ${dilation} ${padding} outputPadding ${op} ${dataFormat}`, () => {
                const x = randArr([2, ...M, 3], rng);
                const w = randArr([...K, 2, 3], rng);
                const want = refConvTranspose(
                  x,
                  w,
                  M.map(() => s),
                  M.map(() => dilation),
                  padding,
                  op,
                );
                const xIn = dataFormat === "channelsFirst" ? moveAxis(x, D + 1, 1) : x;
                const got = convTranspose(toT(xIn), toT(w), {
                  strides: s,
                  dilation,
                  padding,
                  outputPadding: op,
                  dataFormat,
                });
                expectClose(got, dataFormat === "channelsFirst" ? moveAxis(want, D + 1, 1) : want);
              });
            }

  it("is the adjoint of conv with the same kernel: ⟨convT(y), x⟩ = ⟨y, conv(x)⟩", () => {
    for (const padding of ["valid", "same"] as const) {
      const w = randArr([3, 2, 2, 3], rng); // conv: [k, k, Cin=2, Cout=3]; convT: [k, k, Cout=2, Cin=3]
      const y = randArr([1, 3, 4, 3], rng);
      const t = convTranspose(toT(y), toT(w), { strides: 2, padding });
      const x = randArr(t.shape, rng);
      const lhs = t.mul(toT(x)).sum().item();
      const rhs = conv(toT(x), toT(w), { strides: 2, padding }).mul(toT(y)).sum().item();
      expect(lhs).toBeCloseTo(rhs, 10);
    }
  });

  it("sizes outputs where TF refuses (same, even kernel, outputPadding 0) as Keras 3 does", () => {
    const y = convTranspose(toT(randArr([1, 4, 2], rng)), toT(randArr([2, 3, 2], rng)), {
      strides: 2,
      padding: "same",
      outputPadding: 0,
    });
    expect(y.shape).toEqual([1, deconvLength(4, 2, "same", 2, 1, 0), 3]);
  });
});

describe("conv derivatives and batching", () => {
  const rng = new Rng(3);
  it("passes checkGrads to second order in input and kernel (strided, dilated, grouped, same)", () => {
    const x = toT(randArr([1, 5, 4, 4], rng));
    const k = toT(randArr([2, 3, 2, 4], rng));
    const f = (a: Tensor, b: Tensor) =>
      conv2d(a, b, { strides: [2, 1], dilation: [1, 2], padding: "same", groups: 2 }).tanh();
    checkGrads(f, [x, k], { order: 2 });
  });

  it("passes checkGrads for 1-D causal, 3-D channels-first and a transposed conv", () => {
    checkGrads(
      (a: Tensor, b: Tensor) => conv1d(a, b, { padding: "causal", dilation: 2 }).sin(),
      [toT(randArr([2, 6, 2], rng)), toT(randArr([2, 2, 3], rng))],
      { order: 2 },
    );
    checkGrads(
      (a: Tensor, b: Tensor) =>
        conv3d(a, b, { dataFormat: "channelsFirst", strides: 2, padding: "same" }).sin(),
      [toT(randArr([1, 2, 3, 3, 3], rng)), toT(randArr([2, 2, 2, 2, 2], rng))],
      { order: 2 },
    );
    checkGrads(
      (a: Tensor, b: Tensor) => convTranspose(a, b, { strides: 2, padding: "same", outputPadding: 1 }).sin(),
      [toT(randArr([1, 3, 3, 2], rng)), toT(randArr([3, 3, 2, 2], rng))],
      { order: 2 },
    );
  });

  it("jacfwd equals jacrev and the input Hessian of a quadratic of a conv is symmetric", () => {
    const k = toT(randArr([3, 2, 2], rng));
    const f = (a: Tensor) => conv1d(a, k, { padding: "same", strides: 2 }).square().sum();
    const x = toT(randArr([1, 5, 2], rng));
    assertAllclose(jacfwd(grad(f))(x), jacrev(grad(f))(x), { rtol: 1e-12, atol: 1e-12 });
  });

  it("vmap(conv) equals a loop over the mapped axis (input batched, kernel batched, both)", () => {
    const xs = toT(randArr([3, 2, 5, 5, 2], rng));
    const ks = toT(randArr([3, 3, 3, 2, 4], rng));
    const f = (a: Tensor, b: Tensor) => conv2d(a, b, { strides: 2, padding: "same" });
    const both = vmap(f)(xs, ks);
    const onlyX = vmap(f, { inAxes: [0, null] })(xs, ks.slice([0]));
    for (let i = 0; i < 3; i++) {
      assertAllclose(both.slice([i]), f(xs.slice([i]), ks.slice([i])), { rtol: 1e-12, atol: 1e-12 });
      assertAllclose(onlyX.slice([i]), f(xs.slice([i]), ks.slice([0])), { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it("vmap of a per-sample input gradient equals a loop (grouped conv, channels-first)", () => {
    const k = toT(randArr([3, 1, 4], rng));
    const f = (a: Tensor) =>
      conv1d(a.reshape([1, 2, 5]), k, { groups: 2, dataFormat: "channelsFirst" })
        .tanh()
        .sum();
    const xs = toT(randArr([4, 2, 5], rng));
    const batched = vmap(grad(f))(xs);
    for (let i = 0; i < 4; i++)
      assertAllclose(batched.slice([i]), grad(f)(xs.slice([i])), { rtol: 1e-12, atol: 1e-14 });
  });
});

describe("conv errors", () => {
  const x = array(new Float64Array(2 * 8 * 8 * 3), { shape: [2, 8, 8, 3] });
  it("names the op and both shapes on a channel mismatch", () => {
    const k = array(new Float64Array(3 * 3 * 4 * 5), { shape: [3, 3, 4, 5] });
    expect(() => conv2d(x, k)).toThrow(ShapeError);
    expect(() => conv2d(x, k)).toThrow(/conv2d: input \[2,8,8,3\] has 3 channels but kernel \[3,3,4,5\]/);
    expect(() => convTranspose(x, k)).toThrow(
      /convTranspose: input \[2,8,8,3\] has 3 channels but kernel \[3,3,4,5\]/,
    );
    expect(() => depthwiseConv2d(x, k)).toThrow(/depthwiseConv2d: input \[2,8,8,3\] has 3 channels/);
  });
  it("rejects wrong ranks, bad groups and windows that do not fit", () => {
    const k = array(new Float64Array(3 * 3 * 3 * 4), { shape: [3, 3, 3, 4] });
    expect(() => conv1d(x, k)).toThrow(/conv1d: expected a kernel of rank 3/);
    expect(() => conv2d(x.reshape([2, 64, 3]), k)).toThrow(
      /conv2d: expected an input of rank 4 \(\[N, H, W, C\]\), got shape \[2,64,3\]/,
    );
    expect(() => conv2d(x, k, { groups: 3 })).toThrow(/groups=3/);
    expect(() => conv2d(x, k, { dilation: 4 })).toThrow(ShapeError);
    expect(() => conv2d(x, k, { padding: "causal" })).toThrow(ValueError);
    expect(() => conv2d(x, k, { strides: [1, 0] })).toThrow(/strides must be integers/);
    expect(() => convTranspose(x, k.reshape([3, 3, 4, 3]), { strides: 2, outputPadding: 2 })).toThrow(
      /outputPadding/,
    );
  });
});
