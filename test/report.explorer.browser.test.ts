/**
 * The report's per-row explorer in headless chromium: rows picked by clicks and by the keyboard,
 * and every number it shows — feature values, ∂y/∂x, Input×Gradient, Integrated Gradients with
 * its δ, Integrated Hessians (the interactions section's own) and the what-ifs — equal
 * to the result's JSON; hostile names stay text; no console error and no network request. Set
 * GRADLENS_SCREENSHOT_EXPLORER=path.png to keep a screenshot of the explorer. Skipped when
 * /usr/bin/chromium is missing (outside CI).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explorerRows } from "../src/report/explorer.js";
import { renderHtmlReport } from "../src/report/html.js";
import { loadVegaScripts } from "../src/report/vega.js";
import type { SensitivityResult } from "../src/sensitivity/result/schema.js";
import { FEATURE_NAMES, fixtureResult } from "./report.fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);

describe("HTML report: the per-row explorer in chromium", () => {
  it.runIf(!hasChromium && inCI)("needs chromium in CI", () => {
    throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt (package 'chromium')`);
  });

  describe.runIf(hasChromium)("rendered", () => {
    // Real Integrated Hessians: the interactions section computed on the explained rows.
    const r = fixtureResult(240, { interactions: true });
    const ps = r.perSample!;
    const at = r.attribution!;
    const ig = at.integratedGradients!;
    const ih = (r.interactions as unknown as { integratedHessians: ReturnType<typeof Object> })
      .integratedHessians as {
      rows: number[];
      interactions: number[][][][];
      featureSums: number[][][];
      completenessDelta: number[][];
    };
    const names = r.inputs.features.map((f) => f.name);
    let browser: BrowserContext;
    let page: Page;
    let dir: string;
    let url: string;
    const consoleErrors: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "gradlens-explorer-"));
      const file = join(dir, "report.html");
      writeFileSync(file, renderHtmlReport(r, { scripts: await loadVegaScripts(), title: "explorer" }));
      url = pathToFileURL(file).href;
      browser = await chromium.launchPersistentContext(join(dir, "profile"), {
        executablePath: CHROMIUM,
        viewport: { width: 1280, height: 1000 },
        args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-sync"],
      });
      page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on("request", (q) => requests.push(q.url()));
      await page.goto(url);
      await page.waitForSelector("body[data-charts-rendered]", { timeout: 60_000 });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** The explorer's tables of one part (and output): header texts, first-column texts, data-values by column. */
    const part = (name: string, output?: number) =>
      page.evaluate(
        ([name, output]) =>
          Array.from(
            document.querySelectorAll<HTMLTableElement>(
              `#explorer-panel table[data-part="${name}"]${output === null ? "" : `[data-output="${output}"]`}`,
            ),
          ).map((t) => ({
            headers: Array.from(t.querySelectorAll("th")).map((th) => th.textContent),
            labels: Array.from(t.querySelectorAll("tbody tr")).map((tr) => tr.children[0].textContent),
            values: Array.from(t.querySelectorAll("tbody tr")).map((tr) =>
              Array.from(tr.querySelectorAll("td[data-value]")).map((td) => {
                const v = td.getAttribute("data-value");
                return v === "null" ? null : Number(v);
              }),
            ),
          })),
        [name, output ?? null] as const,
      );
    const pressed = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll("button.row-pick[aria-pressed=true]")).map((b) => b.textContent),
      );

    it("lists every row the embedded result holds per-row numbers for, the first picked", async () => {
      const listed = await page.evaluate(() =>
        Array.from(document.querySelectorAll("button.row-pick")).map((b) =>
          Number(b.getAttribute("data-row")),
        ),
      );
      // Kept rows are embedded up to 100 (of 120); the explained rows are all there.
      const want = explorerRows({
        ...r,
        perSample: { ...ps, rows: ps.rows.slice(0, 100) },
      } as SensitivityResult).filter((row) => row < 100 || at.rows.includes(row));
      expect(listed).toEqual(want);
      for (const row of at.rows) expect(listed).toContain(row);
      expect(await pressed()).toEqual([String(listed[0])]);
      expect(await page.getAttribute("#explorer-panel", "data-row")).toBe(String(listed[0]));
    });

    it("shows an explained row's attributions, IG δ and Integrated Hessians as in the JSON", async () => {
      const s = 1;
      const row = at.rows[s];
      await page.click(`button.row-pick[data-row="${row}"]`);
      expect(await pressed()).toEqual([String(row)]);
      expect(await page.textContent("#explorer-title")).toBe(`Row ${row}`);
      const p = ps.rows.indexOf(row);
      for (let k = 0; k < r.outputs.components.length; k++) {
        const [t] = await part("derivatives", k);
        expect(t.labels).toEqual(names); // hostile names shown as text
        t.values.forEach((cells, j) => {
          const want = [
            ...(p >= 0 ? [ps.features[p][j], ps.gradients[p][k][j]] : []),
            at.inputXGradient.attributions[s][k][j],
            ig.attributions[s][k][j],
            ih.interactions[s][k][j][j],
            ih.featureSums[s][k][j],
          ];
          expect(cells).toEqual(want);
        });
        const [m] = await part("ih", k);
        expect(m.headers).toEqual(["feature", ...names]);
        expect(m.values).toEqual(ih.interactions[s][k]);
      }
      const deltas = await page.$$eval("#explorer-panel .ig-delta", (xs) =>
        xs.map((x) => Number(x.getAttribute("data-value"))),
      );
      expect(deltas).toEqual(ig.completenessDelta[s]);
      const ihDeltas = await page.$$eval("#explorer-panel .ih-delta", (xs) =>
        xs.map((x) => Number(x.getAttribute("data-value"))),
      );
      expect(ihDeltas).toEqual(ih.completenessDelta[s]);
    });

    it("shows a kept row's values, derivatives and what-ifs as in the JSON", async () => {
      const row = ps.rows.find((x) => !at.rows.includes(x))!;
      await page.click(`button.row-pick[data-row="${row}"]`);
      const p = ps.rows.indexOf(row);
      const [t] = await part("derivatives", 0);
      expect(t.headers).toEqual(["feature", "x", "∂y/∂x"]);
      t.values.forEach((cells, j) => expect(cells).toEqual([ps.features[p][j], ps.gradients[p][0][j]]));
      expect(await part("ih")).toEqual([]);
      expect(await page.textContent("#explorer-panel")).toContain("not an explained row");
      const [w] = await part("whatif");
      const want = r.whatif!.scenarios.flatMap((sc) => {
        const q = sc.perSample!;
        const i = q.rows.indexOf(row);
        return r.outputs.components.map((_, k) => [
          q.baseline[i][k],
          q.exact[i][k],
          q.firstOrder[i][k],
          q.secondOrder[i][k],
          q.firstOrder[i][k]! - q.exact[i][k]!,
          q.secondOrder[i][k]! - q.exact[i][k]!,
        ]);
      });
      expect(w.values).toEqual(want);
      expect(w.labels[0]).toContain("price +1%");
    });

    it("moves between rows with the arrow keys, Home and End", async () => {
      const listed = await page.$$eval("button.row-pick", (bs) => bs.map((b) => b.getAttribute("data-row")!));
      await page.click(`button.row-pick[data-row="${listed[2]}"]`);
      await page.keyboard.press("ArrowRight");
      expect(await pressed()).toEqual([listed[3]]);
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-row"))).toBe(listed[3]);
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      expect(await pressed()).toEqual([listed[1]]);
      await page.keyboard.press("End");
      expect(await page.getAttribute("#explorer-panel", "data-row")).toBe(listed[listed.length - 1]);
      await page.keyboard.press("Home");
      expect(await page.getAttribute("#explorer-panel", "data-row")).toBe(listed[0]);
      // A row with attributions again, for the screenshot.
      await page.click(`button.row-pick[data-row="${at.rows[0]}"]`);
      const shot = process.env.GRADLENS_SCREENSHOT_EXPLORER;
      if (shot) await (await page.$("#explorer"))!.screenshot({ path: shot });
    });

    it("no script ran from a name, no console error, no network request", async () => {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(FEATURE_NAMES.every((n) => names.includes(n))).toBe(true);
      expect(consoleErrors).toEqual([]);
      expect(requests.filter((u) => u !== url && !u.startsWith("blob:"))).toEqual([]);
    });
  });
});
