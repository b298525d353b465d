import { setDispatcher, type Tensor } from "../prims/tensor.js";
import type { PrimName, PrimParams } from "../prims/types.js";
import { evalPrim } from "./eval.js";
import { fullLower, fullRaise, topTrace } from "./stack.js";

/**
 * Routes a primitive to the innermost transform among its arguments (autodidax's `bind`):
 * everything is raised to that level, processed there, and the result lowered again when the
 * transform adds nothing to it.
 */
function dispatch<P extends PrimName>(prim: P, args: readonly Tensor[], params: PrimParams<P>): Tensor {
  const top = topTrace(args);
  if (top === null) return evalPrim(prim, args, params);
  const tracers = args.map((a) => fullRaise(top, a));
  return fullLower(top.process(prim, tracers, params));
}

setDispatcher(dispatch);
