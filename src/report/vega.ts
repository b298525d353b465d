/**
 * The Vega, Vega-Lite and Vega-Embed browser bundles (their `build/*.min.js` files), read from
 * the installed packages so the HTML report can inline them and render with no network. Node
 * only (Node modules are imported lazily, so importing this file is safe in a browser); in a
 * browser pass the bundles to `renderHtmlReport` yourself.
 */
import { importNode } from "../core/platform.js";

/**
 * The three bundles, in the order they must load.
 *
 * @example
 * const scripts: VegaScripts = await loadVegaScripts();
 */
export interface VegaScripts {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

let cached: Promise<VegaScripts> | null = null;

async function bundle(pkg: string, file: string): Promise<string> {
  const what = "loadVegaScripts (in a browser, pass the Vega bundles to renderHtmlReport as options.scripts)";
  const { createRequire } = await importNode("node:module", what);
  const { readFile } = await importNode("node:fs/promises", what);
  const { dirname, join } = await importNode("node:path", what);
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(pkg);
  } catch {
    throw new Error(`HTML report: the package '${pkg}' is not installed (it is a dependency of gradlens)`);
  }
  // Each package's entry point sits in its build/ folder, next to the minified browser bundle.
  const path = join(dirname(entry), file);
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new Error(`HTML report: cannot read ${path} (expected the browser bundle of '${pkg}')`);
  }
}

/**
 * Reads the bundles once per process (about 820 KB together).
 *
 * @example
 * const html = renderHtmlReport(result, { scripts: await loadVegaScripts() });
 */
export function loadVegaScripts(): Promise<VegaScripts> {
  cached ??= Promise.all([
    bundle("vega", "vega.min.js"),
    bundle("vega-lite", "vega-lite.min.js"),
    bundle("vega-embed", "vega-embed.min.js"),
  ]).then(([vega, vegaLite, vegaEmbed]) => ({ vega, vegaLite, vegaEmbed }));
  cached.catch(() => (cached = null));
  return cached;
}
