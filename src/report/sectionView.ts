/**
 * How a section of the result is shown: its terminal text and its report block. The sensitivity
 * layer's sections (sensitivity/section.ts) produce the JSON; their views live here, as the
 * report may import sensitivity but not the other way round.
 */
import type { SensitivityResult } from "../sensitivity/result/schema.js";
import type { Chart } from "./blocks.js";

/**
 * Options of `formatAnalysis`.
 *
 * @example
 * formatAnalysis(result, { top: 5, components: 1 });
 */
export interface FormatAnalysisOptions {
  /** Features per ranking table (default all). */
  top?: number;
  /** Output components to rank (default the first 4). */
  components?: number;
}

/**
 * A section's views; each is optional (a section may have no terminal table).
 *
 * @example
 * const whatifView: SectionView = {
 *   terminal: (r) => (r.whatif ? [renderTable(whatifTable(r.whatif))] : []),
 *   html: (r) => section("whatif", "What-if scenarios", "", r.whatif ? tableHtml(whatifTable(r.whatif)) : ""),
 * };
 */
export interface SectionView {
  /** Blocks of terminal text (tables, lines), in order; none when the section has nothing to show. */
  terminal?(r: SensitivityResult, opts: FormatAnalysisOptions): string[];
  /** The report block(s); charts it draws are pushed to `charts`. */
  html?(r: SensitivityResult, charts: Chart[]): string;
}
