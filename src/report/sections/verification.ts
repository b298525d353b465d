/** The verification's views: the finite-difference table, with a passed/FAILED badge in the report. */
import type { SensitivityResult } from "../../sensitivity/result/schema.js";
import { empty, section, tableHtml } from "../blocks.js";
import { verificationTable } from "../tables.js";
import { renderTable } from "../text.js";
import type { SectionView } from "../sectionView.js";

function verificationSection(r: SensitivityResult): string {
  const lead =
    "Autodiff derivatives against central finite differences in float64 on sampled rows. A failure means the " +
    "derivatives (or the model's smoothness at those points) should not be trusted.";
  if (!r.verification)
    return section(
      "verification",
      "Finite-difference verification",
      lead,
      empty("Not run (verify samples 0)."),
    );
  const badge = r.verification.passed
    ? '<span class="badge ok">passed</span>'
    : '<span class="badge bad">FAILED</span>';
  return section(
    "verification",
    "Finite-difference verification",
    `${lead} ${badge}`,
    tableHtml(verificationTable(r.verification)),
  );
}

export const verificationView: SectionView = {
  terminal: (r) => (r.verification ? [renderTable(verificationTable(r.verification))] : []),
  html: verificationSection,
};
