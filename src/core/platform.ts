/**
 * Node built-ins for the Node-only code paths (file paths in `loadModel`, `model.save(path)`,
 * the HTML report's file helpers). They are imported lazily and behind a variable specifier, so
 * bundlers (esbuild, Rollup/Vite, webpack) leave them out: a browser bundle of gradlens needs no
 * `node:` module and no bundler configuration. A string literal in `import("node:…")` is not
 * enough — esbuild and webpack try to resolve it and fail when bundling for the browser.
 */
import type * as NodeFsPromises from "node:fs/promises";
import type * as NodeModule from "node:module";
import type * as NodePath from "node:path";
import type * as NodeUrl from "node:url";
import { ValueError } from "./errors.js";

/** The built-ins gradlens uses, by specifier. */
interface NodeBuiltins {
  "node:fs/promises": typeof NodeFsPromises;
  "node:module": typeof NodeModule;
  "node:path": typeof NodePath;
  "node:url": typeof NodeUrl;
}

/**
 * Whether this is Node (or a runtime that presents itself as Node), not a browser or a worker.
 *
 * @example if (!isNode) throw new ValueError("writing files needs Node");
 */
export const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

/**
 * Imports a Node built-in; outside Node throws a `ValueError` naming `what` needs Node.
 *
 * @example const fs = await importNode("node:fs/promises", "model.save(path)");
 */
export async function importNode<K extends keyof NodeBuiltins>(
  name: K,
  what: string,
): Promise<NodeBuiltins[K]> {
  if (!isNode) throw new ValueError(`${what} needs Node (it uses ${name})`);
  const specifier: string = name;
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as NodeBuiltins[K];
}
