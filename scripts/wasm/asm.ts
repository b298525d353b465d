/** The assembler lives in src/ (the fused element-wise kernels are assembled at run time); the build-time kernels use the same one. */
export * from "../../src/kernels/wasm/asm.js";
