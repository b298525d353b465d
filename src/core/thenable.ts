/**
 * Whether `x` is a Promise (or any thenable): where a model, tensor or data was expected, the
 * usual sign of a missing `await` (`const model = loadModel(path)`), which entry points name.
 *
 * @example
 * isThenable(loadModel("model.keras")); // true: await it first
 */
export function isThenable(x: unknown): boolean {
  return (
    (typeof x === "object" || typeof x === "function") &&
    x !== null &&
    typeof (x as { then?: unknown }).then === "function"
  );
}
