/**
 * The steps every model-and-data command shares: load the model (and wrapper), read and map
 * the data, describe what was mapped on stderr, and write output files (or stdout for `-`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Target } from "../sensitivity/target.js";
import { mapInputs, parseInputSpecs, wantedColumns, type MappedData } from "./data/mapping.js";
import { readDataSource } from "./data/read.js";
import { listNames, type DataSource } from "./data/source.js";
import { outputError } from "./errors.js";
import type { CliIO } from "./io.js";
import { flag, int, list, names, str, type ParsedArgs } from "./options.js";
import type { ShockableInput } from "./shocks.js";
import { loadTarget, type LoadedTarget } from "./target.js";

/** A model with its data, ready to analyse. */
export interface Prepared {
  loaded: LoadedTarget;
  mapped: MappedData;
  target: Target;
  /** The data file (name and rows); its columns are released once mapped (see `mapped.data`). */
  source: DataSource | null;
  /** Options every sensitivity entry point takes. */
  common: { batchSize?: number; wrt?: string[]; featureNames: Record<string, string[]> };
  quiet: boolean;
  seed: number;
  /** The inputs as shock targets (names, sizes, feature names). */
  shockable: ShockableInput[];
}

/** A note on stderr (unless --quiet). */
export function note(io: CliIO, quiet: boolean, text: string): void {
  if (!quiet) io.stderr(`${text}\n`);
}

/** Feature names the analysis will use for an input of per-row shape `shape`. */
function featureNamesOf(name: string, shape: readonly number[], given: string[] | undefined): string[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (given) return given;
  if (size === 1) return [name];
  return Array.from({ length: size }, (_, i) => `${name}[${i}]`);
}

/**
 * Loads the model (positional 0), the wrapper and the data, maps columns to inputs and notes the
 * mapping on stderr.
 *
 * @example
 * const p = await prepareTarget(args, io, "analyze");
 * analyze(p.target, p.mapped.data, { featureNames: p.common.featureNames });
 */
export async function prepareTarget(args: ParsedArgs, io: CliIO, command: string): Promise<Prepared> {
  const quiet = flag(args, "quiet");
  const specs = parseInputSpecs(list(args, "input"), command);
  const batchSize = int(args, "batch-size", command, 1);
  const seed = int(args, "seed", command, 0) ?? 0;
  const wrt = names(args, "wrt");
  const loaded = await loadTarget({
    modelFile: args.positionals[0],
    wrapFile: str(args, "wrap"),
    cwd: io.cwd,
  });
  const dataFile = str(args, "data");
  const source = dataFile
    ? readDataSource(dataFile, {
        cwd: io.cwd,
        delimiter: str(args, "delimiter"),
        wanted: (header) => wantedColumns(header, loaded.inputNames, specs),
      })
    : null;
  const allowNonFinite = flag(args, "allow-nonfinite");
  const mapped = mapInputs({
    inputNames: loaded.inputNames,
    source,
    specs,
    cwd: io.cwd,
    declaredShapes: loaded.declaredShapes,
    command,
    allowNonFinite,
  });
  const inputNames = Object.keys(mapped.data);
  const target = loaded.targetFor(inputNames);
  note(
    io,
    quiet,
    `${mapped.n} rows${source ? ` from ${source.file}` : ""}; inputs: ${mapped.description.join("; ")}`,
  );
  if (mapped.unused.length > 0) note(io, quiet, `note: columns not used: ${listNames(mapped.unused)}`);
  if (mapped.textColumns.length > 0)
    note(io, quiet, `note: non-numeric columns left out: ${listNames(mapped.textColumns)}`);
  if (allowNonFinite)
    note(
      io,
      quiet,
      `note: ${mapped.nonFiniteRows} of ${mapped.n} rows carry non-finite values (NaN or ±Inf), kept by --allow-nonfinite`,
    );
  const shockable = inputNames.map((name) => {
    const shape = mapped.data[name].shape.slice(1);
    return {
      name,
      size: shape.reduce((a, b) => a * b, 1),
      featureNames: featureNamesOf(name, shape, mapped.featureNames[name]),
    };
  });
  return {
    loaded,
    mapped,
    target,
    // The mapped inputs hold their own copy of the data; dropping the parsed columns here lets the
    // garbage collector free them before the analysis runs.
    source: source && { ...source, columns: [], arrays: [] },
    common: {
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(wrt ? { wrt } : {}),
      featureNames: mapped.featureNames,
    },
    quiet,
    seed,
    shockable,
  };
}

/**
 * Writes an output (text or bytes) to `file`, or to stdout for `-`; unwritable paths are exit 6.
 *
 * @example
 * writeOutput(io, "out/result.json", JSON.stringify(result));
 */
export function writeOutput(io: CliIO, file: string, body: string | Uint8Array): void {
  if (file === "-") {
    if (typeof body !== "string")
      throw outputError("binary (.npy) output needs a file path, not '-' (stdout)");
    io.stdout(body);
    return;
  }
  const path = resolve(io.cwd, file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  } catch (e) {
    throw outputError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** A short description of the target for headers and reports. */
export function targetLabel(p: Prepared): string {
  return p.loaded.wrapper ? `${p.loaded.wrapper.file} around ${p.loaded.modelFile}` : p.loaded.modelFile;
}

/**
 * Prints a command's result table and writes its JSON: the table goes to stdout, or to stderr when
 * the JSON itself goes to stdout (`--json -`), so the JSON stays parseable.
 *
 * @example
 * printResult(io, p.quiet, renderTable(whatifTable(w)), json, w);
 */
export function printResult(
  io: CliIO,
  quiet: boolean,
  text: string,
  json: string | undefined,
  value: unknown,
): void {
  if (json === "-") note(io, quiet, text);
  else io.stdout(`${text}\n`);
  if (json) writeOutput(io, json, JSON.stringify(value) + "\n");
}
