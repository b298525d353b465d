/**
 * The sections of `analyze`, in the order of their keys in the result (and of their work).
 * Adding a method: a new module beside these that exports a `Section`, its key in
 * `SensitivityResult` (schema.ts), and one line here.
 */
import { register, type SectionEntry } from "../section.js";
import { attributionSection } from "./attribution.js";
import { dgsmSection } from "./dgsm.js";
import { perSampleSection } from "./perSample.js";
import { summarySection } from "./summary.js";
import { verificationSection } from "./verification.js";
import { whatifSection } from "./whatif.js";

export const SECTIONS: readonly SectionEntry[] = [
  register(perSampleSection),
  register(summarySection),
  register(attributionSection),
  register(dgsmSection),
  register(verificationSection),
  register(whatifSection),
];
