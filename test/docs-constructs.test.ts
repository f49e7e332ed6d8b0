/**
 * docs/constructs/ has one page per construct the package exports, and each page stays true:
 * its example synthesizes, the objects the example's construct renders are all in the page's
 * "Renders" table (and every row marked "always" is among them), every public method of the
 * class is named on the page, and its links resolve.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { ApiObject, App, AppProps } from 'cdk8s';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import * as lib from '../src';

const ROOT = path.join(__dirname, '..');
const PAGES = path.join(ROOT, 'docs', 'constructs');

type ConstructClass = abstract new (...args: never[]) => Construct;

/** The construct classes of the main entry point, by exported name. */
function constructClasses(): Map<string, ConstructClass> {
  const out = new Map<string, ConstructClass>();
  for (const [name, value] of Object.entries(lib)) {
    if (typeof value === 'function' && value.prototype instanceof Construct) out.set(name, value as unknown as ConstructClass);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { constructPageName } = require('../scripts/api-reference.js') as { constructPageName: (name: string) => string };
const read = (file: string): string => fs.readFileSync(file, 'utf8');

/** The body of a `## title` section (up to the next `## `). */
function section(page: string, title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  if (start < 0) return '';
  const rest = page.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows of the Renders table: the kinds of each row and whether it is rendered always. */
function rendersRows(page: string): Array<{ kinds: string[]; always: boolean }> {
  return section(page, 'Renders')
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| kind') && !l.startsWith('| ---'))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return { kinds: cells[1].split(',').map((k) => k.trim()).filter(Boolean), always: cells[3].startsWith('always') };
    });
}

/** Runs the page's first TypeScript block as an app that depends on cdk8s-llm-d, returning the apps it synthesized. */
function runExample(page: string): App[] {
  const code = /```ts\n([\s\S]*?)```/.exec(section(page, 'Example'))?.[1];
  if (code === undefined) throw new Error('no ts block under "## Example"');
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const apps: App[] = [];
  // The example's apps, as it makes them (it synthesizes with app.synth()).
  class RecordedApp extends App {
    constructor(props?: AppProps) {
      super(props);
      apps.push(this);
    }
  }
  const cdk8sRecorded = { ...cdk8s, App: RecordedApp };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's imports, from this test's module registry
  const load = (m: string): unknown => (m === 'cdk8s-llm-d' ? lib : m === 'cdk8s' ? cdk8sRecorded : require(m));
  const outdir = process.env.CDK8S_OUTDIR;
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  process.env.CDK8S_OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-page-'));
  try {
    new Function('require', 'exports', 'module', js)(load, {}, { exports: {} });
  } finally {
    log.mockRestore();
    if (outdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = outdir;
  }
  return apps;
}

/** Kinds of the objects under every instance of `cls` (cdk8s answers `instanceof Chart` for any chart, hence the prototype check). */
function renderedKinds(apps: readonly App[], cls: ConstructClass): Set<string> {
  const kinds = new Set<string>();
  for (const app of apps) {
    for (const c of app.node.findAll()) {
      if (!Object.prototype.isPrototypeOf.call(cls.prototype, c)) continue;
      for (const o of c.node.findAll()) if (o instanceof ApiObject) kinds.add(o.kind);
    }
  }
  return kinds;
}

/** Public methods (static ones too) of each construct class, inherited ones declared in src included. */
function publicMethods(names: readonly string[]): Map<string, string[]> {
  const program = ts.createProgram([path.join(ROOT, 'src', 'index.ts')], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, 'src', 'index.ts'))!)!;
  const src = path.join(ROOT, 'src');
  const isPublicMethod = (s: ts.Symbol): boolean => (s.declarations ?? []).some((d) =>
    ts.isMethodDeclaration(d) && d.getSourceFile().fileName.startsWith(src) && !(ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !ts.isPrivateIdentifier(d.name));
  const out = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(entry)) {
    if (!names.includes(exported.getName())) continue;
    const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const instance = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s));
    const statics = checker.getPropertiesOfType(checker.getTypeOfSymbolAtLocation(s, s.valueDeclaration!));
    out.set(exported.getName(), [...new Set([...statics, ...instance].filter(isPublicMethod).map((m) => m.getName()))].sort());
  }
  return out;
}

const classes = constructClasses();
const names = [...classes.keys()].sort();

test('one page per exported construct, each listed in the index', () => {
  expect(names.length).toBeGreaterThanOrEqual(14);
  const pages = fs.readdirSync(PAGES).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  expect(pages).toEqual(names.map((n) => constructPageName(n)).sort());
  const index = read(path.join(PAGES, 'README.md'));
  expect(names.filter((n) => !index.includes(`](${constructPageName(n)})`) || !index.includes(`\`${n}\``))).toEqual([]);
});

describe.each(names)('docs/constructs page of %s', (name) => {
  const file = path.join(PAGES, constructPageName(name));
  const page = fs.existsSync(file) ? read(file) : '';

  test('starts with its name and has the sections of every page', () => {
    expect(page.startsWith(`# ${name}\n`)).toBe(true);
    for (const s of ['Example', 'Renders', 'Relations', 'Refused at synth']) expect(section(page, s)).not.toBe('');
  });

  test('its example synthesizes, and the Renders table lists what the construct rendered', () => {
    const kinds = renderedKinds(runExample(page), classes.get(name)!);
    const rows = rendersRows(page);
    // A construct that renders nothing (NodeInventory) says so with an empty table.
    if (rows.length === 0) expect([...kinds]).toEqual([]);
    else expect(kinds.size).toBeGreaterThan(0);
    const listed = new Set(rows.flatMap((r) => r.kinds));
    expect([...kinds].filter((k) => !listed.has(k))).toEqual([]);
    expect(rows.filter((r) => r.always).flatMap((r) => r.kinds).filter((k) => !kinds.has(k))).toEqual([]);
  });

  test('its links resolve (files, and API reference anchors)', () => {
    const api = read(path.join(ROOT, 'docs', 'api.md'));
    const anchors = new Set([...api.matchAll(/^#+ `?([^`\n]+)`?$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    const broken: string[] = [];
    for (const [, target] of page.matchAll(/\]\(([^)]+)\)/g)) {
      const [rel, anchor] = target.split('#');
      if (/^https?:/.test(rel)) continue;
      if (!fs.existsSync(path.join(PAGES, rel))) broken.push(target);
      else if (anchor && rel.endsWith('api.md') && !anchors.has(anchor)) broken.push(target);
    }
    expect(broken).toEqual([]);
    if (api.includes(`### \`${name}Props\``)) expect(page).toContain(`(../api.md#${name.toLowerCase()}props)`);
  });
});

test('each page names every public method of its construct', () => {
  const methods = publicMethods(names);
  const missing = names.flatMap((n) => {
    const page = read(path.join(PAGES, constructPageName(n)));
    return (methods.get(n) ?? []).filter((m) => !page.includes(`${m}(`)).map((m) => `${n}.${m}`);
  });
  expect(missing).toEqual([]);
  expect(methods.get('InferenceSchedulerPool')).toEqual(expect.arrayContaining(['addModelServer', 'fromPoolName']));
});
