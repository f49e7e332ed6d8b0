/**
 * docs/api/ is TypeDoc's reference of the three entry points (typedoc.json; the project's plugin is
 * scripts/api-reference.js), and docs/api.md its index. One TypeDoc run, into a temporary folder,
 * gives the Markdown to compare and the JSON model the other checks read: every construct and every
 * public member documented, every optional props field with its `@default`, links that resolve,
 * and types shown as types: nothing the package exports only as a type looks importable as a value.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import * as lib from '../src';
import * as helm from '../src/helm';
import * as testing from '../src/testing';
import { documentationFiles } from './support';

const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const REFERENCE = path.join(DOCS, 'api');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { constructPageName } = require('../scripts/api-reference.js') as { constructPageName: (name: string) => string };

/** TypeDoc's JSON model, as far as these tests read it. */
interface Part {
  readonly kind: string;
  readonly text: string;
}
interface Comment {
  readonly summary: readonly Part[];
  readonly blockTags?: ReadonlyArray<{ readonly tag: string; readonly content: readonly Part[] }>;
}
interface Reflection {
  readonly name: string;
  readonly kind: number;
  readonly flags: { readonly isOptional?: boolean; readonly isStatic?: boolean; readonly isExternal?: boolean };
  readonly comment?: Comment;
  readonly children?: readonly Reflection[];
  readonly groups?: ReadonlyArray<{ readonly title: string; readonly children: readonly number[] }>;
  readonly signatures?: readonly Reflection[];
  readonly getSignature?: Reflection;
  readonly extendedTypes?: ReadonlyArray<{ readonly name: string }>;
  readonly id: number;
}
// TypeDoc's ReflectionKind.
const Kind = { Module: 2, Namespace: 4, Enum: 8, Variable: 32, Function: 64, Class: 128, Interface: 256, Constructor: 512, Property: 1024, Method: 2048, Accessor: 262144, TypeAlias: 2097152, Reference: 4194304 };
const VALUE_KINDS = Kind.Variable | Kind.Function | Kind.Class | Kind.Enum;

const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-typedoc-'));
let project: Reflection;
let typedoc: { status: number | null; log: string };

beforeAll(() => {
  // typedoc.json as it is, with the output redirected; its JSON model from the same conversion.
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', path.join(OUT, 'md'), '--json', path.join(OUT, 'api.json'), '--logLevel', 'Warn'], { cwd: ROOT, encoding: 'utf8' });
  typedoc = { status: run.status, log: `${run.stdout}${run.stderr}` };
  if (run.status !== 0) throw new Error(`typedoc failed:\n${typedoc.log}`);
  project = JSON.parse(fs.readFileSync(path.join(OUT, 'api.json'), 'utf8')) as Reflection;
}, 120_000);
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

/** Files under a folder, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const text = (parts: readonly Part[] | undefined): string => (parts ?? []).map((p) => p.text).join('').trim();
const entries = (): Array<{ entry: string; module: Reflection; runtime: Record<string, unknown> }> => {
  const runtime: Record<string, Record<string, unknown>> = { 'cdk8s-llm-d': lib, 'cdk8s-llm-d/helm': helm, 'cdk8s-llm-d/testing': testing };
  return Object.entries(runtime).map(([entry, values]) => {
    const module = project.children?.find((m) => m.name === entry);
    if (module === undefined) throw new Error(`no module ${entry} in TypeDoc's model`);
    return { entry, module, runtime: values };
  });
};
/** Every reflection under `r` (namespaces included), with the path of names leading to it. */
function* walk(r: Reflection, where = ''): Generator<{ r: Reflection; where: string }> {
  for (const c of r.children ?? []) {
    yield { r: c, where };
    if (c.kind === Kind.Namespace) yield* walk(c, `${where}${c.name}.`);
  }
}
const runtimeKeys = (values: Record<string, unknown>): string[] => Object.keys(values).filter((k) => k !== '__esModule' && values[k] !== undefined);
const TYPES_ONLY = '**Types only**';

test('docs/api/ is what TypeDoc generates (run npm run docs:api after changing the public API or its JSDoc)', () => {
  const generated = filesUnder(path.join(OUT, 'md'));
  expect(generated.length).toBeGreaterThan(200);
  expect(filesUnder(REFERENCE)).toEqual(generated);
  const stale = generated.filter((f) => fs.readFileSync(path.join(REFERENCE, f), 'utf8') !== fs.readFileSync(path.join(OUT, 'md', f), 'utf8'));
  expect(stale).toEqual([]);
});

test('every construct has its reference page, with a description, and is in docs/api.md with its props and guide', () => {
  const constructs = Object.entries(lib).filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Construct).map(([n]) => n).sort();
  expect(constructs.length).toBeGreaterThanOrEqual(16);
  const main = entries()[0].module;
  const index = fs.readFileSync(path.join(DOCS, 'api.md'), 'utf8');
  const problems = constructs.flatMap((name) => {
    const cls = main.children?.find((c) => c.name === name && c.kind === Kind.Class);
    const out: string[] = [];
    if (cls === undefined || text(cls.comment?.summary) === '') out.push(`${name}: no class with a description`);
    if (!fs.existsSync(path.join(REFERENCE, 'cdk8s-llm-d', 'classes', `${name}.md`))) out.push(`${name}: no page`);
    const row = `| [\`${name}\`](api/cdk8s-llm-d/classes/${name}.md) | [\`${name}Props\`](#${name.toLowerCase()}props) | [constructs/${constructPageName(name)}](constructs/${constructPageName(name)}) |`;
    if (!index.includes(row)) out.push(`${name}: no row ${row} in docs/api.md`);
    if (!index.includes(`### \`${name}Props\`\n\nProps of [\`${name}\`](api/cdk8s-llm-d/classes/${name}.md): [every field, with its default](api/cdk8s-llm-d/interfaces/${name}Props.md).`)) out.push(`${name}: no ${name}Props section in docs/api.md`);
    return out;
  });
  expect(problems).toEqual([]);
});

test('every public member of a construct or builder class has JSDoc', () => {
  const undocumented: string[] = [];
  let members = 0;
  for (const { entry, module } of entries()) {
    for (const { r: cls, where } of walk(module)) {
      // Error classes describe their fields on the class (`ModelUriError`: "`problem` is ready for ...").
      if (cls.kind !== Kind.Class || (cls.extendedTypes ?? []).some((t) => t.name === 'Error')) continue;
      for (const m of cls.children ?? []) {
        if (m.kind === Kind.Constructor || m.flags.isExternal) continue;
        members++;
        const doc = text(m.comment?.summary) || text(m.signatures?.[0]?.comment?.summary) || text(m.getSignature?.comment?.summary);
        if (doc === '') undocumented.push(`${entry} ${where}${cls.name}.${m.name}`);
      }
    }
  }
  expect(members).toBeGreaterThan(200);
  expect(undocumented).toEqual([]);
  const pool = fs.readFileSync(path.join(REFERENCE, 'cdk8s-llm-d', 'classes', 'InferenceSchedulerPool.md'), 'utf8');
  expect(pool).toContain('### addModelServer()');
  expect(pool).toContain('### fromPoolName()');
  expect(fs.readFileSync(path.join(REFERENCE, 'cdk8s-llm-d', 'classes', 'IstioGieGateway.md'), 'utf8')).toContain('### fromGatewayName()');
});

test('every field of a props or options type has a description, and every optional one states its @default', () => {
  const missing: string[] = [];
  let optional = 0;
  for (const { entry, module } of entries()) {
    for (const { r: type, where } of walk(module)) {
      if (type.kind !== Kind.Interface || !/(Props|Options)$/.test(type.name)) continue;
      for (const field of type.children ?? []) {
        const name = `${entry} ${where}${type.name}.${field.name}`;
        if (text(field.comment?.summary) === '') missing.push(`${name}: no description`);
        if (!field.flags.isOptional) continue;
        optional++;
        const dflt = field.comment?.blockTags?.find((t) => t.tag === '@default');
        if (dflt === undefined || text(dflt.content).replace(/`/g, '').replace(/^ts\s*/, '') === '') missing.push(`${name}: no @default`);
      }
    }
  }
  expect(optional).toBeGreaterThan(300);
  expect(missing).toEqual([]);
  // ... and the reference shows it.
  expect(fs.readFileSync(path.join(REFERENCE, 'cdk8s-llm-d', 'interfaces', 'ModelPvcDownloaderProps.md'), 'utf8')).toMatch(/`storageSize\?`.*\*\*Default\*\* `'20Gi'/);
});

describe('types are shown as types: nothing exported only as a type looks importable', () => {
  test('the values of each entry point in the reference are exactly what it has at run time', () => {
    for (const { entry, module, runtime } of entries()) {
      const documented = (module.children ?? []).filter((c) => (c.kind & VALUE_KINDS) !== 0 && !text(c.comment?.summary).startsWith(TYPES_ONLY)).map((c) => c.name).sort();
      expect({ entry, values: documented }).toEqual({ entry, values: runtimeKeys(runtime).sort() });
    }
  });

  test('interfaces and type aliases are grouped and paged as such, and none is a value at run time', () => {
    let types = 0;
    for (const { entry, module, runtime } of entries()) {
      const group = (title: string): Set<number> => new Set(module.groups?.find((g) => g.title === title)?.children ?? []);
      const [interfaces, aliases] = [group('Interfaces'), group('Type Aliases')];
      for (const c of module.children ?? []) {
        if (c.kind !== Kind.Interface && c.kind !== Kind.TypeAlias) continue;
        types++;
        expect({ entry, name: c.name, grouped: (c.kind === Kind.Interface ? interfaces : aliases).has(c.id), atRunTime: c.name in runtime }).toEqual({ entry, name: c.name, grouped: true, atRunTime: false });
        const page = path.join(REFERENCE, ...entry.split('/'), c.kind === Kind.Interface ? 'interfaces' : 'type-aliases', `${c.name}.md`);
        expect(fs.readFileSync(page, 'utf8')).toContain(`# ${c.kind === Kind.Interface ? 'Interface' : 'Type Alias'}: ${c.name}\n`);
      }
    }
    expect(types).toBeGreaterThan(200);
  });

  test('a namespace or class exported only as a type is marked Types only, and the values exported only as types are left out', () => {
    const main = entries()[0];
    const marked = (main.module.children ?? []).filter((c) => text(c.comment?.summary).startsWith(TYPES_ONLY));
    expect(marked.map((c) => c.name)).toEqual(['FuriosaPodTypes']);
    for (const c of marked) expect(c.name in main.runtime).toBe(false);
    expect(fs.readFileSync(path.join(REFERENCE, 'cdk8s-llm-d', 'namespaces', 'FuriosaPodTypes', 'README.md'), 'utf8')).toContain("`import type { FuriosaPodTypes } from 'cdk8s-llm-d'`");
    // `export type * from './stack'` makes describeStack a type-level name only: not in the reference.
    expect((main.module.children ?? []).some((c) => c.name === 'describeStack')).toBe(false);
    expect(fs.existsSync(path.join(REFERENCE, 'cdk8s-llm-d', 'functions', 'describeStack.md'))).toBe(false);
  });

  test.each(documentationFiles())('%s imports only values with a plain import { ... }', (doc) => {
    const runtime: Record<string, Record<string, unknown>> = { 'cdk8s-llm-d': lib, 'cdk8s-llm-d/helm': helm, 'cdk8s-llm-d/testing': testing };
    const wrong: string[] = [];
    const source = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    for (const m of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'(cdk8s-llm-d(?:\/helm|\/testing)?)'/g)) {
      if (m[1] !== undefined) continue;
      for (const spec of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
        if (spec.startsWith('type ')) continue;
        const name = spec.split(/\s+as\s+/)[0];
        if (!(name in runtime[m[3]])) wrong.push(`${name} (from '${m[3]}' is a type: import type { ${name} })`);
      }
    }
    expect(wrong).toEqual([]);
  });
  test('the generated reference shows no import statement', () => {
    expect(filesUnder(REFERENCE).filter((f) => /^\s*import\s/m.test(fs.readFileSync(path.join(REFERENCE, f), 'utf8')))).toEqual([]);
  });
});

test('every relative link of docs/api.md and docs/api/ resolves, anchors included', () => {
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    let set = anchors.get(file);
    if (set === undefined) {
      const md = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      set = new Set([...md.matchAll(/<a id="([^"]+)"/g)].map((m) => m[1]));
      // GitHub's heading ids: lower case, punctuation dropped, spaces to "-", repeats numbered.
      const seen = new Map<string, number>();
      for (const [, heading] of md.matchAll(/^#{1,6} (.+)$/gm)) {
        const slug = heading.toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        set.add(n === 0 ? slug : `${slug}-${n}`);
      }
      anchors.set(file, set);
    }
    return set;
  };
  const files = [path.join(DOCS, 'api.md'), ...filesUnder(REFERENCE).map((f) => path.join(REFERENCE, f))];
  const broken: string[] = [];
  let links = 0;
  for (const file of files) {
    const md = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    for (const [, target] of md.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      links++;
      const [rel, anchor] = target.split('#');
      const to = rel === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(rel));
      if (!fs.existsSync(to)) broken.push(`${path.relative(ROOT, file)} -> ${target}`);
      else if (anchor !== undefined && to.endsWith('.md') && !anchorsOf(to).has(anchor)) broken.push(`${path.relative(ROOT, file)} -> ${target} (no such anchor)`);
    }
  }
  expect(links).toBeGreaterThan(1000);
  expect(broken).toEqual([]);
});

test('TypeDoc reports no error', () => {
  expect(typedoc.status).toBe(0);
  expect(typedoc.log).not.toMatch(/\[error\]/);
});
