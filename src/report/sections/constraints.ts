/** The shape-constraints view (terminal): one line per declared constraint and output. */
import { constraintsTable } from "../constraintsTable.js";
import type { SectionView } from "../sectionView.js";
import { renderTable } from "../text.js";

export const constraintsView: SectionView = {
  terminal: (r) => (r.constraints ? [renderTable(constraintsTable(r.constraints))] : []),
};
