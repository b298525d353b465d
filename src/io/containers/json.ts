/**
 * JSON from model files, parsed defensively: configs come from strangers, and a `__proto__` key
 * that survives into code doing `Object.assign(target, config)` or `merge(defaults, config)` can
 * change every object in the program. Such keys are refused here, once, so nothing downstream has
 * to think about it.
 */
import { ModelFormatError } from "../errors.js";

/** Keys that reach an object's prototype when code copies or merges parsed JSON. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Caps for `parseJsonSafe`.
 *
 * @example parseJsonSafe(text, "config.json", { maxDepth: 64 })
 */
export interface JsonLimits {
  /** Longest text accepted, in UTF-16 code units (default `MAX_MODEL_JSON_LENGTH`). */
  maxLength?: number;
  /** Deepest nesting of arrays/objects accepted (default 512). */
  maxDepth?: number;
}

/**
 * Longest model JSON accepted (a TF.js `model.json`, an architecture JSON, an HDF5
 * `model_config`): 32 Mi characters. Real ones are KBs to a few MB (a TF.js manifest lists ~100
 * bytes per weight); JSON.parse needs several times the text in memory, so this also caps that.
 */
export const MAX_MODEL_JSON_LENGTH = 32 * 1024 ** 2;
const DEFAULT_MAX_DEPTH = 512;

/**
 * Where JSON text first nests deeper than `maxDepth` (arrays and objects; brackets inside strings
 * do not count), found by one linear scan that allocates nothing, or null. Runs before
 * `JSON.parse` so that hostile nesting is refused before anything is built from it.
 *
 * @example jsonTooDeep("[[[1]]]", 2); // { depth: 3, line: 1, column: 3 }
 */
export function jsonTooDeep(
  text: string,
  maxDepth: number,
): { depth: number; line: number; column: number } | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { depth, ...lineColumn(text, i) };
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Renders a key path like `config.layers[3].__proto__`. */
function pathText(path: readonly (string | number)[]): string {
  return (
    path
      .map((p) =>
        typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`,
      )
      .join("")
      .replace(/^\./, "") || "(root)"
  );
}

/**
 * Walks the parsed value without recursion (depth is capped anyway, but an explicit stack keeps
 * the limit ours and not the engine's).
 */
function checkTree(root: unknown, where: string, maxDepth: number): void {
  if (root === null || typeof root !== "object") return;
  const stack: { value: object; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (path.length >= maxDepth)
      throw new ModelFormatError(`${where}: JSON nests deeper than ${maxDepth} levels at ${pathText(path)}`);
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (v !== null && typeof v === "object") stack.push({ value: v, path: [...path, i] });
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new ModelFormatError(
          `${where}: JSON key '${key}' at ${pathText([...path, key])} is not allowed (prototype pollution)`,
        );
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object") stack.push({ value: child, path: [...path, key] });
    }
  }
}

/**
 * `JSON.parse` for model files: a leading UTF-8 BOM is ignored; syntax errors, texts over
 * `maxLength`, nesting over `maxDepth` (found before parsing), and the keys `__proto__`, `constructor` and `prototype`
 * anywhere in the tree all become a `ModelFormatError` that starts with `where` and names the key
 * path.
 *
 * @example
 * const config = parseJsonSafe(text, "model.keras/config.json") as { class_name: string };
 */
export function parseJsonSafe(text: string, where: string, limits: JsonLimits = {}): unknown {
  const maxLength = limits.maxLength ?? MAX_MODEL_JSON_LENGTH;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (text.length > maxLength)
    throw new ModelFormatError(
      `${where}: JSON text of ${text.length} characters is over the limit of ${maxLength}`,
    );
  const deep = jsonTooDeep(text, maxDepth);
  if (deep !== null)
    throw new ModelFormatError(
      `${where}: JSON nests deeper than ${maxDepth} levels (line ${deep.line}, column ${deep.column})`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ModelFormatError(`${where}: invalid JSON: ${(e as Error).message}`);
  }
  checkTree(value, where, maxDepth);
  return value;
}
