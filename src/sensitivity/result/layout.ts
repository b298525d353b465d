/**
 * Names for the flattened axes of a result: features (the differentiated scalars of all inputs,
 * input by input, row-major within an input) and output components.
 */
import { ValueError } from "../../core/errors.js";

/** `name` for a one-number sample, else `name[i]` (or `name[i,j]` for rank ≥ 2), row-major. */
export function componentNames(name: string, shape: readonly number[]): string[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 1) return [name];
  if (shape.length === 1) return Array.from({ length: size }, (_, i) => `${name}[${i}]`);
  return Array.from({ length: size }, (_, flat) => {
    const idx: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(flat % shape[d]);
      flat = Math.floor(flat / shape[d]);
    }
    return `${name}[${idx.join(",")}]`;
  });
}

/** User-given names for an input's features (checked against its size), or the defaults. */
export function featureNamesFor(
  input: string,
  shape: readonly number[],
  given: Record<string, readonly string[]> | undefined,
): string[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const names = given?.[input];
  if (names === undefined) return componentNames(input, shape);
  if (!Array.isArray(names) || names.length !== size)
    throw new ValueError(
      `analyze: featureNames.${input} has ${Array.isArray(names) ? names.length : "no"} names, but input '${input}' has ${size} features per sample (shape [${shape.join(",")}])`,
    );
  return names.map(String);
}

/** Throws when a name appears twice (names label table rows and plot axes, so they must be unique). */
export function assertUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new ValueError(`analyze: two ${what} are both named '${n}'; give unique names`);
    seen.add(n);
  }
}
