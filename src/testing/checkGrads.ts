import { isFloat } from "../core/dtype.js";
import { NDArray } from "../core/ndarray.js";
import { Rng } from "../core/rng.js";
import { flatten, unflatten, type TreeDef } from "../api/pytree.js";
import { jvp, vjp } from "../api/transforms.js";
import { concreteValue } from "../prims/tensor.js";
import { Concrete, type Tensor } from "../prims/tensor.js";
import { AssertionMismatch } from "./allclose.js";

/**
 * Options of `checkGrads`: which orders and modes to check, the finite-difference step and the
 * tolerances.
 *
 * @example
 * checkGrads((x) => x.tanh().sum(), [array([0.3, -1.2])], { order: 1, modes: ["fwd"], rtol: 1e-6 });
 */
export interface CheckGradsOptions {
  /** Highest derivative order to check (1 = first derivatives; 2 also checks the derivative code's own derivatives). */
  order?: number;
  /** "fwd" checks JVPs against finite differences; "rev" checks VJPs against JVPs by ⟨v, J u⟩ = ⟨Jᵀ v, u⟩. */
  modes?: readonly ("fwd" | "rev")[];
  /** Central-difference step (relative to each input's scale, default 1e-6 in float64). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Seed of the random directions. */
  seed?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

interface Flat {
  leaves: Tensor[];
  def: TreeDef;
}

const flat = (tree: unknown): Flat => {
  const [leaves, def] = flatten(tree, "checkGrads");
  return { leaves, def };
};

const values = (t: Tensor) => concreteValue(t, "checkGrads").data;

/** Random direction with the structure of `x`: normal entries on float leaves, zeros elsewhere. */
function randomLike(x: Flat, rng: Rng): Tensor[] {
  return x.leaves.map((l) => {
    const data = NDArray.zeros(l.dtype, l.shape);
    if (isFloat(l.dtype)) for (let i = 0; i < data.size; i++) data.data[i] = rng.nextNormal();
    return new Concrete(data);
  });
}

/** x + s·u leaf-wise (float leaves only). */
function axpy(x: Flat, u: Tensor[], s: number): unknown {
  return unflatten(
    x.def,
    x.leaves.map((l, i) => (isFloat(l.dtype) ? l.add(u[i].mul(s)) : l)),
  );
}

/** Σ over leaves of ⟨a, b⟩ in float64. */
function inner(a: Tensor[], b: Tensor[]): number {
  let s = 0;
  a.forEach((t, i) => {
    const x = values(t);
    const y = values(b[i]);
    for (let k = 0; k < x.length; k++) s += x[k] * y[k];
  });
  return s;
}

function compare(what: string, got: Tensor[], want: Tensor[], rtol: number, atol: number): void {
  got.forEach((g, i) => {
    const x = values(g);
    const y = values(want[i]);
    let scale = 0;
    for (let k = 0; k < y.length; k++) scale = Math.max(scale, Math.abs(y[k]), Math.abs(x[k]));
    for (let k = 0; k < x.length; k++) {
      const err = Math.abs(x[k] - y[k]);
      if (!(err <= atol + rtol * Math.max(Math.abs(y[k]), 1e-3 * scale)))
        throw new AssertionMismatch(
          `${what}: output leaf ${i} element ${k}: got ${x[k]}, expected ${y[k]} (abs err ${err.toExponential(3)})`,
        );
    }
  });
}

/**
 * Checks the derivatives of `f` at `args` the way HIPS autograd's `check_grads` does, in float64:
 *
 * - fwd: the JVP along a random direction u equals the central difference (f(x+εu) − f(x−εu))/2ε;
 * - rev: for a random output cotangent v, ⟨v, J u⟩ (from the JVP) equals ⟨Jᵀ v, u⟩ (from the VJP);
 * - order k > 1: the same checks applied to the JVP and VJP functions themselves, recursively,
 *   so second derivatives (Hessians) are verified too.
 *
 * Throws an `AssertionMismatch` naming the failing check; returns nothing when all pass.
 *
 * @example
 * checkGrads((x) => x.tanh().sum(), [array([0.3, -1.2])], { order: 2 });
 */
export function checkGrads(f: AnyFn, args: readonly unknown[], opts: CheckGradsOptions = {}): void {
  const order = opts.order ?? 2;
  const modes = opts.modes ?? ["fwd", "rev"];
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const rng = new Rng(opts.seed ?? 0);
  checkAt(f, args, order, modes, eps, rtol, atol, rng, "f");
}

function checkAt(
  f: AnyFn,
  args: readonly unknown[],
  order: number,
  modes: readonly ("fwd" | "rev")[],
  eps: number,
  rtol: number,
  atol: number,
  rng: Rng,
  name: string,
): void {
  const x = flat([...args]);
  const u = randomLike(x, rng);
  const uTree = unflatten(x.def, u) as unknown[];
  const [, jvpOut] = jvp(f, [...args], uTree);
  const ju = flat(jvpOut).leaves;
  if (modes.includes("fwd")) {
    const plus = flat(f(...(axpy(x, u, eps) as unknown[]))).leaves;
    const minus = flat(f(...(axpy(x, u, -eps) as unknown[]))).leaves;
    const numeric = plus.map((p, i) => p.sub(minus[i]).div(2 * eps));
    compare(`checkGrads fwd (${name}): JVP vs central difference`, ju, numeric, rtol, atol);
  }
  let vTree: unknown;
  if (modes.includes("rev")) {
    const [out, pullback] = vjp(f, ...args);
    const o = flat(out);
    const v = randomLike(o, rng);
    vTree = unflatten(o.def, v);
    const jtv = flat(pullback(vTree)).leaves;
    const lhs = inner(v, ju);
    const rhs = inner(jtv, u);
    const scale = Math.max(Math.abs(lhs), Math.abs(rhs), 1);
    if (!(Math.abs(lhs - rhs) <= atol + rtol * scale))
      throw new AssertionMismatch(`checkGrads rev (${name}): ⟨v, J u⟩ = ${lhs} but ⟨Jᵀ v, u⟩ = ${rhs}`);
  }
  if (order <= 1) return;
  if (modes.includes("fwd")) {
    const fJvp = (...xs: unknown[]) => {
      const n = args.length;
      return jvp(f, xs.slice(0, n), xs.slice(n))[1];
    };
    checkAt(fJvp, [...args, ...uTree], order - 1, modes, eps, rtol, atol, rng, `jvp of ${name}`);
  }
  if (modes.includes("rev")) {
    const fVjp = (...xs: unknown[]) => {
      const n = args.length;
      const [, pullback] = vjp(f, ...xs.slice(0, n));
      return pullback(xs[n]);
    };
    checkAt(fVjp, [...args, vTree], order - 1, modes, eps, rtol, atol, rng, `vjp of ${name}`);
  }
}
