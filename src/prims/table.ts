import { binaryRules, compareRule, logicalRule, selectRule } from "./binary.js";
import { dotRule } from "./dot.js";
import { gatherRule, scatterAddRule } from "./gather.js";
import { convertRule, stopGradientRule } from "./misc.js";
import {
  broadcastRule,
  concatenateRule,
  cumsumRule,
  padRule,
  reshapeRule,
  revRule,
  sliceRule,
  transposeRule,
} from "./movement.js";
import { patchesRule, patchesTRule } from "./patches.js";
import { argReduceRule, reduceRules } from "./reduce.js";
import type { RuleTable } from "./types.js";
import { unaryRules } from "./unary.js";

/**
 * The primitive set: every primitive with its impl, shape, JVP, transpose and batching rules.
 * Typed as `RuleTable`, so a primitive added to `PrimParamsMap` without rules fails to compile.
 */
export const RULES: RuleTable = {
  ...unaryRules,
  ...binaryRules,
  compare: compareRule,
  logical: logicalRule,
  select: selectRule,
  convert: convertRule,
  stop_gradient: stopGradientRule,
  ...reduceRules,
  arg_reduce: argReduceRule,
  dot_general: dotRule,
  reshape: reshapeRule,
  transpose: transposeRule,
  broadcast: broadcastRule,
  slice: sliceRule,
  pad: padRule,
  concatenate: concatenateRule,
  rev: revRule,
  gather: gatherRule,
  scatter_add: scatterAddRule,
  cumsum: cumsumRule,
  patches: patchesRule,
  patches_t: patchesTRule,
};

export const PRIM_NAMES = Object.keys(RULES) as (keyof RuleTable)[];
