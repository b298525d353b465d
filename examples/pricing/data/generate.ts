/**
 * Generates the pricing demo's files from fixed seeds:
 *
 * - `examples/pricing/data/pricing.csv`: 4,000 synthetic option-like quotes, a reference `price`
 *   column and 8 features (moneyness, maturity, volatility, rate, dividend_yield, skew, liquidity,
 *   spread), drawn with gradlens's `Rng` (the same stream on every machine) and rounded so the
 *   text is identical everywhere;
 * - `examples/pricing/hidden.keras`: the hidden [8 → 64 → 64 → 1] tanh MLP (`mlpHiddenModel()`),
 *   written with `model.save` so the demo goes through the Keras 3 loader.
 *
 * Run with `npx tsx examples/pricing/data/generate.ts`; the test suite checks that the committed
 * CSV equals `pricingCsv()` and that the committed model computes what `mlpHiddenModel()` does.
 */
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { Rng } from "../../../src/index.js";
import "../../../src/io/index.js";
import { mlpHiddenModel } from "../models.js";

/** The CSV's feature columns in order (the hidden model's 8 inputs). */
export const PRICING_FEATURES = [
  "moneyness",
  "maturity",
  "volatility",
  "rate",
  "dividend_yield",
  "skew",
  "liquidity",
  "spread",
] as const;

export const PRICING_ROWS = 4000;
export const PRICING_SEED = 20240611;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * One quote per row: `[price, moneyness, maturity, volatility, rate, dividend_yield, skew, liquidity, spread]`,
 * already rounded to the digits the CSV stores.
 *
 * - price: lognormal around 100 (σ = 0.35), cents;
 * - moneyness K/S: normal around 1 (sd 0.08), within [0.7, 1.3];
 * - maturity in years: log-uniform on [0.05, 2];
 * - volatility: lognormal around 0.25, higher for short maturities and away from the money;
 * - rate: uniform on [0, 0.05]; dividend_yield: uniform on [0, 0.04];
 * - skew: negative, flattening with maturity;
 * - liquidity: standardised log volume, N(0, 1);
 * - spread: bid–ask spread in % of price, wider for illiquid and short-dated quotes.
 *
 * @example
 * const rows = pricingRows(10);
 */
export function pricingRows(rows = PRICING_ROWS, seed = PRICING_SEED): number[][] {
  const rng = new Rng(seed);
  const u = (a: number, b: number) => a + (b - a) * rng.nextFloat();
  const round = (x: number, d: number) => Number(x.toFixed(d));
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const price = 100 * Math.exp(0.35 * rng.nextNormal());
    const moneyness = clamp(1 + 0.08 * rng.nextNormal(), 0.7, 1.3);
    const maturity = Math.exp(u(Math.log(0.05), Math.log(2)));
    const smile = 0.6 * (moneyness - 1) ** 2 + 0.05 / Math.sqrt(maturity + 0.1);
    const volatility = clamp(0.22 * Math.exp(0.25 * rng.nextNormal()) + smile, 0.05, 1.2);
    const rate = u(0, 0.05);
    const dividendYield = u(0, 0.04);
    const skew = -0.25 / (1 + maturity) + 0.03 * rng.nextNormal();
    const liquidity = rng.nextNormal();
    const spread = clamp(
      (0.25 * Math.exp(-0.5 * liquidity + 0.2 * rng.nextNormal())) / Math.sqrt(maturity + 0.25),
      0.01,
      5,
    );
    out.push([
      round(price, 2),
      round(moneyness, 4),
      round(maturity, 4),
      round(volatility, 4),
      round(rate, 5),
      round(dividendYield, 5),
      round(skew, 4),
      round(liquidity, 4),
      round(spread, 4),
    ]);
  }
  return out;
}

/**
 * The CSV text: a header `price,moneyness,…,spread` and one line per quote.
 *
 * @example
 * writeFileSync("pricing.csv", pricingCsv());
 */
export function pricingCsv(rows = PRICING_ROWS, seed = PRICING_SEED): string {
  const lines = [["price", ...PRICING_FEATURES].join(",")];
  for (const r of pricingRows(rows, seed)) lines.push(r.map(String).join(","));
  return lines.join("\n") + "\n";
}

/** Paths of the generated files. */
export const PRICING_CSV_PATH = fileURLToPath(new URL("./pricing.csv", import.meta.url));
export const HIDDEN_MODEL_PATH = fileURLToPath(new URL("../hidden.keras", import.meta.url));

async function main(): Promise<void> {
  writeFileSync(PRICING_CSV_PATH, pricingCsv());
  console.log(`wrote ${PRICING_CSV_PATH} (${PRICING_ROWS} rows)`);
  const hidden = mlpHiddenModel();
  const bytes = await hidden.save(HIDDEN_MODEL_PATH);
  console.log(`wrote ${HIDDEN_MODEL_PATH} (${bytes.length} bytes)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
