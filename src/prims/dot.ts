import { allocData, narrowToInt32 } from "../core/dtype.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { gemm } from "../kernels/matmul.js";
import { transpose as transposeKernel } from "../kernels/movement.js";
import * as L from "./lax.js";
import { requireSameDtype } from "./helpers.js";
import type { Aval, Tensor } from "./tensor.js";
import { LinearArg, type PrimParams, type PrimRule } from "./types.js";

type DotParams = PrimParams<"dot_general">;

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
/** Dims of an array of rank `nd` that are neither contracted nor batch dims, in order. */
const freeDims = (nd: number, contract: readonly number[], batch: readonly number[]) =>
  range(0, nd).filter((d) => !contract.includes(d) && !batch.includes(d));
const isIdentity = (perm: readonly number[]) => perm.every((p, i) => p === i);
const prod = (shape: readonly number[], dims: readonly number[]) => dims.reduce((p, d) => p * shape[d], 1);

function dotShape([x, y]: Aval[], { contract: [xc, yc], batch: [xb, yb] }: DotParams): Aval {
  const dtype = requireSameDtype("dot_general", [x, y]);
  const where = `dot_general: shapes [${x.shape.join(",")}] and [${y.shape.join(",")}]`;
  if (xc.length !== yc.length || xb.length !== yb.length)
    throw new ShapeError(`${where}: unpaired dimensions`);
  const check = (dims: readonly number[], nd: number) => {
    if (dims.some((d) => !Number.isInteger(d) || d < 0 || d >= nd) || new Set(dims).size !== dims.length)
      throw new ShapeError(`${where}: invalid dimension list [${dims.join(",")}]`);
  };
  check([...xc, ...xb], x.shape.length);
  check([...yc, ...yb], y.shape.length);
  xc.forEach((d, i) => {
    if (x.shape[d] !== y.shape[yc[i]])
      throw new ShapeError(
        `${where}: contracted dimension ${d} (${x.shape[d]}) does not match ${yc[i]} (${y.shape[yc[i]]})`,
      );
  });
  xb.forEach((d, i) => {
    if (x.shape[d] !== y.shape[yb[i]])
      throw new ShapeError(
        `${where}: batch dimension ${d} (${x.shape[d]}) does not match ${yb[i]} (${y.shape[yb[i]]})`,
      );
  });
  const shape = [
    ...xb.map((d) => x.shape[d]),
    ...freeDims(x.shape.length, xc, xb).map((d) => x.shape[d]),
    ...freeDims(y.shape.length, yc, yb).map((d) => y.shape[d]),
  ];
  return { shape, dtype };
}

/** Lays both operands out as [batch, m, k] and [batch, k, n] (copying only if needed) and runs GEMM. */
function dotImpl([x, y]: NDArray[], params: DotParams): NDArray {
  return dotRun(x, y, params);
}

/**
 * A float64 dot_general whose output, laid out [batch, x free, y free] row-major, is handed to
 * `epilogue(c, start, end)` block by block (flat offsets, in order, each block once) as soon as
 * GEMM has finished it, so element-wise work on the product runs while the block is in cache
 * (see `gemm`). The epilogue may rewrite the block in place; the returned array is `c` after all
 * blocks. The product's bits are those of the plain kernel.
 *
 * @example
 * const x = new NDArray("float64", [2, 2], new Float64Array([1, 2, 3, 4]));
 * const r = dotWithEpilogue(x, x, { contract: [[1], [0]], batch: [[], []] }, (c, s, e) => {
 *   for (let i = s; i < e; i++) c[i] = Math.max(c[i], 0); // ReLU, in place
 * });
 */
export function dotWithEpilogue(
  x: NDArray,
  y: NDArray,
  params: DotParams,
  epilogue: (c: Float64Array, start: number, end: number) => void,
): NDArray {
  if (x.dtype !== "float64" || y.dtype !== "float64")
    throw new DTypeError(`dotWithEpilogue: float64 operands only (got ${x.dtype}, ${y.dtype})`);
  return dotRun(x, y, params, epilogue);
}

function dotRun(
  x: NDArray,
  y: NDArray,
  params: DotParams,
  epilogue?: (c: Float64Array, start: number, end: number) => void,
): NDArray {
  // int32 products are summed in float64 and narrowed with a range check (never wrapped).
  if (x.dtype === "int32") {
    const wide = (a: NDArray) => new NDArray("float64", a.shape, Float64Array.from(a.data));
    const out = dotImpl([wide(x), wide(y)], params);
    return new NDArray("int32", out.shape, narrowToInt32(out.data, "dot_general"));
  }
  const {
    contract: [xc, yc],
    batch: [xb, yb],
  } = params;
  const xf = freeDims(x.ndim, xc, xb);
  const yf = freeDims(y.ndim, yc, yb);
  const xt = transposeKernel(x, [...xb, ...xf, ...xc]);
  // y already laid out as [batch, n, k] (a weight contracted on its last axis) needs no copy.
  const transB = !isIdentity([...yb, ...yc, ...yf]) && isIdentity([...yb, ...yf, ...yc]);
  const yt = transB ? y : transposeKernel(y, [...yb, ...yc, ...yf]);
  const b = prod(x.shape, xb);
  const m = prod(x.shape, xf);
  const k = prod(x.shape, xc);
  const n = prod(y.shape, yf);
  const out = allocData(x.dtype, b * m * n);
  gemm(
    b,
    m,
    n,
    k,
    xt.data,
    yt.data,
    out,
    transB,
    epilogue && ((s, e) => epilogue(out as Float64Array, s, e)),
  );
  const shape = [...xb.map((d) => x.shape[d]), ...xf.map((d) => x.shape[d]), ...yf.map((d) => y.shape[d])];
  return new NDArray(x.dtype, shape, out);
}

/**
 * Cotangent of the left operand: contract the output cotangent with y over y's free dims, then
 * permute the result (batch, x free, x contracted in y's order) back into x's own dim order.
 */
function transposeLhs(
  ct: Tensor,
  y: Tensor,
  xNd: number,
  { contract: [xc, yc], batch: [xb, yb] }: DotParams,
): Tensor {
  const xKept = freeDims(xNd, xc, xb);
  const yKept = freeDims(y.ndim, yc, yb);
  const nb = xb.length;
  const ansY = range(nb + xKept.length, nb + xKept.length + yKept.length);
  const r = L.dotGeneral(ct, y, [ansY, yKept], [range(0, nb), yb]);
  const ycSorted = [...yc].sort((a, b) => a - b);
  const pos = [...xb, ...xKept, ...ycSorted.map((d) => xc[yc.indexOf(d)])];
  return L.transpose(
    r,
    range(0, xNd).map((d) => pos.indexOf(d)),
  );
}

function transposeRhs(
  ct: Tensor,
  x: Tensor,
  yNd: number,
  { contract: [xc, yc], batch: [xb, yb] }: DotParams,
): Tensor {
  const xKept = freeDims(x.ndim, xc, xb);
  const yKept = freeDims(yNd, yc, yb);
  const nb = xb.length;
  const ansX = range(nb, nb + xKept.length);
  const r = L.dotGeneral(ct, x, [ansX, xKept], [range(0, nb), xb]);
  const xcSorted = [...xc].sort((a, b) => a - b);
  const pos = [...yb, ...yKept, ...xcSorted.map((d) => yc[xc.indexOf(d)])];
  return L.transpose(
    r,
    range(0, yNd).map((d) => pos.indexOf(d)),
  );
}

/** Renumbers per-example dims of a value whose batch dim sits at `bd`. */
const lift = (dims: readonly number[], bd: number) => dims.map((e) => (e >= bd ? e + 1 : e));

export const dotRule: PrimRule<"dot_general"> = {
  impl: dotImpl,
  shape: dotShape,
  // Bilinear: d(x·y) = dx·y + x·dy.
  jvp: ([x, y], [dx, dy], p) => {
    const out = L.dotGeneral(x, y, p.contract, p.batch);
    const terms = [
      dx && L.dotGeneral(dx, y, p.contract, p.batch),
      dy && L.dotGeneral(x, dy, p.contract, p.batch),
    ];
    const live = terms.filter((t): t is Tensor => t !== null);
    return [out, live.length === 0 ? null : live.reduce((a, b) => L.add(a, b))];
  },
  transpose: (ct, [x, y], p) => [
    x instanceof LinearArg ? transposeLhs(ct, y as Tensor, x.aval.shape.length, p) : null,
    y instanceof LinearArg ? transposeRhs(ct, x as Tensor, y.aval.shape.length, p) : null,
  ],
  // The batch dim stays where it is: it becomes a batch dim of the product when both operands
  // carry it, and otherwise a free dim of the operand that does.
  batch: ([x, y], [bx, by], { contract: [xc, yc], batch: [xb, yb] }) => {
    if (bx !== null && by !== null) {
      return [
        L.dotGeneral(
          x,
          y,
          [lift(xc, bx), lift(yc, by)],
          [
            [bx, ...lift(xb, bx)],
            [by, ...lift(yb, by)],
          ],
        ),
        0,
      ];
    }
    if (bx !== null) {
      const c = lift(xc, bx);
      const b = lift(xb, bx);
      const free = freeDims(x.ndim, c, b);
      return [L.dotGeneral(x, y, [c, yc], [b, yb]), xb.length + free.indexOf(bx)];
    }
    const c = lift(yc, by!);
    const b = lift(yb, by!);
    const free = freeDims(y.ndim, c, b);
    const xFree = x.ndim - xc.length - xb.length;
    return [L.dotGeneral(x, y, [xc, c], [xb, b]), xb.length + xFree + free.indexOf(by!)];
  },
};
