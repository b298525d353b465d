/**
 * The command line as a library, exported as `gradlens/cli`: run any `gradlens` command with your
 * own output streams (the shipped examples use it to run the demo from an installed package).
 *
 * @example
 * import { main } from "gradlens/cli";
 * process.exitCode = await main(["inspect", "model.keras"]);
 */
export { main } from "./main.js";
export { runDemo } from "./commands/demo.js";
export type { AnalyzeRun } from "./commands/analyze.js";
export { nodeIO, type CliIO } from "./io.js";
