/**
 * Output files of a run: checked before any work is done, written atomically after it.
 *
 * - An output path that resolves to an input of the run (data, `.npy` inputs, model, TF.js weight
 *   shards, wrapper, saved result) or to another output of the same run is refused (exit 2).
 *   Paths are compared by real path (symbolic links resolved) and, for existing files, by device
 *   and inode, so hard links and `./a` vs `a` cannot slip through. An output that is a device or
 *   pipe (`/dev/null`, `/dev/stdout`, a FIFO) is not checked: it is written into, never replaced.
 * - `-` is standard output for every text output; binary outputs (`.npy`) and a second output to
 *   standard output are refused (exit 2). Empty names and folder names are refused (exit 2).
 * - Every file is written to a temporary file in its folder and renamed on success
 *   (`writeFileAtomic`): a failed write (exit 6) leaves the previous file as it was. Devices and
 *   pipes are written into directly.
 */
import { mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { formatFromPath, type FrameFormat } from "../report/writers.js";
import { writeFileAtomic } from "../report/write.js";
import { outputError, usageError } from "./errors.js";
import type { CliIO } from "./io.js";

/** An output of a run as the user named it. */
export interface OutputSpec {
  /** The option that names it (`--json`, `--html`, `--out`). */
  option: string;
  file: string;
  /** Whether the output is binary (`.npy`), which cannot go to standard output. */
  binary?: boolean;
}

/** A file the run reads. */
export interface InputFile {
  /** What it is, for messages: "data file", "model file", "wrapper module", … */
  what: string;
  file: string;
}

interface Identity {
  /** The real path (symbolic links resolved; for a missing file, its folder's real path + name). */
  real: string;
  /** `dev:ino` of an existing file. */
  node: string | null;
}

/** The real path of `path`, resolving what exists of it (a missing tail is kept as given). */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPathOf(parent), basename(path));
  }
}

function identity(cwd: string, file: string): Identity {
  const path = resolve(cwd, file);
  let node: string | null = null;
  try {
    const st = statSync(path);
    node = `${st.dev}:${st.ino}`;
  } catch {
    // Not there yet.
  }
  return { real: realPathOf(path), node };
}

const same = (a: Identity, b: Identity) => a.real === b.real || (a.node !== null && a.node === b.node);

/**
 * Refuses (usage error, exit 2) outputs that would destroy an input or another output of the
 * run, `-` where standard output cannot take the output (binary, or taken already), empty names
 * and folders. Call it before the run does any work.
 *
 * @example
 * checkOutputs(io.cwd, [{ option: "--out", file: "d.csv" }], [{ what: "data file", file: "d.csv" }], "predict");
 * // throws: --out d.csv is the data file d.csv; refusing to overwrite an input
 */
export function checkOutputs(
  cwd: string,
  outputs: readonly OutputSpec[],
  inputs: readonly InputFile[],
  command: string,
): void {
  let toStdout: OutputSpec | null = null;
  const files: { spec: OutputSpec; id: Identity }[] = [];
  for (const o of outputs) {
    if (o.file.trim() === "")
      throw usageError(`${o.option} needs a file name (or - for standard output), got ''`, command);
    if (o.file === "-") {
      if (o.binary)
        throw usageError(
          `${o.option} -: binary (.npy) output cannot go to standard output; give a file name`,
          command,
        );
      if (toStdout)
        throw usageError(
          `${toStdout.option} and ${o.option} both write to standard output (-); send one of them to a file`,
          command,
        );
      toStdout = o;
      continue;
    }
    if (/[/\\]$/.test(o.file) || isDirectory(resolve(cwd, o.file)))
      throw usageError(`${o.option} ${o.file} is a folder; give a file name`, command);
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written into, not replaced: it cannot
    // destroy an input, and two outputs may share it (`--json /dev/null --html /dev/null`).
    if (isSpecial(resolve(cwd, o.file))) continue;
    const id = identity(cwd, o.file);
    for (const i of inputs) {
      if (same(id, identity(cwd, i.file)))
        throw usageError(
          `${o.option} ${o.file} is the ${i.what} ${i.file}; refusing to overwrite an input (choose another output file)`,
          command,
        );
    }
    const other = files.find((f) => same(f.id, id));
    if (other)
      throw usageError(
        `${other.spec.option} ${other.spec.file} and ${o.option} ${o.file} are the same file; give each output its own file`,
        command,
      );
    files.push({ spec: o, id });
  }
}

/** Whether `path` exists and is neither a regular file nor a folder (a device, FIFO or socket). */
function isSpecial(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The frame format an `--out` path asks for by extension (`-` is CSV on standard output); an
 * unknown extension is a usage error (exit 2).
 *
 * @example
 * outputFormat("preds.npy", "--out", "predict"); // "npy"
 */
export function outputFormat(file: string, option: string, command: string): FrameFormat {
  if (file === "-") return "csv";
  if (file.trim() === "")
    throw usageError(`${option} needs a file name (or - for standard output), got ''`, command);
  if (/[/\\]$/.test(file)) throw usageError(`${option} ${file} is a folder; give a file name`, command);
  try {
    return formatFromPath(file);
  } catch {
    throw usageError(
      `${option} ${file}: cannot tell the output format from the extension; use .csv, .tsv, .json or .npy`,
      command,
    );
  }
}

const decoded = (p: string) => {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

/**
 * The files a model file stands for: the file itself and, for a TF.js `model.json`, the weight
 * shards its manifest names (resolved next to it). Unreadable or odd manifests add nothing: the
 * loader has accepted or refused the file already.
 *
 * @example
 * modelInputFiles("tfjs/model.json", process.cwd()); // [model.json, tfjs/group1-shard1of1.bin]
 */
export function modelInputFiles(modelFile: string, cwd: string): InputFile[] {
  const out: InputFile[] = [{ what: "model file", file: modelFile }];
  if (!/\.json$/i.test(modelFile)) return out;
  try {
    const raw = JSON.parse(readFileSync(resolve(cwd, modelFile), "utf8")) as unknown;
    const manifest = (raw as { weightsManifest?: unknown } | null)?.weightsManifest;
    if (!Array.isArray(manifest)) return out;
    for (const group of manifest) {
      const paths = (group as { paths?: unknown } | null)?.paths;
      if (!Array.isArray(paths)) continue;
      for (const p of paths) {
        if (typeof p !== "string") continue;
        for (const name of new Set([p, decoded(p)]))
          out.push({ what: "weights file", file: join(dirname(modelFile), name) });
      }
    }
  } catch {
    // Not JSON, or not a manifest we can read: the file itself is the input.
  }
  return out;
}

/**
 * Writes an output (text or bytes) to `file` atomically, or to standard output for `-`. A failed
 * write is an output error (exit 6) that leaves any previous file untouched.
 *
 * @example
 * await writeOutput(io, "out/result.json", JSON.stringify(result));
 */
export async function writeOutput(io: CliIO, file: string, body: string | Uint8Array): Promise<void> {
  if (file === "-") {
    if (typeof body !== "string")
      throw outputError("binary (.npy) output needs a file path, not '-' (standard output)");
    io.stdout(body);
    return;
  }
  try {
    await writeFileAtomic(resolve(io.cwd, file), body);
  } catch (e) {
    throw outputError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/**
 * The files `--csv DIR` may write, as outputs to check before the run (an input of the run named
 * like one of them, in DIR, is refused). DIR must be a folder or not exist yet; `-` and an
 * existing file are usage errors (exit 2).
 *
 * @example
 * csvOutputs(io.cwd, "tables", ["ranking", "dgsm"], "analyze"); // [{ option: "--csv", file: "tables/ranking.csv" }, …]
 */
export function csvOutputs(
  cwd: string,
  dir: string,
  names: readonly string[],
  command: string,
): OutputSpec[] {
  if (dir.trim() === "" || dir === "-")
    throw usageError(`--csv needs a folder to write the tables into, got '${dir}'`, command);
  const path = resolve(cwd, dir);
  let exists = false;
  try {
    exists = statSync(path) !== null;
  } catch {
    // Created when the tables are written.
  }
  if (exists && !isDirectory(path))
    throw usageError(`--csv ${dir} is a file, not a folder; give a folder for the CSV tables`, command);
  return names.map((n) => ({ option: "--csv", file: join(dir, `${n}.csv`) }));
}

/**
 * Writes CSV tables into `dir` (created if missing), each atomically; a folder that cannot be
 * made or a file that cannot be written is an output error (exit 6).
 *
 * @example
 * await writeCsvTables(io, "tables", [{ name: "ranking", text: "output,feature\n" }]); // ["tables/ranking.csv"]
 */
export async function writeCsvTables(
  io: CliIO,
  dir: string,
  tables: readonly { name: string; text: string }[],
): Promise<string[]> {
  try {
    mkdirSync(resolve(io.cwd, dir), { recursive: true });
  } catch (e) {
    throw outputError(`cannot create the --csv folder ${dir}: ${(e as Error).message}`);
  }
  const written: string[] = [];
  for (const t of tables) {
    const file = join(dir, `${t.name}.csv`);
    await writeOutput(io, file, t.text);
    written.push(file);
  }
  return written;
}
