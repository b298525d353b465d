/**
 * The gradlens version recorded in every result's `meta` (kept equal to package.json by a test).
 *
 * @example
 * result.meta.gradlensVersion === GRADLENS_VERSION;
 */
export const GRADLENS_VERSION = "0.1.0";

/**
 * The version of the result schema documented in docs/sensitivity-schema.md.
 *
 * @example
 * if (result.schemaVersion !== SCHEMA_VERSION) throw new Error("unknown result format");
 */
export const SCHEMA_VERSION = 1 as const;
