import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/**
 * Every public export has a TSDoc `@example` (docs/STYLE.md). The walk over the entry points lives
 * in scripts/check-tsdoc.cjs so it can also be run by hand: `node scripts/check-tsdoc.cjs`.
 */
interface Missing {
  name: string;
  file: string;
  line: number;
}
const require = createRequire(import.meta.url);
const { findMissingExamples, formatMissing } = require("../scripts/check-tsdoc.cjs") as {
  findMissingExamples: () => Missing[];
  formatMissing: (missing: Missing[]) => string;
};

describe("TSDoc", () => {
  it("every public export has an @example", () => {
    const missing = findMissingExamples();
    expect(
      missing.length,
      `${missing.length} public export(s) without an @example:\n${formatMissing(missing)}\n`,
    ).toBe(0);
  });
});

describe("in-page links of the docs", () => {
  it("every #anchor in docs/*.md names a heading of that page (GitHub's slugs)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = new URL("../docs/", import.meta.url);
    const slug = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
    const broken: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".md"))) {
      const text = readFileSync(new URL(f, dir), "utf8");
      const slugs = new Set([...text.matchAll(/^#+\s+(.*)$/gm)].map((m) => slug(m[1])));
      for (const m of text.matchAll(/\]\(#([^)]+)\)/g)) if (!slugs.has(m[1])) broken.push(`${f}#${m[1]}`);
    }
    expect(broken).toEqual([]);
  });
});
