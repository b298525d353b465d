/**
 * Lists the public exports whose TSDoc has no `@example` tag.
 *
 * Why: the style bar (docs/STYLE.md, shared) asks for an `@example` on every public export, and by
 * hand that drifts — 102 exports had none when this was written. test/docs.test.ts runs
 * `findMissingExamples` and fails while the list is not empty.
 *
 * "Public" means reachable from the package entry points (src/index.ts for `gradlens`, and the
 * subpaths of package.json's "exports": `gradlens/testing`, `gradlens/cli`, …), following re-exports and `export * as ns`
 * namespaces (`layers`, `initializers`, `activations`, `random`) down to their members. Members of
 * classes and interfaces are not checked; their owner's example covers them.
 *
 *   node scripts/check-tsdoc.cjs   # prints "file:line name" per export; exit code 1 if any
 */
"use strict";
// CommonJS so plain `node` runs it and the test can require() it, without a build step; the repo's
// lint config is written for ES modules, hence these two lines.
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require("node:path");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..");
// Every entry point of package.json's "exports" (dist/x.js is compiled from src/x.ts).
const ENTRY_POINTS = Object.values(require("../package.json").exports)
  .filter((e) => typeof e === "object" && typeof e.default === "string" && e.default.startsWith("./dist/"))
  .map((e) => e.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));

// Only declarations and their JSDoc are read, never types, so the default libraries and @types are
// skipped (noLib, types: []): that halves the time, which matters as this runs in the test suite.
const COMPILER_OPTIONS = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noLib: true,
  types: [],
  noEmit: true,
};

/** Whether a declaration carries an `@example` tag. */
function hasExample(decl) {
  const tags = [...ts.getJSDocTags(decl)];
  // `export const x = …` documents the statement, two parents up from the declaration.
  if (ts.isVariableDeclaration(decl) && decl.parent && decl.parent.parent)
    tags.push(...ts.getJSDocTags(decl.parent.parent));
  return tags.some((t) => t.tagName.text === "example");
}

/**
 * Public exports without `@example`, as `{ name, file, line }` sorted by file and line. `name` is
 * the path from the entry point (`initializers.serialize`); `file` is relative to the repo root.
 */
function findMissingExamples(root = ROOT) {
  const entries = ENTRY_POINTS.map((e) => path.join(root, e));
  const program = ts.createProgram(entries, COMPILER_OPTIONS);
  const checker = program.getTypeChecker();
  const seen = new Set();
  const missing = [];

  const visit = (symbol, name) => {
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    // One symbol exported under two names is reported once, under the first name met.
    if (seen.has(symbol)) return;
    seen.add(symbol);
    const decls = symbol.declarations ?? [];
    if (decls.length === 0) return;
    const file = decls[0].getSourceFile().fileName;
    if (file.includes("/node_modules/")) return;
    if (symbol.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
      for (const e of checker.getExportsOfModule(symbol)) visit(e, `${name}.${e.name}`);
      return;
    }
    // Overloads and merged declarations: the example may sit on any of them.
    if (decls.some(hasExample)) return;
    const sf = decls[0].getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(decls[0].getStart()).line + 1;
    missing.push({ name, file: path.relative(root, file), line });
  };

  for (const entry of entries) {
    const sf = program.getSourceFile(entry);
    if (!sf) throw new Error(`check-tsdoc: cannot read entry point ${entry}`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    for (const e of checker.getExportsOfModule(moduleSymbol)) visit(e, e.name);
  }
  return missing.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** One line per export, `file:line name`, the form editors and terminals link. */
const formatMissing = (missing) => missing.map((m) => `${m.file}:${m.line} ${m.name}`).join("\n");

module.exports = { findMissingExamples, formatMissing };

if (require.main === module) {
  const missing = findMissingExamples();
  if (missing.length === 0) console.log("Every public export has an @example.");
  else {
    console.log(`${missing.length} public export(s) without an @example:`);
    console.log(formatMissing(missing));
    process.exitCode = 1;
  }
}
