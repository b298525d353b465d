/**
 * Regenerates the "Supported model files" table in README.md (between the coverage markers) from
 * the real fixtures: every model loaded and run, every recorded output compared
 * (test/helpers/coverage.ts). Run after changing the loader or adding layers or fixtures:
 *
 *   npx tsx scripts/coverage-table.ts
 *
 * test/io.coverage.test.ts fails while the README differs from what this writes.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { setWarningHandler } from "../src/index.js";
import { coverageMarkdown, readmeSection, withSection } from "../test/helpers/coverage.js";

const readmePath = fileURLToPath(new URL("../README.md", import.meta.url));
setWarningHandler(() => {});
const section = await coverageMarkdown();
const readme = fs.readFileSync(readmePath, "utf8");
if (readmeSection(readme) === section.trim()) console.log("README.md coverage section is up to date");
else {
  fs.writeFileSync(readmePath, withSection(readme, section));
  console.log("README.md coverage section updated");
}
console.log(section);
