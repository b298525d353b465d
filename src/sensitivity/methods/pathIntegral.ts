/**
 * Adaptive path integrals of a gradient, ∫₀¹ ∇y(z(α)) dα along z(α) = x' + α(x − x'), for
 * Integrated Gradients. The error of each piece [a, b] of the path is known exactly, not
 * estimated: by the fundamental theorem of calculus along the path,
 *   δ_k[a, b] = (x − x')·∫_a^b ∇y_k dα − (y_k(z(b)) − y_k(z(a)))
 * is the quadrature error of that piece (the completeness delta of Sundararajan et al. restricted
 * to it), and the pieces' deltas add up to the sample's. So the path is refined where the error
 * is: every piece whose |δ| exceeds its equal share of the tolerance is bisected, until
 * Σ_pieces |δ| ≤ tolerance or the step budget is spent (global adaptive quadrature, as in
 * QUADPACK's QAG, with an exact error in place of a Kronrod estimate).
 *
 * This is what makes ReLU networks converge: along a straight path their gradient is piecewise
 * constant, and a rule on the whole of [0, 1] (doubling its points) averages across the jumps and
 * gains only O(1/m) per doubling; bisection isolates each kink in a piece that shrinks
 * geometrically while the pieces without a kink are exact at once. Smooth models converge on the
 * first attempt as before.
 *
 * Every value is checked: a gradient or path output that is not finite stops the sample at once
 * (no point integrating NaN to the budget) and is reported with its α.
 */
import { pathQuadrature, type QuadratureMethod, type QuadratureRule } from "../stats/quadrature.js";

/** What the integrator needs to know about the samples and how to evaluate the path. */
export interface PathProblem {
  /** Samples, output components, features. */
  S: number;
  k: number;
  d: number;
  /** x − x' per sample, [S × D]. */
  dx: Float64Array;
  /** y(x') and y(x) per sample, [S × K]: the path's end values. */
  y0: Float64Array;
  y1: Float64Array;
  /** Samples to integrate (the others are left at zero with status "skipped"). */
  include: boolean[];
  /** Jacobians [P × K × D] at path points (sample, α). */
  jacobians(samples: number[], alphas: number[]): Float64Array;
  /** Outputs [P × K] at path points (sample, α). */
  values(samples: number[], alphas: number[]): Float64Array;
  /** Called after each round with the number of finished samples. */
  progress?(done: number): void;
}

/** The rule, its budget and the tolerance. */
export interface PathRule {
  method: QuadratureMethod;
  /**
   * Steps (Gauss–Legendre points) of the first attempt on [0, 1]. Halves of a bisected piece keep
   * its steps while bisection pays off as it does for a smooth integrand (the piece's error fell
   * below a quarter of its parent's); a piece whose error only about halved holds a kink, and its
   * halves get half its steps (at least 2 Gauss–Legendre points or 1 step): a kink is chased with
   * the cheapest rule, while a smooth stretch keeps its high order.
   */
  steps: number;
  /** Bisect pieces until the tolerance is met (else one attempt on [0, 1]). */
  adaptive: boolean;
  /** Cap on pieces × steps per sample. */
  maxSteps: number;
  /** Σ_pieces |δ_k| ≤ tolerance for every k ends a sample. */
  tolerance: number;
}

/**
 * How a sample ended: within tolerance; out of budget (or not adaptive); a non-finite gradient or
 * path output at `nonFiniteAlpha`; a jump of the output itself at `jumpAlpha` (a piece still
 * wrong at float64's resolution of α, which more steps cannot fix); or not integrated.
 */
export type PathStatus = "converged" | "budget" | "nonfinite" | "discontinuous" | "skipped";

/** The integrals and how each sample got there. */
export interface PathOutcome {
  /** ∫₀¹ ∂y_k/∂x_j dα, [S × K × D] (NaN where the path was not finite). */
  integrals: Float64Array;
  /** Σ_pieces |δ_k| per sample, [S × K]: a bound on the completeness delta. */
  errorBound: Float64Array;
  /** Steps of each sample's final composite rule (pieces × steps). */
  stepsUsed: number[];
  /** Gradient evaluations over all rounds. */
  evaluations: number;
  status: PathStatus[];
  /** The α where a non-finite value was met, per sample (null otherwise). */
  nonFiniteAlpha: (number | null)[];
  /** The α where the output jumps (status "discontinuous"), per sample (null otherwise). */
  jumpAlpha: (number | null)[];
}

/** Pieces are not bisected below this width (about 2⁻⁴⁰). */
const MIN_WIDTH = 1e-12;

interface Piece {
  a: number;
  b: number;
  /** Steps of the rule on this piece. */
  m: number;
  /** The error of the piece it was bisected from (Infinity for [0, 1]). */
  parentErr: number;
  ya: Float64Array;
  yb: Float64Array;
  /** ∫_a^b ∇y dα, [K × D]. */
  integral: Float64Array;
  /** δ_k of the piece, [K]. */
  delta: Float64Array;
  /** max_k |δ_k|. */
  err: number;
}

/** Integrates every included sample's path; see the module comment. */
export function integratePaths(p: PathProblem, rule: PathRule): PathOutcome {
  const { S, k, d } = p;
  const rules = new Map<number, QuadratureRule>();
  const ruleOf = (m: number) => {
    if (!rules.has(m)) rules.set(m, pathQuadrature(rule.method, m));
    return rules.get(m)!;
  };
  const minSteps = rule.method === "gauss-legendre" ? Math.min(2, rule.steps) : 1;
  const status: PathStatus[] = p.include.map((inc) => (inc ? "converged" : "skipped"));
  const nonFiniteAlpha: (number | null)[] = new Array<number | null>(S).fill(null);
  const jumpAlpha: (number | null)[] = new Array<number | null>(S).fill(null);
  const pieces: Piece[][] = Array.from({ length: S }, () => []);
  const stepsUsed = new Array<number>(S).fill(0);
  let evaluations = 0;
  let todo: (Omit<Piece, "integral" | "delta" | "err"> & { s: number })[] = [];
  for (let s = 0; s < S; s++)
    if (p.include[s])
      todo.push({
        s,
        a: 0,
        b: 1,
        m: rule.steps,
        parentErr: Infinity,
        ya: p.y0.subarray(s * k, (s + 1) * k),
        yb: p.y1.subarray(s * k, (s + 1) * k),
      });
  let finished = S - todo.length;
  while (todo.length > 0) {
    // One batch of gradient evaluations for every new piece of every active sample.
    const samples: number[] = [];
    const alphas: number[] = [];
    const first: number[] = [];
    for (const t of todo) {
      first.push(samples.length);
      for (const node of ruleOf(t.m).nodes) {
        samples.push(t.s);
        alphas.push(t.a + node * (t.b - t.a));
      }
    }
    const jac = p.jacobians(samples, alphas);
    evaluations += samples.length;
    const touched = new Set<number>();
    todo.forEach((t, i) => {
      const integral = new Float64Array(k * d);
      const h = t.b - t.a;
      const { weights } = ruleOf(t.m);
      let bad: number | null = null;
      for (let q = 0; q < weights.length; q++) {
        const w = h * weights[q];
        const off = (first[i] + q) * k * d;
        for (let c = 0; c < k * d; c++) {
          const g = jac[off + c];
          if (!Number.isFinite(g) && bad === null) bad = alphas[first[i] + q];
          integral[c] += w * g;
        }
      }
      const delta = pieceDelta(integral, p.dx, t.s, t.ya, t.yb, k, d);
      let err = 0;
      for (const x of delta) err = Math.max(err, Math.abs(x));
      if (bad === null && !Number.isFinite(err)) bad = !allFinite(t.ya) ? t.a : t.b;
      if (bad !== null && nonFiniteAlpha[t.s] === null) nonFiniteAlpha[t.s] = bad;
      const { s: _s, ...span } = t;
      pieces[t.s].push({ ...span, integral, delta, err });
      touched.add(t.s);
    });
    // Decide, per active sample: done, or which pieces to bisect.
    const split: { s: number; piece: Piece }[] = [];
    for (const s of touched) {
      const list = pieces[s];
      stepsUsed[s] = list.reduce((acc, pc) => acc + pc.m, 0);
      if (nonFiniteAlpha[s] !== null) {
        status[s] = "nonfinite";
        finished++;
        continue;
      }
      if (maxErrorBound(list, k) <= rule.tolerance) {
        status[s] = "converged";
        finished++;
        continue;
      }
      // Pieces above their equal share: if none were, Σ|δ| ≤ tolerance already.
      const share = rule.tolerance / list.length;
      const over = list.filter((pc) => pc.err > share);
      // A piece that stays wrong down to a width near float64's resolution of α holds a jump of
      // y itself (not of its gradient), which no quadrature of the gradient can account for.
      const jump = over.find((pc) => pc.b - pc.a < MIN_WIDTH);
      if (rule.adaptive && jump) {
        status[s] = "discontinuous";
        jumpAlpha[s] = (jump.a + jump.b) / 2;
        finished++;
        continue;
      }
      const grown = over.reduce((acc, pc) => acc + 2 * childSteps(pc) - pc.m, stepsUsed[s]);
      if (!rule.adaptive || over.length === 0 || grown > rule.maxSteps) {
        status[s] = "budget";
        finished++;
        continue;
      }
      for (const pc of over) split.push({ s, piece: pc });
      pieces[s] = list.filter((pc) => pc.err <= share);
    }
    p.progress?.(finished);
    if (split.length === 0) break;
    // The outputs at the midpoints close the new pieces' deltas.
    const mids = split.map(({ piece }) => (piece.a + piece.b) / 2);
    const ym = p.values(
      split.map(({ s }) => s),
      mids,
    );
    todo = [];
    split.forEach(({ s, piece }, i) => {
      const yMid = ym.subarray(i * k, (i + 1) * k);
      const m = childSteps(piece);
      const parentErr = piece.err;
      todo.push({ s, a: piece.a, b: mids[i], m, parentErr, ya: piece.ya, yb: yMid });
      todo.push({ s, a: mids[i], b: piece.b, m, parentErr, ya: yMid, yb: piece.yb });
    });
  }
  function childSteps(pc: Piece): number {
    return pc.err > pc.parentErr / 4 ? Math.max(minSteps, Math.floor(pc.m / 2)) : pc.m;
  }
  const integrals = new Float64Array(S * k * d);
  const errorBound = new Float64Array(S * k);
  for (let s = 0; s < S; s++) {
    if (status[s] === "skipped") {
      integrals.fill(NaN, s * k * d, (s + 1) * k * d);
      errorBound.fill(NaN, s * k, (s + 1) * k);
      continue;
    }
    for (const pc of pieces[s]) {
      for (let c = 0; c < k * d; c++) integrals[s * k * d + c] += pc.integral[c];
      for (let kk = 0; kk < k; kk++) errorBound[s * k + kk] += Math.abs(pc.delta[kk]);
    }
  }
  return { integrals, errorBound, stepsUsed, evaluations, status, nonFiniteAlpha, jumpAlpha };
}

/** δ_k = Σ_j (x_j − x'_j)·∫ ∂y_k/∂x_j − (y_k(b) − y_k(a)) of one piece. */
function pieceDelta(
  integral: Float64Array,
  dx: Float64Array,
  s: number,
  ya: Float64Array,
  yb: Float64Array,
  k: number,
  d: number,
): Float64Array {
  const delta = new Float64Array(k);
  for (let kk = 0; kk < k; kk++) {
    let total = 0;
    for (let j = 0; j < d; j++) total += dx[s * d + j] * integral[kk * d + j];
    delta[kk] = total - (yb[kk] - ya[kk]);
  }
  return delta;
}

/** max_k Σ_pieces |δ_k|. */
function maxErrorBound(list: Piece[], k: number): number {
  let worst = 0;
  for (let kk = 0; kk < k; kk++) {
    let sum = 0;
    for (const pc of list) sum += Math.abs(pc.delta[kk]);
    worst = Math.max(worst, sum);
  }
  return worst;
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
