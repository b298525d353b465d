/**
 * Compiles test/types/transforms.types.ts with the repo's tsconfig and prints, as JSON:
 * - `diagnostics`: the errors in that file as written (must be none: a type equality that fails,
 *   or a `// @ts-expect-error` with no error under it, is one);
 * - `expected`: the 1-based lines of its `// @ts-expect-error` directives;
 * - `stripped`: the errors once the directives are removed (must be exactly on the lines below them).
 * Run by test/types.test.ts in a child process (the compiler is synchronous and slow); by hand:
 * `node scripts/check-type-tests.cjs`.
 */
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require("node:path");
const fs = require("node:fs");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const file = path.resolve(root, process.argv[2] ?? "test/types/transforms.types.ts");

function project() {
  const configPath = path.resolve(root, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, { noEmit: true }, configPath);
  // Ambient declarations (e.g. src/io/containers/hdf5/jsfive.d.ts) are not imported, so add them as roots.
  return { options: parsed.options, ambient: parsed.fileNames.filter((f) => f.endsWith(".d.ts")) };
}

/** Errors in the type-test file (its text optionally replaced); only that file is checked. */
function diagnose({ options, ambient }, text, oldProgram) {
  const host = ts.createCompilerHost(options);
  if (text !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      path.resolve(name) === file
        ? ts.createSourceFile(name, text, lang)
        : getSourceFile(name, lang, ...rest);
  }
  const program = ts.createProgram({ rootNames: [file, ...ambient], options, host, oldProgram });
  const sf = program.getSourceFile(file);
  const all = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(sf),
    ...program.getSemanticDiagnostics(sf),
  ];
  const diagnostics = all.map((d) => ({
    file: d.file ? path.relative(root, d.file.fileName) : "",
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
  return { program, diagnostics };
}

const config = project();
const first = diagnose(config);
const lines = fs.readFileSync(file, "utf8").split("\n");
const expected = lines.flatMap((l, i) => (/^\s*\/\/ @ts-expect-error/.test(l) ? [i + 2] : []));
const strippedText = lines.map((l) => l.replace(/\/\/ @ts-expect-error.*$/, "//")).join("\n");
const second = diagnose(config, strippedText, first.program);
process.stdout.write(
  JSON.stringify({ diagnostics: first.diagnostics, expected, stripped: second.diagnostics }),
);
