import type { Program } from "../program.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { dropIdentities } from "./identity.js";
import { foldTransposes } from "./transposeFold.js";

export { cse } from "./cse.js";
export { dce } from "./dce.js";
export { dropIdentities } from "./identity.js";
export { foldTransposes } from "./transposeFold.js";

/**
 * The optimization pipeline of a staged program, for concrete execution: identities first (so
 * CSE sees through them), CSE, transpose folding (which can orphan transposes), then DCE to
 * remove everything no output needs any more. Every pass keeps results bit-identical.
 */
export function optimize(prog: Program): Program {
  return dce(foldTransposes(cse(dropIdentities(prog))));
}
