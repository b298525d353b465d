/**
 * The steps every model-and-data command shares: load the model (and wrapper), read and map
 * the data, describe what was mapped on stderr, and write output files (or stdout for `-`).
 */
import { GradlensError } from "../core/errors.js";
import { array } from "../ops/creation.js";
import type { Tensor } from "../prims/tensor.js";
import { forEachBatch } from "../sensitivity/engine/rows.js";
import { invokeTarget, type Target } from "../sensitivity/engine/target.js";
import { mapInputs, parseInputSpecs, wantedColumns, type MappedData } from "./data/mapping.js";
import { readDataSource } from "./data/read.js";
import { didYouMean, listNames, type DataSource } from "./data/source.js";
import { dataError, usageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { flag, int, list, names, str, type ParsedArgs } from "./options.js";
import { checkOutputs, modelInputFiles, writeOutput, type InputFile, type OutputSpec } from "./outputs.js";
import type { ShockableInput } from "./shocks.js";
import { loadTarget, WrapperComputeError, type LoadedTarget } from "./target.js";

export { writeOutput };

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

/** Refuses (exit 2) a column or feature that two --input items (or one item twice) feed. */
function checkDuplicateFeatures(mapped: MappedData, command: string): void {
  const seen = new Map<string, string>();
  for (const [input, feats] of Object.entries(mapped.featureNames))
    for (const f of feats) {
      const other = seen.get(f);
      if (other !== undefined)
        throw usageError(
          other === input
            ? `--input ${input}: column '${f}' is listed twice`
            : `--input: column '${f}' is given to both '${other}' and '${input}'`,
          command,
        );
      seen.set(f, input);
    }
}

/**
 * Refuses (exit 3) a feature none of whose rows holds a finite number (a column of NaN): no
 * derivative statistic can be computed from it, and the analysis would fail deep inside.
 */
function checkFiniteFeatures(
  mapped: MappedData,
  shockable: readonly ShockableInput[],
  source: DataSource | null,
): void {
  if (mapped.n === 0) return;
  // Non-finite cells are refused unless --allow-nonfinite: only then can a feature lack a finite value.
  if (mapped.data.nonFinite?.values === 0) return;
  const finite = shockable.map((input) => new Uint8Array(input.size));
  forEachBatch(mapped.data, (arrays, _start, count) =>
    shockable.forEach((input, i) => {
      const a = arrays[i];
      for (let j = 0; j < input.size; j++)
        for (let r = 0; r < count && finite[i][j] === 0; r++)
          if (Number.isFinite(a[r * input.size + j])) finite[i][j] = 1;
    }),
  );
  for (const [i, input] of shockable.entries()) {
    for (let j = 0; j < input.size; j++) {
      if (!finite[i][j]) {
        const feature = input.featureNames[j];
        throw dataError(
          `${feature === input.name ? `input '${input.name}'` : `'${feature}' (input '${input.name}')`} has no finite ` +
            `value in any of the ${mapped.n} rows${source ? ` of ${source.file}` : ""}: nothing to analyse`,
        );
      }
    }
  }
}

/** The data's shape as the user gave it, per input: "x [20, 9] (columns a..i)". */
const dataShapes = (mapped: MappedData) =>
  Object.entries(mapped.shapes)
    .map(([name, shape]) => `${name} [${shape.join(", ")}]`)
    .join(", ");

/**
 * Calls the target once on the first rows: a gradlens error there means the data does not fit
 * the model (or the wrapper's use of it), a data error (exit 3) that gives the data's shapes as
 * read, not the internal probe's batch.
 */
function checkDataFits(p: {
  target: Target;
  mapped: MappedData;
  loaded: LoadedTarget;
  source: DataSource | null;
}) {
  const m = Math.min(p.mapped.n, 8);
  if (m === 0) return;
  const first: Record<string, Tensor> = {};
  const arrays = p.mapped.data.range(0, m);
  p.mapped.data.columns.forEach((c, i) => {
    first[c.name] = array(arrays[i], { shape: [m, ...c.shape], dtype: c.dtype });
  });
  try {
    invokeTarget(p.target, first, Object.keys(first));
  } catch (e) {
    const cause = e instanceof WrapperComputeError ? e.error : e instanceof GradlensError ? e : null;
    if (cause === null) throw e;
    const through = p.loaded.wrapper ? ` through the wrapper ${p.loaded.wrapper.file}` : "";
    throw dataError(
      `the data does not fit the model ${p.loaded.modelFile}${through}: ${p.mapped.n} rows${p.source ? ` from ${p.source.file}` : ""} ` +
        `with inputs ${dataShapes(p.mapped)} (${p.mapped.description.join("; ")}); on its first ${m} rows: ${cause.message}`,
    );
  }
}

/**
 * Loads the model (positional 0), the wrapper and the data, maps columns to inputs and notes the
 * mapping on stderr. `outputs` are the run's output files: checked against the inputs (and each
 * other) before any work is done.
 *
 * @example
 * const p = await prepareTarget(args, io, "analyze", [{ option: "--json", file: "r.json" }]);
 * analyze(p.target, p.mapped.data, { featureNames: p.common.featureNames });
 */
export async function prepareTarget(
  args: ParsedArgs,
  io: CliIO,
  command: string,
  outputs: readonly OutputSpec[] = [],
): Promise<Prepared> {
  const quiet = flag(args, "quiet");
  const specs = parseInputSpecs(list(args, "input"), command);
  const batchSize = int(args, "batch-size", command, 1);
  const seed = int(args, "seed", command, 0) ?? 0;
  const wrt = names(args, "wrt");
  const dataFile = str(args, "data");
  const wrapFile = str(args, "wrap");
  const inputs: InputFile[] = [
    ...modelInputFiles(args.positionals[0], io.cwd),
    ...(wrapFile ? [{ what: "wrapper module", file: wrapFile }] : []),
    ...(dataFile ? [{ what: "data file", file: dataFile }] : []),
    ...specs.filter((s) => /\.npy$/i.test(s.spec)).map((s) => ({ what: "data file", file: s.spec })),
  ];
  // Before anything is loaded or run: a refused output costs nothing.
  checkOutputs(io.cwd, outputs, inputs, command);
  const loaded = await loadTarget({
    modelFile: args.positionals[0],
    wrapFile,
    cwd: io.cwd,
    stderr: io.stderr,
  });
  const source = dataFile
    ? readDataSource(dataFile, {
        cwd: io.cwd,
        delimiter: str(args, "delimiter"),
        wanted: (header) => wantedColumns(header, loaded.inputNames, specs),
        // Checked now, read again batch by batch by the analysis: memory does not grow with rows.
        keepValues: false,
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
  const inputNames = Object.keys(mapped.shapes);
  checkDuplicateFeatures(mapped, command);
  for (const w of wrt ?? [])
    if (!inputNames.includes(w))
      throw usageError(
        `--wrt names '${w}', which is not an input (inputs: ${inputNames.join(", ")})${didYouMean(w, inputNames)}`,
        command,
      );
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
    const shape = mapped.shapes[name].slice(1);
    return {
      name,
      size: shape.reduce((a, b) => a * b, 1),
      featureNames: featureNamesOf(
        name,
        shape,
        Object.hasOwn(mapped.featureNames, name) ? mapped.featureNames[name] : undefined,
      ),
    };
  });
  checkDataFits({ target, mapped, loaded, source });
  checkFiniteFeatures(mapped, shockable, source);
  return {
    loaded,
    mapped,
    target,
    // The mapped inputs hold (or re-read) the data; dropping the parsed columns here lets the
    // garbage collector free them before the analysis runs.
    source: source && { ...source, columns: [], arrays: [] },
    common: {
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(wrt ? { wrt } : {}),
      // Feature names only of the inputs that are differentiated (the library refuses others).
      featureNames: Object.fromEntries(
        Object.entries(mapped.featureNames).filter(([name]) => !wrt || wrt.includes(name)),
      ),
    },
    quiet,
    seed,
    shockable,
  };
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
export async function printResult(
  io: CliIO,
  quiet: boolean,
  text: string,
  json: string | undefined,
  value: unknown,
): Promise<void> {
  if (json === "-") note(io, quiet, text);
  else io.stdout(`${text}\n`);
  if (json) await writeOutput(io, json, JSON.stringify(value) + "\n");
}
