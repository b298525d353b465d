import {
  allocData,
  INT32_MAX,
  INT32_MIN,
  isFloat,
  narrowToInt32,
  type DataArray,
  type DType,
} from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { NDArray } from "../core/ndarray.js";
import { broadcastStrides, shapesEqual, sizeOf } from "../core/shape.js";
import { advance, collapse } from "./strided.js";
import { erfc, roundHalfEven } from "./special.js";
import * as own from "./transcendental/index.js";
import { isThreadedUnary, SHARED_MIN_ELEMENTS, unaryShared } from "./threads/unary.js";

/** Element-wise unary operations with their loops written out (one monomorphic loop each). */
// prettier-ignore
export type UnaryOp =
  | "neg" | "abs" | "sign" | "floor" | "ceil" | "round" | "sqrt" | "exp" | "expm1" | "log" | "log1p"
  | "sin" | "cos" | "tan" | "tanh" | "sinh" | "cosh" | "asin" | "acos" | "atan" | "asinh" | "acosh"
  | "atanh" | "erf" | "erfc" | "logistic" | "not" | "isfinite" | "isnan";

export function unary(op: UnaryOp, x: NDArray, outDtype: DType): NDArray {
  const a = x.data;
  // −(−2³¹) does not fit int32 (an Int32Array would store −2³¹ again): refuse rather than wrap.
  if (outDtype === "int32" && (op === "neg" || op === "abs") && (a as Int32Array).includes(INT32_MIN))
    throw new ValueError(`${op}: int32 result 2147483648 overflows int32; compute in float64 instead`);
  const n = a.length;
  const o = allocData(outDtype, n);
  // Expensive Math functions over large float arrays: two threads when a helper is available.
  if (
    n >= SHARED_MIN_ELEMENTS &&
    isFloat(outDtype) &&
    isFloat(x.dtype) &&
    isThreadedUnary(op) &&
    unaryShared(op, a, o)
  )
    return new NDArray(outDtype, x.shape, o);
  // prettier-ignore
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) o[i] = -a[i]; break;
    case "abs": for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]); break;
    case "sign": for (let i = 0; i < n; i++) { const v = a[i]; o[i] = v > 0 ? 1 : v < 0 ? -1 : v; } break;
    case "floor": for (let i = 0; i < n; i++) o[i] = Math.floor(a[i]); break;
    case "ceil": for (let i = 0; i < n; i++) o[i] = Math.ceil(a[i]); break;
    case "round": for (let i = 0; i < n; i++) o[i] = roundHalfEven(a[i]); break;
    case "sqrt": for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]); break;
    // Our own exp/log/tanh/…: ≤ 1 ulp (tanh 1.43) and the same bits on every engine (docs/transcendentals.md)
    case "exp": own.expInto(a, o, 0, n); break;
    case "expm1": own.expm1Into(a, o, 0, n); break;
    case "log": own.logInto(a, o, 0, n); break;
    case "log1p": own.log1pInto(a, o, 0, n); break;
    case "sin": for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]); break;
    case "cos": for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]); break;
    case "tan": for (let i = 0; i < n; i++) o[i] = Math.tan(a[i]); break;
    case "tanh": own.tanhInto(a, o, 0, n); break;
    case "sinh": for (let i = 0; i < n; i++) o[i] = Math.sinh(a[i]); break;
    case "cosh": for (let i = 0; i < n; i++) o[i] = Math.cosh(a[i]); break;
    case "asin": for (let i = 0; i < n; i++) o[i] = Math.asin(a[i]); break;
    case "acos": for (let i = 0; i < n; i++) o[i] = Math.acos(a[i]); break;
    case "atan": for (let i = 0; i < n; i++) o[i] = Math.atan(a[i]); break;
    case "asinh": for (let i = 0; i < n; i++) o[i] = Math.asinh(a[i]); break;
    case "acosh": for (let i = 0; i < n; i++) o[i] = Math.acosh(a[i]); break;
    case "atanh": for (let i = 0; i < n; i++) o[i] = Math.atanh(a[i]); break;
    case "erf": own.erfInto(a, o, 0, n); break;
    case "erfc": for (let i = 0; i < n; i++) o[i] = erfc(a[i]); break;
    case "logistic": own.sigmoidInto(a, o, 0, n); break;
    case "not": for (let i = 0; i < n; i++) o[i] = a[i] ? 0 : 1; break;
    case "isfinite": for (let i = 0; i < n; i++) o[i] = Number.isFinite(a[i]) ? 1 : 0; break;
    case "isnan": for (let i = 0; i < n; i++) o[i] = a[i] !== a[i] ? 1 : 0; break;
  }
  return new NDArray(outDtype, x.shape, o);
}

/** Element-wise binary operations; operands broadcast by NumPy's rules inside the kernel. */
// prettier-ignore
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "max" | "min" | "atan2"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "and" | "or";

/** One inner row: `o[oo+i] = f(a[ao+i·as], b[bo+i·bs])` for i < n. */
type Row = (
  a: DataArray,
  b: DataArray,
  o: DataArray,
  n: number,
  ao: number,
  as: number,
  bo: number,
  bs: number,
  oo: number,
) => void;

// Each row loop is its own function so V8 keeps every one monomorphic and inlines the arithmetic.
// prettier-ignore
const ROWS: Record<BinaryOp, Row> = {
  add: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] + b[bo]; },
  sub: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] - b[bo]; },
  mul: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] * b[bo]; },
  div: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] / b[bo]; },
  // C99/NumPy pow, which differs from JS Math.pow in one place: 1ʸ = 1 and (−1)^±∞ = 1 for every y
  // (NaN included), where Math.pow gives NaN.
  pow: (a, b, o, n, ao, as, bo, bs, oo) => {
    for (let i = 0; i < n; i++, ao += as, bo += bs) { const x = a[ao], y = b[bo]; o[oo + i] = x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y); }
  },
  max: (a, b, o, n, ao, as, bo, bs, oo) => {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.max(a[ao], b[bo]);
  },
  min: (a, b, o, n, ao, as, bo, bs, oo) => {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.min(a[ao], b[bo]);
  },
  atan2: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.atan2(a[ao], b[bo]); },
  eq: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] === b[bo] ? 1 : 0; },
  ne: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] !== b[bo] ? 1 : 0; },
  lt: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] < b[bo] ? 1 : 0; },
  le: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] <= b[bo] ? 1 : 0; },
  gt: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] > b[bo] ? 1 : 0; },
  ge: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] >= b[bo] ? 1 : 0; },
  and: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] && b[bo] ? 1 : 0; },
  or: (a, b, o, n, ao, as, bo, bs, oo) => { for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao] || b[bo] ? 1 : 0; },
};

/** Ops whose int32 results can leave int32's range. */
const WIDENED: ReadonlySet<BinaryOp> = new Set(["add", "sub", "mul", "pow"]);

/** `op(a, b)` with NumPy broadcasting to `outShape`, written into a new array of `outDtype`. */
export function binary(
  op: BinaryOp,
  a: NDArray,
  b: NDArray,
  outShape: readonly number[],
  outDtype: DType,
): NDArray {
  // int32 arithmetic runs in float64 (exact below 2⁵³) and is narrowed with a range check, so an
  // overflow is refused instead of wrapping silently.
  if (outDtype === "int32" && WIDENED.has(op)) {
    const wide = binary(op, a, b, outShape, "float64");
    return new NDArray("int32", outShape, narrowToInt32(wide.data, op));
  }
  const out = allocData(outDtype, sizeOf(outShape));
  const row = ROWS[op];
  const n = out.length;
  if (n === 0) return new NDArray(outDtype, outShape, out);
  if (shapesEqual(a.shape, outShape) && shapesEqual(b.shape, outShape))
    row(a.data, b.data, out, n, 0, 1, 0, 1, 0);
  else if (a.size === 1 && shapesEqual(b.shape, outShape)) row(a.data, b.data, out, n, 0, 0, 0, 1, 0);
  else if (b.size === 1 && shapesEqual(a.shape, outShape)) row(a.data, b.data, out, n, 0, 1, 0, 0, 0);
  else {
    const [shape, [sa, sb]] = collapse(outShape, [
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ]);
    const nd = shape.length;
    const inner = shape[nd - 1];
    const ia = sa[nd - 1];
    const ib = sb[nd - 1];
    if (nd === 2) {
      // Rows of a matrix (bias rows, column vectors): no odometer needed.
      const [ra, rb] = [sa[0], sb[0]];
      for (let oo = 0, ao = 0, bo = 0; oo < n; oo += inner, ao += ra, bo += rb)
        row(a.data, b.data, out, inner, ao, ia, bo, ib, oo);
      return new NDArray(outDtype, outShape, out);
    }
    const idxA = new Array<number>(nd).fill(0);
    const idxB = new Array<number>(nd).fill(0);
    let ao = 0;
    let bo = 0;
    for (let oo = 0; oo < n; oo += inner) {
      row(a.data, b.data, out, inner, ao, ia, bo, ib, oo);
      ao = advance(idxA, shape, sa, ao, nd - 2);
      bo = advance(idxB, shape, sb, bo, nd - 2);
    }
  }
  return new NDArray(outDtype, outShape, out);
}

/** `cond ? x : y` element-wise, all three broadcast to `outShape`. */
export function select(cond: NDArray, x: NDArray, y: NDArray, outShape: readonly number[]): NDArray {
  const out = allocData(x.dtype, sizeOf(outShape));
  const n = out.length;
  const c = cond.data;
  const xd = x.data;
  const yd = y.data;
  if (n === 0) return new NDArray(x.dtype, outShape, out);
  const [shape, [sc, sx, sy]] = collapse(outShape, [
    broadcastStrides(cond.shape, outShape),
    broadcastStrides(x.shape, outShape),
    broadcastStrides(y.shape, outShape),
  ]);
  const nd = shape.length;
  if (nd === 0) {
    out[0] = c[0] ? xd[0] : yd[0];
    return new NDArray(x.dtype, outShape, out);
  }
  const inner = shape[nd - 1];
  const [ic, ix, iy] = [sc[nd - 1], sx[nd - 1], sy[nd - 1]];
  const idx = [new Array<number>(nd).fill(0), new Array<number>(nd).fill(0), new Array<number>(nd).fill(0)];
  let co = 0;
  let xo = 0;
  let yo = 0;
  for (let oo = 0; oo < n; oo += inner) {
    for (let i = 0, pc = co, px = xo, py = yo; i < inner; i++, pc += ic, px += ix, py += iy)
      out[oo + i] = c[pc] ? xd[px] : yd[py];
    co = advance(idx[0], shape, sc, co, nd - 2);
    xo = advance(idx[1], shape, sx, xo, nd - 2);
    yo = advance(idx[2], shape, sy, yo, nd - 2);
  }
  return new NDArray(x.dtype, outShape, out);
}

/**
 * Converts element type; float→int truncates toward zero like NumPy's astype. NaN, ±Infinity and
 * values outside int32's range have no int32 value: NumPy gives an arbitrary integer with a
 * RuntimeWarning, a typed array stores 0 or a wrapped value; gradlens refuses (ValueError).
 */
export function cast(x: NDArray, dtype: DType, where = "astype"): NDArray {
  if (x.dtype === dtype) return x;
  const out = allocData(dtype, x.size);
  const a = x.data;
  // Anything but zero is true, NaN included (NumPy's bool(nan) is True).
  if (dtype === "bool") for (let i = 0; i < a.length; i++) out[i] = a[i] !== 0 ? 1 : 0;
  else if (dtype === "int32")
    for (let i = 0; i < a.length; i++) {
      const v = Math.trunc(a[i]);
      if (!(v >= INT32_MIN && v <= INT32_MAX))
        throw new ValueError(
          `${where} to int32: element ${i} is ${a[i]}, which has no int32 value (range ${INT32_MIN}…${INT32_MAX}; results never wrap)`,
        );
      out[i] = v;
    }
  else out.set(a);
  return new NDArray(dtype, x.shape, out);
}
