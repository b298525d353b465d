/**
 * Lookup tables indexed by names that come from files or the command line (activation,
 * initializer and layer class names, dtype names, …). They have no prototype, so a name such as
 * `constructor`, `toString` or `__proto__` finds nothing instead of an `Object.prototype` member
 * (which would "load" and then fail with `fn is not a function`).
 */

/**
 * A copy of `entries` without a prototype: `table[name]` is an own entry or `undefined`, and
 * `name in table` is true only for own entries.
 *
 * @example
 * const UNITS = nameTable({ rows: "rows" });
 * UNITS["constructor"]; // undefined
 */
export function nameTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
