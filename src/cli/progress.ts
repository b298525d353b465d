/**
 * A one-line progress bar on stderr for long runs: stage, bar, percentage, rows and elapsed
 * time, redrawn at most every 100 ms. Silent when stderr is not a terminal or with --quiet, so
 * logs and pipes never see control characters.
 */
import { toCliError } from "./errors.js";
import type { CliIO } from "./io.js";

/** A progress report: `done` of `total` units of `stage` (the sensitivity stages, or a command's own). */
export interface Progress {
  stage: string;
  done: number;
  total: number;
}

/** A progress reporter: pass `update` as `onProgress`, call `finish` when done (clears the line). */
export interface ProgressBar {
  update(p: Progress): void;
  finish(): void;
  /** Whether anything is drawn at all. */
  readonly active: boolean;
}

const STAGE_UNITS: Record<string, string> = {
  derivatives: "rows",
  attribution: "samples",
  verification: "rows",
  whatif: "rows",
  predict: "rows",
  effects: "features",
};

/**
 * The bar's text for one progress report (without the carriage return).
 *
 * @example
 * progressLine({ stage: "derivatives", done: 2000, total: 4000 }, 1500, 20);
 * // "derivatives  [##########··········]  50%  2000/4000 rows  1.5 s"
 */
export function progressLine(p: Progress, elapsedMs: number, barWidth = 24): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(frac * barWidth);
  const bar = "#".repeat(filled) + "·".repeat(barWidth - filled);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `${p.stage.padEnd(12)} [${bar}] ${pct}  ${p.done}/${p.total} ${STAGE_UNITS[p.stage] ?? ""}  ${(elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * A progress bar on `io.stderr`, inactive (no output at all) unless stderr is a TTY and not quiet.
 *
 * @example
 * const bar = createProgressBar(io, { quiet: false });
 * analyze(target, data, { onProgress: bar.update });
 * bar.finish();
 */
export function createProgressBar(io: CliIO, opts: { quiet: boolean }): ProgressBar {
  const active = io.stderrIsTTY && !opts.quiet;
  const start = io.now();
  let last = -Infinity;
  let drawn = false;
  const width = Math.max(10, Math.min(30, (io.columns ?? 80) - 50));
  return {
    active,
    update(p) {
      if (!active) return;
      const t = io.now();
      if (t - last < 100 && p.done < p.total) return;
      last = t;
      io.stderr(`\r\x1b[2K${progressLine(p, t - start, width)}`);
      drawn = true;
    },
    finish() {
      if (active && drawn) io.stderr("\r\x1b[2K");
      drawn = false;
    },
  };
}

/**
 * Runs one long computation with a progress bar: `run` gets the `onProgress` callback; the bar is
 * cleared however `run` ends, and library errors become CLI errors (with their exit codes).
 *
 * @example
 * const v = withProgress(io, quiet, (onProgress) => verifyDerivatives(target, data, { onProgress }));
 */
export function withProgress<T>(io: CliIO, quiet: boolean, run: (onProgress: (p: Progress) => void) => T): T {
  const bar = createProgressBar(io, { quiet });
  try {
    return run(bar.update);
  } catch (e) {
    throw toCliError(e);
  } finally {
    bar.finish();
  }
}
