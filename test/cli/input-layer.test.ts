/**
 * Every command that reads files (render, convert, migrate, diff, check) reads them through one
 * input layer (src/cli/read-input.ts): the same bounds and checks for device files, FIFOs,
 * symlinks to devices, huge and deeply nested files and alias bombs; each refusal exits 2 with
 * the file named, nothing on stdout, never an internal error, a stack trace or a JavaScript
 * internal. Exit codes are distinct: 0 ok, 1 differences or findings, 2 bad input or usage, 3 a bug.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './support';
import { FIXTURES } from '../support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-input-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  fs.writeFileSync(path.join(tmp, name), content);
  return name;
};

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  k: v\n';
write('ok.yaml', MANIFEST);
write('other.yaml', MANIFEST.replace('k: v', 'k: w'));

/** JavaScript internals a message must never show. */
const JS_INTERNALS = /\n\s+at |TypeError|RangeError|ReferenceError|Cannot read propert|undefined is not|Maximum call stack|is not a function|internal error/;

function expectRefused(argv: string[], mentions: string): string {
  const r = cli(argv, tmp);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr).not.toMatch(JS_INTERNALS);
  expect(r.stderr).toContain(mentions);
  return r.stderr;
}

/** Each command with a file argument in the place given. */
const READERS: Array<[string, (f: string) => string[]]> = [
  ['render -f', (f) => ['render', 'inferencepool', '--release', 'r', '-f', f]],
  ['render --set-file', (f) => ['render', 'inferencepool', '--release', 'r', '--set-file', `a=${f}`]],
  ['migrate -f', (f) => ['migrate', 'inferencepool', '-f', f]],
  ['diff OLD', (f) => ['diff', f, 'ok.yaml']],
  ['diff NEW', (f) => ['diff', 'ok.yaml', f]],
  ['check DIR', (f) => ['check', f]],
  ['check --nodes', (f) => ['check', 'ok.yaml', '--nodes', f]],
  ['check --previous', (f) => ['check', 'ok.yaml', '--previous', f]],
];

const hasFifo = spawnSync('mkfifo', [path.join(tmp, 'fifo')]).status === 0;
fs.symlinkSync('/dev/zero', path.join(tmp, 'zero-link.yaml'));
fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(tmp, 'dangling.yaml'));
fs.symlinkSync('loop-b.yaml', path.join(tmp, 'loop-a.yaml'));
fs.symlinkSync('loop-a.yaml', path.join(tmp, 'loop-b.yaml'));
// Sparse: 65 MiB of NUL bytes without taking the disk.
fs.closeSync(fs.openSync(path.join(tmp, 'huge.yaml'), 'w'));
fs.truncateSync(path.join(tmp, 'huge.yaml'), 65 * 1024 * 1024);
write('deep-flow.yaml', `a: ${'['.repeat(100_000)}`);
// Block sequences nested on one line (no flow brackets to count before parsing).
write('deep-block.yaml', `${'- '.repeat(5000)}x\n`);
write('bomb.yaml', ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'kind: ConfigMap', ''].join('\n'));
write('bad-utf8.yaml', Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
write('not-yaml.yaml', 'a: [1, 2\nb: }\n');

describe.each(READERS)('%s: one input layer', (_name, argv) => {
  test('a device (/dev/zero, directly or through a symlink) is read within the bound and refused', () => {
    if (!fs.existsSync('/dev/zero')) return;
    expectRefused(argv('/dev/zero'), 'larger than');
    expectRefused(argv('zero-link.yaml'), 'larger than');
  });

  (hasFifo ? test : test.skip)('a FIFO is refused at once, never waited on', () => {
    const started = Date.now();
    expectRefused(argv('fifo'), 'FIFO');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a missing file, a dangling symlink and a symlink loop are refused with the path named', () => {
    expectRefused(argv('missing.yaml'), 'missing.yaml');
    expectRefused(argv('dangling.yaml'), 'dangling.yaml');
    expectRefused(argv('loop-a.yaml'), 'loop-a.yaml');
  });

  test('a file larger than the bound, deep nesting (flow and block), an alias bomb, invalid UTF-8 and broken YAML are refused', () => {
    expectRefused(argv('huge.yaml'), 'huge.yaml');
    expectRefused(argv('bad-utf8.yaml'), 'bad-utf8.yaml');
    // --set-file reads its file as one string value, not as YAML.
    if (argv('x').some((a) => a.startsWith('a='))) return;
    expectRefused(argv('deep-flow.yaml'), 'deep-flow.yaml');
    expect(expectRefused(argv('deep-block.yaml'), 'deep-block.yaml')).toContain('nesting');
    expectRefused(argv('bomb.yaml'), 'bomb.yaml');
    expectRefused(argv('not-yaml.yaml'), 'not-yaml.yaml');
  });
});

describe('inside a folder', () => {
  test('diff and check skip symlinks (to devices or folders) and read regular files only', () => {
    const dir = path.join(tmp, 'out');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.yaml'), MANIFEST);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    fs.symlinkSync(tmp, path.join(dir, 'up.yaml'));
    const r = cli(['diff', 'out', 'ok.yaml'], tmp);
    expect(r).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(cli(['check', 'out'], tmp).code).toBe(0);
  });
});

describe('exit codes: 0 no differences, 1 differences, 2 bad input or usage', () => {
  test('diff', () => {
    expect(cli(['diff', 'ok.yaml', 'ok.yaml'], tmp).code).toBe(0);
    const changed = cli(['diff', 'ok.yaml', 'other.yaml'], tmp);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('data.k: "v" -> "w"');
    expectRefused(['diff', 'ok.yaml'], 'diff needs two paths');
    expectRefused(['diff', 'ok.yaml', 'missing.yaml'], 'missing.yaml: no such file or folder');
  });

  test('every command\'s help states the codes, and 3 is an internal error', () => {
    for (const command of ['render', 'convert', 'migrate', 'diff', 'check']) {
      const help = cli([command, '--help']).stdout;
      expect(help).toMatch(/Exit codes:\n {2}0 /);
      expect(help).toMatch(/\n {2}2 {2}bad usage or bad input/);
      expect(help).toMatch(/\n {2}3 {2}unexpected internal error/);
    }
    expect(cli(['diff', '--help']).stdout).toMatch(/\n {2}1 {2}differences/);
    expect(cli(['check', '--help']).stdout).toMatch(/\n {2}1 {2}errors found/);
  });
});

describe('migrate refuses values of the wrong type by key, naming the file', () => {
  test.each<[string, string]>([
    ['inferenceExtension: x\n', '[wrong.yaml] inferenceExtension: value "x" is not allowed; allowed: a map'],
    ['inferenceExtension:\n  image: "repo:tag"\n', '[wrong.yaml] inferenceExtension.image: value "repo:tag" is not allowed; allowed: a map'],
    ['inferenceExtension:\n  flags: [a, b]\n', '[wrong.yaml] inferenceExtension.flags: value ["a","b"] is not allowed; allowed: a map'],
    ['inferenceExtension:\n  pluginsCustomConfig: text\n', '[wrong.yaml] inferenceExtension.pluginsCustomConfig: value "text" is not allowed; allowed: a map'],
    ['inferenceExtension:\n  pluginsCustomConfig:\n    a.yaml: 5\n', '[wrong.yaml] inferenceExtension.pluginsCustomConfig.a.yaml: value 5 is not allowed; allowed: a string'],
    ['inferencePool: [1]\n', '[wrong.yaml] inferencePool: value [1] is not allowed; allowed: a map'],
    ['inferenceExtension:\n  flags:\n    lora-info-metric: {a: 1}\n', '[wrong.yaml] inferenceExtension.flags.lora-info-metric: value {"a":1} is not allowed; allowed: a string, number or boolean'],
    ['inferenceExtension:\n  pluginsConfigFile: 5\n', '[wrong.yaml] inferenceExtension.pluginsConfigFile: value 5 is not allowed; allowed: a string'],
    ['inferenceExtensio:\n  replicas: 2\n', '[wrong.yaml] inferenceExtensio: value {"replicas":2} is not allowed (unknown key; did you mean "inferenceExtension"?)'],
  ])('%j', (values, message) => {
    write('wrong.yaml', values);
    expect(expectRefused(['migrate', 'inferencepool', '-f', 'wrong.yaml'], message)).not.toContain('matchLabels');
  });

  test('the seed values still migrate', () => {
    expect(cli(['migrate', 'inferencepool', '-f', 'values.yaml'], path.join(FIXTURES, 'cases', 'gaie-seed000')).code).toBe(0);
  });
});
