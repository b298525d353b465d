import "./dispatch.js";
export { jvpFlat, JvpTracer } from "./jvp.js";
export { batchFlat, BatchTracer } from "./batch.js";
export { partialEvalFlat } from "./partial.js";
export { evalProgram, type Program } from "./program.js";
export { transposeProgram } from "./transpose.js";
export { Tracer, withMain } from "./stack.js";
export { evalShapeFlat, ShapeTracer } from "./abstract.js";
