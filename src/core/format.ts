import type { NDArray } from "./ndarray.js";

/** Longest arrays printed in full; larger ones are summarised with "..." like NumPy. */
const THRESHOLD = 1000;
const EDGE = 3;

function formatNumber(x: number, dtype: string): string {
  if (dtype === "bool") return x ? "true" : "false";
  if (dtype === "int32") return String(x);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  // A whole float always shows its point ("2."), so float arrays never read as integers.
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return Object.is(x, -0) ? "-0." : `${x}.`;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) return x.toExponential(8).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(8)));
}

/**
 * NumPy-like rendering: `array([[1., 2.],\n       [3., 4.]])`, with `dtype=` shown when it is not
 * float64, and long arrays summarised with "...".
 */
export function formatNDArray(a: NDArray): string {
  const { data, shape, dtype } = a;
  const summarise = a.size > THRESHOLD;
  // Format only the elements that will be shown (a summary of a huge array shows a few dozen).
  const cells = new Map<number, string>();
  const cell = (i: number) => {
    let c = cells.get(i);
    if (c === undefined) {
      c = formatNumber(data[i], dtype);
      cells.set(i, c);
    }
    return c;
  };
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const indent = "array(".length;
  const shown = (n: number) =>
    summarise && n > 2 * EDGE
      ? [
          ...Array.from({ length: EDGE }, (_, i) => i),
          null,
          ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
        ]
      : Array.from({ length: n }, (_, i) => i);
  const visit = (depth: number, offset: number): void => {
    if (depth === shape.length) cell(offset);
    else for (const i of shown(shape[depth])) if (i !== null) visit(depth + 1, offset + i * strides[depth]);
  };
  if (a.size > 0) visit(0, 0);
  let width = 1;
  for (const c of cells.values()) width = Math.max(width, c.length);
  const render = (depth: number, offset: number): string => {
    if (depth === shape.length) return cell(offset).padStart(width);
    const parts = shown(shape[depth]).map((i) =>
      i === null ? "..." : render(depth + 1, offset + i * strides[depth]),
    );
    const sep =
      depth === shape.length - 1
        ? ", "
        : "," + "\n".repeat(shape.length - depth - 1) + " ".repeat(indent + depth + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = a.size === 0 && shape.length > 0 ? "[]" : render(0, 0);
  const suffix = dtype === "float64" ? "" : `, dtype=${dtype}`;
  const shapeNote = a.size === 0 ? `, shape=[${shape.join(",")}]` : "";
  return `array(${body}${shapeNote}${suffix})`;
}
