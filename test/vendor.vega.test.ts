/**
 * vendor/vega holds the HTML report's chart runtime (issue 11): the minified builds of vega,
 * vega-lite and vega-embed with their licences, copied by scripts/vendor-vega.ts from the exact
 * versions package.json pins as devDependencies. This fails when they drift apart; the fix is
 * `npx tsx scripts/vendor-vega.ts`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectedVendorFiles, VEGA_PACKAGES, VENDOR_DIR } from "../scripts/vendor-vega.js";
import { loadVegaScripts } from "../src/report/vega.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("vendor/vega", () => {
  it("is what scripts/vendor-vega.ts writes from the installed devDependencies", () => {
    const expected = expectedVendorFiles();
    expect(readdirSync(VENDOR_DIR).sort()).toEqual(expected.map((f) => f.path).sort());
    for (const f of expected) {
      const got = readFileSync(join(VENDOR_DIR, f.path));
      expect(got.equals(f.bytes), `${f.path} is stale: run npx tsx scripts/vendor-vega.ts`).toBe(true);
    }
  });

  it("comes from exact devDependency versions, and vega is not a runtime dependency", () => {
    for (const { name } of VEGA_PACKAGES) {
      expect(pkg.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.dependencies[name]).toBeUndefined();
    }
  });

  it("is what the report inlines", async () => {
    const s = await loadVegaScripts();
    expect(s.vega).toBe(readFileSync(join(VENDOR_DIR, "vega.min.js"), "utf8"));
    expect(s.vega).toContain(`version="${pkg.devDependencies.vega}"`);
    expect(s.vegaLite).toContain(`"${pkg.devDependencies["vega-lite"]}"`);
    expect(s.vegaEmbed.length).toBeGreaterThan(10_000);
  });
});
