/**
 * Copies the chart runtime of the HTML report into vendor/vega/: the minified browser builds of
 * vega, vega-lite and vega-embed, each package's LICENSE beside them, and manifest.json (versions
 * and SHA-256 of every file). They are taken from the exact versions pinned in package.json's
 * devDependencies, so the published package ships ~820 KB of prebuilt JS instead of depending on
 * the three packages and their ~80 transitive dependencies (~27 MB). Run after bumping them:
 *
 *   npx tsx scripts/vendor-vega.ts
 *
 * test/vendor.vega.test.ts fails while vendor/vega differs from what this writes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the vendored files live (read at run time by src/report/vega.ts). */
export const VENDOR_DIR = join(ROOT, "vendor/vega");

/** The three packages, in the order the report loads them, and their browser build. */
export const VEGA_PACKAGES = [
  { name: "vega", build: "build/vega.min.js" },
  { name: "vega-lite", build: "build/vega-lite.min.js" },
  { name: "vega-embed", build: "build/vega-embed.min.js" },
] as const;

/** One file of vendor/vega and its expected bytes. */
export interface VendoredFile {
  path: string;
  bytes: Buffer;
}

/** The builds end with a link to a .map file that is not vendored: drop it (a dead link in devtools). */
const withoutSourceMapLink = (b: Buffer) =>
  Buffer.from(b.toString("utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"));

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * What vendor/vega must contain, computed from the installed devDependencies. Throws when an
 * installed version differs from the exact version package.json pins (a stale `npm ci`).
 */
export function expectedVendorFiles(): VendoredFile[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const files: VendoredFile[] = [];
  const manifest: Record<string, { version: string; license: string; files: Record<string, string> }> = {};
  for (const { name, build } of VEGA_PACKAGES) {
    // The packages' exports maps hide package.json and build/, so read the install folder itself.
    const dir = join(ROOT, "node_modules", name);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      version: string;
      license: string;
    };
    const pinned = pkg.devDependencies[name];
    if (pinned !== meta.version)
      throw new Error(
        `vendor-vega: package.json pins ${name} ${pinned ?? "(missing)"} but ${meta.version} is installed; ` +
          `pin an exact version and run npm install`,
      );
    const js = { path: `${name}.min.js`, bytes: withoutSourceMapLink(readFileSync(join(dir, build))) };
    const license = { path: `${name}.LICENSE`, bytes: readFileSync(join(dir, "LICENSE")) };
    files.push(js, license);
    manifest[name] = {
      version: meta.version,
      license: meta.license,
      files: { [js.path]: sha256(js.bytes), [license.path]: sha256(license.bytes) },
    };
  }
  files.push({ path: "manifest.json", bytes: Buffer.from(JSON.stringify(manifest, null, 2) + "\n") });
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(VENDOR_DIR, { recursive: true });
  for (const f of expectedVendorFiles()) writeFileSync(join(VENDOR_DIR, f.path), f.bytes);
  console.log(`vendor/vega: ${VEGA_PACKAGES.map((p) => p.name).join(", ")} written`);
}
