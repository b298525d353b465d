/**
 * Type checks for the arguments every layer builder reads, done once here so that a damaged file
 * fails with the JSON path of the bad value instead of a NaN deep inside a kernel. Arguments are
 * checked by name wherever they appear (e.g. `units` on Dense, LSTM and GRU alike).
 */
import { at, describe, fail, isObject, type JsonObject, type Where } from "./json.js";
import { nameTable } from "../../core/table.js";

type Check = (value: unknown) => boolean;

const posInt: Check = (v) => typeof v === "number" && Number.isInteger(v) && v > 0;
const nonNegNumber: Check = (v) => typeof v === "number" && v >= 0;
const bool: Check = (v) => typeof v === "boolean";
const unitInterval: Check = (v) => typeof v === "number" && v >= 0 && v <= 1;
const str: Check = (v) => typeof v === "string" && v !== "";
const int: Check = (v) => typeof v === "number" && Number.isInteger(v);
const intOrInts: Check = (v) => int(v) || (Array.isArray(v) && v.every(int));
const dimOrNull: Check = (v) => v === null || (typeof v === "number" && Number.isInteger(v) && v >= 0);

const CHECKS: Record<string, readonly [Check, string]> = nameTable({
  units: [posInt, "a positive integer"],
  filters: [posInt, "a positive integer"],
  depth_multiplier: [posInt, "a positive integer"],
  input_dim: [posInt, "a positive integer"],
  output_dim: [posInt, "a positive integer"],
  n: [posInt, "a positive integer"],
  rate: [unitInterval, "a number in [0, 1]"],
  dropout: [unitInterval, "a number in [0, 1]"],
  recurrent_dropout: [unitInterval, "a number in [0, 1]"],
  epsilon: [nonNegNumber, "a number ≥ 0"],
  momentum: [nonNegNumber, "a number ≥ 0"],
  use_bias: [bool, "true or false"],
  return_sequences: [bool, "true or false"],
  return_state: [bool, "true or false"],
  go_backwards: [bool, "true or false"],
  stateful: [bool, "true or false"],
  reset_after: [bool, "true or false"],
  dtype: [str, "a dtype name"],
  axis: [(v) => v === null || intOrInts(v), "an integer axis or a list of them"],
  target_shape: [
    (v) => Array.isArray(v) && v.every((d) => int(d) && d >= -1),
    "a list of integers (-1 for one inferred dim)",
  ],
  dims: [(v) => Array.isArray(v) && v.every(posInt), "a list of positive axis numbers"],
});

/**
 * Throws `ModelFormatError` at `<path>.<key>` for the first argument of the wrong type.
 *
 * @example validateLayerConfig("Dense", { units: "8" }, { label: "m.h5", path: "layers[3].config" });
 * // ModelFormatError: m.h5: layers[3].config.units: expected a positive integer, got "8"
 */
export function validateLayerConfig(className: string, config: JsonObject, where: Where): void {
  const bad = (key: string, expected: string): never =>
    fail(where.label, at(where.path, key), `expected ${expected}, got ${describe(config[key])}`);
  for (const [key, [check, expected]] of Object.entries(CHECKS))
    if (key in config && config[key] !== undefined && !check(config[key])) bad(key, expected);
  if (/Normalization$/.test(className))
    for (const key of ["center", "scale"]) if (key in config && !bool(config[key])) bad(key, "true or false");
  for (const key of ["activation", "recurrent_activation"])
    if (key in config && !str(config[key]) && !isObject(config[key])) bad(key, "an activation");
  if (className === "InputLayer") {
    const shape = config.batch_shape;
    if (shape !== undefined && !(Array.isArray(shape) && shape.every(dimOrNull)))
      bad("batch_shape", "a list of dimensions (integers ≥ 0 or null)");
  }
  if (
    typeof config.padding !== "undefined" &&
    !/^(ZeroPadding|Cropping)/.test(className) &&
    !str(config.padding)
  )
    bad("padding", "a padding mode such as 'valid' or 'same'");
}
