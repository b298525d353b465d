/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core.
 * Loads a generated report from file://, waits for every chart, and checks each section, the
 * rendered SVG, the console, the network (nothing but the file), that no hostile name ran script,
 * and that a screenshot is not blank. In CI (CI set) a missing chromium fails the test; locally
 * the test is skipped with a message.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport, REPORT_SECTIONS } from "../src/report/html.js";
import { loadVegaScripts } from "../src/report/vega.js";
import { fixtureResult, HOSTILE } from "./report.fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);

if (!hasChromium && !inCI)
  console.warn(`report.browser.test: skipped — ${CHROMIUM} not found (install Debian's chromium to run it)`);

describe("HTML report in chromium", () => {
  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("rendered", () => {
    let browser: BrowserContext;
    let dir: string;
    let file: string;
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    let sections: { id: string; h2: string; charts: number; svgs: number; rendered: string[] }[];
    let rendered: string | null;
    let pwned: unknown;
    let stats: { mean: number; std: number; distinct: number; width: number; height: number };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "gradlens-report-"));
      file = join(dir, "report.html");
      writeFileSync(
        file,
        renderHtmlReport(fixtureResult(), {
          scripts: await loadVegaScripts(),
          title: `fixture ${HOSTILE.output}`,
          modelSummary: `model ${HOSTILE.feature1}`,
        }),
      );
      // A fresh profile per run (launchPersistentContext owns --user-data-dir).
      browser = await chromium.launchPersistentContext(join(dir, "profile"), {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 1000 },
        args: [
          "--no-sandbox",
          "--headless",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--disable-sync",
        ],
      });
      const page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("body[data-charts-rendered]", { timeout: 60_000 });
      rendered = await page.getAttribute("body", "data-charts-rendered");
      pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
      sections = await page.evaluate(() =>
        Array.from(document.querySelectorAll("section")).map((s) => ({
          id: s.id,
          h2: s.querySelector("h2")?.textContent ?? "",
          charts: s.querySelectorAll("[data-spec]").length,
          svgs: s.querySelectorAll("[data-spec] svg").length,
          rendered: Array.from(s.querySelectorAll("[data-spec]")).map(
            (c) => c.getAttribute("data-rendered") ?? "",
          ),
        })),
      );
      const png = (await page.screenshot({ fullPage: false })).toString("base64");
      // Decode the screenshot in a blank page (no CSP there) and measure its pixels.
      const blank = await browser.newPage();
      stats = await blank.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        let sq = 0;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) {
          const g = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
          sum += g;
          sq += g * g;
          seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        }
        const n = d.length / 4;
        const mean = sum / n;
        return {
          mean,
          std: Math.sqrt(sq / n - mean * mean),
          distinct: seen.size,
          width: c.width,
          height: c.height,
        };
      }, png);
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("renders every chart without console errors or network requests", () => {
      expect(consoleErrors).toEqual([]);
      expect(rendered).toBe("5");
      const url = pathToFileURL(file).href;
      expect(requests.filter((u) => u !== url)).toEqual([]);
    });

    it("has every section, each chart drawn as SVG", () => {
      // The row explorer is there when the result keeps per-row numbers (this one does).
      expect(sections.map((s) => s.id)).toEqual([
        ...REPORT_SECTIONS.filter((id) => id !== "options"),
        "explorer",
        "options",
      ]);
      for (const s of sections) {
        expect(s.h2.length).toBeGreaterThan(3);
        expect(s.svgs).toBe(s.charts);
        expect(s.rendered.every((x) => x === "ok")).toBe(true);
      }
      const charted = sections.filter((s) => s.charts > 0).map((s) => s.id);
      expect(charted).toEqual(["ranking", "scatter", "heatmap", "attribution", "dgsm"]);
    });

    it("runs no script from hostile feature or output names", () => {
      expect(pwned).toBeUndefined();
    });

    it("takes a screenshot that is not blank", () => {
      expect(stats.width).toBe(1280);
      expect(stats.std).toBeGreaterThan(10);
      expect(stats.distinct).toBeGreaterThan(50);
    });
  });
});
