/**
 * What an app installing cdk8s-llm-d gets: cdk8s and constructs are the app's own (peer
 * dependencies, the ranges cdk8s-plus-28 ... -33 declare), cdk8s-plus is whichever the app uses
 * (none is named), and what the library itself loads is a dependency.
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;

test('cdk8s and constructs are peer dependencies, with the ranges cdk8s-plus declares', () => {
  expect(pkg.peerDependencies).toEqual({ cdk8s: '^2.68.11', constructs: '^10.3.0' });
  expect(pkg.peerDependenciesMeta).toBeUndefined();
  for (const kplus of ['cdk8s-plus-28', 'cdk8s-plus-33']) {
    const peers = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', kplus, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;
    expect(peers).toEqual(pkg.peerDependencies);
  }
});

test('dependencies: what the library loads itself (yaml; ajv for cdk8s-llm-d/testing), never cdk8s, constructs or a cdk8s-plus', () => {
  expect(Object.keys(pkg.dependencies!).sort()).toEqual(['ajv', 'yaml']);
  // The tests run against today's releases, and both cdk8s-plus versions the interop tests cover.
  for (const dev of ['cdk8s', 'constructs', 'cdk8s-plus-28', 'cdk8s-plus-33']) expect(pkg.devDependencies![dev]).toBeDefined();
});

test('every package a library source requires or imports at run time is a dependency, a peer or built in', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.ts')) sources.push(path.join(dir, e.name));
    }
  };
  walk(path.join(ROOT, 'src'));
  const allowed = new Set([...Object.keys(pkg.dependencies!), ...Object.keys(pkg.peerDependencies!)]);
  const used = new Set<string>();
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    // `import type` is erased; `import ... from`, `require(...)` and `import(...)` load.
    for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^'.][^']*)'|\brequire\(\s*'([^'.][^']*)'\s*\)/gm)) used.add(m[1] ?? m[2]);
  }
  const packages = [...used].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s)).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
  expect(packages.filter((p) => !allowed.has(p))).toEqual([]);
  expect(packages).toEqual(expect.arrayContaining(['ajv', 'yaml', 'cdk8s', 'constructs']));
});
