/**
 * `npm run demo`: the pricing model end to end. Part 1 prints per-sample values and derivatives
 * of the seed model and of the MLP variant, checked against closed forms and finite differences;
 * part 2 runs the sensitivity analysis on examples/pricing/data/pricing.csv (the same as
 * `gradlens demo`) and writes report.html.
 */
import { runPricingDemo } from "./demo.js";

const result = await runPricingDemo({
  print: (l) => console.log(l),
  printErr: (t) => process.stderr.write(t),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  html: "report.html",
});
console.log(
  `\nDemo finished in ${((result.ms.derivatives + result.ms.analysis) / 1000).toFixed(1)} s` +
    (result.code === 0 ? "" : ` with failures (exit ${result.code})`),
);
process.exitCode = result.code;
