import { isFloat } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { normalizeAxis, shapesEqual, sizeOf } from "../core/shape.js";
import {
  batchFlat,
  evalProgram,
  evalShapeFlat,
  jvpFlat,
  partialEvalFlat,
  transposeProgram,
  type Program,
} from "../interp/index.js";
import * as L from "../prims/lax.js";
import { Concrete, type Tensor } from "../prims/tensor.js";
import { broadcastPrefix, flatten, scalarListHint, unflatten, type TreeDef } from "./pytree.js";
import { selectArgs, type ArgSelection } from "./select.js";
import type {
  CheckSelection,
  Fn,
  GradOf,
  HessianOf,
  JacobianOf,
  Selection,
  TreeOfTensors,
  ValueAndGradOf,
} from "./types.js";

/** The options type when none are passed: every transform then takes argument 0. */
type NoOptions = Record<never, never>;

/**
 * Calls the user's function. A TypeError (`x.mul is not a function`) when an argument is a JS
 * list of scalars becomes a ValueError saying what the list was taken for.
 */
function callUser(f: Fn, args: unknown[], where: string): unknown {
  try {
    return f(...args);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const [leaves, def] = flatten(args, where);
    const hint = scalarListHint(def, leaves, where);
    if (hint === "") throw e;
    throw new ValueError(`${where}: the function failed with "${e.message}"${hint}`);
  }
}

/** A function of flat leaves that records the structure of what it returns. */
function flatFn(f: Fn, inDef: TreeDef, where: string) {
  const store: { outDef?: TreeDef } = {};
  const g = (leaves: Tensor[]): Tensor[] => {
    const out = callUser(f, unflatten(inDef, leaves) as unknown[], where);
    const [outLeaves, outDef] = flatten(out, `output of the function passed to ${where}`);
    store.outDef = outDef;
    return outLeaves;
  };
  return { g, store };
}

const zerosFor = (x: Tensor) => L.zeros(x.aval.shape, x.aval.dtype);

/**
 * Linearizes a flat function: runs it once with tangents staged (partial evaluation of its JVP),
 * giving the primal outputs and the linear program from input tangents to output tangents.
 */
function linearizeFlat(
  g: (xs: Tensor[]) => Tensor[],
  primals: Tensor[],
): { outs: Tensor[]; program: Program } {
  const { knownOuts, program } = partialEvalFlat(
    (known, unknown) => {
      const [outs, tangents] = jvpFlat(g, known, unknown);
      return { knownOuts: outs, stagedOuts: tangents };
    },
    primals,
    primals.map((p) => p.aval),
  );
  return { outs: knownOuts, program };
}

/**
 * Forward mode: the outputs of `f(...primals)` and their directional derivatives along
 * `tangents` (same structure as `primals`).
 *
 * @example
 * const [y, dy] = jvp((x) => x.sin(), [array(0.5)], [array(1)]); // dy = cos(0.5)
 */
export function jvp<F extends Fn>(
  f: F,
  primals: Readonly<Parameters<F>>,
  tangents: Readonly<Parameters<F>>,
): [TreeOfTensors<ReturnType<F>>, TreeOfTensors<ReturnType<F>>] {
  // A bare tensor here would be spread as f's argument list and fail with a cryptic TypeError.
  if (!Array.isArray(primals) || !Array.isArray(tangents))
    throw new ValueError("jvp: primals and tangents must be arrays of arguments, e.g. jvp(f, [x], [v])");
  const [ps, def] = flatten(primals, "jvp primals");
  const [ts, tdef] = flatten(tangents, "jvp tangents");
  checkMatching(ps, ts, def, tdef, "jvp: tangents");
  const { g, store } = flatFn(f, def, "jvp");
  const [outs, outTs] = jvpFlat(g, ps, ts);
  return [
    unflatten(store.outDef!, outs) as TreeOfTensors<ReturnType<F>>,
    unflatten(
      store.outDef!,
      outTs.map((t, i) => t ?? zerosFor(outs[i])),
    ) as TreeOfTensors<ReturnType<F>>,
  ];
}

function checkMatching(
  ps: Tensor[],
  ts: Tensor[],
  def: TreeDef,
  tdef: TreeDef,
  where: string,
  against: "primal" | "output" = "primal",
): void {
  const like = against === "primal" ? "its primal" : "the output";
  if (JSON.stringify(def) !== JSON.stringify(tdef) || ps.length !== ts.length)
    throw new ValueError(`${where} must have the same structure as the ${against}s`);
  ps.forEach((p, i) => {
    if (!shapesEqual(p.aval.shape, ts[i].aval.shape))
      throw new ShapeError(
        `${where}: leaf ${i} has shape [${ts[i].aval.shape}], expected [${p.aval.shape}] like ${like}`,
      );
    // A float64 tangent of a float32 value would otherwise fail deep inside a rule ("mul: operands
    // must share a dtype"); JAX checks this at the boundary too.
    if (p.aval.dtype !== ts[i].aval.dtype)
      throw new DTypeError(
        `${where}: leaf ${i} has dtype ${ts[i].aval.dtype}, expected ${p.aval.dtype} like ${like}`,
      );
  });
}

/**
 * The outputs of `f(...primals)` and the linear map `fLin(...tangents)` = J·tangents, computed
 * once and reusable for many tangents (the primal work is not repeated).
 *
 * @example
 * const [y, fLin] = linearize((x) => x.mul(x), array(3));
 * fLin(array(1)); // 6
 */
export function linearize<F extends Fn>(
  f: F,
  ...primals: Parameters<F>
): [TreeOfTensors<ReturnType<F>>, (...tangents: Parameters<F>) => TreeOfTensors<ReturnType<F>>] {
  type Out = TreeOfTensors<ReturnType<F>>;
  const [ps, def] = flatten(primals, "linearize primals");
  const { g, store } = flatFn(f, def, "linearize");
  const { outs, program } = linearizeFlat(g, ps);
  const fLin = (...tangents: Parameters<F>): Out => {
    const [ts, tdef] = flatten(tangents, "linearize tangents");
    checkMatching(ps, ts, def, tdef, "linearize: tangents");
    const res = evalProgram(program, ts);
    return unflatten(
      store.outDef!,
      res.map((t, i) => t ?? zerosFor(outs[i])),
    ) as Out;
  };
  return [unflatten(store.outDef!, outs) as Out, fLin];
}

/**
 * Reverse mode: the outputs of `f(...primals)` and the pullback mapping an output cotangent to
 * the cotangents of every primal (a tuple, like JAX). Implemented as linearize-then-transpose.
 *
 * @example
 * const [y, pullback] = vjp((x) => x.sum(), array([1, 2, 3]));
 * pullback(array(1)); // [array([1., 1., 1.])]
 */
export function vjp<F extends Fn>(
  f: F,
  ...primals: Parameters<F>
): [TreeOfTensors<ReturnType<F>>, (cotangent: TreeOfTensors<ReturnType<F>>) => TreeOfTensors<Parameters<F>>] {
  const [ps, def] = flatten(primals, "vjp primals");
  const { g, store } = flatFn(f, def, "vjp");
  const { outs, program } = linearizeFlat(g, ps);
  const pullback = (ct: TreeOfTensors<ReturnType<F>>) => {
    const [cts, cdef] = flatten(ct, "vjp cotangent");
    checkMatching(outs, cts, store.outDef!, cdef, "vjp: the cotangent", "output");
    return unflatten(def, transposeProgram(program, cts)) as TreeOfTensors<Parameters<F>>;
  };
  return [unflatten(store.outDef!, outs) as TreeOfTensors<ReturnType<F>>, pullback];
}

/**
 * Options of `grad` and `valueAndGrad`: the arguments to differentiate, and whether `f` also
 * returns auxiliary data.
 *
 * @example
 * grad((x, y) => x.mul(y).sum(), { argnums: [0, 1] })(a, b); // [b, a]
 * const [g, mean] = grad((x) => [x.square().sum(), x.mean()], { hasAux: true })(x); // [2x, mean of x]
 */
export interface GradOptions extends ArgSelection {
  /** `f` returns `[value, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

/** Shared core of grad/valueAndGrad: value, aux and gradient of a scalar function. */
function gradCore(f: Fn, opts: GradOptions, args: unknown[], where: string) {
  const sel = selectArgs(args, opts, where);
  let aux: unknown;
  const g = (leaves: Tensor[]): Tensor[] => {
    const out = callUser(f, sel.rebuild(leaves), where);
    const value = opts.hasAux ? (out as unknown[])[0] : out;
    if (opts.hasAux) {
      const [auxLeaves, auxDef] = flatten((out as unknown[])[1], `${where} aux`);
      aux = { auxLeaves, auxDef };
    }
    const [vs] = flatten(value, `output of the function passed to ${where}`);
    if (vs.length !== 1 || vs[0].aval.shape.length !== 0)
      throw new ShapeError(
        `${where}: the function must return a scalar${opts.hasAux ? " (as the first element of [value, aux])" : ""}, ` +
          `got ${vs.length === 1 ? `shape [${vs[0].aval.shape}]` : `${vs.length} values`}; use jacrev for non-scalar outputs`,
      );
    // An integer or bool value has no derivative: JAX refuses it rather than returning zeros.
    if (!isFloat(vs[0].aval.dtype))
      throw new DTypeError(
        `${where}: the function must return a float scalar, got dtype ${vs[0].aval.dtype}; ` +
          `cast it with astype("float64") if its derivative (zero) is really wanted`,
      );
    const extra = opts.hasAux ? (aux as { auxLeaves: Tensor[] }).auxLeaves : [];
    return [vs[0], ...extra];
  };
  const { outs, program } = linearizeFlat(g, sel.leaves);
  const ct = new Concrete(NDArray.scalar(1, outs[0].dtype));
  const grads = transposeProgram(program, [ct, ...outs.slice(1).map(() => null)]);
  const auxOut = opts.hasAux ? unflatten((aux as { auxDef: TreeDef }).auxDef, outs.slice(1)) : undefined;
  return { value: outs[0], aux: auxOut, grad: sel.shape(grads) };
}

/**
 * Gradient of a scalar function with respect to argument `argnums` (default 0), or to the keys
 * `argnames` of an object argument. The gradient has the structure of what it is taken against.
 *
 * @example
 * const f = ({ price, features }) => mlp(features).add(1).mul(price).sum();
 * const g = grad(f, { argnames: ["price", "features"] })({ price, features });
 * g.price; g.features;
 */
export function grad<F extends Fn, const O extends GradOptions = NoOptions>(
  f: F,
  opts?: O & CheckSelection<Parameters<F>, O>,
): (...args: Parameters<F>) => GradOf<F, O> {
  const o: GradOptions = opts ?? {};
  return (...args) => {
    const r = gradCore(f, o, args, "grad");
    return (o.hasAux ? [r.grad, r.aux] : r.grad) as GradOf<F, O>;
  };
}

/**
 * Value and gradient in one pass: `[value, grad]`, or `[[value, aux], grad]` with `hasAux`.
 *
 * @example
 * const [loss, g] = valueAndGrad((x) => x.square().sum())(array([1, 2])); // 5, [2, 4]
 */
export function valueAndGrad<F extends Fn, const O extends GradOptions = NoOptions>(
  f: F,
  opts?: O & CheckSelection<Parameters<F>, O>,
): (...args: Parameters<F>) => ValueAndGradOf<F, O> {
  const o: GradOptions = opts ?? {};
  return (...args) => {
    const r = gradCore(f, o, args, "valueAndGrad");
    return (o.hasAux ? [[r.value, r.aux], r.grad] : [r.value, r.grad]) as ValueAndGradOf<F, O>;
  };
}

/** Concrete identity basis split per leaf: piece j is [n, ...shape_j] holding unit vectors. */
function basisPieces(leaves: readonly Tensor[]): { n: number; pieces: Tensor[]; offsets: number[] } {
  const sizes = leaves.map((l) => sizeOf(l.aval.shape));
  const n = sizes.reduce((a, b) => a + b, 0);
  const offsets: number[] = [];
  let off = 0;
  const pieces = leaves.map((l, j) => {
    offsets.push(off);
    const data = new NDArray(
      l.aval.dtype,
      [n, ...l.aval.shape],
      NDArray.zeros(l.aval.dtype, [n * sizes[j]]).data,
    );
    for (let i = 0; i < sizes[j]; i++) data.data[(off + i) * sizes[j] + i] = 1;
    off += sizes[j];
    return new Concrete(data);
  });
  return { n, pieces, offsets };
}

/** Rows [off, off+len) of a batch-first value, reshaped to `rowShape` + trailing dims. */
function rowBlock(x: Tensor, off: number, len: number, rowShape: readonly number[]): Tensor {
  const s = x.aval.shape;
  const sliced =
    off === 0 && len === s[0]
      ? x
      : L.slice(
          x,
          [off, ...s.slice(1).map(() => 0)],
          [off + len, ...s.slice(1)],
          s.map(() => 1),
        );
  return L.reshape(sliced, [...rowShape, ...s.slice(1)]);
}

/** Puts a batch dim at the front, broadcasting values that did not depend on the batch. */
function batchFirst(x: Tensor, d: number | null, n: number): Tensor {
  if (d === null) return L.broadcast(L.reshape(x, [1, ...x.aval.shape]), [n, ...x.aval.shape]);
  return L.moveaxis(x, d, 0);
}

/**
 * Jacobian by reverse mode: one linearization, then the transposed program run once on a whole
 * identity basis of output cotangents (vmapped), so cost grows with the output size.
 * Each block has shape `[...output shape, ...input shape]`.
 *
 * @example
 * jacrev((x) => x.tanh())(array([0, 1])); // diag(1 - tanh²)
 */
export function jacrev<F extends Fn, const O extends ArgSelection = NoOptions>(
  f: F,
  opts?: O & CheckSelection<Parameters<F>, O>,
): (...args: Parameters<F>) => JacobianOf<F, O> {
  return (...args) => {
    const sel = selectArgs(args, opts ?? {}, "jacrev");
    let outDef: TreeDef | undefined;
    const h = (leaves: Tensor[]): Tensor[] => {
      const [o, d] = flatten(f(...sel.rebuild(leaves)), "output of the function passed to jacrev");
      outDef = d;
      return o;
    };
    const { outs, program } = linearizeFlat(h, sel.leaves);
    const { n, pieces, offsets } = basisPieces(outs);
    const [cts, dims] = batchFlat(
      (cs) => transposeProgram(program, cs),
      pieces,
      pieces.map(() => 0),
      n,
    );
    const perInput = cts.map((c, j) => batchFirst(c, dims[j], n));
    const blocks = outs.map((o, i) =>
      sel.shape(perInput.map((c) => rowBlock(c, offsets[i], sizeOf(o.aval.shape), o.aval.shape))),
    );
    return unflatten(outDef!, blocks) as JacobianOf<F, O>;
  };
}

/**
 * `jacrev`, the default Jacobian (JAX's `jacobian`).
 *
 * @example
 * jacobian((x) => x.mul(x))(array([1, 2])); // [[2, 0], [0, 4]]
 */
export const jacobian = jacrev;

/**
 * Jacobian by forward mode: the JVP pushed along a whole identity basis of input tangents at
 * once (vmapped), so cost grows with the input size. Blocks are `[...output, ...input]`.
 *
 * @example
 * jacfwd((x) => x.mul(x))(array([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacfwd<F extends Fn, const O extends ArgSelection = NoOptions>(
  f: F,
  opts?: O & CheckSelection<Parameters<F>, O>,
): (...args: Parameters<F>) => JacobianOf<F, O> {
  return (...args) => {
    const sel = selectArgs(args, opts ?? {}, "jacfwd");
    let outDef: TreeDef | undefined;
    const h = (leaves: Tensor[]): Tensor[] => {
      const [o, d] = flatten(f(...sel.rebuild(leaves)), "output of the function passed to jacfwd");
      outDef = d;
      return o;
    };
    const { n, pieces, offsets } = basisPieces(sel.leaves);
    let primalOuts: Tensor[] = [];
    const [tangents, dims] = batchFlat(
      (ts) => {
        const [outs, touts] = jvpFlat(h, sel.leaves, ts);
        primalOuts = outs;
        return touts.map((t, i) => t ?? zerosFor(outs[i]));
      },
      pieces,
      pieces.map(() => 0),
      n,
    );
    const perOutput = tangents.map((t, i) => batchFirst(t, dims[i], n));
    const blocks = perOutput.map((t, i) => {
      const outShape = primalOuts[i].aval.shape;
      return sel.shape(
        sel.leaves.map((x, j) => {
          const inShape = x.aval.shape;
          const block = rowBlock(t, offsets[j], sizeOf(inShape), inShape); // [...in, ...out]
          const inRank = inShape.length;
          const perm = [...outShape.map((_, k) => inRank + k), ...inShape.map((_, k) => k)];
          return L.transpose(block, perm);
        }),
      );
    });
    return unflatten(outDef!, blocks) as JacobianOf<F, O>;
  };
}

/**
 * Hessian, `jacfwd(jacrev(f))`: forward-over-reverse. For a scalar function of x with shape s,
 * the result has shape [...s, ...s]; with several arguments it is nested by argument
 * (`h.price.features` is the cross block ∂²f/∂price∂features).
 *
 * @example
 * hessian((x) => x.pow(3).sum())(array([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian<F extends Fn, const O extends ArgSelection = NoOptions>(
  f: F,
  opts?: O & CheckSelection<Parameters<F>, O>,
): (...args: Parameters<F>) => HessianOf<F, O> {
  const o: ArgSelection = opts ?? {};
  return jacfwd(jacrev(f, o), o) as (...args: Parameters<F>) => HessianOf<F, O>;
}

/**
 * Hessian-vector product H·v without forming H: the JVP of the gradient.
 *
 * @example
 * hvp((x) => x.pow(3).sum(), [array([1, 2])], [array([1, 0])]); // [6, 0]
 */
export function hvp<F extends Fn, const O extends ArgSelection = NoOptions>(
  f: F,
  primals: Readonly<Parameters<F>>,
  tangents: Readonly<Parameters<F>>,
  opts?: O & CheckSelection<Parameters<F>, O>,
): Selection<Parameters<F>, O> {
  const o: ArgSelection = opts ?? {};
  return jvp(grad(f as Fn, o), primals, tangents)[1] as Selection<Parameters<F>, O>;
}

/**
 * Treats its input as a constant for every transform: the value passes through, derivatives
 * are zero. Works on any tree of tensors.
 *
 * @example
 * grad((x) => x.mul(stopGradient(x)))(array(3)); // 3, not 6
 */
export function stopGradient<T>(tree: T): TreeOfTensors<T> {
  const [leaves, def] = flatten(tree, "stopGradient");
  return unflatten(
    def,
    leaves.map((l) => L.stopGradient(l)),
  ) as TreeOfTensors<T>;
}

/**
 * Options of `vmap`: which axis of each argument is mapped, and where the mapped axis goes in
 * the outputs.
 *
 * @example
 * vmap((row, w) => row.dot(w), { inAxes: [0, null] })(X, w); // [N]: one row·w per row of X
 */
export interface VmapOptions {
  /** Mapped axis per argument: a number, null (not mapped), or a tree prefix of the arguments. Default 0. */
  inAxes?: unknown;
  /** Where the mapped axis goes in each output: a number or a tree prefix of the output. Default 0. */
  outAxes?: unknown;
}

const isAxisSpec = (s: unknown) => s === null || typeof s === "number";

/**
 * Vectorizing map: `vmap(f)(xs)` is `f` applied to each slice of `xs` along the mapped axis,
 * stacked — computed in one pass over whole batches (f is traced once, not once per example).
 *
 * @example
 * const perSampleGrad = vmap(grad(loss), { inAxes: [0, null] });
 * perSampleGrad(batchX, weights); // one gradient per row of batchX
 */
export function vmap<F extends Fn>(
  f: F,
  opts: VmapOptions = {},
): (...args: Parameters<F>) => TreeOfTensors<ReturnType<F>> {
  return (...args) => {
    const [leaves, def] = flatten(args, "vmap argument");
    // `null` is a real spec (not mapped), so only a missing option defaults to 0 (not `?? 0`).
    const inSpec = opts.inAxes === undefined ? 0 : opts.inAxes;
    const dims = broadcastPrefix<number | null>(inSpec, def, isAxisSpec, "vmap inAxes").map((d, i) => {
      if (d === null) return null;
      try {
        return normalizeAxis(d, leaves[i].aval.shape.length, `vmap inAxes (argument leaf ${i})`);
      } catch (e) {
        const hint = leaves[i].aval.shape.length === 0 ? scalarListHint(def, leaves, "vmap") : "";
        throw hint === "" ? e : new ValueError(`${(e as Error).message}${hint}`);
      }
    });
    const sizes = new Set<number>();
    dims.forEach((d, i) => d !== null && sizes.add(leaves[i].aval.shape[d]));
    if (sizes.size === 0) throw new ValueError("vmap: no argument is mapped (every inAxes entry is null)");
    if (sizes.size > 1)
      throw new ShapeError(
        `vmap: mapped axes have different sizes: ${dims
          .map((d, i) => (d === null ? null : `leaf ${i} shape [${leaves[i].aval.shape}] axis ${d}`))
          .filter(Boolean)
          .join("; ")}`,
      );
    const n = [...sizes][0];
    const { g, store } = flatFn(f, def, "vmap");
    const [outs, outDims] = batchFlat(g, leaves, dims, n);
    const outSpec = broadcastPrefix<number | null>(
      opts.outAxes === undefined ? 0 : opts.outAxes,
      store.outDef!,
      isAxisSpec,
      "vmap outAxes",
    );
    const moved = outs.map((o, i) => {
      const target = outSpec[i];
      if (target === null) {
        if (outDims[i] !== null)
          throw new ValueError(`vmap: output leaf ${i} is batched but its outAxes is null`);
        return o;
      }
      const front = batchFirst(o, outDims[i], n);
      return L.moveaxis(front, 0, normalizeAxis(target, front.aval.shape.length, "vmap outAxes"));
    });
    return unflatten(store.outDef!, moved) as TreeOfTensors<ReturnType<F>>;
  };
}

/**
 * A shape and dtype standing in for a tensor in `evalShape`.
 *
 * @example
 * const spec: ShapeDtype = { shape: [10, 8], dtype: "float32" };
 * evalShape((x) => x.sum({ axis: 1 }), spec); // { shape: [10], dtype: "float32" }
 */
export interface ShapeDtype {
  shape: readonly number[];
  dtype?: import("../core/dtype.js").DType;
}

/**
 * The shapes and dtypes `f` would return for arguments of the given shapes (JAX's `eval_shape`),
 * found by running only the primitives' shape rules: nothing is computed or allocated.
 *
 * @example
 * evalShape((x) => x.matmul(w), { shape: [10, 8] }); // { shape: [10, 64], dtype: "float64" }
 */
export function evalShape(f: Fn, ...args: unknown[]): unknown {
  const specLeaves: ShapeDtype[] = [];
  const isSpec = (x: unknown): x is ShapeDtype =>
    typeof x === "object" && x !== null && Array.isArray((x as ShapeDtype).shape) && !(x instanceof Concrete);
  const defArgs = mapSpecs(
    args,
    (s) => {
      specLeaves.push(s);
      return L.zeros([], s.dtype ?? "float64");
    },
    isSpec,
  );
  const [, def] = flatten(defArgs, "evalShape");
  let outDef: TreeDef | undefined;
  const avals = evalShapeFlat(
    (xs) => {
      const [o, d] = flatten(
        f(...(unflatten(def, xs) as unknown[])),
        "output of the function passed to evalShape",
      );
      outDef = d;
      return o;
    },
    specLeaves.map((s) => ({ shape: s.shape.slice(), dtype: s.dtype ?? "float64" })),
  );
  return unflatten(outDef!, avals);
}

/** Replaces every spec leaf in a tree (arrays/plain objects) using `f`. */
function mapSpecs(
  tree: unknown,
  f: (s: ShapeDtype) => unknown,
  isSpec: (x: unknown) => x is ShapeDtype,
): unknown {
  if (isSpec(tree)) return f(tree);
  if (Array.isArray(tree)) return tree.map((t) => mapSpecs(t, f, isSpec));
  if (tree !== null && typeof tree === "object" && Object.getPrototypeOf(tree) === Object.prototype)
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, mapSpecs(v, f, isSpec)]));
  return tree;
}
