/**
 * Values files, --set strings and convert's generated program treat their input as data: keys
 * that reach JavaScript object internals are refused by name, strings cannot escape the literals
 * or comments they are printed into, and every input is bounded (size, nesting, entries).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseValuesYaml, VALUES_LIMITS } from '../../src/cli/values';
import { parseManifests } from '../../src/testing/semdiff';
import { cli } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-hostile-'));
const write = (name: string, content: string | Buffer): string => {
  fs.writeFileSync(path.join(tmp, name), content);
  return name;
};
const refused = (argv: string[]): string => {
  const r = cli(argv, tmp);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain('internal error');
  return r.stderr;
};
const POOL = ['--set', 'inferencePool.modelServers.matchLabels.app=x'];

describe('keys that reach object internals', () => {
  test.each([
    '__proto__.securityContext.privileged=true',
    'decode.__proto__.workingDir=/tmp',
    'a[0].constructor.x=1',
    'prototype=1',
  ])('--set %s is refused by name and pollutes nothing', (expr) => {
    const err = refused(['render', 'furiosa-modelservice', '--release', 'ms', '--set', expr]);
    expect(err).toMatch(/key "[^"]*(__proto__|constructor|prototype)" is not allowed: __proto__, constructor, prototype are never chart keys/);
    expect(({} as Record<string, unknown>).securityContext).toBeUndefined();
    expect(({} as Record<string, unknown>).workingDir).toBeUndefined();
  });

  test.each([['constructor:\n  a: 1\n', 'constructor'], ['decode:\n  __proto__:\n    replicas: 9\n', 'decode.__proto__'], ['a:\n- prototype: 1\n', 'a[0].prototype']])('a values file with %j names the key, not JavaScript internals', (yaml, key) => {
    const err = refused(['render', 'inferencepool', '--release', 'r', '-f', write('proto.yaml', yaml)]);
    expect(err).toContain(`-f proto.yaml: key "${key}" is not allowed`);
    expect(err).not.toMatch(/function|\[native code\]/);
  });
});

describe('convert: hostile strings stay data in the generated program', () => {
  // Every line terminator a parser of TypeScript or YAML honours; NUL is refused (next test).
  const HOSTILE = "it's a \"test\"\\n\nprocess.exit(9)\u2028// ${x} */ \u0085\u2029\r\t`";
  test('the header comment and the literals hold them, the program compiles, runs and synthesizes them unchanged', () => {
    const r = cli(['convert', 'inferencepool', '--release', 'r', ...POOL, '--set-string', `inferenceExtension.env[0].name=X,inferenceExtension.env[0].value=${HOSTILE.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`], tmp);
    expect(r.code).toBe(0);
    // Every line of the header is still a comment.
    const header = r.stdout.split('\n').slice(0, 3);
    expect(header.every((l) => l.startsWith('//'))).toBe(true);
    expect(r.stdout).not.toContain('\u2028');
    const out = ts.transpileModule(r.stdout, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
    expect(out.diagnostics ?? []).toEqual([]);
    const outdir = path.join(tmp, 'out');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const req = (id: string): unknown => (id === 'cdk8s-llm-d' ? require('../../src') : require(id));
    const before = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => { throw new Error('the program ran injected code'); }) as never);
    try {
      new Function('require', 'module', 'exports', out.outputText)(req, { exports: {} }, {});
    } finally {
      exit.mockRestore();
      if (before === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = before;
    }
    const objs = parseManifests(fs.readFileSync(path.join(outdir, 'r.k8s.yaml'), 'utf8')) as any[];
    const env = objs.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'X').value).toBe(HOSTILE);
  });
});

test('NUL and other control characters in an env value are refused with the values key and the field named', () => {
  const r = cli(['render', 'inferencepool', '--release', 'r', ...POOL, '--set-string', 'inferenceExtension.env[0].name=X,inferenceExtension.env[0].value=a\u0000b'], tmp);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/containers\[0\]\.env\[\d+\]\.value: value "a\\u0000b" is not allowed .*without NUL or other control characters/);
  expect(r.stderr).toContain('inferenceExtension.env[0].value');
});

describe('bounded input', () => {
  test('--set nesting beyond 30 levels, of keys or of list indexes', () => {
    expect(refused(['render', 'inferencepool', '--release', 'r', '--set', `a${'[0]'.repeat(20000)}=1`])).toContain('nested level is greater than maximum supported nested level of 30');
    expect(refused(['render', 'inferencepool', '--release', 'r', '--set', `${'a[0].'.repeat(5000)}b=1`])).toContain('nested level is greater than maximum supported nested level of 30');
  });

  test('YAML nesting beyond the limit, flow or block', () => {
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('deep.yaml', `a: ${'['.repeat(50000)}`)])).toContain(`-f deep.yaml: nesting of [ and { is 50000 levels deep; at most ${VALUES_LIMITS.maxDepth} are read`);
    const block = Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('block.yaml', block)])).toMatch(/-f block.yaml: k0(\.k\d+)+ is nested \d+ levels deep; at most 64 are read/);
  });

  test('a file larger than the limit, and an endless device, are refused without reading them whole', () => {
    write('huge.yaml', Buffer.alloc(VALUES_LIMITS.maxFileBytes + 1, 0x20));
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', 'huge.yaml'])).toContain(`-f huge.yaml: larger than ${VALUES_LIMITS.maxFileBytes} bytes`);
    if (fs.existsSync('/dev/zero')) {
      expect(refused(['render', 'inferencepool', '--release', 'r', '-f', '/dev/zero'])).toContain('larger than');
      expect(refused(['render', 'inferencepool', '--release', 'r', '--set-file', 'a=/dev/zero'])).toContain('--set-file "a=/dev/zero": file "/dev/zero": larger than');
    }
  });

  test('more entries than the limit', () => {
    const many = Array.from({ length: VALUES_LIMITS.maxNodes + 1 }, (_, i) => `k${i}: 1`).join('\n');
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('many.yaml', many)])).toContain(`more than ${VALUES_LIMITS.maxNodes} keys and list items`);
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('flow.yaml', `a: [${'1,'.repeat(400000)}1]`)])).toContain('entries (lines and flow items)');
  });

  test('-o naming an existing file is a usage error', () => {
    write('afile', 'x');
    expect(refused(['render', 'inferencepool', '--release', 'r', ...POOL, '-o', 'afile'])).toBe('cdk8s-llm-d: -o afile: exists and is not a directory (-o names a folder; the file is <release>.k8s.yaml in it)\n');
  });
});

describe('encodings and tags like Helm', () => {
  const VALUES = 'inferencePool:\n  modelServers:\n    matchLabels:\n      app: x\n';
  test.each([
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALUES, 'utf16le')])],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VALUES, 'utf16le').swap16()])],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALUES)])],
  ])('%s is read', (_n, bytes) => {
    const r = cli(['render', 'inferencepool', '--release', 'r', '-f', write('enc.yaml', bytes)], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kind: InferencePool');
  });

  test('invalid UTF-8 is refused with its offset', () => {
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('bad8.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]))])).toContain('-f bad8.yaml: not valid UTF-8 (at byte 3)');
  });

  test('an unknown tag such as !!js/function is refused, not read as a string', () => {
    expect(refused(['render', 'inferencepool', '--release', 'r', '-f', write('tag.yaml', 'x: !!js/function "f"\n')])).toContain('not valid YAML: unknown YAML tag: tag:yaml.org,2002:js/function');
  });

  test('duplicate keys are still refused, in linear time', () => {
    expect(() => parseValuesYaml('a: 1\nb: 2\na: 3\n')).toThrow('Map keys must be unique: "a" is repeated');
  });
});

describe('the helm adapters take values objects from code too', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { helmChart, helmChartNames } = require('../../src/helm/registry') as typeof import('../../src/helm/registry');
  test.each(helmChartNames())('%s: own __proto__ and constructor keys are unknown keys, and no prototype changes', (name) => {
    const values = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"y": 1}}') as Record<string, unknown>;
    let problems: Array<{ field?: string }> = [];
    try {
      helmChart(name)!.toProps(values, { release: 'r', namespace: 'd' });
    } catch (e) {
      problems = (e as { problems: Array<{ field?: string }> }).problems;
    }
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
