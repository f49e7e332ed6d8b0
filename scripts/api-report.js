#!/usr/bin/env node
// The API reports of the three entry points (etc/*.api.md), by API Extractor, from the built
// declarations: `npm run api` fails when the public API changed and its report was not updated,
// `npm run api:update` (`--local`) writes the new reports, to review and commit with the change.
//
// API Extractor reads each entry point through a small file this script writes next to the
// declarations (lib/api/<entry>.d.ts): the entry point's values `export { ... }`, everything else
// `export type { ... }`, and without the functions and constants that it exports only as types
// (`export type * from` an area): these are not API, and API Extractor, which does not tell
// type-only exports apart, would list them as `export function` (microsoft/rushstack#4771).
//
// Usage: node scripts/api-report.js [--local]   (after npm run build)
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const { runtimeExportNames } = require('./api-reference.js');

const ROOT = path.resolve(__dirname, '..');

/** Entry points: their declaration file (relative to the declarations folder) and API Extractor config. */
const ENTRIES = [
  { name: 'cdk8s-llm-d', declaration: 'src/index.d.ts', config: 'api-extractor.json' },
  { name: 'cdk8s-llm-d-helm', declaration: 'src/helm/index.d.ts', config: 'api-extractor.helm.json' },
  { name: 'cdk8s-llm-d-testing', declaration: 'src/testing/index.d.ts', config: 'api-extractor.testing.json' },
];

/**
 * Emits the declarations of the entry points (what `npm run build` puts in lib/) into `outDir`,
 * with tsconfig.build.json's options and no incremental state: for the tests, which don't build.
 * A file whose declarations TypeScript can emit on its own (every exported type spelled out, as in
 * the generated imports/) goes through the isolated declaration emit, which needs no type
 * checking; the others through the program. The same declarations, several times faster.
 */
function emitDeclarations(outDir) {
  const configPath = path.join(ROOT, 'tsconfig.build.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  const options = { ...parsed.options, declaration: true, emitDeclarationOnly: true, declarationDir: outDir, noEmit: false, incremental: false };
  delete options.tsBuildInfoFile;
  const roots = ENTRIES.map((e) => path.join(ROOT, e.declaration.replace(/\.d\.ts$/, '.ts')));
  const program = ts.createProgram(roots, options);
  const errors = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    const isolated = ts.transpileDeclaration(file.text, { fileName: file.fileName, compilerOptions: options, reportDiagnostics: true });
    if (isolated.diagnostics.length === 0) {
      const target = path.join(outDir, path.relative(ROOT, file.fileName).replace(/\.ts$/, '.d.ts'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, isolated.outputText);
    } else {
      const result = program.emit(file);
      errors.push(...result.diagnostics.filter((d) => result.emitSkipped || d.category === ts.DiagnosticCategory.Error));
    }
  }
  if (errors.length > 0) throw new Error(`declarations not emitted: ${ts.formatDiagnostics(errors, ts.createCompilerHost(options))}`);
}

/**
 * Writes `<declarations>/api/<name>.d.ts` for every entry point (see the header) and returns their
 * paths. `dropped` receives, per entry point, the names left out (values exported only as types).
 */
function writeApiEntries(declarations, dropped = {}) {
  const files = ENTRIES.map((e) => path.join(declarations, e.declaration));
  const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  return ENTRIES.map((entry, i) => {
    const file = program.getSourceFile(files[i]);
    if (file === undefined) throw new Error(`no ${files[i]}: run npm run build first`);
    const values = runtimeExportNames(ts, checker, file);
    const types = [];
    dropped[entry.name] = [];
    for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(file))) {
      const name = s.getName();
      if (values.has(name)) continue;
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      (target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Namespace) ? types : dropped[entry.name]).push(name);
    }
    const out = path.join(declarations, 'api', `${entry.name}.d.ts`);
    const from = path.relative(path.dirname(out), files[i]).split(path.sep).join('/').replace(/\.d\.ts$/, '');
    const list = (names) => [...names].sort().map((n) => `  ${n},\n`).join('');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `// Written by scripts/api-report.js: the API of ${from}.d.ts for API Extractor.\nexport {\n${list(values)}} from './${from}';\nexport type {\n${list(types)}} from './${from}';\n`);
    return out;
  });
}

/**
 * Runs API Extractor on every entry point. `projectFolder`: the folder whose lib/ holds the
 * declarations (src/index.d.ts, ...): the repository after `npm run build`, or a folder inside it
 * that `emitDeclarations(<folder>/lib)` wrote (API Extractor finds node_modules from there, and
 * the report names files relative to it, so both give the same report). `localBuild`: write changed
 * reports to etc/ instead of failing. Returns one result per entry point: `{ name, succeeded,
 * apiReportChanged, errorCount, warningCount, messages }`, `messages` those of level warning or error.
 */
function runApiExtractor({ projectFolder = ROOT, localBuild = false, quiet = false } = {}) {
  const { CompilerState, Extractor, ExtractorConfig } = require('@microsoft/api-extractor');
  const entries = writeApiEntries(path.join(projectFolder, 'lib'));
  const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const configs = ENTRIES.map((e, i) => {
    const configObjectFullPath = path.join(ROOT, e.config);
    const configObject = ExtractorConfig.loadFile(configObjectFullPath);
    configObject.projectFolder = projectFolder;
    configObject.mainEntryPointFilePath = entries[i];
    configObject.apiReport.reportFolder = path.join(ROOT, 'etc');
    configObject.compiler.tsconfigFilePath = path.join(ROOT, 'tsconfig.build.json');
    // The package is this repository's; its folder, which the report names files relative to, is projectFolder.
    return ExtractorConfig.prepare({ configObject, configObjectFullPath, packageJson, packageJsonFullPath: path.join(projectFolder, 'package.json') });
  });
  const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: entries });
  return configs.map((config, i) => {
    const messages = [];
    const result = Extractor.invoke(config, {
      localBuild,
      compilerState,
      messageCallback: (m) => {
        if (m.logLevel === 'warning' || m.logLevel === 'error') messages.push(`${m.logLevel}: ${m.formatMessageWithLocation(projectFolder)}`);
        if (quiet) m.handled = true;
      },
    });
    return { name: ENTRIES[i].name, succeeded: result.succeeded, apiReportChanged: result.apiReportChanged, errorCount: result.errorCount, warningCount: result.warningCount, messages };
  });
}

module.exports = { ENTRIES, emitDeclarations, writeApiEntries, runApiExtractor };

if (require.main === module) {
  const args = process.argv.slice(2);
  const results = runApiExtractor({ localBuild: args.includes('--local') });
  for (const r of results) {
    const state = r.succeeded ? (r.apiReportChanged ? 'updated' : 'unchanged') : 'FAILED';
    console.log(`${r.name}: API report ${state} (${r.errorCount} errors, ${r.warningCount} warnings)`);
  }
  if (results.some((r) => !r.succeeded)) {
    console.error('The public API changed: review etc/*.api.md, then run npm run api:update and commit the reports with the change.');
    process.exit(1);
  }
}
