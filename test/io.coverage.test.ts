/**
 * The README's "Supported model files" table can never go stale: it is regenerated here from the
 * real fixtures (test/helpers/coverage.ts, the walk and golden machinery) and must equal the
 * section between the coverage markers. Run `npx tsx scripts/coverage-table.ts` to update it.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setWarningHandler, type WarningHandler } from "../src/index.js";
import { coverageMarkdown, readmeSection } from "./helpers/coverage.js";

let previous: WarningHandler;
beforeAll(() => (previous = setWarningHandler(() => {})));
afterAll(() => setWarningHandler(previous));

describe("README coverage table", () => {
  it("equals the table computed from the fixtures (npx tsx scripts/coverage-table.ts updates it)", async () => {
    const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readmeSection(readme);
    expect(
      section,
      "README.md needs <!-- coverage:start --> and <!-- coverage:end --> markers",
    ).not.toBeNull();
    expect(section).toBe((await coverageMarkdown()).trim());
  });
});
