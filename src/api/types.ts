import type { DataArray } from "../core/dtype.js";
import type { Tensor } from "../prims/tensor.js";

/*
 * Type-level mirrors of what the transforms do at run time, so `vmap(grad(f, { argnums: [0, 1] }))(X, p)`
 * is typed `[Tensor, Tensor]` without a cast. They follow the pytree rules of ./pytree.ts: every
 * leaf (a Tensor, a JS number, a typed array) comes back as a Tensor; arrays, tuples and plain
 * objects keep their shape. A function typed with `any` (an untyped lambda parameter, `AnyFn`)
 * stays `any`, so untyped code keeps compiling as before.
 */

/** Any function a transform accepts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fn = (...args: any[]) => any;

/** `true` when T is `any` (which would otherwise distribute into every branch). */
type IsAny<T> = 0 extends 1 & T ? true : false;

/**
 * The type of a pytree after a transform has flattened and rebuilt it: each leaf becomes a
 * Tensor (numbers and typed arrays included), arrays/tuples and plain objects keep their shape.
 *
 * @example
 * type G = TreeOfTensors<{ w: Tensor; scale: number; pair: [Tensor, number] }>;
 * // { w: Tensor; scale: Tensor; pair: [Tensor, Tensor] }: what grad returns for such an argument
 */
export type TreeOfTensors<T> =
  IsAny<T> extends true
    ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
      any
    : T extends Tensor | number | DataArray
      ? Tensor
      : T extends null | undefined
        ? T
        : T extends readonly unknown[]
          ? IsPyTree<T[number]> extends true
            ? TensorTree[]
            : { -readonly [K in keyof T]: TreeOfTensors<T[K]> }
          : T extends object
            ? string extends keyof T
              ? IsPyTree<T[string & keyof T]> extends true
                ? { [key: string]: TensorTree }
                : { -readonly [K in keyof T]: TreeOfTensors<T[K]> }
              : { -readonly [K in keyof T]: TreeOfTensors<T[K]> }
            : unknown;

/** Whether T is the recursive PyTree type (or wider): mapping into it would never end. */
type IsPyTree<T> = [Tensor | number | null | undefined] extends [T] ? true : false;

/**
 * A pytree whose leaves are all tensors: what a transform gives for a part typed only as the
 * recursive `PyTree`.
 *
 * @example
 * const g: TensorTree = grad((p: { layers: PyTree[] }) => loss(p))(params).layers[0];
 */
export type TensorTree = Tensor | null | undefined | TensorTree[] | { [key: string]: TensorTree };

/**
 * A tree of tensors with every Tensor leaf replaced by `G`: a Jacobian holds, per output leaf,
 * one block per differentiated input (in the structure of the selection).
 *
 * @example
 * type J = LeavesTo<[Tensor, Tensor], { price: Tensor }>; // [{ price: Tensor }, { price: Tensor }]
 */
export type LeavesTo<T, G> =
  IsAny<T> extends true
    ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
      any
    : T extends Tensor
      ? G
      : T extends null | undefined
        ? T
        : T extends object
          ? { [K in keyof T]: LeavesTo<T[K], G> }
          : unknown;

type ParamAt<P extends readonly unknown[], N> = N extends keyof P ? P[N] : never;

/** argnums as one position or a tuple of positions; a wide `number`/`number[]` gives a wide type. */
type ByArgnums<P extends readonly unknown[], N> = N extends number
  ? number extends N
    ? TreeOfTensors<P[number]>
    : TreeOfTensors<ParamAt<P, N>>
  : N extends readonly number[]
    ? number extends N["length"]
      ? TreeOfTensors<P[number]>[]
      : { -readonly [I in keyof N]: TreeOfTensors<ParamAt<P, N[I]>> }
    : unknown;

/**
 * The type of what a transform differentiates against, given the function's parameters `P` and
 * its options `O` (see `ArgSelection`): argument 0 by default, one argument for a numeric
 * `argnums`, a tuple for a tuple of argnums, an object of the keys for `argnames`.
 * Options only known as the wide `ArgSelection` type give `unknown`.
 *
 * @example
 * type G = Selection<[x: Tensor, w: number], { argnums: [0, 1] }>; // [Tensor, Tensor]
 */
export type Selection<P extends readonly unknown[], O> = O extends { readonly argnames: readonly (infer K)[] }
  ? { [Q in K & keyof P[0]]: TreeOfTensors<P[0][Q]> }
  : O extends { readonly argnums: infer N }
    ? ByArgnums<P, N>
    : "argnums" extends keyof O
      ? unknown
      : "argnames" extends keyof O
        ? unknown
        : TreeOfTensors<P[0]>;

/**
 * A compile-time check of the options against the function: `unknown` (no constraint) when they
 * fit, else the shape they should have, so an out-of-range argnum or a misspelt argname is a
 * type error at the call rather than a ValueError at run time.
 *
 * @example
 * grad((x: Tensor) => x.sum(), { argnums: 1 }); // type error: argument 1 does not exist
 */
export type CheckSelection<P extends readonly unknown[], O> = number extends P["length"]
  ? unknown
  : O extends { readonly argnames: readonly (infer K)[] }
    ? [K] extends [keyof P[0]]
      ? unknown
      : { argnames: readonly (keyof P[0] & string)[] }
    : O extends { readonly argnums: infer N }
      ? [N] extends [number]
        ? number extends N
          ? unknown
          : `${N}` extends keyof P
            ? unknown
            : { "argnums: no such argument; valid positions are": ArgIndex<P> }
        : N extends readonly number[]
          ? number extends N[number]
            ? unknown
            : `${N[number]}` extends keyof P
              ? unknown
              : { argnums: readonly ArgIndex<P>[] }
          : unknown
      : unknown;

/** The valid positions of a tuple of parameters, as numbers. */
type ArgIndex<P extends readonly unknown[]> = {
  [K in keyof P]: K extends `${infer I extends number}` ? I : never;
}[number];

/** The auxiliary part of a `[value, aux]` return, as the transform returns it. */
type AuxOf<R> = R extends readonly [unknown, infer A]
  ? TreeOfTensors<A>
  : R extends readonly (infer E)[]
    ? TreeOfTensors<E>
    : unknown;

/**
 * Wraps a derivative with the aux data when the options ask for it (`hasAux: true`).
 * A wide `boolean` gives `unknown`: the shape depends on a value known only at run time.
 */
type WithAux<O, G, R> = O extends { readonly hasAux: true }
  ? [G, AuxOf<R>]
  : O extends { readonly hasAux: false }
    ? G
    : "hasAux" extends keyof O
      ? unknown
      : G;

/**
 * What `grad(f, opts)(...args)` returns: the gradient in the structure of the selection, or
 * `[gradient, aux]` with `hasAux: true`.
 *
 * @example
 * type G = GradOf<(x: Tensor, p: { w: Tensor }) => Tensor, { argnums: 1 }>; // { w: Tensor }
 */
export type GradOf<F extends Fn, O> = WithAux<O, Selection<Parameters<F>, O>, ReturnType<F>>;

/**
 * What `valueAndGrad(f, opts)(...args)` returns: `[value, gradient]`, or `[[value, aux], gradient]`
 * with `hasAux: true`.
 *
 * @example
 * type VG = ValueAndGradOf<(x: Tensor) => Tensor, {}>; // [Tensor, Tensor]
 */
export type ValueAndGradOf<F extends Fn, O> = O extends { readonly hasAux: true }
  ? [[Tensor, AuxOf<ReturnType<F>>], Selection<Parameters<F>, O>]
  : O extends { readonly hasAux: false }
    ? [Tensor, Selection<Parameters<F>, O>]
    : "hasAux" extends keyof O
      ? unknown
      : [Tensor, Selection<Parameters<F>, O>];

/**
 * What `jacrev(f, opts)` / `jacfwd(f, opts)` return: per output leaf, the blocks against the
 * selection (a Tensor for a Tensor → Tensor function).
 *
 * @example
 * type J = JacobianOf<(x: Tensor, w: Tensor) => [Tensor, Tensor], { argnums: [0, 1] }>;
 * // [[Tensor, Tensor], [Tensor, Tensor]]
 */
export type JacobianOf<F extends Fn, O> = LeavesTo<TreeOfTensors<ReturnType<F>>, Selection<Parameters<F>, O>>;

/**
 * What `hessian(f, opts)` returns: the Jacobian of the Jacobian, nested by selection twice
 * (`h.price.features` for `argnames: ["price", "features"]`); a Tensor for Tensor → Tensor.
 *
 * @example
 * type H = HessianOf<(p: { a: Tensor; b: Tensor }) => Tensor, { argnames: ["a", "b"] }>;
 * // { a: { a: Tensor; b: Tensor }; b: { a: Tensor; b: Tensor } }
 */
export type HessianOf<F extends Fn, O> = LeavesTo<JacobianOf<F, O>, Selection<Parameters<F>, O>>;
