/**
 * Command definitions (options, help text, examples) and argv parsing with `node:util`'s
 * `parseArgs`, plus the value parsers every command shares. A bad value is a usage error (exit 2)
 * that names the option and what was expected.
 */
import { parseArgs } from "node:util";
import { EXIT_CODES_HELP, usageError } from "./errors.js";
import type { CliIO } from "./io.js";

/** One option of a command. */
export interface OptionDef {
  name: string;
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in help, e.g. "FILE". */
  arg?: string;
  /**
   * A string option whose value may be left out (`--effects` alone is `""`). The value is taken
   * from `--name=VALUE`, or from the next token when it is not an option and the positional
   * arguments are already complete (so `--effects model.keras` keeps the model positional).
   */
  optionalValue?: boolean;
  help: string;
}

/** A command: what it does, its arguments and options, examples, and how to run it. */
export interface CommandDef {
  name: string;
  summary: string;
  usage: string;
  /** Paragraphs shown after the usage line. */
  description: string[];
  options: OptionDef[];
  examples: string[];
  /** Positional arguments: [min, max]. */
  positionals: [number, number];
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Parsed option values by name, and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export const HELP_OPTION: OptionDef = { name: "help", short: "h", type: "boolean", help: "show this help" };
export const QUIET_OPTION: OptionDef = {
  name: "quiet",
  short: "q",
  type: "boolean",
  help: "no progress bar and no notes on stderr (the progress bar is also off when stderr is not a terminal)",
};

/** `--timeout SECONDS` of every command that runs user code or an analysis (see isolate.ts). */
export const TIMEOUT_OPTION: OptionDef = {
  name: "timeout",
  type: "string",
  arg: "SECONDS",
  help:
    "stop the run after this many seconds (default 3600): exit 5 if the wrapper was running, else 1. " +
    "Enforced by the gradlens command (the run happens in a worker thread)",
};

/** Options of every command that reads a model and data. */
export const TARGET_OPTIONS: OptionDef[] = [
  {
    name: "data",
    short: "d",
    type: "string",
    arg: "FILE",
    help: "data: .csv/.tsv (header row), .json (named arrays or rows), .npy",
  },
  {
    name: "input",
    short: "i",
    type: "string",
    multiple: true,
    arg: "NAME=SPEC",
    help:
      "give input NAME its data: a column (price=px), a range in header order (features=a..h), a comma list " +
      "(x=a,b,e..g), a JSON array name, or a .npy file (features=X.npy). Repeatable. Unmapped inputs take the " +
      "column of the same name; a single remaining input takes every numeric column left",
  },
  {
    name: "wrap",
    short: "w",
    type: "string",
    arg: "FILE.mjs",
    help: "wrapper module: export default (model, inputs) => tensor, plus optional inputNames/outputNames",
  },
  { name: "delimiter", type: "string", arg: "CHAR", help: "CSV delimiter (default ',' or tab for .tsv)" },
  {
    name: "allow-nonfinite",
    type: "boolean",
    help: "keep NaN/inf data cells (refused by default, naming file, line and column) and count their rows",
  },
  {
    name: "wrt",
    type: "string",
    arg: "LIST",
    help: "inputs to differentiate, comma-separated (default all)",
  },
  { name: "batch-size", type: "string", arg: "N", help: "rows per batch (default 1024); bounds memory" },
  { name: "seed", type: "string", arg: "N", help: "seed of every random choice (default 0)" },
  TIMEOUT_OPTION,
];

/** The help text of a command. */
export function helpText(def: CommandDef): string {
  const flag = (o: OptionDef) =>
    `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.arg ? (o.optionalValue ? ` [${o.arg}]` : ` ${o.arg}`) : ""}${o.multiple ? " …" : ""}`;
  const width = Math.min(34, Math.max(...def.options.map((o) => flag(o).length)) + 2);
  const wrap = (text: string, indent: number) => {
    const words = text.split(" ");
    const lines: string[] = [];
    let line = "";
    for (const w of words) {
      if (line.length + w.length + 1 > 100 - indent && line !== "") {
        lines.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    lines.push(line);
    return lines.join(`\n${" ".repeat(indent)}`);
  };
  const opts = def.options.map((o) => {
    const f = flag(o);
    return f.length + 2 > width
      ? `  ${f}\n${" ".repeat(width + 2)}${wrap(o.help, width + 2)}`
      : `  ${f.padEnd(width)}${wrap(o.help, width + 2)}`;
  });
  return [
    `gradlens ${def.name} — ${def.summary}`,
    "",
    `Usage: ${def.usage}`,
    "",
    ...def.description.flatMap((p) => [wrap(p, 0), ""]),
    "Options:",
    ...opts,
    "",
    "Examples:",
    ...def.examples.map((e) => `  ${e}`),
    "",
    EXIT_CODES_HELP,
    "",
  ].join("\n");
}

/**
 * Parses a command's argv (strict: unknown options are usage errors naming the option).
 *
 * @example
 * const { values, positionals } = parseCommandArgs(analyzeCommand, ["model.keras", "--data", "x.csv"]);
 */
export function parseCommandArgs(def: CommandDef, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {};
  for (const o of def.options)
    options[o.name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  let parsed;
  try {
    parsed = parseArgs({
      args: withOptionalValues(def, argv),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw usageError((e as Error).message.replace(/\. To specify a positional.*$/s, ""), def.name);
  }
  const values = parsed.values as ParsedArgs["values"];
  if (values.help) return { values, positionals: parsed.positionals };
  const [min, max] = def.positionals;
  if (parsed.positionals.length < min) throw usageError(`missing argument (usage: ${def.usage})`, def.name);
  if (parsed.positionals.length > max)
    throw usageError(`unexpected argument '${parsed.positionals[max]}' (usage: ${def.usage})`, def.name);
  return { values, positionals: parsed.positionals };
}

/** argv with every optional-value option written `--name=VALUE` (`--name=` when left out). */
function withOptionalValues(def: CommandDef, argv: readonly string[]): string[] {
  const optional = new Set(def.options.filter((o) => o.optionalValue).map((o) => o.name));
  if (optional.size === 0) return [...argv];
  const takesValue = new Set(
    def.options
      .filter((o) => o.type === "string" && !o.optionalValue)
      .flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]),
  );
  const out: string[] = [];
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith("--") && optional.has(a.slice(2))) {
      const next = argv[i + 1];
      const take = next !== undefined && !next.startsWith("-") && positionals >= def.positionals[1];
      out.push(`${a}=${take ? next : ""}`);
      if (take) i++;
      continue;
    }
    out.push(a);
    if (takesValue.has(a) && i + 1 < argv.length) out.push(argv[++i]);
    else if (!a.startsWith("-")) positionals++;
  }
  return out;
}

/** A string option's value, or undefined. */
export const str = (a: ParsedArgs, name: string): string | undefined => {
  const v = a.values[name];
  return typeof v === "string" ? v : undefined;
};

/** A repeatable option's values. */
export const list = (a: ParsedArgs, name: string): string[] => {
  const v = a.values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
};

/** A boolean flag. */
export const flag = (a: ParsedArgs, name: string): boolean => a.values[name] === true;

/**
 * An integer option ≥ `min`, or undefined when absent.
 *
 * @example
 * int(args, "batch-size", "analyze", 1); // 1024 for --batch-size 1024
 */
export function int(a: ParsedArgs, name: string, command: string, min = 0): number | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min)
    throw usageError(`--${name} must be an integer ≥ ${min}, got '${v}'`, command);
  return n;
}

/**
 * A finite number option within [min, max] (or the open interval (min, max) with `exclusive`),
 * or undefined when absent.
 *
 * @example
 * num(args, "confidence", "analyze", 0, 1, true); // 0.95 for --confidence 0.95; '1' is refused
 */
export function num(
  a: ParsedArgs,
  name: string,
  command: string,
  min = -Infinity,
  max = Infinity,
  exclusive = false,
): number | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const outside = exclusive ? n <= min || n >= max : n < min || n > max;
  if (v.trim() === "" || !Number.isFinite(n) || outside) {
    const [lo, hi] = exclusive ? [">", "<"] : ["≥", "≤"];
    throw usageError(
      `--${name} must be a number${min > -Infinity ? ` ${lo} ${min}` : ""}${max < Infinity ? `${min > -Infinity ? " and" : ""} ${hi} ${max}` : ""}, got '${v}'`,
      command,
    );
  }
  return n;
}

/**
 * A row option: a count (`10`) or a comma list of 0-based row indices (`0,5,17`).
 *
 * @example
 * rowsOption(args, "verify-samples", "analyze"); // 10, or [0, 5, 17]
 */
export function rowsOption(a: ParsedArgs, name: string, command: string): number | number[] | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v);
  const parts = v.split(",").map((s) => s.trim());
  if (parts.length > 0 && parts.every((s) => /^\d+$/.test(s))) return parts.map(Number);
  throw usageError(
    `--${name} must be a count (10) or a comma list of row indices (0,5,17), got '${v}'`,
    command,
  );
}

/**
 * Refuses (exit 2) a row list with an index past the data's `n` rows.
 *
 * @example
 * checkRowIndices([0, 50], 40, "rows", "check"); // throws: --rows: row 50 is out of range (40 rows: 0…39)
 */
export function checkRowIndices(
  rows: number | number[] | undefined,
  n: number,
  name: string,
  command: string,
): void {
  if (!Array.isArray(rows)) return;
  const bad = rows.find((r) => !Number.isSafeInteger(r) || r >= n);
  if (bad !== undefined)
    throw usageError(
      `--${name}: row ${bad} is out of range (the data has ${n} rows${n > 0 ? `: 0…${n - 1}` : ""})`,
      command,
    );
}

/** A comma list option split and trimmed, or undefined. */
export function names(a: ParsedArgs, name: string): string[] | undefined {
  const v = str(a, name);
  return v === undefined
    ? undefined
    : v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}
