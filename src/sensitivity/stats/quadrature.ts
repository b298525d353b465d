/**
 * Quadrature rules on [0, 1] for path integrals (Integrated Gradients), and Gauss–Legendre nodes
 * and weights computed from scratch.
 */
import { ValueError } from "../../core/errors.js";

/**
 * Nodes and weights of a quadrature rule.
 *
 * @example
 * const { nodes, weights } = gaussLegendre(5);
 * nodes.reduce((s, x, i) => s + weights[i] * x ** 4, 0); // 2/5
 */
export interface QuadratureRule {
  nodes: number[];
  weights: number[];
}

/**
 * The path-integral rules Integrated Gradients supports.
 *
 * @example
 * integratedGradients(model, data, { method: "riemann-mid" as QuadratureMethod });
 */
export type QuadratureMethod = "riemann-left" | "riemann-mid" | "trapezoid" | "gauss-legendre";

export const QUADRATURE_METHODS: readonly QuadratureMethod[] = [
  "riemann-left",
  "riemann-mid",
  "trapezoid",
  "gauss-legendre",
];

/**
 * Gauss–Legendre nodes (ascending) and weights on [−1, 1] for `n` points: exact for polynomials
 * of degree ≤ 2n − 1. The nodes are the roots of the Legendre polynomial P_n, found by Newton's
 * method from Tricomi's estimate cos(π(i − 1/4)/(n + 1/2)); P_n and P_n' come from Bonnet's
 * recurrence k·P_k = (2k − 1)·x·P_{k−1} − (k − 1)·P_{k−2}; the weights are
 * w_i = 2 / ((1 − x_i²)·P_n'(x_i)²) (Abramowitz & Stegun 25.4.29).
 *
 * @example
 * gaussLegendre(2); // { nodes: [-0.5773502691896257, 0.5773502691896257], weights: [1, 1] }
 */
export function gaussLegendre(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(`gaussLegendre: the number of points must be a positive integer, got ${n}`);
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  const half = Math.floor((n + 1) / 2);
  for (let i = 0; i < half; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      const [p, d] = legendreAndDerivative(n, x);
      dp = d;
      const dx = p / d;
      x -= dx;
      if (Math.abs(dx) <= 1e-16 * Math.max(1, Math.abs(x))) break;
    }
    dp = legendreAndDerivative(n, x)[1];
    const w = 2 / ((1 - x * x) * dp * dp);
    // Root i counts down from the largest; the rule is symmetric about 0.
    nodes[n - 1 - i] = x;
    nodes[i] = -x;
    weights[n - 1 - i] = w;
    weights[i] = w;
  }
  if (n % 2 === 1) nodes[half - 1] = 0;
  return { nodes, weights };
}

/** P_n(x) and P_n'(x). */
function legendreAndDerivative(n: number, x: number): [number, number] {
  let p0 = 1;
  let p1 = x;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  if (n === 0) return [1, 0];
  // P_n'(x) = n·(x·P_n − P_{n−1}) / (x² − 1), valid away from ±1 (all roots are interior).
  return [p1, (n * (x * p1 - p0)) / (x * x - 1)];
}

/**
 * A rule on [0, 1] with `steps` subintervals (Riemann, trapezoid) or points (Gauss–Legendre).
 * Riemann-left uses α = k/m, k = 0…m−1 (the rule of Sundararajan et al. 2017, eq. 3), riemann-mid
 * α = (k + ½)/m, the trapezoid rule m + 1 points with halved end weights, and Gauss–Legendre the
 * `steps`-point rule mapped by α = (t + 1)/2.
 *
 * @example
 * pathQuadrature("trapezoid", 2); // { nodes: [0, 0.5, 1], weights: [0.25, 0.5, 0.25] }
 */
export function pathQuadrature(method: QuadratureMethod, steps: number): QuadratureRule {
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(`${method}: steps must be a positive integer, got ${steps}`);
  const m = steps;
  switch (method) {
    case "riemann-left":
      return { nodes: range(m, (k) => k / m), weights: range(m, () => 1 / m) };
    case "riemann-mid":
      return { nodes: range(m, (k) => (k + 0.5) / m), weights: range(m, () => 1 / m) };
    case "trapezoid":
      return {
        nodes: range(m + 1, (k) => k / m),
        weights: range(m + 1, (k) => (k === 0 || k === m ? 0.5 / m : 1 / m)),
      };
    case "gauss-legendre": {
      const gl = gaussLegendre(m);
      return { nodes: gl.nodes.map((t) => (t + 1) / 2), weights: gl.weights.map((w) => w / 2) };
    }
    default:
      throw new ValueError(
        `Integrated Gradients: unknown quadrature '${String(method)}' (expected ${QUADRATURE_METHODS.join(", ")})`,
      );
  }
}

function range(n: number, f: (k: number) => number): number[] {
  return Array.from({ length: n }, (_, k) => f(k));
}
