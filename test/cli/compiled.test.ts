/**
 * The published executable: `node <out>/cli.js`, compiled JavaScript only (no ts-node).
 *
 * Decision (documented in docs/cli.md): the test compiles the CLI's module graph (src/cli/main.ts
 * and every module it imports or lazily requires) with TypeScript's per-file emit
 * (`transpileModule`, the same JavaScript tsc emits for these files, ~1.5 s) into a temporary
 * folder, then runs the real scripts/write-cli-shim.js on it. A full `tsc -p tsconfig.build.json`
 * takes ~6 s alone and ~19 s next to the other suites, over the suite's time budget; lib/ is not
 * used because it may be stale. Type errors are `npm run typecheck`'s job.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseManifests } from '../../src/testing/semdiff';
import { expectContains } from '../support';
import { caseArgs, registeredCases } from './support';

const ROOT = path.join(__dirname, '..', '..');
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-build-'));

/** Emits `entry` and every relative module it imports or requires, like tsc would (layout of lib/). */
function compileModuleGraph(entry: string, outDir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
  const options: ts.CompilerOptions = { ...config.options, declaration: false };
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), ref.fileName);
      const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (found) todo.push(found);
    }
    const js = ts.transpileModule(text, { compilerOptions: options, fileName: file }).outputText;
    const dest = path.join(outDir, path.relative(ROOT, file).replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, js);
  }
  return [...seen];
}

beforeAll(() => {
  const compiled = compileModuleGraph(path.join(ROOT, 'src', 'cli', 'main.ts'), OUT);
  if (compiled.length < 10) throw new Error(`only ${compiled.length} modules found from src/cli/main.ts`);
  const shim = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'write-cli-shim.js'), OUT], { cwd: ROOT, encoding: 'utf8' });
  if (shim.status !== 0) throw new Error(`write-cli-shim failed: ${shim.stderr}`);
  // The compiled package resolves its dependencies from the repository's node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(OUT, 'node_modules'), 'dir');
}, 30_000);

test('node <build>/cli.js renders every registered chart, and fails with exit code 2 and empty stdout', () => {
  const cliJs = path.join(OUT, 'cli.js');
  expect(fs.readFileSync(cliJs, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(fs.statSync(cliJs).mode & 0o111).toBe(0o111);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.bin).toEqual({ 'cdk8s-llm-d': 'lib/cli.js' });
  expect(pkg.files).toContain('lib/cli.js');

  // One case per chart of the reference cases (registeredCases throws naming any chart missing from the CLI).
  const cases = registeredCases();
  for (const chart of new Set(cases.map((x) => x.chart))) {
    const c = cases.find((x) => x.chart === chart)!;
    const r = spawnSync(process.execPath, [cliJs, 'render', chart, ...caseArgs(c)], { cwd: c.dir, encoding: 'utf8' });
    expect({ chart, status: r.status, stderr: r.stderr }).toEqual({ chart, status: 0, stderr: '' });
    expectContains(c.ref.expectedText, parseManifests(r.stdout) as Record<string, unknown>[]);
  }

  const bad = spawnSync(process.execPath, [cliJs, 'render', 'furiosa-modelservice', '--release', 'ms', '--set', 'decode.replicas=x'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toContain('[--set decode.replicas=x] decode.replicas: value "x" is not allowed; allowed: an integer');

  const help = spawnSync(process.execPath, [cliJs, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Exit codes:');
}, 30_000);
