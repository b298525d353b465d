/**
 * The first thing that touches a config: refuses JSON that could hurt us before any other code
 * reads it. Configs are data and are never evaluated (no `eval`, no `Function`, no dynamic import);
 * this guard adds the two checks plain data still needs:
 * - keys that would reach an object's prototype when copied (`__proto__`, `constructor`,
 *   `prototype`) are refused wherever they appear, so that building canonical objects with ordinary
 *   property writes can never pollute `Object.prototype`;
 * - nesting is capped, so hostile or cyclic input fails fast instead of overflowing the stack.
 */
import { parseJsonSafe } from "../containers/json.js";
import { at, describe, fail } from "./json.js";

/** JSON nesting deeper than this is refused. Real configs stay under ~30 (model → layer → wrapper → cell → initializer). */
export const MAX_JSON_DEPTH = 100;
/** Models nested in models (or wrappers in wrappers) deeper than this are refused. */
export const MAX_MODEL_NESTING = 16;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Walks `raw` once (iteratively) and throws `ModelFormatError` naming the JSON path of the first
 * forbidden key, over-deep value or non-JSON value (function, class instance, non-finite number).
 *
 * @example
 * assertSafeJson(JSON.parse(text), "model.json");
 */
export function assertSafeJson(raw: unknown, label: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: raw, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH)
      fail(label, path, `JSON nested deeper than ${MAX_JSON_DEPTH} levels (corrupt or hostile file)`);
    if (value === null || typeof value === "string" || typeof value === "boolean") continue;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) fail(label, path, `expected a finite number, got ${String(value)}`);
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: at(path, i), depth: depth + 1 });
      continue;
    }
    const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
    if (typeof value !== "object" || (proto !== Object.prototype && proto !== null))
      fail(label, path, `expected JSON data, got ${describe(value)} (${typeof value})`);
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key))
        fail(label, at(path, key), `forbidden key '${key}' (prototype pollution attempt or corrupt file)`);
      stack.push({ value: (value as Record<string, unknown>)[key], path: at(path, key), depth: depth + 1 });
    }
  }
}

/**
 * Text → guarded JSON: `parseJsonSafe` (src/io/containers/json.ts: BOM, length cap, syntax errors, forbidden
 * keys) and then `assertSafeJson` with this module's tighter depth cap.
 *
 * @example
 * const raw = parseConfigJson(strFromU8(zip["config.json"]), "model.keras (config.json)");
 */
export function parseConfigJson(text: string, label: string): unknown {
  const raw = parseJsonSafe(text, label, { maxDepth: MAX_JSON_DEPTH + 1 });
  assertSafeJson(raw, label);
  return raw;
}
