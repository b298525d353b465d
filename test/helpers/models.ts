/**
 * Random small differentiable compositions for transform properties: an MLP layer with a random
 * smooth activation followed by a random head (softmax, logsumexp, products, divisions, einsum,
 * slicing and concatenation). Each is built from a seeded `Gen`, so a failing seed reproduces.
 */
import * as G from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import type { Gen } from "./gen.js";

export type Fn = (x: Tensor) => Tensor;

const ACTIVATIONS: [string, Fn][] = [
  ["tanh", (x) => G.tanh(x)],
  ["sigmoid", (x) => G.sigmoid(x)],
  ["softplus", (x) => G.softplus(x)],
  ["gelu", (x) => G.gelu(x)],
  ["gelu(tanh)", (x) => G.gelu(x, { approximate: true })],
  ["sin", (x) => G.sin(x)],
];

/** A head mapping hidden features h: [k] (and the input x: [d]) to a vector of length `out`. */
type Head = (h: Tensor, x: Tensor) => Tensor;

function heads(g: Gen, k: number, d: number): [string, Head][] {
  const v = g.uniform([k + d], -1, 1);
  const M = g.uniform([k, k], -1, 1);
  const c = g.uniform([k], -1, 1);
  return [
    ["softmax·c", (h) => G.softmax(h).mul(c)],
    ["logsumexp", (h) => G.stack([G.logsumexp(h), G.logsumexp(h.mul(2))])],
    ["product of slices", (h) => h.slice([[0, k - 1]]).mul(h.slice([[1, k]]))],
    ["division", (h) => h.div(h.mul(h).sum().add(1))],
    ["einsum quadratic", (h) => G.stack([G.einsum("i,ij,j->", h, M, h), G.einsum("i,i", h, c)])],
    [
      "concat·v",
      (h, x) =>
        G.concatenate([h, x])
          .mul(v)
          .slice([[null, null, -2]]),
    ],
    ["reversed cumsum", (h) => G.cumsum(h.flip(0)).mul(c)],
  ];
}

export interface Model {
  name: string;
  /** x: [d] → vector. */
  f: Fn;
  /** x: [d] → scalar (sum of f, weighted). */
  scalar: Fn;
  d: number;
}

/** A random model f: R^d → R^m (m depends on the head) and a scalar version of it. */
export function randomModel(g: Gen): Model {
  const d = g.int(1, 4);
  const k = g.int(2, 4);
  const W = g.uniform([d, k], -1, 1);
  const b = g.uniform([k], -0.5, 0.5);
  const [actName, act] = g.pick(ACTIVATIONS);
  // Sometimes a second hidden layer [k, k] with its own activation.
  const deep = g.bool();
  const W2 = g.uniform([k, k], -1, 1);
  const [act2Name, act2] = g.pick(ACTIVATIONS);
  const [headName, head] = g.pick(heads(g, k, d));
  const hidden = (x: Tensor) => {
    const h = act(G.matmul(x, W).add(b));
    return deep ? act2(G.matmul(W2, h)) : h;
  };
  const f: Fn = (x) => head(hidden(x), x);
  const w = g.uniform([16], 0.5, 1.5);
  const scalar: Fn = (x) => {
    const y = f(x);
    return y.mul(w.slice([[0, y.shape[0]]])).sum();
  };
  return { name: `${actName}${deep ? ` → ${act2Name}` : ""} → ${headName} (d=${d}, k=${k})`, f, scalar, d };
}
