/**
 * The Vega, Vega-Lite and Vega-Embed browser bundles (their `build/*.min.js` files), read from
 * the copies shipped in the package (vendor/vega) so the HTML report can inline them and render with no network. Node
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

/**
 * vendor/vega/ of the package: src/report and dist/report are both two levels below its root.
 * The files are copied there from the exact devDependency versions by scripts/vendor-vega.ts, so
 * the report needs no Vega package at run time. (A variable, not a literal in `new URL(…,
 * import.meta.url)`, which webpack and Vite would try to bundle as an asset.)
 */
const VENDOR_DIR: string = "../../vendor/vega/";

async function bundle(file: string): Promise<string> {
  const what = "loadVegaScripts (in a browser, pass the Vega bundles to renderHtmlReport as options.scripts)";
  const { readFile } = await importNode("node:fs/promises", what);
  const { fileURLToPath } = await importNode("node:url", what);
  const path = fileURLToPath(new URL(VENDOR_DIR + file, import.meta.url));
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new Error(
      `HTML report: cannot read the chart runtime ${path} (${(e as Error).message}); ` +
        `it ships in gradlens's vendor/vega folder (regenerate it with scripts/vendor-vega.ts)`,
    );
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
    bundle("vega.min.js"),
    bundle("vega-lite.min.js"),
    bundle("vega-embed.min.js"),
  ]).then(([vega, vegaLite, vegaEmbed]) => ({ vega, vegaLite, vegaEmbed }));
  cached.catch(() => (cached = null));
  return cached;
}
