/**
 * Units next to names in the tables and charts (`result.meta.units`, option `units`, CLI
 * `--units NAME=UNIT`). A feature without its own unit takes its input's; an output component its
 * output's. Results without units (older ones too) show the bare names.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";

/**
 * The unit of a feature, input or output component, or null.
 *
 * @example
 * unitOf(result, "price"); // "USD" after --units price=USD
 */
export function unitOf(r: SensitivityResult, name: string): string | null {
  const units = r.meta?.units;
  if (!units || typeof units !== "object") return null;
  const own = (n: string | undefined) => (n !== undefined && typeof units[n] === "string" ? units[n] : null);
  return (
    own(name) ??
    own(r.inputs.features.find((f) => f.name === name)?.input) ??
    own(r.outputs.components.find((c) => c.name === name)?.output)
  );
}

/**
 * A name with its unit in brackets ("price [USD]"), or the bare name without one.
 *
 * @example
 * withUnit(result, "price"); // "price [USD]"
 */
export function withUnit(r: SensitivityResult, name: string): string {
  const u = unitOf(r, name);
  return u ? `${name} [${u}]` : name;
}

/**
 * " [UNIT]" when every output component has the same unit, else "" (for an axis shared by all outputs).
 *
 * @example
 * `output change${outputUnitSuffix(result)}`; // "output change [USD]"
 */
export function outputUnitSuffix(r: SensitivityResult): string {
  const units = new Set(r.outputs.components.map((c) => unitOf(r, c.name)));
  const [u] = [...units];
  return units.size === 1 && u ? ` [${u}]` : "";
}
