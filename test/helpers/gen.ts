/**
 * Seeded generators for property tests. Every draw comes from one `Rng`, so a test's seed fixes
 * every shape, axis and value it uses (a failure prints the seed and reproduces exactly).
 */
import { allocData, type DType } from "../../src/core/dtype.js";
import { NDArray } from "../../src/core/ndarray.js";
import { Rng } from "../../src/core/rng.js";
import { Concrete, type Tensor } from "../../src/prims/tensor.js";

export class Gen {
  readonly rng: Rng;
  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.nextFloat() * (hi - lo + 1));
  }

  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rng.nextFloat();
  }

  bool(p = 0.5): boolean {
    return this.rng.nextFloat() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }

  /** A random permutation of [0, n). */
  perm(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }

  /** `k` distinct sorted values from [0, n). */
  subset(n: number, k: number): number[] {
    return this.perm(n)
      .slice(0, k)
      .sort((a, b) => a - b);
  }

  /** A shape of rank in [minRank, maxRank] with dims in [1, maxDim]; size-1 dims are common. */
  shape(minRank = 0, maxRank = 3, maxDim = 3): number[] {
    const r = this.int(minRank, maxRank);
    return Array.from({ length: r }, () => (this.bool(0.25) ? 1 : this.int(1, maxDim)));
  }

  /**
   * Two shapes that broadcast together: a common shape, with some dims set to 1 on one side and
   * some leading dims dropped from one side.
   */
  broadcastPair(maxRank = 3, maxDim = 3): [number[], number[]] {
    const full = this.shape(0, maxRank, maxDim).map((d) => (d === 1 ? 2 : d));
    const derive = () => {
      const s = full.slice(this.int(0, full.length));
      return s.map((d) => (this.bool(0.3) ? 1 : d));
    };
    return this.bool(0.5) ? [derive(), full.slice()] : [derive(), derive()];
  }

  /** An array whose elements are drawn one by one from `draw`. */
  fill(shape: readonly number[], draw: (g: Gen) => number, dtype: DType = "float64"): Tensor {
    const a = NDArray.zeros(dtype, shape);
    for (let i = 0; i < a.size; i++) a.data[i] = draw(this);
    return new Concrete(a);
  }

  /** Uniform values in [lo, hi] of `dtype`. */
  uniform(shape: readonly number[], lo = -2, hi = 2, dtype: DType = "float64"): Tensor {
    const a = NDArray.zeros(dtype, shape);
    for (let i = 0; i < a.size; i++) a.data[i] = this.float(lo, hi);
    return new Concrete(a);
  }

  /** Values whose magnitude lies in [lo, hi], with random signs (keeps away from 0). */
  awayFromZero(shape: readonly number[], lo = 0.3, hi = 2): Tensor {
    const a = NDArray.zeros("float64", shape);
    for (let i = 0; i < a.size; i++) a.data[i] = (this.bool() ? 1 : -1) * this.float(lo, hi);
    return new Concrete(a);
  }

  /**
   * Distinct values spread at least `gap` apart (in random order), so that max/min/sort-like
   * functions have no ties and stay differentiable under finite-difference perturbations.
   */
  distinct(shape: readonly number[], gap = 0.1): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const order = this.perm(n);
    const a = NDArray.zeros("float64", shape);
    for (let i = 0; i < n; i++) a.data[i] = (order[i] - n / 2) * gap + this.float(0, gap / 4);
    return new Concrete(a);
  }

  /** int32 indices in [-n, n) (negative indices count from the end), repeats likely. */
  indices(shape: readonly number[], n: number): Tensor {
    const data = allocData(
      "int32",
      shape.reduce((a, b) => a * b, 1),
    );
    for (let i = 0; i < data.length; i++) data[i] = this.int(-n, n - 1);
    return new Concrete(new NDArray("int32", shape.slice(), data));
  }

  ints(shape: readonly number[], lo = -5, hi = 5): Tensor {
    const data = allocData(
      "int32",
      shape.reduce((a, b) => a * b, 1),
    );
    for (let i = 0; i < data.length; i++) data[i] = this.int(lo, hi);
    return new Concrete(new NDArray("int32", shape.slice(), data));
  }

  bools(shape: readonly number[], p = 0.5): Tensor {
    const data = allocData(
      "bool",
      shape.reduce((a, b) => a * b, 1),
    );
    for (let i = 0; i < data.length; i++) data[i] = this.bool(p) ? 1 : 0;
    return new Concrete(new NDArray("bool", shape.slice(), data));
  }
}

/** Runs `body` for seeds 0..n-1, naming the seed in any failure. */
export function forSeeds(n: number, body: (g: Gen) => void, base = 0): void {
  for (let s = base; s < base + n; s++) {
    try {
      body(new Gen(s));
    } catch (e) {
      if (e instanceof Error) e.message = `[seed ${s}] ${e.message}`;
      throw e;
    }
  }
}
