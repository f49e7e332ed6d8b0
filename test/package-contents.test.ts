/**
 * The published tarball holds what the README and the docs link to: every relative link of
 * README.md and docs/ resolves in the repository and falls under package.json `files`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documentationFiles } from './support';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };

const DOCS = [...documentationFiles(), 'CHANGELOG.md'];

/** Relative link targets of one Markdown file, as repository paths. */
function links(doc: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].split('#')[0])
    .filter((t) => t !== '' && !/^[a-z]+:/.test(t))
    .map((t) => path.normalize(path.join(path.dirname(doc), t)));
}

const packaged = (file: string): boolean => pkg.files.some((f) => file === f || file.startsWith(`${f.replace(/\/$/, '')}/`));

test('every relative link of the README and docs resolves and is in the tarball', () => {
  const all = DOCS.flatMap((doc) => links(doc).map((target) => ({ doc, target })));
  expect(all.length).toBeGreaterThan(40);
  expect(all.filter(({ target }) => !fs.existsSync(path.join(ROOT, target))).map(({ doc, target }) => `${doc} -> ${target}`)).toEqual([]);
  expect(all.filter(({ target }) => !packaged(target)).map(({ doc, target }) => `${doc} -> ${target}`)).toEqual([]);
});

test('the package metadata: license, engines, keywords and the documentation it ships', () => {
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(meta).toMatchObject({ license: 'Apache-2.0', engines: { node: '>=20' } });
  expect(meta.keywords).toEqual(expect.arrayContaining(['cdk8s', 'llm-d', 'kubernetes']));
  expect(pkg.files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'docs', 'examples']));
});

test('npm run synth rebuilds only what changed: an incremental build whose state lives in lib/ (ignored by git)', () => {
  const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(meta.scripts.synth).toMatch(/^npm run build && node lib\/examples\/furiosa-llama-3\.1-8b\/main\.js$/);
  expect(meta.scripts.build).toContain('tsc -p tsconfig.build.json');
  const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { incremental?: boolean; tsBuildInfoFile?: string } };
  expect(build.compilerOptions).toMatchObject({ incremental: true, tsBuildInfoFile: 'lib/.tsbuildinfo' });
  expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('lib/');
});
