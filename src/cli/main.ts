/**
 * The `gradlens` command line: argv → one command → exit code. Thin on purpose: commands parse
 * options and call the library (io, sensitivity, report); no math lives here.
 *
 *   gradlens inspect | predict | derivatives | analyze | check | whatif | report | demo
 *
 * Run as `gradlens …` (bin/gradlens.mjs → dist/cli/main.js) or, in a checkout,
 * `npx tsx src/cli/main.ts …`. Tests call `main(argv, io)` in-process.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { GRADLENS_VERSION } from "../sensitivity/result/version.js";
import { analyzeCommand } from "./commands/analyze.js";
import { DEMO_FILES } from "./commands/demo.js";
import { checkCommand } from "./commands/check.js";
import { demoCommand } from "./commands/demo.js";
import { derivativesCommand } from "./commands/derivatives.js";
import { inspectCommand } from "./commands/inspect.js";
import { predictCommand } from "./commands/predict.js";
import { reportCommand } from "./commands/report.js";
import { whatifCommand } from "./commands/whatif.js";
import { didYouMean } from "./data/source.js";
import { EXIT, EXIT_CODES_HELP, toCliError } from "./errors.js";
import { nodeIO, type CliIO } from "./io.js";
import { DEFAULT_TIMEOUT_S, runIsolated } from "./isolate.js";
import { helpText, num, parseCommandArgs, str, type CommandDef } from "./options.js";

/** Every command, in the order `gradlens --help` lists them. */
export const COMMANDS: readonly CommandDef[] = [
  inspectCommand,
  predictCommand,
  derivativesCommand,
  analyzeCommand,
  checkCommand,
  whatifCommand,
  reportCommand,
  demoCommand,
];

/** The top-level help. */
export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `gradlens ${GRADLENS_VERSION} — exact derivatives and sensitivity analysis of Keras-style models`,
    "",
    "Usage: gradlens COMMAND [options]        gradlens COMMAND --help for a command's options",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    "",
    "Start with:",
    "  gradlens demo                                   the pricing example end to end, writes report.html",
    "  gradlens inspect model.keras                    inputs, outputs and layers of a model file",
    "  gradlens analyze model.keras --data data.csv --html report.html",
    "",
    EXIT_CODES_HELP,
    "",
  ].join("\n");
}

function reportError(io: CliIO, command: string | null, e: unknown): number {
  const err = toCliError(e);
  io.stderr(`gradlens${command ? ` ${command}` : ""}: ${err.message}\n${err.hint ? `(${err.hint})\n` : ""}`);
  return err.code;
}

/** Options of `main`. */
export interface MainOptions {
  /**
   * Run commands that take `--timeout` in a worker thread and stop them when the time is up
   * (isolate.ts). The `gradlens` command does; in-process callers (tests) need not.
   */
  isolate?: boolean;
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and resolves to the exit code.
 * Never calls `process.exit`; errors are printed to `io.stderr`.
 *
 * @example
 * const code = await main(["analyze", "model.keras", "--data", "data.csv"], memoryIO());
 */
export async function main(
  argv: readonly string[],
  io: CliIO = nodeIO(),
  opts: MainOptions = {},
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(mainHelp());
    return EXIT.usage;
  }
  if (first === "--help" || first === "-h") {
    io.stdout(mainHelp());
    return EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${GRADLENS_VERSION}\n`);
    return EXIT.ok;
  }
  if (first === "help") {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    io.stdout(cmd ? helpText(cmd) : mainHelp());
    return cmd || rest[0] === undefined ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === first);
  if (!cmd) {
    io.stderr(
      `gradlens: unknown command '${first}'${didYouMean(
        first,
        COMMANDS.map((c) => c.name),
      )}\n` + `(commands: ${COMMANDS.map((c) => c.name).join(", ")}; run 'gradlens --help')\n`,
    );
    return EXIT.usage;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args.values.help) {
      io.stdout(helpText(cmd));
      return EXIT.ok;
    }
    if (cmd.options.some((o) => o.name === "timeout")) {
      const timeout = num(args, "timeout", cmd.name, 0, Infinity, true) ?? DEFAULT_TIMEOUT_S;
      if (opts.isolate) {
        const wrapper = cmd.name === "demo" ? DEMO_FILES.wrapper : (str(args, "wrap") ?? null);
        return await runIsolated(argv, io, timeout, cmd.name, wrapper);
      }
    }
    return await cmd.run(args, io);
  } catch (e) {
    return reportError(io, cmd.name, e);
  }
}

/** Whether this module is the process's entry point (tsx src/cli/main.ts, node dist/cli/main.js). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  // A worker thread (isolate.ts) shares argv with its process: it is never the entry point.
  if (!script || !isMainThread) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2), nodeIO(), { isolate: true });
