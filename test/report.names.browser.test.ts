/**
 * The HTML report with names that are code-hostile but valid data (U+2028/U+2029, quotes,
 * backslashes, `</script>`, `${`) in inputs, features, the output and the title, in headless
 * chromium: every chart draws (no "Unexpected token ILLEGAL"), the console stays clean and the
 * names show in the drawn SVG. Skipped when /usr/bin/chromium is missing (outside CI).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "../src/report/html.js";
import { loadVegaScripts } from "../src/report/vega.js";
import { MARK, ODD_NAMES, oddNamesResult } from "./report.names.fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);

describe("HTML report with code-hostile names in chromium", () => {
  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("rendered", () => {
    let browser: BrowserContext;
    let dir: string;
    const consoleErrors: string[] = [];
    let rendered: string | null;
    let charts: { id: string; state: string; svg: boolean; text: string }[];
    let title: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "gradlens-names-"));
      const file = join(dir, "report.html");
      writeFileSync(
        file,
        renderHtmlReport(oddNamesResult(), {
          scripts: await loadVegaScripts(),
          title: ODD_NAMES.title,
          modelSummary: `model ${ODD_NAMES.title}`,
        }),
      );
      browser = await chromium.launchPersistentContext(join(dir, "profile"), {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 1000 },
        args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-sync"],
      });
      const page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-charts-rendered]", { timeout: 60_000 });
      rendered = await page.getAttribute("body", "data-charts-rendered");
      title = await page.title();
      charts = await page.evaluate(() =>
        Array.from(document.querySelectorAll("[data-spec]")).map((c) => ({
          id: c.closest("section")?.id ?? "",
          state: c.getAttribute("data-rendered") ?? "",
          svg: c.querySelector("svg") !== null,
          text: Array.from(c.querySelectorAll("svg text"))
            .map((t) => t.textContent)
            .join("|"),
        })),
      );
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("draws all five charts with no console error", () => {
      expect(consoleErrors).toEqual([]);
      expect(rendered).toBe("5");
      expect(charts.map((c) => [c.id, c.state, c.svg])).toEqual(
        ["ranking", "scatter", "heatmap", "attribution", "dgsm"].map((id) => [id, "ok", true]),
      );
    });

    it("shows the names as text in every chart, and the title in the page title", () => {
      for (const c of charts) expect(c.text, c.id).toContain(MARK);
      expect(title).toBe(`${ODD_NAMES.title} — sensitivity report`);
    });
  });
});
