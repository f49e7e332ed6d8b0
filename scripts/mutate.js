#!/usr/bin/env node
// Mutation testing of chosen source files: StrykerJS (stryker.config.mjs) with --mutate set to
// them and jest limited to the test files that exercise them. Slow, so not part of `npm test`.
//
//   npm run mutate -- src/core/user-paths.ts src/testing/semdiff.ts
//   npm run mutate -- 'src/system/*.ts' --tests 'test/system/*.test.ts' --name system
//
// Test files, by default, per mutated file: its own tests, the test/**/*.test.ts named after it
// (`semdiff.ts` → test/core/semdiff.test.ts, test/mutation/semdiff.test.ts). A file without any
// takes every test file that imports it (an import or require specifier that resolves to it,
// package names `cdk8s-llm-d[/helm|/testing]` included), except suites that spawn processes (npm
// pack, the compiled CLI: minutes each). A file that no test imports takes the tests of the
// nearest source files that import it (not through index.ts barrels, which reach every suite; a
// mutated file of the same run with tests of its own stands for the rest). --importers takes the
// importers always: closer to `npm test` but slow (every parity suite imports the comparator).
// Jest's --findRelatedTests then drops the suites that do not load the file, and perTest coverage
// runs each mutant against the tests that reach it only.
//
// Options:
//   --tests <globs>      run these test files instead (comma-separated, repeatable)
//   --related            no test list: jest's --findRelatedTests over the whole suite (slow)
//   --importers          every suite that imports a mutated file, not only its own tests
//   --with-slow          keep the process-spawning suites in the default test list
//   --name <name>        report names: reports/mutation/<name>.html and .json (default "mutation")
//   --concurrency <n>    test runners, 1 or 2 (default 1: a shared 2-core machine)
//   --list               print the files to mutate and the tests, do not run Stryker
//   -- <stryker args>    anything after a second `--` goes to `stryker run` as is
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');

function usage(message) {
  if (message) console.error(`mutate: ${message}`);
  console.error('usage: npm run mutate -- [--tests <globs>] [--related] [--importers] [--with-slow] [--name <name>] [--concurrency 1|2] [--list] <file or glob>... [-- <stryker args>]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { patterns: [], tests: [], related: false, withSlow: false, importers: false, name: undefined, concurrency: 1, list: false, passThrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--') {
      o.passThrough = argv.slice(i + 1);
      break;
    } else if (a === '--tests') o.tests.push(...value().split(',').filter(Boolean));
    else if (a === '--related') o.related = true;
    else if (a === '--with-slow') o.withSlow = true;
    else if (a === '--importers') o.importers = true;
    else if (a === '--name') o.name = value();
    else if (a === '--concurrency') o.concurrency = Number(value());
    else if (a === '--list') o.list = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else o.patterns.push(...a.split(',').filter(Boolean));
  }
  if (o.patterns.length === 0) usage('no files to mutate');
  if (![1, 2].includes(o.concurrency)) usage('--concurrency is 1 or 2 on this machine');
  if (o.name !== undefined && !/^[\w.-]+$/.test(o.name)) usage('--name: letters, digits, . _ - only');
  return o;
}

/** Repo-relative paths (forward slashes) of the files under `dir`, skipping dot dirs and node_modules. */
function walk(dir) {
  const out = [];
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return out;
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === '__snapshots__') continue;
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...walk(rel));
    else out.push(rel);
  }
  return out;
}

/** A glob (`*`, `**`, `?`, `{a,b}`) as a RegExp over repo-relative paths. */
function globRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) usage(`unclosed { in ${glob}`);
      re += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function expand(patterns, files, what) {
  const out = new Set();
  for (const raw of patterns) {
    // Stryker's `file.ts:10-20` (a line range) mutates part of a file; the file picks the tests.
    const p = raw.replace(/^\.\//, '').replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '');
    const re = globRegExp(p);
    const hits = files.filter((f) => re.test(f));
    if (hits.length === 0) usage(`${what} ${raw}: no such file`);
    hits.forEach((f) => out.add(f));
  }
  return [...out].sort();
}

const PACKAGE_ENTRIES = { 'cdk8s-llm-d': 'src/index.ts', 'cdk8s-llm-d/helm': 'src/helm/index.ts', 'cdk8s-llm-d/testing': 'src/testing/index.ts' };

/** The repo files a source file imports: static imports, re-exports, import(), require(), jest.mock(). */
function importsOf(file, known) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const out = new Set();
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bjest\.(?:mock|requireActual)\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[2];
    let target;
    if (PACKAGE_ENTRIES[spec]) target = PACKAGE_ENTRIES[spec];
    else if (spec.startsWith('.')) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      target = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')].find((c) => known.has(c));
    }
    if (target) out.add(target);
  }
  return out;
}

/** Suites that spawn processes (npm pack, the compiled CLI, a child node): minutes each, and they test the package, not a module. */
function spawnsProcesses(testFile) {
  return /\bfrom\s*['"](?:node:)?child_process['"]|require\(\s*['"](?:node:)?child_process['"]\s*\)/.test(fs.readFileSync(path.join(root, testFile), 'utf8'));
}

/** A file of `export ... from` lines only (an index.ts): nothing to mutate, every suite imports it. */
function isBarrel(file) {
  const code = fs.readFileSync(path.join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  return code.trim() !== '' && code.split(';').every((st) => st.trim() === '' || /^\s*export\s[\s\S]*\sfrom\s*['"][^'"]+['"]\s*$/.test(st));
}

function chooseTests(mutated, withSlow, allImporters) {
  const sources = walk('src').filter((f) => f.endsWith('.ts'));
  const testSide = walk('test').filter((f) => f.endsWith('.ts'));
  const known = new Set([...sources, ...testSide]);
  const slow = new Set();
  const testFiles = testSide.filter((f) => f.endsWith('.test.ts')).filter((f) => withSlow || !spawnsProcesses(f) || !slow.add(f));
  const testImports = new Map(testFiles.map((t) => [t, importsOf(t, known)]));
  const importersInSrc = new Map();
  for (const s of sources) {
    for (const dep of importsOf(s, known)) {
      if (!importersInSrc.has(dep)) importersInSrc.set(dep, new Set());
      importersInSrc.get(dep).add(s);
    }
  }
  const own = (file) => testFiles.filter((t) => path.posix.basename(t) === `${path.posix.basename(file, '.ts')}.test.ts`);
  const importers = (files) => testFiles.filter((t) => files.some((s) => testImports.get(t).has(s)));
  const direct = (file) => (!allImporters && own(file).length > 0 ? own(file) : [...new Set([...own(file), ...importers([file])])]);
  const chosen = new Set();
  const why = [];
  const viaImporters = new Set();
  const covered = new Set(mutated.filter((m) => direct(m).length > 0));
  for (const m of mutated) {
    if (isBarrel(m)) {
      why.push(`${m}: re-exports only (no mutants of its own), no tests`);
      continue;
    }
    if (covered.has(m)) {
      const found = direct(m);
      found.forEach((t) => chosen.add(t));
      if (allImporters || own(m).length === 0) viaImporters.add(m);
      why.push(`${m}: ${found.length} test file(s), ${!allImporters && own(m).length > 0 ? 'its own (named after it; --importers adds every suite that imports it)' : 'named after it or importing it'}`);
      continue;
    }
    viaImporters.add(m);
    let level = [m];
    const seen = new Set(level);
    for (let hops = 1; ; hops++) {
      const next = [];
      for (const s of level) {
        for (const up of importersInSrc.get(s) ?? []) {
          if (seen.has(up) || up.endsWith('/index.ts')) continue;
          seen.add(up);
          next.push(up);
        }
      }
      // An importer that is mutated too and has its own tests stands for the rest of that level.
      const siblings = next.filter((s) => covered.has(s));
      if (siblings.length > 0) {
        why.push(`${m}: the test files of ${siblings.join(', ')}`);
        break;
      }
      const found = importers(next);
      if (found.length > 0) {
        found.forEach((t) => chosen.add(t));
        why.push(`${m}: ${found.length} test file(s) importing ${next.join(', ')}`);
        break;
      }
      level = next;
      if (level.length === 0 || hops === 4) {
        why.push(`${m}: no test file imports it within 4 hops; give --tests`);
        break;
      }
    }
  }
  if ([...slow].some((t) => [...viaImporters].some((m) => importsOf(t, known).has(m)))) why.push(`left out (they spawn processes; --with-slow keeps them): ${[...slow].filter((t) => [...viaImporters].some((m) => importsOf(t, known).has(m))).join(' ')}`);
  return { tests: [...chosen].sort(), why };
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const all = walk('src').concat(walk('test'), walk('examples'), walk('scripts'));
  const mutated = expand(o.patterns, all.filter((f) => /\.[cm]?[jt]s$/.test(f)), 'file');
  let tests;
  let why = [];
  if (o.tests.length > 0) tests = expand(o.tests, walk('test'), 'test');
  else if (!o.related) ({ tests, why } = chooseTests(mutated, o.withSlow, o.importers));
  if (tests !== undefined && tests.length === 0) usage('no test file found for the mutated files; give --tests or --related');

  // --mutate keeps line ranges as given; plain globs go through as they are (Stryker expands them).
  const mutateArg = o.patterns.map((p) => p.replace(/^\.\//, '')).join(',');
  const args = ['run', 'stryker.config.mjs', '--mutate', mutateArg, '--concurrency', String(o.concurrency), ...o.passThrough];
  console.log(`mutate: ${mutated.length} file(s): ${mutated.join(' ')}`);
  why.forEach((w) => console.log(`mutate:   ${w}`));
  console.log(tests === undefined ? 'mutate: tests: jest --findRelatedTests over the whole suite' : `mutate: ${tests.length} test file(s):\n${tests.map((t) => `  ${t}`).join('\n')}`);
  console.log(`mutate: reports: reports/mutation/${o.name ?? 'mutation'}.{html,json}`);
  if (o.list) return;

  const env = { ...process.env };
  if (tests !== undefined) env.STRYKER_TEST_FILES = JSON.stringify(tests);
  else delete env.STRYKER_TEST_FILES;
  if (o.name) env.STRYKER_REPORT_NAME = o.name;
  const bin = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env, stdio: 'inherit' });
  const secs = Math.round((Date.now() - started) / 1000);
  const how = r.error ? `failed to start: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
  console.log(`mutate: stryker ${how}; wall time ${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s`);
  process.exit(r.status ?? 1);
}

main();
