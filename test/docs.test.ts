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
