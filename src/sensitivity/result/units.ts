/**
 * Units of features, inputs and outputs (`analyze` option `units`, CLI `--units NAME=UNIT`): only
 * labels — nothing is converted — kept in `result.meta.units` so the terminal tables and the
 * report can show them beside the names. A name must be a feature, an input or an output
 * component of the analysis; anything else is refused by name, so a typo cannot silently drop a unit.
 */
import { ValueError } from "../../core/errors.js";
import type { InputsSection, OutputsSection } from "./schemaBase.js";

/**
 * A unit given for a name the analysis does not have (a CLI maps it to a usage error, exit 2).
 *
 * @example
 * try { analyze(f, data, { units: { prize: "USD" } }); } catch (e) { if (e instanceof UnknownUnitNameError) e.unitName; }
 */
export class UnknownUnitNameError extends ValueError {
  constructor(
    readonly unitName: string,
    readonly known: string[],
  ) {
    super(
      `analyze: units names '${unitName}', which is not a feature, input or output ` +
        `(${known.slice(0, 12).join(", ")}${known.length > 12 ? ", …" : ""})`,
    );
    this.name = "UnknownUnitNameError";
  }
}

/**
 * The names a unit may be given for: features, inputs (their features inherit it) and output components.
 *
 * @example
 * unitNames(result.inputs, result.outputs); // ["price", "x[0]", "x[1]", "x", "y"]
 */
export function unitNames(inputs: InputsSection, outputs: OutputsSection): string[] {
  const names = new Set<string>();
  for (const f of inputs.features) names.add(f.name);
  for (const i of inputs.items) names.add(i.name);
  for (const c of outputs.components) names.add(c.name);
  for (const o of outputs.items) names.add(o.name);
  return [...names];
}

/**
 * Checks `units` against the analysis's names; returns a plain copy (empty when none).
 *
 * @example
 * resolveUnits({ price: "USD" }, prep.inputs, prep.outputs); // { price: "USD" }
 */
export function resolveUnits(
  units: Readonly<Record<string, string>> | undefined,
  inputs: InputsSection,
  outputs: OutputsSection,
): Record<string, string> {
  if (units === undefined) return {};
  if (typeof units !== "object" || units === null || Array.isArray(units))
    throw new ValueError("analyze: units must be an object of NAME: UNIT strings");
  const known = unitNames(inputs, outputs);
  const out: Record<string, string> = {};
  for (const [name, unit] of Object.entries(units)) {
    if (!known.includes(name)) throw new UnknownUnitNameError(name, known);
    if (typeof unit !== "string" || unit.trim() === "")
      throw new ValueError(
        `analyze: the unit of '${name}' must be a non-empty string, got ${JSON.stringify(unit)}`,
      );
    out[name] = unit.trim();
  }
  return out;
}
