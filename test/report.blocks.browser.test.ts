/**
 * The report's issue-13 features in headless chromium: the findings first screen, every chart of
 * the new blocks (interactions, effects, sobol, constraints) drawn as SVG, the ranking chart's
 * log/linear toggle (playwright clicks), the JSON and CSV downloads (download events, contents
 * read back), no console error and no network request. Set GRADLENS_SCREENSHOT=path.png to keep a
 * full-page screenshot. Skipped when /usr/bin/chromium is missing (outside CI).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "../src/report/html.js";
import { loadVegaScripts } from "../src/report/vega.js";
import { fixtureResult, HOSTILE } from "./report.fixture.js";
import { withNewSections } from "./report.sections.fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);

describe("HTML report blocks, toggle and downloads in chromium", () => {
  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("rendered", () => {
    let browser: BrowserContext;
    let page: Page;
    let dir: string;
    let file: string;
    const consoleErrors: string[] = [];
    const requests: string[] = [];

    const charts = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll("[data-spec]")).map((c) => ({
          section: c.closest("section")?.id ?? "",
          id: c.getAttribute("data-spec"),
          state: c.getAttribute("data-rendered"),
          svg: c.querySelector("svg") !== null,
        })),
      );

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "gradlens-blocks-"));
      file = join(dir, "report.html");
      writeFileSync(
        file,
        renderHtmlReport(withNewSections(fixtureResult()), {
          scripts: await loadVegaScripts(),
          title: "fixture",
          modelSummary: "model",
        }),
      );
      browser = await chromium.launchPersistentContext(join(dir, "profile"), {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 1000 },
        acceptDownloads: true,
        args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-sync"],
      });
      page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-charts-rendered]", { timeout: 60_000 });
      const shot = process.env.GRADLENS_SCREENSHOT;
      if (shot) await page.screenshot({ path: shot, fullPage: true });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("opens on the findings, each linking to a section of the page", async () => {
      const first = await page.evaluate(() => document.querySelector("main section")?.id);
      expect(first).toBe("findings");
      const links = await page.$$eval("#findings a", (as) => as.map((a) => a.getAttribute("href")!.slice(1)));
      expect(links).toContain("constraints");
      expect(links).toContain("interactions");
      for (const id of links) expect(await page.$(`section#${id}`), id).not.toBeNull();
      expect(await page.textContent("#findings")).toContain("VIOLATED");
    });

    it("draws every chart, the new blocks' included, as SVG", async () => {
      const cs = await charts();
      expect(cs.filter((c) => c.state !== "ok" || !c.svg)).toEqual([]);
      const sections = new Set(cs.map((c) => c.section));
      for (const s of ["ranking", "interactions", "effects", "sobol"]) expect(sections.has(s), s).toBe(true);
      expect(await page.$("section#constraints table")).not.toBeNull();
    });

    it("switches the ranking axis between linear and log", async () => {
      const linearHeights = await page.$$eval("#chart-ranking svg .mark-rect path", (ps) =>
        ps.map((p) => (p as SVGGraphicsElement).getBBox().height),
      );
      expect(Math.min(...linearHeights)).toBeGreaterThan(4);
      const axisTitle = () =>
        page.$$eval("#chart-ranking svg text", (ts) => ts.map((t) => t.textContent ?? "").join("|"));
      expect(await axisTitle()).not.toContain("(log scale)");
      await page.check('fieldset[data-toggle-for="ranking"] input[value="log"]');
      await page.waitForSelector('#chart-ranking[data-variant-shown="ranking--log"][data-rendered="ok"] svg');
      expect(await axisTitle()).toContain("(log scale)");
      // The bars are drawn on the log axis too (a stacked bar from 0 would leave it empty).
      const heights = await page.$$eval("#chart-ranking svg .mark-rect path", (ps) =>
        ps.map((p) => (p as SVGGraphicsElement).getBBox().height),
      );
      expect(heights.length).toBeGreaterThan(10);
      expect(Math.min(...heights)).toBeGreaterThan(4); // bars, not hairlines
      await page.check('fieldset[data-toggle-for="ranking"] input[value="linear"]');
      await page.waitForSelector('#chart-ranking[data-variant-shown="ranking"][data-rendered="ok"] svg');
      expect(await axisTitle()).not.toContain("(log scale)");
    });

    it("downloads the embedded result as JSON", async () => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click("button[data-json]")]);
      expect(dl.suggestedFilename()).toBe("gradlens-result.json");
      const json = JSON.parse(readFileSync((await dl.path())!, "utf8"));
      expect(json.result.schemaVersion).toBe(1);
      expect(json.result.interactions.pairs).toHaveLength(3);
    });

    it("downloads a table as CSV built from its cells, names quoted", async () => {
      const button = page.locator("#constraints button.dl-csv").first();
      const [dl] = await Promise.all([page.waitForEvent("download"), button.click()]);
      expect(dl.suggestedFilename()).toMatch(/^[a-z0-9-]+\.csv$/);
      const csv = readFileSync((await dl.path())!, "utf8").split("\r\n");
      expect(csv[0].split(",")[0]).toBe("feature");
      expect(
        csv.some((l) => l.startsWith(`"${HOSTILE.feature1.replace(/"/g, '""')}"`) || l.includes("convex")),
      ).toBe(true);
    });

    it("logs no console error and makes no network request", () => {
      expect(consoleErrors).toEqual([]);
      const url = pathToFileURL(file).href;
      expect(requests.filter((u) => u !== url && !u.startsWith("blob:"))).toEqual([]);
    });
  });
});
