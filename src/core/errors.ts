/**
 * Error classes shared by every layer of gradlens. Each names what went wrong, where, and what was
 * expected, so that a user never has to read a stack trace from deep inside the engine.
 */

/**
 * Base class of every error gradlens throws on purpose.
 *
 * @example
 * try {
 *   model.call(batch);
 * } catch (e) {
 *   if (!(e instanceof GradlensError)) throw e; // not one gradlens raised on purpose
 *   console.error(`${e.name}: ${e.message}`);
 * }
 */
export class GradlensError extends Error {
  constructor(message: string) {
    super(message);
    // gradlens's own error classes spell their names out (a field, set after this): minifiers
    // rename classes in browser bundles. Other subclasses get their class name.
    this.name = new.target === GradlensError ? "GradlensError" : new.target.name;
  }
}

/**
 * Shapes that do not fit an operation, e.g. `add: shapes [2,3] and [4] cannot be broadcast …`.
 *
 * @example
 * ones([2, 3]).add(ones([4])); // throws ShapeError: add: shapes [2,3] and [4] cannot be broadcast …
 */
export class ShapeError extends GradlensError {
  override name = "ShapeError";
}

/**
 * A dtype an operation cannot take, e.g. an integer input to `grad`.
 *
 * @example
 * grad((x) => x.sum())(array([1, 2], { dtype: "int32" })); // throws DTypeError: grad: can only …
 */
export class DTypeError extends GradlensError {
  override name = "DTypeError";
}

/**
 * A bad argument value that is not a shape or dtype problem (a negative axis out of range, …).
 *
 * @example
 * sum(ones([2, 3]), { axis: 2 }); // throws ValueError: sum: axis 2 is out of range for an array of rank 2
 */
export class ValueError extends GradlensError {
  override name = "ValueError";
}

/**
 * Reading concrete values of a tensor that is being traced by a transform (`grad`, `vmap`, …).
 *
 * @example
 * grad((x) => x.mul(x.item()))(array(2)); // throws TracerError: item() needs concrete values, …
 */
export class TracerError extends GradlensError {
  override name = "TracerError";
}
