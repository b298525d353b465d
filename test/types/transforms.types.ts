/**
 * Type expectations for the transforms, checked by the TypeScript compiler (test/types.test.ts and
 * `npm run typecheck`, which includes this file). Nothing here runs: every function is only
 * type-checked. `Expect<Equal<A, B>>` fails to compile unless A and B are the same type, and each
 * `// @ts-expect-error` must sit on a line that really is an error (tsc reports unused ones).
 */
/* eslint-disable @typescript-eslint/no-unused-vars -- values here exist only to have their types checked */
// The public entry point, as users import it (it also brings the Tensor methods of src/ops).
import {
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
  Input,
  layers,
  Model,
  type LayerOutputs,
  type PyTree,
  type Tensor,
  type TensorTree,
  type TreeOfTensors,
} from "../../src/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

declare const X: Tensor;
declare const p: Tensor;
declare const f: (x: Tensor, p: Tensor) => Tensor;
declare const model: (inputs: { price: Tensor; features: Tensor; id: Tensor }) => Tensor;
declare const loss: (params: { w: Tensor; b: number; layers: [Tensor, Tensor] }, x: Tensor) => Tensor;

export function issueExample() {
  // The example of the issue: per-sample gradients against two arguments, no cast.
  const g = vmap(grad(f, { argnums: [0, 1] }))(X, p);
  type _ = Expect<Equal<typeof g, [Tensor, Tensor]>>;
  const [gx, gp]: [Tensor, Tensor] = g;
  return gx.add(gp);
}

export function gradSelections() {
  const g0 = grad(f)(X, p);
  const g1 = grad(f, { argnums: 1 })(X, p);
  const gn = grad(model, { argnames: ["price", "features"] })({ price: X, features: X, id: X });
  const gt = grad(loss)({ w: X, b: 2, layers: [X, X] }, X);
  type _ = [
    Expect<Equal<typeof g0, Tensor>>,
    Expect<Equal<typeof g1, Tensor>>,
    Expect<Equal<typeof gn, { price: Tensor; features: Tensor }>>,
    // A pytree argument gives a gradient of the same tree, numbers becoming tensors.
    Expect<Equal<typeof gt, { w: Tensor; b: Tensor; layers: [Tensor, Tensor] }>>,
  ];
  return [g0, g1, gn, gt];
}

export function gradAux() {
  const withAux = (x: Tensor): [Tensor, { mean: Tensor; n: number }] => [x.sum(), { mean: x.mean(), n: 3 }];
  const [g, aux] = grad(withAux, { hasAux: true })(X);
  const [[v, aux2], g2] = valueAndGrad(withAux, { hasAux: true })(X);
  const [v3, g3] = valueAndGrad(f, { argnums: [1] })(X, p);
  type _ = [
    Expect<Equal<typeof g, Tensor>>,
    Expect<Equal<typeof aux, { mean: Tensor; n: Tensor }>>,
    Expect<Equal<typeof v, Tensor>>,
    Expect<Equal<typeof aux2, { mean: Tensor; n: Tensor }>>,
    Expect<Equal<typeof g2, Tensor>>,
    Expect<Equal<typeof v3, Tensor>>,
    Expect<Equal<typeof g3, [Tensor]>>,
  ];
}

export function forwardAndReverse() {
  const two = (x: Tensor): [Tensor, Tensor] => [x.sin(), x.cos()];
  const [y, dy] = jvp(two, [X], [X]);
  const [y2, pullback] = vjp(f, X, p);
  const cts = pullback(X);
  const [y3, lin] = linearize(two, X);
  type _ = [
    Expect<Equal<typeof y, [Tensor, Tensor]>>,
    Expect<Equal<typeof dy, [Tensor, Tensor]>>,
    Expect<Equal<typeof y2, Tensor>>,
    Expect<Equal<typeof cts, [Tensor, Tensor]>>,
    Expect<Equal<typeof y3, [Tensor, Tensor]>>,
    Expect<Equal<ReturnType<typeof lin>, [Tensor, Tensor]>>,
  ];
}

export function jacobians() {
  const sin = (x: Tensor) => x.sin();
  const jr = jacrev(sin)(X);
  const jf = jacfwd(sin)(X);
  const h = hessian(f)(X, p);
  const jt = jacrev((x: Tensor, w: Tensor): [Tensor, Tensor] => [x, w], { argnums: [0, 1] })(X, p);
  const hn = hessian(model, { argnames: ["price", "features"] })({ price: X, features: X, id: X });
  const hv = hvp(f, [X, p], [X, p]);
  type _ = [
    Expect<Equal<typeof jr, Tensor>>,
    Expect<Equal<typeof jf, Tensor>>,
    Expect<Equal<typeof h, Tensor>>,
    Expect<Equal<typeof jt, [[Tensor, Tensor], [Tensor, Tensor]]>>,
    Expect<Equal<(typeof hn)["price"]["features"], Tensor>>,
    Expect<Equal<typeof hv, Tensor>>,
  ];
  return hn.features.price;
}

export function vmapKeepsTypes() {
  const perRow = vmap((r: Tensor, w: Tensor) => ({ out: r.dot(w), n: 1 }), { inAxes: [0, null] })(X, p);
  const nested = vmap(jacrev(hessian(f)))(X, p);
  type _ = [
    Expect<Equal<typeof perRow, { out: Tensor; n: Tensor }>>,
    Expect<Equal<typeof nested, Tensor>>,
    Expect<Equal<Parameters<ReturnType<typeof vmap<typeof f>>>, Parameters<typeof f>>>,
  ];
}

export function treeOfTensors() {
  const s = stopGradient({ a: X, b: [2, X] as [number, Tensor] });
  type _ = [
    Expect<Equal<typeof s, { a: Tensor; b: [Tensor, Tensor] }>>,
    Expect<Equal<TreeOfTensors<Float64Array>, Tensor>>,
    Expect<Equal<TreeOfTensors<null>, null>>,
  ];
}

export function wideSignatures() {
  // Rest parameters: no argnums check, a gradient per selected argument.
  const g = grad((...xs: Tensor[]) => xs[0].sum(), { argnums: [0, 1] })(X, X);
  const gw = grad(f, { argnums: [0, 1] } as { argnums: number[] })(X, p);
  const gp = grad((t: PyTree) => X.sum())({ a: X });
  type _ = [
    Expect<Equal<typeof g, [Tensor, Tensor]>>,
    // Options typed only as number[]: one entry per selected argument, of the parameters' types.
    Expect<Equal<typeof gw, Tensor[]>>,
    // A parameter typed only as the recursive PyTree gives a tree of tensors.
    Expect<Equal<typeof gp, TensorTree>>,
  ];
}

export function untypedCodeStillCompiles() {
  // Lambdas without annotations are `any`-typed as before: the result is `any`, not an error.
  const g = grad((x) => x.sum())(X);
  const h = vmap((r) => r.sum())(X);
  return [g.anything, h.anything];
}

export function layersAndModels() {
  const x = Input({ shape: [2] });
  const dense = new layers.Dense({ units: 1 });
  const y = dense.apply(x);
  const one = new Model({ inputs: x, outputs: y });
  const two = new Model({ inputs: x, outputs: [y, new layers.Dense({ units: 3 }).apply(x)] });
  const named = new Model({ inputs: x, outputs: { price: y } });
  // An LSTM's output structure follows its returnState option, typed from the literal it is made with.
  const seq = new Model({ inputs: x, outputs: new layers.LSTM({ units: 2 }).apply(x) });
  const att = new layers.Attention();
  const scored = att.call([X, X], { returnAttentionScores: true });
  const plain = att.call([X, X]);
  // Model.call composes with the transforms with no cast.
  const perRow = vmap(grad((r: Tensor) => one.call(r.reshape([1, 2])).sum()))(X);
  type _ = [
    Expect<Equal<ReturnType<typeof dense.call>, Tensor>>,
    Expect<Equal<ReturnType<typeof one.call>, Tensor>>,
    Expect<Equal<ReturnType<typeof two.call>, Tensor[]>>,
    Expect<Equal<ReturnType<typeof named.call>, { price: Tensor }>>,
    Expect<Equal<ReturnType<typeof seq.call>, Tensor>>,
    // predict joins batches of call's results: it has call's type.
    Expect<Equal<ReturnType<typeof two.predict>, Tensor[]>>,
    Expect<Equal<ReturnType<typeof named.predict>, { price: Tensor }>>,
    Expect<Equal<typeof scored, [Tensor, Tensor]>>,
    Expect<Equal<typeof plain, Tensor>>,
    Expect<Equal<typeof perRow, Tensor>>,
  ];
}

export function recurrentLayers(flag: boolean) {
  const plain = new layers.LSTM({ units: 2 }).call(X);
  const [y, h, c] = new layers.LSTM({ units: 2, returnState: true }).call(X, { initialState: [p, p] });
  const either = new layers.GRU({ units: 2, returnState: flag }).call(X);
  const generic = new layers.RNN({ cell: new layers.LSTMCell({ units: 2 }), returnState: true }).call(X);
  const bi = new layers.Bidirectional({ layer: new layers.LSTM({ units: 2 }) }).call(X);
  const biStates = new layers.Bidirectional({ layer: new layers.LSTM({ units: 2, returnState: true }) }).call(
    X,
  );
  const split = new layers.Bidirectional({ layer: new layers.GRU({ units: 2 }), mergeMode: null }).call(X);
  const td = new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }).call(X);
  // A layer's symbolic call gives symbolic values in the structure of its concrete call.
  const [sy, sh, sc] = new layers.LSTM({ units: 2, returnState: true }).apply(Input({ shape: [3, 2] }));
  const stateful = new Model({ inputs: Input({ shape: [3, 2] }), outputs: [sy, sh, sc] });
  // Any recurrent layer, whatever its returnState, is an RNN<boolean>.
  const any: layers.RNN<boolean> = new layers.LSTM({ units: 2, returnState: true });
  type _ = [
    Expect<Equal<typeof plain, Tensor>>,
    Expect<Equal<typeof y | typeof h | typeof c, Tensor>>,
    Expect<Equal<typeof either, Tensor | Tensor[]>>,
    Expect<Equal<typeof generic, Tensor[]>>,
    Expect<Equal<typeof bi, Tensor>>,
    Expect<Equal<typeof biStates, Tensor[]>>,
    Expect<Equal<typeof split, Tensor[]>>,
    Expect<Equal<typeof td, Tensor>>,
    Expect<Equal<ReturnType<typeof stateful.call>, Tensor[]>>,
    Expect<Equal<ReturnType<typeof any.call>, Tensor | Tensor[]>>,
  ];
}

export function mistakesAreCompileErrors() {
  // @ts-expect-error: f has two arguments, there is no argument 2.
  grad(f, { argnums: 2 });
  // @ts-expect-error: nor in a tuple of argnums.
  jacrev(f, { argnums: [0, 5] });
  // @ts-expect-error: 'prices' is not a key of the model's input object.
  grad(model, { argnames: ["prices"] });
  // @ts-expect-error: the gradient of one Tensor argument is a Tensor, not a list.
  const notAList: Tensor[] = grad((x: Tensor) => x.sum())(X);
  // @ts-expect-error: a tuple selection gives a tuple, not one Tensor.
  const notOne: Tensor = grad(f, { argnums: [0, 1] })(X, p);
  // @ts-expect-error: the transformed function keeps f's parameters (a Tensor, not a string).
  vmap(f)(X, "p");
  // @ts-expect-error: and their number.
  grad(f)(X);
  // @ts-expect-error: jvp primals follow f's parameters.
  jvp(f, [X], [X]);
  // @ts-expect-error: with hasAux the result is [grad, aux], not a Tensor.
  const noAux: Tensor = grad((x: Tensor): [Tensor, Tensor] => [x.sum(), x], { hasAux: true })(X);
  // @ts-expect-error: the pullback of a Tensor output returns a tuple of cotangents.
  const notCt: Tensor = vjp(f, X, p)[1](X);
  const x = Input({ shape: [2] });
  const two = new Model({ inputs: x, outputs: [x, x] });
  // @ts-expect-error: a model with a list of outputs returns a list.
  const notSingle: Tensor = two.call(X);
  // @ts-expect-error: an LSTM made without returnState returns one Tensor, not [y, h, c].
  const [y, h, c] = new layers.LSTM({ units: 2 }).call(X);
  // @ts-expect-error: with returnState: true it returns a list, not one Tensor.
  const notOneState: Tensor = new layers.GRU({ units: 2, returnState: true }).call(X);
  // @ts-expect-error: initialState takes tensors.
  new layers.LSTM({ units: 2 }).call(X, { initialState: [[0, 0]] });
  // @ts-expect-error: a Bidirectional with mergeMode null returns [forward, backward].
  const notMerged: Tensor = new layers.Bidirectional({
    layer: new layers.GRU({ units: 2 }),
    mergeMode: null,
  }).call(X);
  return [notAList, notOne, noAux, notCt, notSingle, y, h, c, notOneState, notMerged];
}
