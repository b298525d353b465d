/** The error of a saved result whose structure the report cannot use (exit 3 in the CLI). */

/**
 * Where the structure first breaks (a JSON path), and how.
 *
 * @example
 * new ResultShapeError("summary.ranking[0].byMeanAbs[1]", "expected an object, got null").message;
 */
export class ResultShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "ResultShapeError";
  }
}
