/**
 * Test helpers, exported for users as `gradlens/testing`: finite-difference derivative checks
 * to any order, and NumPy-style closeness assertions.
 *
 * @example
 * import { checkGrads, allclose } from "gradlens/testing";
 */
export { checkGrads, type CheckGradsOptions } from "./checkGrads.js";
export { allclose, assertAllclose, closeness, AssertionMismatch, type CloseOptions } from "./allclose.js";
