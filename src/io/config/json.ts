/**
 * Typed access to untrusted JSON with errors that name the file and the JSON path
 * (`model.keras (config.json): layers[3].config.units: expected a positive integer, got "8"`).
 */
import { ModelFormatError } from "../errors.js";

export type JsonObject = Record<string, unknown>;

/** Where in which file a value sits; `path` follows the Keras 2.2+ layout (`layers[3].config.units`). */
export interface Where {
  label: string;
  path: string;
}

/** Appends a key or an index to a JSON path. */
export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Throws the one error type of this module. */
export function fail(label: string, path: string, message: string): never {
  throw new ModelFormatError(path === "" ? `${label}: ${message}` : `${label}: ${path}: ${message}`);
}

/** A short human description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value).slice(0, 6);
    return `an object with keys {${keys.join(", ")}${Object.keys(value).length > 6 ? ", …" : ""}}`;
  }
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  return `${typeof value} ${String(value)}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, where: Where, what = "an object"): JsonObject {
  if (!isObject(value)) fail(where.label, where.path, `expected ${what}, got ${describe(value)}`);
  return value;
}

export function expectArray(value: unknown, where: Where, what = "an array"): unknown[] {
  if (!Array.isArray(value)) fail(where.label, where.path, `expected ${what}, got ${describe(value)}`);
  return value;
}

export function expectString(value: unknown, where: Where, what = "a string"): string {
  if (typeof value !== "string" || value === "")
    fail(where.label, where.path, `expected ${what}, got ${describe(value)}`);
  return value;
}

export function expectInt(value: unknown, where: Where, min = 0, what = `an integer ≥ ${min}`): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min)
    fail(where.label, where.path, `expected ${what}, got ${describe(value)}`);
  return value;
}

/** `undefined` when absent or null, the string otherwise; anything else is an error. */
export function optionalString(value: unknown, where: Where): string | undefined {
  if (value === undefined || value === null) return undefined;
  return expectString(value, where);
}
