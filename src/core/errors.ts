/**
 * Error classes shared by every layer of gradlens. Each names what went wrong, where, and what was
 * expected, so that a user never has to read a stack trace from deep inside the engine.
 */

/** Base class of every error gradlens throws on purpose. */
export class GradlensError extends Error {
  constructor(message: string) {
    super(message);
    // gradlens's own error classes spell their names out (a field, set after this): minifiers
    // rename classes in browser bundles. Other subclasses get their class name.
    this.name = new.target === GradlensError ? "GradlensError" : new.target.name;
  }
}

/** Shapes that do not fit an operation, e.g. `add: cannot broadcast [2,3] with [4]`. */
export class ShapeError extends GradlensError {
  override name = "ShapeError";
}

/** A dtype an operation cannot take, e.g. an integer input to `grad`. */
export class DTypeError extends GradlensError {
  override name = "DTypeError";
}

/** A bad argument value that is not a shape or dtype problem (a negative axis out of range, …). */
export class ValueError extends GradlensError {
  override name = "ValueError";
}

/** Reading concrete values of a tensor that is being traced by a transform (`grad`, `vmap`, …). */
export class TracerError extends GradlensError {
  override name = "TracerError";
}
