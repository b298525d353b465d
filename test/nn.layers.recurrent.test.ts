/**
 * SimpleRNN, LSTM, GRU (and the generic RNN + cells): golden outputs saved by real Keras 2.1
 * (keras-js fixtures) and TF.js, a naive reference loop for masking / goBackwards / returnState /
 * initialState, hand-computed values, and derivatives to second order (also under vmap(jacrev)).
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import {
  activations,
  array,
  derivatives,
  hessian,
  Input,
  initializers,
  jacrev,
  Layer,
  layers,
  Model,
  random,
  resetNames,
  Sequential,
  ShapeError,
  stack,
  Tensor,
  ValueError,
  vmap,
  type CallArgs,
  type LayerInputs,
} from "../src/index.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";
import { fixtureTensor, kerasJsArrays } from "./helpers/kerasjs.js";

beforeEach(() => resetNames());

// ---------------------------------------------------------------------------------------------
// keras-js fixtures: {input, weights (get_weights order), expected}, flattened without the batch dim.

const GOLDEN = { rtol: 1e-5, atol: 5e-6 };

/** Keras 1/2's hard sigmoid, as the Keras 2.1 fixtures used it (the loader passes this flavor). */
const hardSigmoid2 = activations.get("hard_sigmoid", "keras2");

type Kind = "SimpleRNN" | "LSTM" | "GRU";
interface FixtureConfig {
  units: number;
  activation: string;
  recurrentActivation?: string | typeof hardSigmoid2;
  returnSequences?: boolean;
  goBackwards?: boolean;
  useBias?: boolean;
  stateful?: boolean;
}

/**
 * The layer configs of the keras-js notebooks (INDEX.json titles), hand-translated. Keras 2.1's
 * GRU has reset_after=False; its `hard_sigmoid` is clip(0.2x + 0.5, 0, 1).
 */
function fixtureConfig(kind: Kind, i: number): FixtureConfig {
  const gated = kind !== "SimpleRNN";
  const base: FixtureConfig =
    i === 1
      ? { units: 5, activation: "sigmoid", ...(gated ? { recurrentActivation: "sigmoid" } : {}) }
      : { units: 4, activation: "tanh", ...(gated ? { recurrentActivation: hardSigmoid2 } : {}) };
  const flags: FixtureConfig[] = [
    base,
    base,
    { ...base, returnSequences: true },
    { ...base, goBackwards: true },
    { ...base, returnSequences: true, goBackwards: true },
    { ...base, stateful: true },
    { ...base, returnSequences: true, stateful: true },
    { ...base, goBackwards: true, stateful: true },
    { ...base, returnSequences: true, goBackwards: true, stateful: true, useBias: kind === "LSTM" },
  ];
  return flags[i];
}

function makeLayer(kind: Kind, cfg: FixtureConfig, extra: Record<string, unknown> = {}): layers.RNN<boolean> {
  const args = { ...cfg, stateful: false, ...extra };
  if (kind === "SimpleRNN") return new layers.SimpleRNN(args);
  if (kind === "LSTM") return new layers.LSTM(args);
  return new layers.GRU({ ...args, resetAfter: false });
}

describe("golden: Keras 2.1 recurrent layers (keras-js fixtures)", () => {
  for (const kind of ["SimpleRNN", "LSTM", "GRU"] as const) {
    for (let i = 0; i <= 8; i++) {
      const key = `recurrent.${kind}.${i}`;
      const cfg = fixtureConfig(kind, i);
      it(`${key}${cfg.stateful ? " (stateful: second predict = initialState from the first)" : ""}`, () => {
        const c = kerasJsArrays(key);
        const x = fixtureTensor(c.inputs[0]);
        const layer = makeLayer(kind, cfg);
        layer.call(x);
        expect(layer.getWeights().map((w) => w.shape)).toEqual(c.weights.map((w) => w.shape));
        layer.setWeights(c.weights.map((w) => fixtureTensor(w, false)));
        let y = layer.call(x) as Tensor;
        if (cfg.stateful) {
          // The notebook ran model.predict twice on a stateful layer; the second run starts from
          // the first run's final states, which we pass explicitly.
          const probe = makeLayer(kind, cfg, { returnState: true });
          probe.call(x);
          probe.setWeights(layer.getWeights());
          const [, ...states] = probe.call(x) as Tensor[];
          y = layer.call(x, { initialState: states }) as Tensor;
          expect(() => makeLayer(kind, cfg, { stateful: true })).toThrow(/stateful=true is not supported/);
        }
        expect(y.shape).toEqual([1, ...c.expected.shape]);
        assertAllclose(y, fixtureTensor(c.expected), GOLDEN);
      });
    }
  }
});

describe("golden: TF.js GRU (load_predict_layers_model, Embedding → GRU(goBackwards))", () => {
  it("reproduces expected.json from model.json + weights.bin read by hand", () => {
    const dir = new URL("./fixtures/real/tfjs/load_predict_layers_model/", import.meta.url);
    const model = JSON.parse(readFileSync(new URL("model.json", dir), "utf8")) as {
      modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as {
      input: { data: number[]; shape: number[] };
      expected?: { data: number[]; shape: number[] };
      output?: { data: number[]; shape: number[] };
    };
    const bin = readFileSync(new URL("weights.bin", dir));
    const f32 = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    let offset = 0;
    const weights = model.weightsManifest[0].weights.map((w) => {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const t = array(Float64Array.from(f32.subarray(offset, offset + n)), { shape: w.shape });
      offset += n;
      return t;
    });
    expect(offset).toBe(f32.length);
    const gruConfig = model.modelTopology.config.layers[1].config;
    expect([gruConfig.go_backwards, gruConfig.recurrent_activation, gruConfig.units]).toEqual([
      true,
      "hard_sigmoid",
      4,
    ]);
    const ids = expected.input.data;
    const embedded = weights[0].take(array(Int32Array.from(ids), { shape: [1, ids.length] }), 0);
    // TF.js GRU has no reset_after (it computes reset-before) and Keras 2's hard sigmoid.
    const gru = new layers.GRU({
      units: 4,
      goBackwards: true,
      resetAfter: false,
      recurrentActivation: hardSigmoid2,
    });
    gru.call(embedded);
    gru.setWeights(weights.slice(1));
    const want = (expected.expected ?? expected.output)!;
    assertAllclose(gru.call(embedded), array(Float64Array.from(want.data), { shape: want.shape }), {
      rtol: 1e-5,
      atol: 1e-6,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// A naive reference: plain JS numbers, one sample at a time, Keras's loop semantics written out.

type Vec = number[];
type Mat = number[][];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const vecMat = (x: Vec, m: Mat): Vec => m[0].map((_, j) => x.reduce((s, xi, i) => s + xi * m[i][j], 0));
const add = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]);
const cols = (v: Vec, k: number, u: number) => v.slice(k * u, (k + 1) * u);
const colsM = (m: Mat, k: number, u: number): Mat => m.map((r) => cols(r, k, u));

interface NaiveWeights {
  kernel: Mat;
  recurrent: Mat;
  bias: Vec | Mat | null;
}
type NaiveCell = (x: Vec, states: Vec[], w: NaiveWeights) => [Vec, Vec[]];

const naiveSimple: NaiveCell = (x, [h], w) => {
  const z = add(add(vecMat(x, w.kernel), vecMat(h, w.recurrent)), (w.bias as Vec | null) ?? h.map(() => 0));
  const y = z.map(Math.tanh);
  return [y, [y]];
};

const naiveLstm: NaiveCell = (x, [h, c], w) => {
  const u = h.length;
  let z = add(vecMat(x, w.kernel), vecMat(h, w.recurrent));
  if (w.bias) z = add(z, w.bias as Vec);
  const i = cols(z, 0, u).map(sig);
  const f = cols(z, 1, u).map(sig);
  const g = cols(z, 2, u).map(Math.tanh);
  const o = cols(z, 3, u).map(sig);
  const c2 = c.map((cv, k) => f[k] * cv + i[k] * g[k]);
  const h2 = c2.map((cv, k) => o[k] * Math.tanh(cv));
  return [h2, [h2, c2]];
};

const naiveGru =
  (resetAfter: boolean): NaiveCell =>
  (x, [h], w) => {
    const u = h.length;
    const b = w.bias as Mat | Vec | null;
    const inB = b === null ? null : resetAfter ? (b as Mat)[0] : (b as Vec);
    const recB = b === null || !resetAfter ? null : (b as Mat)[1];
    let xz = vecMat(x, colsM(w.kernel, 0, u));
    let xr = vecMat(x, colsM(w.kernel, 1, u));
    let xh = vecMat(x, colsM(w.kernel, 2, u));
    if (inB) [xz, xr, xh] = [add(xz, cols(inB, 0, u)), add(xr, cols(inB, 1, u)), add(xh, cols(inB, 2, u))];
    let rz = vecMat(h, colsM(w.recurrent, 0, u));
    let rr = vecMat(h, colsM(w.recurrent, 1, u));
    if (recB) [rz, rr] = [add(rz, cols(recB, 0, u)), add(rr, cols(recB, 1, u))];
    const z = add(xz, rz).map(sig);
    const r = add(xr, rr).map(sig);
    let rh: Vec;
    if (resetAfter) {
      let m = vecMat(h, colsM(w.recurrent, 2, u));
      if (recB) m = add(m, cols(recB, 2, u));
      rh = m.map((v, k) => r[k] * v);
    } else
      rh = vecMat(
        h.map((v, k) => r[k] * v),
        colsM(w.recurrent, 2, u),
      );
    const hh = add(xh, rh).map(Math.tanh);
    const y = h.map((hv, k) => z[k] * hv + (1 - z[k]) * hh[k]);
    return [y, [y]];
  };

interface NaiveOpts {
  goBackwards?: boolean;
  mask?: boolean[] | null;
  zeroOutputForMask?: boolean;
}

/** Keras's loop for one sample: outputs in processing order, masked steps keep states, repeat output. */
function naiveRun(cell: NaiveCell, xs: Vec[], init: Vec[], w: NaiveWeights, o: NaiveOpts = {}) {
  const T = xs.length;
  let states = init;
  let prev: Vec | null = null;
  const outputs: Vec[] = [];
  for (let k = 0; k < T; k++) {
    const t = o.goBackwards ? T - 1 - k : k;
    const [y, next] = cell(xs[t], states, w);
    let out = y;
    if (o.mask && !o.mask[t]) {
      out = o.zeroOutputForMask || prev === null ? y.map(() => 0) : prev;
    } else states = next;
    prev = out;
    outputs.push(out);
  }
  return { outputs, last: prev!, states };
}

const weightsOf = (l: layers.RNN<boolean>): NaiveWeights => {
  const [kernel, recurrent, bias] = l.getWeights().map((t) => t.toArray());
  return {
    kernel: kernel as Mat,
    recurrent: recurrent as Mat,
    bias: (bias as Vec | Mat | undefined) ?? null,
  };
};

/** Random layer weights (small scale so nothing saturates) and a random batch. */
function setup(layer: layers.RNN<boolean>, N: number, T: number, F: number, seed: number) {
  const xs = random.normal([N, T, F], { seed });
  layer.call(xs);
  layer.setWeights(
    layer.getWeights().map((w, i) => random.normal(w.shape, { seed: seed + 10 + i }).mul(0.6)),
  );
  return xs;
}

const CELLS: {
  name: string;
  make: (extra: Record<string, unknown>) => layers.RNN<boolean>;
  naive: NaiveCell;
}[] = [
  { name: "SimpleRNN", make: (e) => new layers.SimpleRNN({ units: 3, ...e }), naive: naiveSimple },
  { name: "LSTM", make: (e) => new layers.LSTM({ units: 3, ...e }), naive: naiveLstm },
  { name: "GRU resetAfter", make: (e) => new layers.GRU({ units: 3, ...e }), naive: naiveGru(true) },
  {
    name: "GRU resetBefore",
    make: (e) => new layers.GRU({ units: 3, resetAfter: false, ...e }),
    naive: naiveGru(false),
  },
];

describe("naive reference loop: masking × goBackwards × returnSequences × returnState × initialState", () => {
  const N = 3;
  const T = 5;
  const F = 2;
  // Sample 0 unmasked, sample 1 right-padded, sample 2 masked in the middle and at the start.
  const maskRows = [
    [true, true, true, true, true],
    [true, true, true, false, false],
    [false, true, false, true, true],
  ];
  for (const c of CELLS)
    for (const goBackwards of [false, true])
      for (const masked of [false, true])
        for (const withInit of [false, true])
          it(`${c.name} goBackwards=${goBackwards} mask=${masked} initialState=${withInit}`, () => {
            const layer = c.make({ returnSequences: true, returnState: true, goBackwards });
            const xs = setup(layer, N, T, F, 7);
            const nStates = c.name === "LSTM" ? 2 : 1;
            const init = withInit
              ? Array.from({ length: nStates }, (_, i) => random.normal([N, 3], { seed: 40 + i }))
              : null;
            const kwargs: CallArgs = {};
            if (masked) kwargs.mask = array(maskRows);
            if (init) kwargs.initialState = init;
            const [seq, ...states] = layer.call(xs, kwargs) as Tensor[];
            expect(seq.shape).toEqual([N, T, 3]);
            expect(states.length).toBe(nStates);
            const w = weightsOf(layer);
            const xArr = xs.toArray() as number[][][];
            const initArr = init?.map((s) => s.toArray() as Mat);
            const want = xArr.map((sample, n) =>
              naiveRun(
                c.naive,
                sample,
                initArr ? initArr.map((s) => s[n]) : Array.from({ length: nStates }, () => [0, 0, 0]),
                w,
                { goBackwards, mask: masked ? maskRows[n] : null },
              ),
            );
            assertAllclose(seq, array(want.map((r) => r.outputs)), { rtol: 1e-12, atol: 1e-12 });
            states.forEach((s, i) =>
              assertAllclose(s, array(want.map((r) => r.states[i])), { rtol: 1e-12, atol: 1e-12 }),
            );
            // The non-sequence output is the last processed step's output, whatever the mask.
            const last = c.make({ goBackwards });
            last.call(xs);
            last.setWeights(layer.getWeights());
            assertAllclose(last.call(xs, kwargs) as Tensor, array(want.map((r) => r.last)), {
              rtol: 1e-12,
              atol: 1e-12,
            });
          });

  it("zeroOutputForMask emits zeros at masked steps but still carries the states", () => {
    const layer = new layers.LSTM({
      units: 3,
      returnSequences: true,
      returnState: true,
      zeroOutputForMask: true,
    });
    const xs = setup(layer, N, T, F, 3);
    const [seq, h, c] = layer.call(xs, { mask: array(maskRows) });
    const w = weightsOf(layer);
    const want = (xs.toArray() as number[][][]).map((s, n) =>
      naiveRun(
        naiveLstm,
        s,
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        w,
        { mask: maskRows[n], zeroOutputForMask: true },
      ),
    );
    assertAllclose(seq, array(want.map((r) => r.outputs)), { rtol: 1e-12, atol: 1e-12 });
    assertAllclose(h, array(want.map((r) => r.states[0])), { rtol: 1e-12, atol: 1e-12 });
    assertAllclose(c, array(want.map((r) => r.states[1])), { rtol: 1e-12, atol: 1e-12 });
    const s = seq.toArray() as number[][][];
    expect(s[1][3]).toEqual([0, 0, 0]);
    expect(s[1][4]).toEqual([0, 0, 0]);
  });
});

describe("hand-computed values", () => {
  it("SimpleRNN with linear activation: h_t = k·x_t + r·h_{t−1} + b, masked steps repeat", () => {
    const rnn = new layers.SimpleRNN({
      units: 1,
      activation: "linear",
      returnSequences: true,
      kernelInitializer: initializers.constant(2),
      recurrentInitializer: initializers.constant(0.5),
      biasInitializer: initializers.constant(1),
    });
    const x = array([[[1], [2], [3]]]);
    // h1 = 2·1 + 1 = 3; h2 = 2·2 + 0.5·3 + 1 = 6.5; h3 = 2·3 + 0.5·6.5 + 1 = 10.25
    expect(rnn.call(x).toArray()).toEqual([[[3], [6.5], [10.25]]]);
    // Step 2 masked: output and state stay 3; h3 = 6 + 1.5 + 1 = 8.5
    expect(rnn.call(x, { mask: array([[true, false, true]]) }).toArray()).toEqual([[[3], [3], [8.5]]]);
    // Step 1 masked: it emits zeros (no previous output yet); h2 = 4 + 0 + 1 = 5; h3 = 6 + 2.5 + 1 = 9.5
    expect(rnn.call(x, { mask: array([[false, true, true]]) }).toArray()).toEqual([[[0], [5], [9.5]]]);
    // goBackwards: h(3) = 7; h(2) = 4 + 3.5 + 1 = 8.5; h(1) = 2 + 4.25 + 1 = 7.25, in processing order.
    const back = new layers.SimpleRNN({
      ...(rnn.getConfig() as object),
      name: "back",
      goBackwards: true,
    } as never);
    back.call(x);
    back.setWeights(rnn.getWeights());
    expect(back.call(x).toArray()).toEqual([[[7], [8.5], [7.25]]]);
  });

  it("LSTM with one unit and constant weights", () => {
    const lstm = new layers.LSTM({
      units: 1,
      activation: "linear",
      recurrentActivation: "linear",
      kernelInitializer: initializers.constant(1),
      recurrentInitializer: initializers.constant(0),
      unitForgetBias: false,
      returnState: true,
    });
    // z = x for every gate: i = f = o = g = x; c1 = x1·x1 = 4, h1 = x1·c1 = 8; c2 = x2·c1 + x2·x2 = 3·4 + 9 = 21, h2 = 3·21 = 63
    const [y, h, c] = lstm.call(array([[[2], [3]]]));
    expect([y.toArray(), h.toArray(), c.toArray()]).toEqual([[[63]], [[63]], [[21]]]);
  });

  it("GRU with one unit, both reset conventions (z = x + b_z)", () => {
    const make = (resetAfter: boolean) =>
      new layers.GRU({
        units: 1,
        activation: "linear",
        recurrentActivation: "linear",
        kernelInitializer: initializers.constant(1),
        recurrentInitializer: initializers.constant(2),
        resetAfter,
      });
    for (const resetAfter of [true, false]) {
      const g = make(resetAfter);
      const x = array([[[0.5], [0.25]]]);
      g.call(x);
      const bias = resetAfter
        ? array([
            [0.1, 0.2, 0.3],
            [0.01, 0.02, 0.03],
          ])
        : array([0.1, 0.2, 0.3]);
      g.setWeights([g.getWeights()[0], g.getWeights()[1], bias]);
      let h = 0;
      for (const xv of [0.5, 0.25]) {
        const recB = resetAfter ? [0.01, 0.02, 0.03] : [0, 0, 0];
        const z = xv + 0.1 + 2 * h + recB[0];
        const r = xv + 0.2 + 2 * h + recB[1];
        const hh = resetAfter ? xv + 0.3 + r * (2 * h + recB[2]) : xv + 0.3 + 2 * (r * h);
        h = z * h + (1 - z) * hh;
      }
      assertAllclose(g.call(x), array([[h]]), { rtol: 1e-14 });
    }
  });
});

describe("weights, options and config", () => {
  it("creates Keras's weights in get_weights order with Keras shapes", () => {
    const x = random.normal([2, 4, 3], { seed: 1 });
    const cases: [layers.RNN<boolean>, number[][]][] = [
      [new layers.SimpleRNN({ units: 5 }), [[3, 5], [5, 5], [5]]],
      [new layers.LSTM({ units: 5 }), [[3, 20], [5, 20], [20]]],
      [
        new layers.GRU({ units: 5 }),
        [
          [3, 15],
          [5, 15],
          [2, 15],
        ],
      ],
      [new layers.GRU({ units: 5, resetAfter: false }), [[3, 15], [5, 15], [15]]],
      [
        new layers.LSTM({ units: 5, useBias: false }),
        [
          [3, 20],
          [5, 20],
        ],
      ],
    ];
    for (const [l, shapes] of cases) {
      l.call(x);
      expect(l.weights.map((w) => w.name)).toEqual(
        ["kernel", "recurrent_kernel", "bias"].slice(0, shapes.length),
      );
      expect(l.getWeights().map((w) => w.shape)).toEqual(shapes);
    }
  });

  it("initializes the recurrent kernel orthogonally and the forget bias to one (unitForgetBias)", () => {
    const lstm = new layers.LSTM({ units: 4, recurrentInitializer: initializers.orthogonal({ seed: 3 }) });
    lstm.call(random.normal([1, 2, 3], { seed: 2 }));
    const [, R, b] = lstm.getWeights();
    // R is [4, 16]: its rows are orthonormal.
    assertAllclose(
      R.matmul(R.transpose()),
      array([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ]),
      {
        atol: 1e-12,
      },
    );
    expect(b.toArray()).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const plain = new layers.LSTM({ units: 2, unitForgetBias: false });
    plain.call(random.normal([1, 2, 3], { seed: 2 }));
    expect(plain.getWeights()[2].toArray()).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(lstm.getConfig().recurrentInitializer).toEqual({
      className: "Orthogonal",
      config: { gain: 1, seed: 3 },
    });
    expect(new layers.GRU({ units: 2 }).getConfig().recurrentInitializer).toMatchObject({
      className: "Orthogonal",
    });
  });

  it("names layers and cells like Keras 3", () => {
    expect([new layers.LSTM({ units: 1 }).name, new layers.LSTM({ units: 1 }).name]).toEqual([
      "lstm",
      "lstm_1",
    ]);
    const g = new layers.GRU({ units: 1 });
    expect([g.name, g.cell.name, new layers.SimpleRNN({ units: 1 }).name]).toEqual([
      "gru",
      "gru_cell",
      "simple_rnn",
    ]);
  });

  it("getConfig returns every constructor option and round-trips", () => {
    const lstm = new layers.LSTM({
      units: 3,
      activation: "relu",
      recurrentActivation: "hard_sigmoid",
      useBias: false,
      unitForgetBias: false,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
      unroll: true,
      dropout: 0.25,
      recurrentDropout: 0.5,
      seed: 7,
      zeroOutputForMask: true,
      name: "enc",
    });
    const config = lstm.getConfig();
    expect(config).toMatchObject({
      name: "enc",
      units: 3,
      activation: "relu",
      recurrentActivation: "hard_sigmoid",
      useBias: false,
      unitForgetBias: false,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
      stateful: false,
      unroll: true,
      dropout: 0.25,
      recurrentDropout: 0.5,
      seed: 7,
      zeroOutputForMask: true,
      useCudnn: "auto",
      kernelInitializer: { className: "GlorotUniform" },
      recurrentInitializer: { className: "Orthogonal" },
      biasInitializer: { className: "Zeros" },
      kernelRegularizer: null,
      recurrentConstraint: null,
      activityRegularizer: null,
    });
    expect(config).not.toHaveProperty("cell");
    expect(layers.LSTM.fromConfig(config).getConfig()).toEqual(config);
    const gru = new layers.GRU({ units: 2, resetAfter: false });
    expect(layers.GRU.fromConfig(gru.getConfig()).getConfig()).toEqual(gru.getConfig());
    expect(gru.getConfig().resetAfter).toBe(false);
    const s = new layers.SimpleRNN({ units: 2 });
    expect(layers.SimpleRNN.fromConfig(s.getConfig()).getConfig()).toEqual(s.getConfig());
  });

  it("the generic RNN runs any cell, and matches the dedicated layer", () => {
    const x = random.normal([2, 4, 3], { seed: 5 });
    const generic = new layers.RNN({ cell: new layers.GRUCell({ units: 2 }), returnSequences: true });
    const dedicated = new layers.GRU({ units: 2, returnSequences: true });
    generic.call(x);
    dedicated.call(x);
    dedicated.setWeights(generic.getWeights());
    assertAllclose(generic.call(x), dedicated.call(x), { rtol: 0, atol: 0 });
    expect(generic.getConfig().cell).toMatchObject({
      className: "GRUCell",
      config: { units: 2, resetAfter: true },
    });
    // fromConfig needs the cell as an instance (the loader rebuilds nested layers first).
    expect(() => layers.RNN.fromConfig(generic.getConfig())).toThrow(/cell must be a layer instance/);
    const cellSpec = generic.getConfig().cell as { config: Record<string, unknown> };
    const copy = layers.RNN.fromConfig({
      ...generic.getConfig(),
      cell: layers.GRUCell.fromConfig(cellSpec.config),
    });
    expect(copy.getConfig()).toEqual(generic.getConfig());
    // A cell can also be called on its own: [x_t, ...states] → [output, ...states].
    const cell = generic.cell as layers.GRUCell;
    const [out, h] = cell.call([
      x.slice([null, 0]),
      array([
        [0, 0],
        [0, 0],
      ]),
    ]);
    expect(out.shape).toEqual([2, 2]);
    assertAllclose(out, h, { rtol: 0, atol: 0 });
  });

  it("a custom cell (RNNCell subclass) works inside RNN", () => {
    class Accumulate extends layers.RNNCell {
      static override className = "Accumulate";
      readonly stateCount = 1;
      stateShapes(step: (number | null)[]) {
        return [[step[0], step[1]]];
      }
      step(x: Tensor, [s]: Tensor[]): [Tensor, Tensor[]] {
        const next = s.add(x);
        return [next, [next]];
      }
    }
    const rnn = new layers.RNN({ cell: new Accumulate(), returnSequences: true });
    expect(
      rnn
        .call(
          array([
            [
              [1, 2],
              [3, 4],
              [5, 6],
            ],
          ]),
        )
        .toArray(),
    ).toEqual([
      [
        [1, 2],
        [4, 6],
        [9, 12],
      ],
    ]);
  });
});

describe("errors name the layer, what was expected and what came", () => {
  it("rejects stateful, bad ranks, widths, masks and initial states", () => {
    expect(() => new layers.LSTM({ units: 2, stateful: true, name: "s" })).toThrow(
      /LSTM 's': stateful=true is not supported/,
    );
    expect(() => new layers.GRU({ units: 0, name: "g" })).toThrow(
      /GRU 'g': units must be a positive integer, got 0/,
    );
    const lstm = new layers.LSTM({ units: 2, name: "enc" });
    expect(() => lstm.call(array([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => lstm.call(array([[1, 2, 3]]))).toThrow(/LSTM 'enc': expected input of rank ≥ 3/);
    lstm.call(random.normal([2, 3, 4], { seed: 0 }));
    expect(() => lstm.call(random.normal([2, 3, 5], { seed: 0 }))).toThrow(
      /LSTM 'enc': expected input \[batch, time, 4\], got \[2, 3, 5\]/,
    );
    const x = random.normal([2, 3, 4], { seed: 0 });
    expect(() => lstm.call(x, { mask: array([[true, false]]) })).toThrow(
      /LSTM 'enc': expected a mask of shape \[2, 3\] \(batch, time\), got \[1, 2\]/,
    );
    expect(() =>
      lstm.call(x, {
        initialState: [
          array([
            [0, 0],
            [0, 0],
          ]),
        ],
      }),
    ).toThrow(/LSTM 'enc': expected 2 initial state\(s\), got 1/);
    expect(() => lstm.call(x, { initialState: [array([[0, 0]]), array([[0, 0]])] })).toThrow(
      /LSTM 'enc': initial state 0 should have shape \[2, 2\], got \[1, 2\]/,
    );
    expect(() => lstm.call(random.normal([2, 0, 4], { seed: 0 }))).toThrow(
      /LSTM 'enc': the input has no time steps/,
    );
    expect(() => new layers.RNN({ cell: new layers.Dense({ units: 2 }) as never, name: "r" })).toThrow(
      ValueError,
    );
  });
});

describe("shapes, masks and graphs", () => {
  it("computeOutputShape in closed form, also for unknown time", () => {
    const lstm = new layers.LSTM({ units: 4, returnSequences: true, returnState: true });
    lstm.build([null, null, 3]);
    expect(lstm.computeOutputShape([null, null, 3])).toEqual([
      [null, null, 4],
      [null, 4],
      [null, 4],
    ]);
    expect(new layers.GRU({ units: 2 }).computeOutputShape([8, 5, 3])).toEqual([8, 2]);
  });

  it("computeMask returns the mask only with returnSequences", () => {
    const m = array([[true, false]]);
    const x = random.normal([1, 2, 3], { seed: 0 });
    expect(new layers.LSTM({ units: 2, returnSequences: true }).computeMask(x, m)).toBe(m);
    expect(new layers.LSTM({ units: 2 }).computeMask(x, m)).toBeNull();
    expect(new layers.LSTM({ units: 2, returnSequences: true, returnState: true }).computeMask(x, m)).toEqual(
      [m, null, null],
    );
  });

  /** A test-only mask producer (Keras's Masking(0)): masks steps whose features are all zero. */
  class ZeroMask extends Layer {
    static override className = "ZeroMask";
    call(x: LayerInputs): Tensor {
      return x as Tensor;
    }
    override computeMask(x: LayerInputs): Tensor {
      return (x as Tensor).abs().sum({ axis: -1 }).greater(0);
    }
  }

  it("a mask made upstream reaches the RNN in Sequential and functional models, and propagates", () => {
    const x = random.normal([2, 4, 3], { seed: 11 }).mul(
      array([
        [[1], [1], [0], [1]],
        [[1], [1], [1], [0]],
      ]),
    );
    const mask = array([
      [true, true, false, true],
      [true, true, true, false],
    ]);
    const lstm = new layers.LSTM({ units: 2, returnSequences: true });
    const gru = new layers.GRU({ units: 2 });
    const seq = new Sequential([new ZeroMask(), lstm, gru]);
    const got = seq.call(x);
    const direct = gru.call(lstm.call(x, { mask }), { mask });
    assertAllclose(got, direct as Tensor, { rtol: 0, atol: 0 });
    // Without the mask, the answer differs (so the test can fail).
    expect(() => assertAllclose(got, gru.call(lstm.call(x)), { rtol: 1e-6 })).toThrow();

    const input = Input({ shape: [4, 3] });
    const out = gru.apply(lstm.apply(new ZeroMask().apply(input)));
    const model = new Model({ inputs: input, outputs: out });
    expect(out.shape).toEqual([null, 2]);
    assertAllclose(model.call(x), direct as Tensor, { rtol: 0, atol: 0 });
  });

  it("functional graph with returnState and Keras-2-style initial states as inputs", () => {
    const input = Input({ shape: [5, 3] });
    const enc = new layers.LSTM({ units: 4, returnState: true });
    const [, h, c] = enc.apply(input);
    expect([h.shape, c.shape]).toEqual([
      [null, 4],
      [null, 4],
    ]);
    const dec = new layers.LSTM({ units: 4, returnSequences: true });
    const y = dec.apply([input, h, c]);
    expect(y.shape).toEqual([null, 5, 4]);
    const model = new Model({ inputs: input, outputs: y });
    const x = random.normal([2, 5, 3], { seed: 4 });
    const [, h0, c0] = enc.call(x);
    assertAllclose(model.call(x), dec.call(x, { initialState: [h0, c0] }), {
      rtol: 0,
      atol: 0,
    });
    expect(() => dec.apply(input, { initialState: [h, c] })).toThrow(
      /symbolic initial states must be passed as inputs/,
    );
  });
});

describe("derivatives", () => {
  const small = (make: () => layers.RNN<boolean>, seed: number) => {
    const layer = make();
    const x = random.normal([2, 3, 2], { seed });
    layer.call(x);
    layer.setWeights(
      layer.getWeights().map((w, i) => random.normal(w.shape, { seed: seed + i + 1 }).mul(0.7)),
    );
    return { layer, x };
  };

  it("LSTM: checkGrads to second order w.r.t. the input sequence (with and without mask)", () => {
    const { layer, x } = small(() => new layers.LSTM({ units: 2, returnSequences: true }), 20);
    checkGrads((s: Tensor) => layer.call(s), [x], { order: 2 });
    const mask = array([
      [true, false, true],
      [false, true, true],
    ]);
    checkGrads((s: Tensor) => layer.call(s, { mask }), [x], { order: 2 });
  });

  it("GRU (both conventions) and SimpleRNN: checkGrads to second order, goBackwards, returnState", () => {
    for (const make of [
      () => new layers.GRU({ units: 2, goBackwards: true, returnState: true }),
      () => new layers.GRU({ units: 2, resetAfter: false, returnSequences: true }),
      () => new layers.SimpleRNN({ units: 2, goBackwards: true, returnSequences: true }),
    ]) {
      const { layer, x } = small(make, 30);
      checkGrads((s: Tensor) => layer.call(s), [x], { order: 2 });
    }
  });

  it("initial states are differentiable inputs too", () => {
    const { layer, x } = small(() => new layers.LSTM({ units: 2 }), 50);
    const h0 = random.normal([2, 2], { seed: 1 });
    const c0 = random.normal([2, 2], { seed: 2 });
    checkGrads((s: Tensor, h: Tensor, c: Tensor) => layer.call(s, { initialState: [h, c] }), [x, h0, c0], {
      order: 2,
    });
  });

  it("vmap(jacrev(f)) gives per-sample Jacobians equal to a loop over samples", () => {
    const { layer, x } = small(() => new layers.GRU({ units: 2, returnSequences: true }), 60);
    const mask = array([
      [true, true, false],
      [true, false, true],
    ]);
    const f = (s: Tensor, m: Tensor) =>
      (layer.call(s.reshape([1, ...s.shape]), { mask: m.reshape([1, ...m.shape]) }) as Tensor).reshape([
        3, 2,
      ]);
    const batched = vmap(jacrev((s: Tensor, m: Tensor) => f(s, m)))(x, mask);
    expect(batched.shape).toEqual([2, 3, 2, 3, 2]);
    const loop = stack([0, 1].map((n) => jacrev((s: Tensor) => f(s, mask.slice([n])))(x.slice([n]))));
    assertAllclose(batched, loop, { rtol: 1e-12, atol: 1e-14 });
  });

  it("derivatives() of a Sequential LSTM → Dense: per-sample Jacobians and Hessians", () => {
    const model = new Sequential([
      new layers.LSTM({
        units: 3,
        inputShape: [4, 2],
        kernelInitializer: initializers.glorotUniform({ seed: 1 }),
      }),
      new layers.Dense({ units: 1, kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
    ]);
    const x = random.normal([3, 4, 2], { seed: 9 });
    const d = derivatives(model, x, { order: 2 });
    const name = model.inputNames[0];
    const out = model.outputNames[0];
    expect(d.jacobian[out][name].shape).toEqual([3, 4, 2]);
    expect(d.hessian![out][name][name].shape).toEqual([3, 4, 2, 4, 2]);
    const single = (s: Tensor) => model.call(s.reshape([1, 4, 2])).reshape([]);
    for (let n = 0; n < 3; n++) {
      const xn = x.slice([n]);
      assertAllclose(d.jacobian[out][name].slice([n]), jacrev(single)(xn), { rtol: 1e-12 });
      assertAllclose(d.hessian![out][name][name].slice([n]), hessian(single)(xn), {
        rtol: 1e-10,
        atol: 1e-13,
      });
      checkGrads(single, [xn], { order: 2 });
    }
    assertAllclose(d.values[out], model.call(x), { rtol: 1e-14 });
    // The Hessian is symmetric.
    const H = d.hessian![out][name][name].reshape([3, 8, 8]);
    assertAllclose(H, H.transpose([0, 2, 1]), { rtol: 1e-10, atol: 1e-12 });
  });
});

describe("derivatives through masks from Embedding(maskZero) and Masking", () => {
  const ids = array(
    [
      [3, 1, 0, 2],
      [0, 4, 2, 2],
      [1, 0, 0, 0],
    ],
    { dtype: "int32" },
  );
  const idMask = ids.notEqual(0);

  it("Sequential Embedding(maskZero) → LSTM → Dense: derivatives() values use the mask", () => {
    const model = new Sequential([
      new layers.Embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }),
      new layers.LSTM({ units: 2, kernelInitializer: initializers.glorotUniform({ seed: 4 }) }),
      new layers.Dense({ units: 1, kernelInitializer: initializers.glorotUniform({ seed: 5 }) }),
    ]);
    const d = derivatives(model, ids, { order: 2 });
    const out = model.outputNames[0];
    const [emb, lstm, dense] = model.layers;
    const masked = dense.call(lstm.call(emb.call(ids), { mask: idMask })) as Tensor;
    assertAllclose(d.values[out], masked, { rtol: 1e-14 });
    expect(() =>
      assertAllclose(masked, dense.call(lstm.call(emb.call(ids))) as Tensor, { rtol: 1e-6 }),
    ).toThrow();
    // Integer ids have zero derivatives.
    const name = model.inputNames[0];
    expect(d.jacobian[out][name].toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it("embeddings + continuous inputs: per-sample derivatives are zero at masked steps and pass checkGrads", () => {
    const embedding = new layers.Embedding({
      inputDim: 5,
      outputDim: 2,
      maskZero: true,
      embeddingsInitializer: initializers.randomNormal({ seed: 1, stddev: 0.5 }),
    });
    const lstm = new layers.LSTM({ units: 2, kernelInitializer: initializers.glorotUniform({ seed: 2 }) });
    const f = ({ ids: i, x }: Record<string, Tensor>) => {
      const mask = embedding.computeMask(i);
      return lstm.call(embedding.call(i).add(x), { mask });
    };
    const x = random.normal([3, 4, 2], { seed: 6 });
    const d = derivatives(f, { ids, x }, { wrt: ["x"], order: 2 });
    const J = d.jacobian.output.x; // [N, units, T, features]
    expect(J.shape).toEqual([3, 2, 4, 2]);
    const m = idMask.toArray() as boolean[][];
    const Jarr = J.toArray() as number[][][][];
    for (let n = 0; n < 3; n++)
      for (let t = 0; t < 4; t++) {
        const block = Jarr[n].flatMap((row) => row[t]);
        if (m[n][t]) expect(block.some((v) => v !== 0)).toBe(true);
        else expect(block.every((v) => v === 0)).toBe(true);
      }
    for (let n = 0; n < 3; n++) {
      const idsN = ids.slice([[n, n + 1]]);
      const one = (s: Tensor) => f({ ids: idsN, x: s.reshape([1, 4, 2]) }).reshape([2]);
      assertAllclose(J.slice([n]), jacrev(one)(x.slice([n])), { rtol: 1e-12, atol: 1e-15 });
      checkGrads(one, [x.slice([n])], { order: 2 });
    }
  });

  it("Masking → GRU: derivatives() equals the explicit-mask Jacobian", () => {
    const x = random.normal([2, 4, 3], { seed: 13 }).mul(
      array([
        [[1], [0], [1], [1]],
        [[1], [1], [1], [0]],
      ]),
    );
    const model = new Sequential([
      new layers.Masking({ maskValue: 0, inputShape: [4, 3] }),
      new layers.GRU({ units: 2, kernelInitializer: initializers.glorotUniform({ seed: 8 }) }),
    ]);
    const gru = model.layers[1];
    const d = derivatives(model, x);
    const mask = array([
      [true, false, true, true],
      [true, true, true, false],
    ]);
    for (let n = 0; n < 2; n++) {
      const one = (s: Tensor) =>
        (gru.call(s.reshape([1, 4, 3]), { mask: mask.slice([[n, n + 1]]) }) as Tensor).reshape([2]);
      const Jn = jacrev(one)(x.slice([n]));
      assertAllclose(d.jacobian[model.outputNames[0]][model.inputNames[0]].slice([n]), Jn, {
        rtol: 1e-12,
        atol: 1e-15,
      });
      checkGrads(one, [x.slice([n])], { order: 2 });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// ConvLSTM: a naive reference with plain-JS 2-D convolutions (TF padding), and agreements between
// ranks, data formats and the dense LSTM.

type Img = number[][][]; // [H][W][C]

/** Cross-correlation of one channels-last image with a [kh][kw][C][F] kernel, TF "same"/"valid". */
function naiveConv2d(
  x: Img,
  k: number[][][][],
  stride: number,
  dilation: number,
  padding: "same" | "valid",
): Img {
  const [H, W] = [x.length, x[0].length];
  const [kh, kw, F] = [k.length, k[0].length, k[0][0][0].length];
  const dims = [H, W].map((L, i) => {
    const kk = i === 0 ? kh : kw;
    const eff = (kk - 1) * dilation + 1;
    const out = padding === "same" ? Math.ceil(L / stride) : Math.ceil((L - eff + 1) / stride);
    const total = padding === "same" ? Math.max((out - 1) * stride + eff - L, 0) : 0;
    return { out, lo: Math.floor(total / 2) };
  });
  const y: Img = [];
  for (let i = 0; i < dims[0].out; i++) {
    const row: number[][] = [];
    for (let j = 0; j < dims[1].out; j++) {
      const acc = new Array<number>(F).fill(0);
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          const r = i * stride + a * dilation - dims[0].lo;
          const s = j * stride + b * dilation - dims[1].lo;
          if (r < 0 || r >= H || s < 0 || s >= W) continue;
          x[r][s].forEach((xv, ci) => k[a][b][ci].forEach((kv, f) => (acc[f] += xv * kv)));
        }
      row.push(acc);
    }
    y.push(row);
  }
  return y;
}

const mapImg = (a: Img, f: (v: number, c: number) => number): Img => a.map((r) => r.map((p) => p.map(f)));
const zipImg = (a: Img, b: Img, f: (u: number, v: number) => number): Img =>
  a.map((r, i) => r.map((p, j) => p.map((v, c) => f(v, b[i][j][c]))));

/** Keras's ConvLSTM step on one sample, channels-last, written out per gate. */
function naiveConvLstm(
  xs: Img[],
  w: { kernel: number[][][][]; recurrent: number[][][][]; bias: number[] },
  o: {
    filters: number;
    stride: number;
    dilation: number;
    padding: "same" | "valid";
    goBackwards?: boolean;
    mask?: boolean[];
  },
) {
  const F = o.filters;
  let h: Img | null = null;
  let c: Img | null = null;
  const outputs: Img[] = [];
  let prev: Img | null = null;
  for (let k = 0; k < xs.length; k++) {
    const t = o.goBackwards ? xs.length - 1 - k : k;
    const zx = naiveConv2d(xs[t], w.kernel, o.stride, o.dilation, o.padding);
    const h0: Img = h ?? mapImg(zx, () => 0).map((r) => r.map(() => new Array<number>(F).fill(0)));
    const c0: Img = c ?? h0;
    const zh = naiveConv2d(h0, w.recurrent, 1, 1, "same");
    const z = zipImg(zx, zh, (a, b) => a + b).map((r) => r.map((p) => p.map((v, ch) => v + w.bias[ch])));
    const gate = (g: number, f: (v: number) => number) =>
      z.map((r) => r.map((p) => p.slice(g * F, (g + 1) * F).map(f)));
    const i = gate(0, sig);
    const f = gate(1, sig);
    const g = gate(2, Math.tanh);
    const og = gate(3, sig);
    const c1 = zipImg(
      zipImg(f, c0, (a, b) => a * b),
      zipImg(i, g, (a, b) => a * b),
      (a, b) => a + b,
    );
    const h1 = zipImg(og, mapImg(c1, Math.tanh), (a, b) => a * b);
    if (o.mask && !o.mask[t]) {
      const out: Img = prev ?? mapImg(h1, () => 0);
      outputs.push(out);
      prev = out;
      h = h0;
      c = c0;
      continue;
    }
    [h, c, prev] = [h1, c1, h1];
    outputs.push(h1);
  }
  return { outputs, h: h!, c: c! };
}

describe("ConvLSTM1D/2D/3D", () => {
  const randomWeights = (l: layers.RNN<boolean>, seed: number) =>
    l.setWeights(l.getWeights().map((w, i) => random.normal(w.shape, { seed: seed + i }).mul(0.4)));

  for (const [padding, stride, dilation] of [
    ["same", 1, 1],
    ["valid", 1, 1],
    ["same", 2, 1],
    ["valid", 1, 2],
  ] as const)
    it(`ConvLSTM2D matches a naive loop: padding=${padding} strides=${stride} dilation=${dilation}, mask, goBackwards`, () => {
      const x = random.normal([2, 3, 5, 6, 2], { seed: 4 });
      const mask = [
        [true, false, true],
        [false, true, true],
      ];
      for (const goBackwards of [false, true]) {
        const l = new layers.ConvLSTM2D({
          filters: 2,
          kernelSize: [3, 2],
          strides: stride,
          dilationRate: dilation,
          padding,
          goBackwards,
          returnSequences: true,
          returnState: true,
        });
        l.call(x);
        randomWeights(l, 70);
        const [seq, h, c] = l.call(x, { mask: array(mask) });
        const [kernel, recurrent, bias] = l.getWeights().map((t) => t.toArray());
        const w = {
          kernel: kernel as number[][][][],
          recurrent: recurrent as number[][][][],
          bias: bias as number[],
        };
        const want = (x.toArray() as Img[][]).map((sample, n) =>
          naiveConvLstm(sample, w, { filters: 2, stride, dilation, padding, goBackwards, mask: mask[n] }),
        );
        assertAllclose(seq, array(want.map((r) => r.outputs)), { rtol: 1e-12, atol: 1e-12 });
        assertAllclose(h, array(want.map((r) => r.h)), { rtol: 1e-12, atol: 1e-12 });
        assertAllclose(c, array(want.map((r) => r.c)), { rtol: 1e-12, atol: 1e-12 });
      }
    });

  it("weights, names, closed-form shapes and config", () => {
    const l = new layers.ConvLSTM2D({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      returnState: true,
    });
    expect(l.name).toBe("conv_lstm2d");
    expect(l.computeOutputShape([null, 4, 9, 7, 2])).toEqual([
      [null, 5, 4, 3],
      [null, 5, 4, 3],
      [null, 5, 4, 3],
    ]);
    const [y] = l.call(random.normal([1, 4, 9, 7, 2], { seed: 0 }));
    expect(y.shape).toEqual([1, 5, 4, 3]);
    expect(l.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [3, 3, 2, 12]],
      ["recurrent_kernel", [3, 3, 3, 12]],
      ["bias", [12]],
    ]);
    expect(l.getWeights()[2].toArray()).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const config = l.getConfig();
    expect(config).toMatchObject({
      filters: 3,
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: "same",
      dataFormat: "channels_last",
      dilationRate: [1, 1],
      activation: "tanh",
      recurrentActivation: "sigmoid",
      unitForgetBias: true,
      returnState: true,
    });
    expect(layers.ConvLSTM2D.fromConfig(config).getConfig()).toEqual(config);
  });

  it("channels_first equals channels_last on transposed data", () => {
    const x = random.normal([2, 3, 4, 5, 2], { seed: 9 });
    const last = new layers.ConvLSTM2D({ filters: 2, kernelSize: 2, padding: "same", returnSequences: true });
    const first = new layers.ConvLSTM2D({
      filters: 2,
      kernelSize: 2,
      padding: "same",
      returnSequences: true,
      dataFormat: "channels_first",
    });
    const xf = x.transpose([0, 1, 4, 2, 3]);
    last.call(x);
    first.call(xf);
    randomWeights(last, 3);
    first.setWeights(last.getWeights());
    assertAllclose(first.call(xf), last.call(x).transpose([0, 1, 4, 2, 3]), {
      rtol: 1e-13,
      atol: 1e-14,
    });
  });

  it("ConvLSTM1D and ConvLSTM3D agree with ConvLSTM2D when the extra spatial dim is 1", () => {
    const x2 = random.normal([2, 3, 1, 6, 2], { seed: 12 });
    const c2 = new layers.ConvLSTM2D({
      filters: 2,
      kernelSize: [1, 3],
      padding: "same",
      returnSequences: true,
    });
    c2.call(x2);
    randomWeights(c2, 30);
    const y2 = c2.call(x2);
    const c1 = new layers.ConvLSTM1D({ filters: 2, kernelSize: 3, padding: "same", returnSequences: true });
    const x1 = x2.reshape([2, 3, 6, 2]);
    c1.call(x1);
    c1.setWeights(c2.getWeights().map((w) => (w.ndim === 4 ? w.reshape(w.shape.slice(1)) : w)));
    assertAllclose(c1.call(x1), y2.reshape([2, 3, 6, 2]), { rtol: 1e-13, atol: 1e-14 });
    const c3 = new layers.ConvLSTM3D({
      filters: 2,
      kernelSize: [1, 1, 3],
      padding: "same",
      returnSequences: true,
    });
    const x3 = x2.reshape([2, 3, 1, 1, 6, 2]);
    c3.call(x3);
    c3.setWeights(c2.getWeights().map((w) => (w.ndim === 4 ? w.reshape([1, ...w.shape]) : w)));
    assertAllclose(c3.call(x3), y2.reshape([2, 3, 1, 1, 6, 2]), { rtol: 1e-13, atol: 1e-14 });
  });

  it("with a 1×1 kernel it is an LSTM applied at every pixel", () => {
    const x = random.normal([1, 4, 2, 3, 2], { seed: 21 });
    const conv = new layers.ConvLSTM2D({ filters: 3, kernelSize: 1, returnSequences: true });
    conv.call(x);
    randomWeights(conv, 40);
    const lstm = new layers.LSTM({ units: 3, returnSequences: true });
    const pixels = x.transpose([0, 2, 3, 1, 4]).reshape([6, 4, 2]); // one sequence per pixel
    lstm.call(pixels);
    lstm.setWeights(conv.getWeights().map((w) => (w.ndim === 4 ? w.reshape(w.shape.slice(2)) : w)));
    const want = lstm.call(pixels).reshape([1, 2, 3, 4, 3]).transpose([0, 3, 1, 2, 4]);
    assertAllclose(conv.call(x), want, { rtol: 1e-13, atol: 1e-14 });
  });

  it("is differentiable to second order and vmaps", () => {
    const l = new layers.ConvLSTM1D({ filters: 1, kernelSize: 2, padding: "same", returnSequences: true });
    const x = random.normal([2, 2, 3, 1], { seed: 5 });
    l.call(x);
    randomWeights(l, 50);
    checkGrads((s: Tensor) => l.call(s), [x], { order: 2 });
    const f = (s: Tensor) => l.call(s.reshape([1, 2, 3, 1])).sum();
    const batched = vmap(jacrev(f))(x);
    const loop = stack([0, 1].map((n) => jacrev(f)(x.slice([n]))));
    assertAllclose(batched, loop, { rtol: 1e-12, atol: 1e-14 });
  });

  it("errors name the layer", () => {
    const l = new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, name: "cl" });
    expect(() => l.call(random.normal([1, 2, 5, 5], { seed: 0 }))).toThrow(
      /ConvLSTM2D 'cl': expected input of rank 5 \[batch, time, spatial.., channels\], got an input of rank 4/,
    );
    expect(
      () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, name: "x" }),
    ).toThrow(/ConvLSTM2D 'x': strides > 1 is not supported together with dilationRate > 1/);
    l.call(random.normal([1, 2, 5, 5, 3], { seed: 0 }));
    expect(() => l.call(random.normal([1, 2, 5, 5, 4], { seed: 0 }))).toThrow(
      /ConvLSTM2D 'cl': expected 3 input channels/,
    );
    expect(() =>
      new layers.ConvLSTM2D({ filters: 2, kernelSize: 7 }).call(random.normal([1, 2, 5, 5, 3], { seed: 0 })),
    ).toThrow(/does not fit the spatial dims \[5, 5\]/);
  });
});
