/**
 * etc/*.api.md, API Extractor's reports of the three entry points, are those of the API now: a
 * change to the public API fails here (and in `npm run api`) until `npm run api:update` writes the
 * new reports, which are reviewed and committed with the change. The declarations are lib/'s, which
 * jest's global set-up builds (test/global-setup.js), as `npm run api` reads them.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../src';
import * as helm from '../src/helm';
import * as testing from '../src/testing';

interface Result {
  readonly name: string;
  readonly succeeded: boolean;
  readonly apiReportChanged: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly messages: readonly string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const report = require('../scripts/api-report.js') as {
  ENTRIES: ReadonlyArray<{ name: string }>;
  emitDeclarations: (outDir: string) => void;
  runApiExtractor: (o: { projectFolder: string; localBuild: boolean; quiet: boolean }) => Result[];
};

const ROOT = path.join(__dirname, '..');
let results: Result[] = [];

beforeAll(() => {
  results = report.runApiExtractor({ projectFolder: ROOT, localBuild: false, quiet: true });
}, 180_000);

/** The lines of the new report (API Extractor leaves it in the temp folder) that differ from etc/. */
function difference(name: string): string {
  const fresh = path.join(ROOT, 'lib', 'api', 'temp', `${name}.api.md`);
  if (!fs.existsSync(fresh)) return '(no new report)';
  const before = new Set(fs.readFileSync(path.join(ROOT, 'etc', `${name}.api.md`), 'utf8').split('\n'));
  const after = fs.readFileSync(fresh, 'utf8').split('\n');
  const afterSet = new Set(after);
  return [...[...before].filter((l) => !afterSet.has(l)).map((l) => `- ${l}`), ...after.filter((l) => !before.has(l)).map((l) => `+ ${l}`)].slice(0, 40).join('\n');
}

test.each(['cdk8s-llm-d', 'cdk8s-llm-d-helm', 'cdk8s-llm-d-testing'])('etc/%s.api.md is the API now (npm run api:update, then review the diff)', (name) => {
  const r = results.find((x) => x.name === name);
  expect(r).toBeDefined();
  const problems = r!.apiReportChanged ? [`the API changed:\n${difference(name)}`] : [];
  if (r!.errorCount > 0) problems.push(...r!.messages);
  expect(problems).toEqual([]);
  expect(r!.succeeded).toBe(true);
});

describe.each([
  ['cdk8s-llm-d', lib],
  ['cdk8s-llm-d-helm', helm],
  ['cdk8s-llm-d-testing', testing],
] as Array<[string, Record<string, unknown>]>)('etc/%s.api.md', (name, runtime) => {
  const text = fs.readFileSync(path.join(ROOT, 'etc', `${name}.api.md`), 'utf8');
  const declared = (re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]).sort();

  test('declares as a value (class, function, const, enum) exactly what the entry point has at run time', () => {
    const values = declared(/^export (?:declare )?(?:abstract )?(?:class|function|const|let|enum) (\w+)/gm);
    expect([...new Set(values)]).toEqual(Object.keys(runtime).filter((k) => k !== '__esModule').sort());
  });

  test('declares the rest as interfaces and types, none of them a value at run time', () => {
    const types = declared(/^export (?:interface|type) (\w+)/gm);
    if (name === 'cdk8s-llm-d') expect(types.length).toBeGreaterThan(200);
    expect(types.filter((t) => t in runtime)).toEqual([]);
    // A namespace is declared, unexported, only to hold types (FuriosaPodTypes): no value there either.
    for (const [, ns, body] of text.matchAll(/^declare namespace (\w+) \{\n {4}export \{\n([^}]*)\}/gm)) {
      expect(ns in runtime).toBe(false);
      const members = body.split(',').map((s) => s.trim()).filter(Boolean);
      expect(members.filter((m) => !new RegExp(`^(?:export )?(?:interface|type) ${m}\\b`, 'm').test(text))).toEqual([]);
    }
  });
});
