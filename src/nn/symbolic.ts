/**
 * The shape vocabulary of functional graphs. The graph records themselves (`SymbolicTensor`,
 * `Node`) live in layer.ts beside `Layer`: a node names its layer and a layer lists its nodes, a
 * recursion of types one file holds without an import circle.
 */
/**
 * A shape with `null` for dimensions not known until call time (the batch dim, variable lengths).
 *
 * @example
 * const shape: SymbolicShape = Input({ shape: [null, 8] }).shape; // [null, null, 8]: batch and time
 */
export type SymbolicShape = (number | null)[];
