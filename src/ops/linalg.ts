import { ShapeError, ValueError } from "../core/errors.js";
import { broadcastShapes } from "../core/shape.js";
import * as L from "../prims/lax.js";
import type { Tensor } from "../prims/tensor.js";
import type { TensorLike } from "./convert.js";
import { promote, promoteAll } from "./promote.js";

const fmt = (s: readonly number[]) => `[${s.join(",")}]`;
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/**
 * Matrix product with NumPy's `matmul` rules: 1-D operands are vectors, leading dims are batch
 * dims that broadcast. A 2-D right operand (the weights of a dense layer) is never broadcast or
 * copied per batch element.
 *
 * @example matmul(x, w)  // [n, 8] @ [8, 64] → [n, 64]
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const [x0, y0] = promote(a, b);
  if (x0.ndim === 0 || y0.ndim === 0)
    throw new ShapeError("matmul: operands must be at least 1-D (use mul for scalars)");
  const x = x0.ndim === 1 ? L.reshape(x0, [1, x0.shape[0]]) : x0;
  const y = y0.ndim === 1 ? L.reshape(y0, [y0.shape[0], 1]) : y0;
  const k = x.shape[x.ndim - 1];
  if (k !== y.shape[y.ndim - 2])
    throw new ShapeError(
      `matmul: shapes ${fmt(x0.shape)} and ${fmt(y0.shape)} are not aligned (${k} vs ${y.shape[y.ndim - 2]})`,
    );
  let out: Tensor;
  if (y.ndim === 2) {
    out = L.dotGeneral(x, y, [[x.ndim - 1], [0]]);
  } else {
    const batch = broadcastShapes("matmul", x.shape.slice(0, -2), y.shape.slice(0, -2));
    const nb = batch.length;
    const xb = L.broadcast(x, [...batch, ...x.shape.slice(-2)]);
    const yb = L.broadcast(y, [...batch, ...y.shape.slice(-2)]);
    out = L.dotGeneral(xb, yb, [[nb + 1], [nb]], [range(nb), range(nb)]);
  }
  // Drop the unit dims that stood in for 1-D operands.
  const s = out.shape;
  if (x0.ndim === 1 && y0.ndim === 1) return L.reshape(out, []);
  if (x0.ndim === 1) return L.reshape(out, [...s.slice(0, -2), s[s.length - 1]]);
  if (y0.ndim === 1) return L.reshape(out, s.slice(0, -1));
  return out;
}

/**
 * NumPy `dot`: inner product of vectors, matrix product of matrices, and for N-d arrays a sum
 * over the last axis of `a` and the second-to-last of `b`.
 *
 * @example dot(u, v)
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  if (x.ndim === 0 || y.ndim === 0) return L.mul(x, y);
  const yc = y.ndim === 1 ? 0 : y.ndim - 2;
  if (x.shape[x.ndim - 1] !== y.shape[yc])
    throw new ShapeError(`dot: shapes ${fmt(x.shape)} and ${fmt(y.shape)} are not aligned`);
  return L.dotGeneral(x, y, [[x.ndim - 1], [yc]]);
}

/** Outer product of two vectors (flattened first, like NumPy). @example outer(u, v) */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  return L.mul(L.reshape(x, [x.size, 1]), L.reshape(y, [1, y.size]));
}

/**
 * Sum of products over the given axes (NumPy `tensordot`): a number n contracts the last n
 * axes of `a` with the first n of `b`.
 *
 * @example tensordot(a, b, [[1], [0]])
 */
export function tensordot(
  a: TensorLike,
  b: TensorLike,
  axes: number | [readonly number[], readonly number[]] = 2,
): Tensor {
  const [x, y] = promote(a, b);
  const [xa, ya] =
    typeof axes === "number"
      ? [range(axes, x.ndim - axes), range(axes)]
      : [axes[0].map((d) => (d < 0 ? d + x.ndim : d)), axes[1].map((d) => (d < 0 ? d + y.ndim : d))];
  return L.dotGeneral(x, y, [xa, ya]);
}

/**
 * Einstein summation over explicit subscripts (`"bij,bjk->bik"`; without `->` the output is
 * the indices that appear once, sorted, as NumPy). Operands are contracted left to right with
 * `dot_general`, summing out each index as soon as no later operand or the output needs it.
 *
 * @example einsum("ij,jk->ik", a, b); einsum("bi,bi->b", x, y)
 */
export function einsum(subscripts: string, ...operands: TensorLike[]): Tensor {
  const spec = subscripts.replace(/\s+/g, "");
  const [lhs, rhsGiven] = spec.includes("->") ? spec.split("->") : [spec, undefined];
  const inputs = lhs.split(",");
  if (inputs.length !== operands.length)
    throw new ValueError(`einsum: '${subscripts}' names ${inputs.length} operands, got ${operands.length}`);
  if (spec.includes(".")) throw new ValueError("einsum: ellipsis ('...') is not supported; name every axis");
  const counts = new Map<string, number>();
  for (const s of inputs) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const rhs =
    rhsGiven ??
    [...counts.keys()]
      .filter((c) => counts.get(c) === 1)
      .sort()
      .join("");
  const ts = promoteAll(operands);
  const sizes = new Map<string, number>();
  ts.forEach((t, i) => {
    const s = inputs[i];
    if (s.length !== t.ndim)
      throw new ShapeError(`einsum: operand ${i} has rank ${t.ndim} but subscripts '${s}'`);
    if (new Set(s).size !== s.length)
      throw new ValueError(`einsum: repeated index within operand '${s}' (diagonals) is not supported`);
    [...s].forEach((c, d) => {
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== t.shape[d] && prev !== 1 && t.shape[d] !== 1)
        throw new ShapeError(
          `einsum: index '${c}' has size ${prev} in one operand and ${t.shape[d]} in operand ${i}`,
        );
      sizes.set(c, Math.max(prev ?? 0, t.shape[d]));
    });
  });
  for (const c of rhs)
    if (!sizes.has(c)) throw new ValueError(`einsum: output index '${c}' does not appear in any input`);
  // Sum out, in each operand, the indices nobody else needs.
  const needed = (i: number) => new Set([...rhs, ...inputs.filter((_, j) => j !== i).join("")]);
  let acc = sumUnneeded(ts[0], inputs[0], needed(0));
  for (let i = 1; i < ts.length; i++) {
    const later = new Set([...rhs, ...inputs.slice(i + 1).join("")]);
    const right = sumUnneeded(ts[i], inputs[i], new Set([...later, ...acc.subs]));
    acc = contractPair(acc, right, later);
  }
  const final = sumUnneeded(acc.t, acc.subs, new Set(rhs));
  return L.transpose(
    final.t,
    [...rhs].map((c) => final.subs.indexOf(c)),
  );
}

interface Labeled {
  t: Tensor;
  subs: string;
}

function sumUnneeded(t: Tensor, subs: string, keep: Set<string>): Labeled {
  const axes = [...subs].map((c, d) => (keep.has(c) ? -1 : d)).filter((d) => d >= 0);
  return { t: L.reduceSum(t, axes), subs: [...subs].filter((c) => keep.has(c)).join("") };
}

/** Contracts two labeled operands: shared indices still needed later are batch dims, others summed. */
function contractPair(a: Labeled, b: Labeled, later: Set<string>): Labeled {
  const shared = [...a.subs].filter((c) => b.subs.includes(c));
  const batch = shared.filter((c) => later.has(c));
  const contract = shared.filter((c) => !later.has(c));
  // Size-1 vs size-n mismatches (broadcasting) are resolved by broadcasting before contracting.
  const sizeOf = (c: string) =>
    Math.max(a.t.shape[a.subs.indexOf(c)] ?? 1, b.t.shape[b.subs.indexOf(c)] ?? 1);
  const fit = (l: Labeled) =>
    L.broadcast(
      l.t,
      [...l.subs].map((c) => (shared.includes(c) ? sizeOf(c) : l.t.shape[l.subs.indexOf(c)])),
    );
  const out = L.dotGeneral(
    fit(a),
    fit(b),
    [contract.map((c) => a.subs.indexOf(c)), contract.map((c) => b.subs.indexOf(c))],
    [batch.map((c) => a.subs.indexOf(c)), batch.map((c) => b.subs.indexOf(c))],
  );
  const freeA = [...a.subs].filter((c) => !shared.includes(c));
  const freeB = [...b.subs].filter((c) => !shared.includes(c));
  return { t: out, subs: [...batch, ...freeA, ...freeB].join("") };
}
