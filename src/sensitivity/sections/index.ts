/**
 * The sections of `analyze`, in the order of their keys in the result (and of their work).
 * Adding a method: a new module beside these that exports a `Section`, its key in
 * `SensitivityResult` (schema.ts), and one line here.
 */
import { register, type SectionEntry } from "../section.js";
import { attributionSection } from "./attribution/section.js";
import { constraintsSection } from "./constraints/section.js";
import { dgsmSection } from "./dgsm/section.js";
import { effectsSection } from "./effects/section.js";
import { interactionsSection } from "./interactions/section.js";
import { perSampleSection } from "./perSample/section.js";
import { sobolSection } from "./sobol/section.js";
import { summarySection } from "./summary/section.js";
import { verificationSection } from "./verification/section.js";
import { whatifSection } from "./whatif/section.js";

export const SECTIONS: readonly SectionEntry[] = [
  register(perSampleSection),
  register(summarySection),
  register(attributionSection),
  register(dgsmSection),
  register(verificationSection),
  register(whatifSection),
  register(interactionsSection),
  register(effectsSection),
  register(sobolSection),
  register(constraintsSection),
];
