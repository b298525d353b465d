/**
 * StackedRNNCells (Keras: keras/src/layers/rnn/stacked_rnn_cells.py) and `RNN({ cell: [a, b] })`:
 * a naive per-sample loop over the cells, equality with a stack of RNN layers where Keras's
 * semantics make the two the same, derivatives (checkGrads to second order, vmap(jacrev) = loop),
 * configs, and loading: a hand-written Keras 3 `.keras` (config.json + model.weights.h5 with the
 * weights at Keras 3's `cell/cells/<key>` groups) and a tf.keras 2 `to_json()` config, then
 * `model.save` → `loadModel` round trips.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  array,
  Input,
  jacrev,
  layers,
  Model,
  random,
  resetNames,
  Sequential,
  stack,
  Tensor,
  vmap,
  type CallArgs,
} from "../src/index.js";
import { writeHdf5, type H5WriteGroup } from "../src/io/containers/hdf5.js";
import { loadModel, serializeModel } from "../src/io/index.js";
import { readZip, writeZip } from "../src/io/containers/zip.js";
import { openHdf5 } from "../src/io/containers/hdf5.js";
import { assertAllclose, checkGrads } from "../src/testing/index.js";

beforeEach(() => resetNames());

const EXACT = { rtol: 1e-12, atol: 1e-12 };

// ---------------------------------------------------------------------------------------------
// A naive reference: every cell written out on number arrays, one sample at a time.

type Vec = number[];
type Mat = number[][];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const vecMat = (v: Vec, m: Mat): Vec => m[0].map((_, j) => v.reduce((s, vi, i) => s + vi * m[i][j], 0));
const add = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]);
const cols = (v: Vec, k: number, u: number): Vec => v.slice(k * u, (k + 1) * u);

/** One step of a cell: (input, states, [kernel, recurrent_kernel, bias]) → [output, states]. */
type NaiveCell = (x: Vec, states: Vec[], w: unknown[]) => [Vec, Vec[]];

const naiveSimple: NaiveCell = (x, [h], [k, r, b]) => {
  const y = add(add(vecMat(x, k as Mat), vecMat(h, r as Mat)), b as Vec).map(Math.tanh);
  return [y, [y]];
};

const naiveLstm: NaiveCell = (x, [h, c], [k, r, b]) => {
  const u = h.length;
  const z = add(add(vecMat(x, k as Mat), vecMat(h, r as Mat)), b as Vec);
  const [i, f, g, o] = [0, 1, 2, 3].map((q) => cols(z, q, u).map(q === 2 ? Math.tanh : sig));
  const c2 = c.map((cv, j) => f[j] * cv + i[j] * g[j]);
  const h2 = c2.map((cv, j) => o[j] * Math.tanh(cv));
  return [h2, [h2, c2]];
};

/** GRU with reset_after=True (Keras 3's default): bias [2, 3u] = [input bias, recurrent bias]. */
const naiveGru: NaiveCell = (x, [h], [k, r, b]) => {
  const u = h.length;
  const [bi, br] = b as Mat;
  const xp = add(vecMat(x, k as Mat), bi);
  const m = add(vecMat(h, r as Mat), br);
  const z = add(cols(xp, 0, u), cols(m, 0, u)).map(sig);
  const rr = add(cols(xp, 1, u), cols(m, 1, u)).map(sig);
  const hh = cols(xp, 2, u).map((v, j) => Math.tanh(v + rr[j] * m[2 * u + j]));
  const y = h.map((hv, j) => z[j] * hv + (1 - z[j]) * hh[j]);
  return [y, [y]];
};

interface NaiveStack {
  cells: { fn: NaiveCell; w: unknown[]; states: number }[];
}

/**
 * Keras's loop over one sample with the stack as the cell: at each step the cells run in order on
 * the previous cell's output; a masked step keeps every state and repeats the previous output.
 */
function naiveStackRun(
  s: NaiveStack,
  xs: Vec[],
  init: Vec[],
  o: { goBackwards?: boolean; mask?: boolean[] | null } = {},
) {
  const T = xs.length;
  let states = init;
  let prev: Vec | null = null;
  const outputs: Vec[] = [];
  for (let k = 0; k < T; k++) {
    const t = o.goBackwards ? T - 1 - k : k;
    let x = xs[t];
    const next: Vec[] = [];
    let at = 0;
    for (const c of s.cells) {
      const [y, cs] = c.fn(x, states.slice(at, at + c.states), c.w);
      at += c.states;
      next.push(...cs);
      x = y;
    }
    let out = x;
    if (o.mask && !o.mask[t]) out = prev ?? x.map(() => 0);
    else states = next;
    prev = out;
    outputs.push(out);
  }
  return { outputs, last: prev!, states };
}

/** LSTMCell(3) → GRUCell(2) → SimpleRNNCell(4): states [h1, c1, h2, h3]. */
const makeCells = () => [
  new layers.LSTMCell({ units: 3 }),
  new layers.GRUCell({ units: 2 }),
  new layers.SimpleRNNCell({ units: 4 }),
];
const NAIVE = [
  { fn: naiveLstm, states: 2 },
  { fn: naiveGru, states: 1 },
  { fn: naiveSimple, states: 1 },
];
const STATE_UNITS = [3, 3, 2, 4];

function naiveOf(rnn: layers.RNN<boolean>): NaiveStack {
  const stackCell = rnn.cell as layers.StackedRNNCells;
  return {
    cells: stackCell.cells.map((c, i) => ({ ...NAIVE[i], w: c.getWeights().map((t) => t.toArray()) })),
  };
}

/** Builds the layer on `xs` and draws small random weights (so nothing saturates). */
function randomizeWeights(
  layer: { call: (x: Tensor) => unknown; getWeights(): Tensor[]; setWeights(w: Tensor[]): void },
  xs: Tensor,
  seed: number,
) {
  layer.call(xs);
  layer.setWeights(
    layer.getWeights().map((w, i) => random.normal(w.shape, { seed: seed + 10 + i }).mul(0.6)),
  );
}

// ---------------------------------------------------------------------------------------------

describe("RNN over StackedRNNCells = a naive loop over the cells", () => {
  const N = 3;
  const T = 5;
  const F = 2;
  const maskRows = [
    [true, true, true, true, true],
    [true, true, true, false, false],
    [false, true, false, true, true],
  ];
  for (const goBackwards of [false, true])
    for (const masked of [false, true])
      for (const withInit of [false, true])
        it(`goBackwards=${goBackwards} mask=${masked} initialState=${withInit}`, () => {
          const rnn = new layers.RNN({
            cell: makeCells(),
            returnSequences: true,
            returnState: true,
            goBackwards,
          });
          expect(rnn.cell).toBeInstanceOf(layers.StackedRNNCells);
          const xs = random.normal([N, T, F], { seed: 7 });
          randomizeWeights(rnn, xs, 7);
          const init = withInit ? STATE_UNITS.map((u, i) => random.normal([N, u], { seed: 40 + i })) : null;
          const kwargs: CallArgs = {};
          if (masked) kwargs.mask = array(maskRows);
          if (init) kwargs.initialState = init;
          const [seq, ...states] = rnn.call(xs, kwargs);
          expect(seq.shape).toEqual([N, T, 4]);
          expect(states.map((s) => s.shape)).toEqual(STATE_UNITS.map((u) => [N, u]));
          const naive = naiveOf(rnn);
          const initArr = init?.map((s) => s.toArray() as Mat);
          const want = (xs.toArray() as number[][][]).map((sample, n) =>
            naiveStackRun(
              naive,
              sample,
              initArr ? initArr.map((s) => s[n]) : STATE_UNITS.map((u) => new Array<number>(u).fill(0)),
              { goBackwards, mask: masked ? maskRows[n] : null },
            ),
          );
          assertAllclose(seq, array(want.map((r) => r.outputs)), EXACT);
          states.forEach((s, i) => assertAllclose(s, array(want.map((r) => r.states[i])), EXACT));
          // Without returnSequences: the last processed step's output.
          const last = new layers.RNN({ cell: makeCells(), goBackwards });
          last.call(xs);
          last.setWeights(rnn.getWeights());
          assertAllclose(last.call(xs, kwargs), array(want.map((r) => r.last)), EXACT);
        });

  it("weights are every cell's, cell by cell, in Keras's order; shapes and masks in closed form", () => {
    const rnn = new layers.RNN({ cell: makeCells(), returnState: true });
    rnn.call(random.normal([2, 4, 5], { seed: 1 }));
    expect(rnn.weights.map((w) => `${w.path}:${w.shape.join("x")}`)).toEqual([
      "lstm_cell/kernel:5x12",
      "lstm_cell/recurrent_kernel:3x12",
      "lstm_cell/bias:12",
      "gru_cell/kernel:3x6",
      "gru_cell/recurrent_kernel:2x6",
      "gru_cell/bias:2x6",
      "simple_rnn_cell/kernel:2x4",
      "simple_rnn_cell/recurrent_kernel:4x4",
      "simple_rnn_cell/bias:4",
    ]);
    const stackCell = rnn.cell as layers.StackedRNNCells;
    expect(stackCell.cells.map((c) => c.buildInputShape)).toEqual([
      [null, 5],
      [null, 3],
      [null, 2],
    ]);
    expect(stackCell.stateCount).toBe(4);
    expect(rnn.computeOutputShape([null, null, 5])).toEqual([
      [null, 4],
      [null, 3],
      [null, 3],
      [null, 2],
      [null, 4],
    ]);
    expect(rnn.computeMask(null as never, array([[true, false]]))).toEqual([null, null, null, null, null]);
    expect(rnn.countParams()).toBe(5 * 12 + 3 * 12 + 12 + 3 * 6 + 2 * 6 + 12 + 2 * 4 + 4 * 4 + 4);
  });

  it("a stack is a cell: called on [x_t, ...states] it runs one step of every cell", () => {
    const cells = makeCells();
    const stackCell = new layers.StackedRNNCells({ cells });
    const x = random.normal([2, 3], { seed: 2 });
    const states = STATE_UNITS.map((u, i) => random.normal([2, u], { seed: 3 + i }));
    const [y, ...next] = stackCell.call([x, ...states]);
    const [y1, h1, c1] = cells[0].call([x, states[0], states[1]]);
    const [y2, h2] = cells[1].call([y1, states[2]]);
    const [y3, h3] = cells[2].call([y2, states[3]]);
    assertAllclose(y, y3, { rtol: 0, atol: 0 });
    [h1, c1, h2, h3].forEach((h, i) => assertAllclose(next[i], h, { rtol: 0, atol: 0 }));
  });
});

describe("RNN([a, b]) = RNN(a, returnSequences) → RNN(b) where Keras makes them equal", () => {
  const xs = random.normal([3, 6, 2], { seed: 11 });
  const mask = array([
    [true, true, true, true, true, true],
    [true, true, true, true, false, false],
    [false, true, true, false, true, true],
  ]);

  function pair(opts: { goBackwards?: boolean; returnSequences?: boolean }) {
    const stacked = new layers.RNN({
      cell: new layers.StackedRNNCells({
        cells: [new layers.LSTMCell({ units: 3 }), new layers.GRUCell({ units: 2 })],
      }),
      goBackwards: opts.goBackwards,
      returnSequences: opts.returnSequences,
      returnState: true,
    });
    randomizeWeights(stacked, xs, 21);
    const first = new layers.LSTM({
      units: 3,
      returnSequences: true,
      returnState: true,
      goBackwards: opts.goBackwards,
    });
    const second = new layers.GRU({ units: 2, returnSequences: opts.returnSequences, returnState: true });
    const w = stacked.getWeights();
    first.call(xs);
    first.setWeights(w.slice(0, 3));
    second.call(random.normal([3, 6, 3]));
    second.setWeights(w.slice(3));
    return { stacked, first, second };
  }

  // With goBackwards, the first layer emits its outputs in processing order (reversed), which the
  // second reads forwards: the same order the stacked cell sees them in. (A mask would not follow
  // that reversal in Keras, so goBackwards is compared unmasked.)
  for (const [goBackwards, masked] of [
    [false, false],
    [false, true],
    [true, false],
  ])
    for (const returnSequences of [false, true])
      it(`goBackwards=${goBackwards} mask=${masked} returnSequences=${returnSequences}`, () => {
        const { stacked, first, second } = pair({ goBackwards, returnSequences });
        const kwargs: CallArgs = masked ? { mask } : {};
        const [y, h1, c1, h2] = stacked.call(xs, kwargs);
        const [seq1, fh, fc] = first.call(xs, kwargs);
        const [y2, sh] = second.call(seq1, kwargs);
        assertAllclose(y, y2, EXACT);
        assertAllclose(h1, fh, EXACT);
        assertAllclose(c1, fc, EXACT);
        assertAllclose(h2, sh, EXACT);
      });

  it("in a Sequential model, with the mask made by Masking", () => {
    const { stacked, first, second } = pair({ returnSequences: true });
    const padded = xs.mul(mask.astype("float64").reshape([3, 6, 1]));
    const stackedLayer = new layers.RNN({
      cell: [new layers.LSTMCell({ units: 3 }), new layers.GRUCell({ units: 2 })],
    });
    const a = new Sequential([new layers.Masking({ maskValue: 0, inputShape: [6, 2] }), stackedLayer]);
    const b = new Sequential([
      new layers.Masking({ maskValue: 0, inputShape: [6, 2] }),
      new layers.LSTM({ units: 3, returnSequences: true }),
      new layers.GRU({ units: 2 }),
    ]);
    stackedLayer.setWeights(stacked.getWeights());
    b.layers[1].setWeights(first.getWeights());
    b.layers[2].setWeights(second.getWeights());
    assertAllclose(a.call(padded), b.call(padded), EXACT);
  });
});

describe("derivatives", () => {
  const small = () => {
    const rnn = new layers.RNN({
      cell: [new layers.SimpleRNNCell({ units: 2 }), new layers.LSTMCell({ units: 2 })],
      returnSequences: true,
    });
    const x = random.normal([2, 3, 2], { seed: 31 });
    rnn.call(x);
    rnn.setWeights(rnn.getWeights().map((w, i) => random.normal(w.shape, { seed: 32 + i }).mul(0.7)));
    return { rnn, x };
  };
  const mask = array([
    [true, false, true],
    [false, true, true],
  ]);

  it("checkGrads to second order w.r.t. the sequence and every initial state, with a mask", () => {
    const { rnn, x } = small();
    checkGrads((s: Tensor) => rnn.call(s), [x], { order: 2 });
    const init = [2, 2, 2].map((u, i) => random.normal([2, u], { seed: 60 + i }));
    checkGrads(
      (s: Tensor, h1: Tensor, h2: Tensor, c2: Tensor) => rnn.call(s, { mask, initialState: [h1, h2, c2] }),
      [x, ...init],
      { order: 2 },
    );
  });

  it("vmap(jacrev(f)) gives per-sample Jacobians equal to a loop over samples", () => {
    const { rnn, x } = small();
    const f = (s: Tensor, m: Tensor) =>
      rnn.call(s.reshape([1, ...s.shape]), { mask: m.reshape([1, ...m.shape]) }).reshape([3, 2]);
    const batched = vmap(jacrev((s: Tensor, m: Tensor) => f(s, m)))(x, mask);
    expect(batched.shape).toEqual([2, 3, 2, 3, 2]);
    const loop = stack([0, 1].map((n) => jacrev((s: Tensor) => f(s, mask.slice([n])))(x.slice([n]))));
    assertAllclose(batched, loop, { rtol: 1e-12, atol: 1e-14 });
  });
});

describe("config", () => {
  it("getConfig lists the cells; fromConfig (with rebuilt cells) round-trips", () => {
    const rnn = new layers.RNN({ cell: makeCells(), returnSequences: true, name: "enc" });
    const config = rnn.getConfig();
    const cellSpec = config.cell as { className: string; config: Record<string, unknown> };
    expect(cellSpec.className).toBe("StackedRNNCells");
    const specs = cellSpec.config.cells as { className: string; config: Record<string, unknown> }[];
    expect(specs.map((c) => [c.className, c.config.name, c.config.units])).toEqual([
      ["LSTMCell", "lstm_cell", 3],
      ["GRUCell", "gru_cell", 2],
      ["SimpleRNNCell", "simple_rnn_cell", 4],
    ]);
    // fromConfig needs nested layers as instances (the model loader rebuilds them first).
    expect(() => layers.StackedRNNCells.fromConfig(cellSpec.config)).toThrow(
      /cells\[0\] must be a layer instance/,
    );
    const classes: Record<string, { fromConfig(c: Record<string, unknown>): layers.RNNCell }> = {
      LSTMCell: layers.LSTMCell,
      GRUCell: layers.GRUCell,
      SimpleRNNCell: layers.SimpleRNNCell,
    };
    const cells = specs.map((s) => classes[s.className].fromConfig(s.config));
    const stackCell = layers.StackedRNNCells.fromConfig({ ...cellSpec.config, cells });
    expect(stackCell.getConfig()).toEqual(cellSpec.config);
    const copy = layers.RNN.fromConfig({ ...config, cell: stackCell });
    expect(copy.getConfig()).toEqual(config);
    // A list of cells in a config is stacked, as the constructor does.
    const fromList = layers.RNN.fromConfig({ ...config, cell: makeCells() });
    expect((fromList.cell as layers.StackedRNNCells).cells.map((c) => c.className)).toEqual([
      "LSTMCell",
      "GRUCell",
      "SimpleRNNCell",
    ]);
  });

  it("Bidirectional copies the stack for its backward layer", () => {
    const x = random.normal([2, 4, 3], { seed: 3 });
    const bi = new layers.Bidirectional({
      layer: new layers.RNN({
        cell: [new layers.GRUCell({ units: 2 }), new layers.SimpleRNNCell({ units: 3 })],
      }),
    });
    const y = bi.call(x);
    expect(y.shape).toEqual([2, 6]);
    expect(bi.weights.length).toBe(12);
    const fwd = new layers.RNN({
      cell: [new layers.GRUCell({ units: 2 }), new layers.SimpleRNNCell({ units: 3 })],
    });
    fwd.call(x);
    fwd.setWeights(bi.getWeights().slice(0, 6));
    assertAllclose(y.slice([null, [0, 3]]), fwd.call(x), EXACT);
  });

  it("errors name the layer and say what was expected", () => {
    expect(() => new layers.StackedRNNCells({ cells: [], name: "s" })).toThrow(
      /StackedRNNCells 's': cells must be a non-empty list of RNN cells/,
    );
    expect(
      () =>
        new layers.RNN({
          cell: [new layers.GRUCell({ units: 2 }), new layers.Dense({ units: 2 }) as never],
          name: "r",
        }),
    ).toThrow(/RNN 'r': cells\[1\] must be an RNNCell .*got Dense 'dense'/);
    const rnn = new layers.RNN({ cell: makeCells(), name: "r" });
    const x = random.normal([2, 3, 2]);
    expect(() => rnn.call(x, { initialState: [random.normal([2, 3])] })).toThrow(
      /RNN 'r': expected 4 initial state\(s\), got 1/,
    );
    expect(() => rnn.call(x, { initialState: STATE_UNITS.map((u) => random.normal([2, u + 1])) })).toThrow(
      /RNN 'r': initial state 0 should have shape \[2, 3\], got \[2, 4\]/,
    );
    expect(() => rnn.call(random.normal([2, 3, 4]))).toThrow(
      /RNN 'r' \(cells\[0\]: LSTMCell 'lstm_cell'\): expected input \[batch, time, 2\], got \[2, 3, 4\]/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Loading: Keras 3 and tf.keras 2 configs with StackedRNNCells.

const init = (className: string, config: Record<string, unknown> = {}) => ({
  module: "keras.initializers",
  class_name: className,
  config,
  registered_name: null,
});

function keras3Cell(
  className: string,
  name: string,
  units: number,
  inDim: number,
  extra: Record<string, unknown>,
) {
  return {
    module: "keras.layers",
    class_name: className,
    config: {
      name,
      trainable: true,
      dtype: "float32",
      units,
      activation: "tanh",
      use_bias: true,
      kernel_initializer: init("GlorotUniform", { seed: null }),
      recurrent_initializer: init("OrthogonalInitializer", { gain: 1.0, seed: null }),
      bias_initializer: init("Zeros"),
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      seed: null,
      ...extra,
    },
    registered_name: null,
    build_config: { input_shape: [null, inDim] },
  };
}

const kt = (layer: string, shape: (number | null)[], index = 0) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype: "float32", keras_history: [layer, 0, index] },
});

const inputLayer = (name: string, shape: (number | null)[]) => ({
  module: "keras.layers",
  class_name: "InputLayer",
  config: { batch_shape: shape, dtype: "float32", sparse: false, name },
  registered_name: null,
  name,
  inbound_nodes: [],
});

/**
 * What Keras 3.3 writes for `RNN([LSTMCell(3), GRUCell(2)], return_state=True)` called on
 * `x [?, 5, 2]` with `initial_state=[[h1, c1], [h2]]` (nested per cell), then a Dense.
 */
function keras3Config() {
  return {
    module: "keras.src.models.functional",
    class_name: "Functional",
    config: {
      name: "stacked",
      trainable: true,
      layers: [
        inputLayer("x", [null, 5, 2]),
        inputLayer("h1", [null, 3]),
        inputLayer("c1", [null, 3]),
        inputLayer("h2", [null, 2]),
        {
          module: "keras.layers",
          class_name: "RNN",
          config: {
            name: "rnn",
            trainable: true,
            dtype: "float32",
            return_sequences: false,
            return_state: true,
            go_backwards: false,
            stateful: false,
            unroll: false,
            zero_output_for_mask: false,
            cell: {
              module: "keras.layers",
              class_name: "StackedRNNCells",
              config: {
                name: "stacked_rnn_cells",
                trainable: true,
                dtype: "float32",
                cells: [
                  keras3Cell("LSTMCell", "lstm_cell", 3, 2, {
                    recurrent_activation: "sigmoid",
                    unit_forget_bias: true,
                  }),
                  keras3Cell("GRUCell", "gru_cell", 2, 3, {
                    recurrent_activation: "sigmoid",
                    reset_after: true,
                  }),
                ],
              },
              registered_name: null,
              build_config: { input_shape: [null, 2] },
            },
          },
          registered_name: null,
          build_config: { input_shape: [null, 5, 2] },
          name: "rnn",
          inbound_nodes: [
            {
              args: [kt("x", [null, 5, 2])],
              kwargs: { initial_state: [[kt("h1", [null, 3]), kt("c1", [null, 3])], [kt("h2", [null, 2])]] },
            },
          ],
        },
        {
          module: "keras.layers",
          class_name: "Dense",
          config: {
            name: "dense",
            trainable: true,
            dtype: "float32",
            units: 1,
            activation: "linear",
            use_bias: true,
            kernel_initializer: init("GlorotUniform", { seed: null }),
            bias_initializer: init("Zeros"),
            kernel_regularizer: null,
            bias_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
          registered_name: null,
          build_config: { input_shape: [null, 2] },
          name: "dense",
          inbound_nodes: [{ args: [kt("rnn", [null, 2])], kwargs: {} }],
        },
      ],
      input_layers: [
        ["x", 0, 0],
        ["h1", 0, 0],
        ["c1", 0, 0],
        ["h2", 0, 0],
      ],
      output_layers: [
        ["dense", 0, 0],
        ["rnn", 0, 1],
        ["rnn", 0, 2],
        ["rnn", 0, 3],
      ],
    },
    registered_name: "Functional",
    build_config: { input_shape: null },
  };
}

/** Seeded weights for the Keras 3 model: LSTM cell (kernel, recurrent, bias), GRU cell (…), Dense. */
const WEIGHT_SHAPES = [[2, 12], [3, 12], [12], [3, 6], [2, 6], [2, 6], [2, 1], [1]];
const weightValues = () => WEIGHT_SHAPES.map((s, i) => random.normal(s, { seed: 100 + i }).mul(0.5));

/** A `.keras` archive as Keras 3 writes it: the stack's cells at `layers/rnn/cell/cells/<key>/vars`. */
function keras3Archive(): Uint8Array {
  const w = weightValues();
  const vars = (ts: Tensor[]): H5WriteGroup => ({
    kind: "group",
    children: Object.fromEntries(
      ts.map((t, i) => [String(i), { kind: "dataset", shape: t.shape, data: Float32Array.from(t.data()) }]),
    ),
  });
  const group = (children: H5WriteGroup["children"]): H5WriteGroup => ({ kind: "group", children });
  const root = group({
    layers: group({
      input_layer: group({ vars: vars([]) }),
      input_layer_1: group({ vars: vars([]) }),
      input_layer_2: group({ vars: vars([]) }),
      input_layer_3: group({ vars: vars([]) }),
      rnn: group({
        vars: vars([]),
        cell: group({
          vars: vars([]),
          cells: group({
            lstm_cell: group({ vars: vars(w.slice(0, 3)) }),
            gru_cell: group({ vars: vars(w.slice(3, 6)) }),
          }),
        }),
      }),
      dense: group({ vars: vars(w.slice(6)) }),
    }),
    vars: vars([]),
  });
  const enc = new TextEncoder();
  return writeZip([
    [
      "metadata.json",
      enc.encode(JSON.stringify({ keras_version: "3.3.3", date_saved: "2024-06-15@17:08:44" })),
    ],
    ["config.json", enc.encode(JSON.stringify(keras3Config()))],
    ["model.weights.h5", writeHdf5(root)],
  ]);
}

/** The same model written in gradlens. */
function reference() {
  const x = Input({ shape: [5, 2], name: "x" });
  const h1 = Input({ shape: [3], name: "h1" });
  const c1 = Input({ shape: [3], name: "c1" });
  const h2 = Input({ shape: [2], name: "h2" });
  const rnn = new layers.RNN({
    cell: [new layers.LSTMCell({ units: 3 }), new layers.GRUCell({ units: 2 })],
    returnState: true,
  });
  const [y, ...states] = rnn.apply([x, h1, c1, h2]);
  const out = new layers.Dense({ units: 1 }).apply(y);
  const model = new Model({ inputs: [x, h1, c1, h2], outputs: [out, ...states] });
  const w = weightValues().map((t) =>
    array(Float32Array.from(t.data()), { shape: t.shape }).astype("float64"),
  );
  model.setWeights(w);
  return model;
}

const modelInputs = () => [
  random.normal([3, 5, 2], { seed: 1 }),
  random.normal([3, 3], { seed: 2 }),
  random.normal([3, 3], { seed: 3 }),
  random.normal([3, 2], { seed: 4 }),
];

describe("loading StackedRNNCells", () => {
  it("a Keras 3 .keras file (nested initial_state, weights under cell/cells/<key>) loads and computes the stack", async () => {
    const model = await loadModel(keras3Archive(), { label: "stacked.keras" });
    const rnn = model.getLayer("rnn") as layers.RNN<boolean>;
    expect(rnn.cell).toBeInstanceOf(layers.StackedRNNCells);
    expect((rnn.cell as layers.StackedRNNCells).cells.map((c) => c.name)).toEqual(["lstm_cell", "gru_cell"]);
    const xs = modelInputs();
    const got = model.call(xs) as Tensor[];
    resetNames();
    const want = reference().call(xs);
    expect(got.map((t) => t.shape)).toEqual([
      [3, 1],
      [3, 3],
      [3, 3],
      [3, 2],
    ]);
    got.forEach((t, i) => assertAllclose(t, want[i], { rtol: 0, atol: 0 }));
    // The initial states are used: zero states give other outputs.
    const zeroed = model.call([xs[0], xs[1].mul(0), xs[2].mul(0), xs[3].mul(0)]) as Tensor[];
    expect(Math.abs(zeroed[0].sub(got[0]).data()[0])).toBeGreaterThan(1e-6);
  });

  it("model.save → loadModel round-trips it: same outputs, same config, weights where Keras 3 keeps them", async () => {
    const model = await loadModel(keras3Archive(), { label: "stacked.keras" });
    const bytes = await model.save({ bytes: true });
    const config = JSON.parse(
      new TextDecoder().decode(readZip(bytes, "saved").get("config.json")),
    ) as ReturnType<typeof keras3Config>;
    const saved = config.config.layers[4] as unknown as {
      config: {
        cell: { class_name: string; config: { cells: { class_name: string; build_config: unknown }[] } };
      };
      inbound_nodes: { kwargs: { initial_state: unknown[][] } }[];
    };
    expect(saved.config.cell.class_name).toBe("StackedRNNCells");
    expect(saved.config.cell.config.cells.map((c) => [c.class_name, c.build_config])).toEqual([
      ["LSTMCell", { input_shape: [null, 2] }],
      ["GRUCell", { input_shape: [null, 3] }],
    ]);
    expect(saved.inbound_nodes[0].kwargs.initial_state.map((s) => s.length)).toEqual([2, 1]);
    const h5 = openHdf5(readZip(bytes, "saved").get("model.weights.h5")!, "saved");
    expect(h5.group("layers/rnn/cell/cells/lstm_cell/vars").keys()).toEqual(["0", "1", "2"]);
    expect(h5.group("layers/rnn/cell/cells/gru_cell/vars").keys()).toEqual(["0", "1", "2"]);
    expect(h5.dataset("layers/rnn/cell/cells/gru_cell/vars/2").shape).toEqual([2, 6]);
    const again = await loadModel(bytes, { label: "saved.keras" });
    const xs = modelInputs();
    const a = model.call(xs) as Tensor[];
    const b = again.call(xs) as Tensor[];
    a.forEach((t, i) => assertAllclose(b[i], t, { rtol: 0, atol: 0 }));
    expect(serializeModel(again)).toEqual(config);
  });

  it("a model built in code with RNN([cells]) saves and reloads (Sequential)", async () => {
    const model = new Sequential([
      new layers.InputLayer({ batchShape: [null, 4, 3] }),
      new layers.RNN({
        cell: [
          new layers.SimpleRNNCell({ units: 2 }),
          new layers.SimpleRNNCell({ units: 3 }),
          new layers.LSTMCell({ units: 2 }),
        ],
        returnSequences: true,
        goBackwards: true,
      }),
      new layers.Dense({ units: 1 }),
    ]);
    model.setWeights(model.getWeights().map((w, i) => random.normal(w.shape, { seed: 200 + i })));
    const bytes = await model.save({ bytes: true });
    const h5 = openHdf5(readZip(bytes, "saved").get("model.weights.h5")!, "saved");
    // Keras keys a list by class name, numbering repeats: simple_rnn_cell, simple_rnn_cell_1.
    expect(h5.group("layers/rnn/cell/cells").keys()).toEqual([
      "lstm_cell",
      "simple_rnn_cell",
      "simple_rnn_cell_1",
    ]);
    const again = await loadModel(bytes, { label: "saved.keras" });
    const x = random.normal([2, 4, 3], { seed: 9 });
    assertAllclose(again.call(x) as Tensor, model.call(x), { rtol: 0, atol: 0 });
    expect(serializeModel(again)).toEqual(serializeModel(model));
  });

  it("a tf.keras 2 config (model.to_json()) with StackedRNNCells loads", async () => {
    const cell = (className: string, name: string, units: number, extra: Record<string, unknown> = {}) => ({
      class_name: className,
      config: {
        name,
        trainable: true,
        dtype: "float32",
        units,
        activation: "tanh",
        use_bias: true,
        kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } },
        recurrent_initializer: { class_name: "Orthogonal", config: { gain: 1.0, seed: null } },
        bias_initializer: { class_name: "Zeros", config: {} },
        kernel_regularizer: null,
        recurrent_regularizer: null,
        bias_regularizer: null,
        kernel_constraint: null,
        recurrent_constraint: null,
        bias_constraint: null,
        dropout: 0.0,
        recurrent_dropout: 0.0,
        ...extra,
      },
    });
    const json = {
      class_name: "Sequential",
      config: {
        name: "sequential",
        layers: [
          {
            class_name: "InputLayer",
            config: {
              batch_input_shape: [null, 4, 2],
              dtype: "float32",
              sparse: false,
              ragged: false,
              name: "in",
            },
          },
          {
            class_name: "RNN",
            config: {
              name: "rnn",
              trainable: true,
              dtype: "float32",
              return_sequences: false,
              return_state: false,
              go_backwards: false,
              stateful: false,
              unroll: false,
              time_major: false,
              cell: {
                class_name: "StackedRNNCells",
                config: {
                  name: "stacked_rnn_cells",
                  trainable: true,
                  dtype: "float32",
                  cells: [
                    cell("LSTMCell", "lstm_cell", 3, {
                      recurrent_activation: "sigmoid",
                      unit_forget_bias: true,
                      implementation: 2,
                    }),
                    cell("GRUCell", "gru_cell", 2, {
                      recurrent_activation: "sigmoid",
                      reset_after: true,
                      implementation: 2,
                    }),
                  ],
                },
              },
            },
          },
        ],
      },
      keras_version: "2.9.0",
      backend: "tensorflow",
    };
    const model = await loadModel(new TextEncoder().encode(JSON.stringify(json)), {
      label: "stacked.json",
      withoutWeights: true,
    });
    const w = weightValues().slice(0, 6);
    model.setWeights(w);
    const x = random.normal([3, 4, 2], { seed: 5 });
    const rnn = new layers.RNN({
      cell: [new layers.LSTMCell({ units: 3 }), new layers.GRUCell({ units: 2 })],
    });
    rnn.call(x);
    rnn.setWeights(w);
    assertAllclose(model.call(x) as Tensor, rnn.call(x) as Tensor, { rtol: 0, atol: 0 });
    // And it saves as Keras 3 and reloads.
    const again = await loadModel(await model.save({ bytes: true }), { label: "saved.keras" });
    assertAllclose(again.call(x) as Tensor, model.call(x) as Tensor, { rtol: 0, atol: 0 });
  });
});
