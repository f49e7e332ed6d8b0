/**
 * One escaping rule for every comment we generate (src/core/comments.ts): no value can end the
 * comment, under YAML 1.1 (go-yaml, PyYAML: NEL, LS and PS are line breaks too), YAML 1.2 and
 * TypeScript/JavaScript (LF, CR, LS, PS). Checked by parsing: the YAML parsers must read only the
 * document after the comment, the TypeScript compiler only the statements after it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import * as ts from 'typescript';
import { convertToTypeScript, runCli } from '../../src/cli/main';
import { commentLines, commentSafe } from '../../src/core/comments';
import { YAML } from '../../src/core/yaml';
import { istiodValues, istiodValuesYaml } from '../../src/gateway/istiod-values';
import { helmChart } from '../../src/helm/registry';
import { migrateInferencePoolValues } from '../../src/helm/migrate-inferencepool';
import '../../src/helm/charts';

const TERMINATORS = ['\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029'];
const HOSTILE = [...TERMINATORS, '\u000b', '\u000c', '\x00', '\x1b', '\x7f', '\x9f', '\ufeff', '\ufffe', '\uffff', '\ud800', '\udc00', '*/', '/*', '#', '"', "'", '`', '\\', 'evil: true', 'process.exit(1);', 'x = 1', '- item'];
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), anyCodeUnit, anyCodePoint), { maxLength: 12 }).map((p) => p.join(''));

// eslint-disable-next-line no-control-regex
const RAW_FORBIDDEN = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

/** PyYAML's reading of `text` (YAML 1.1: NEL, LS and PS break lines), as JSON data. */
function pyYaml(text: string): unknown {
  const r = spawnSync('python3', ['-c', 'import json,sys,yaml\nprint(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyYAML cannot read:\n${text}\n${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

function yamlReads(text: string, withPython = false): unknown[] {
  return [YAML.parse(text, { version: '1.1' }), YAML.parse(text, { version: '1.2' }), jsyaml.load(text), ...(withPython && hasPyYaml ? [pyYaml(text)] : [])];
}

/** The statements of a TypeScript source, and its syntax errors. */
function tsParse(text: string): { statements: string[]; errors: number } {
  const sf = ts.createSourceFile('main.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const errors = (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  return { statements: sf.statements.map((s) => s.getText(sf)), errors };
}

describe('commentSafe', () => {
  test('escapes every line terminator of YAML 1.1, YAML 1.2 and TypeScript, controls and lone surrogates, and keeps the rest', () => {
    expect(commentSafe('a\nb\rc\u0085d\u2028e\u2029f')).toBe('a\\u000ab\\u000dc\\u0085d\\u2028e\\u2029f');
    expect(commentSafe('\ufeff\x00\x7f\ud800😀')).toBe('\\ufeff\\u0000\\u007f\\ud800😀');
    expect(commentSafe('--set a.b=c # */ ümlaut')).toBe('--set a.b=c # */ ümlaut');
  });

  test('a YAML comment line can never end early: 1.1, 1.2 and js-yaml read only the document after it', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (a, b) => {
        const text = `${commentLines('# ', [a, `- ${b}`]).join('\n')}\nkey: value\n`;
        expect(RAW_FORBIDDEN.test(text.replace(/\n/g, ''))).toBe(false);
        for (const doc of yamlReads(text)) expect(doc).toEqual({ key: 'value' });
      }),
      { numRuns: 1000, seed: 29 },
    );
  });

  test('a TypeScript line comment can never end early: the compiler sees only the statement after it', () => {
    fc.assert(
      fc.property(hostileText, (a) => {
        const text = `${commentLines('// ', [a]).join('\n')}\nconst x = 1;\n`;
        const parsed = tsParse(text);
        expect(parsed).toEqual({ statements: ['const x = 1;'], errors: 0 });
        // The comment is the whole first line: nothing of it is code.
        const comments = ts.getLeadingCommentRanges(text, 0) ?? [];
        expect(comments).toHaveLength(1);
        expect(comments[0].end).toBe(text.indexOf('\n'));
      }),
      { numRuns: 1000, seed: 29 },
    );
  });

  (hasPyYaml ? test : test.skip)('PyYAML (YAML 1.1) reads only the document after the comment', () => {
    const texts = fc.sample(hostileText, { numRuns: 500, seed: 29 }).map((a) => `${commentLines('# ', [a]).join('\n')}\nkey: value\n`);
    const script = 'import json,sys,yaml\nfor t in json.load(sys.stdin):\n  print(json.dumps(yaml.safe_load(t)))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    for (const line of r.stdout.trim().split('\n')) expect(JSON.parse(line)).toEqual({ key: 'value' });
  });
});

describe('every generated comment uses it', () => {
  test('convert: the command line and release in the header cannot add a statement', () => {
    const adapter = helmChart('inferencepool')!;
    fc.assert(
      fc.property(hostileText, hostileText, (command, release) => {
        const text = convertToTypeScript(adapter, { a: command }, release, 'ns', `cdk8s-llm-d convert --set ${command}`);
        const parsed = tsParse(text);
        expect(parsed.errors).toBe(0);
        expect(parsed.statements).toHaveLength(6);
        expect(parsed.statements[0]).toMatch(/^import \{ App, Chart \} from 'cdk8s';$/);
      }),
      { numRuns: 300, seed: 29 },
    );
  });

  test('migrate: a value in a note cannot add a key (the header is comments only)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-comments-'));
    try {
      for (const t of TERMINATORS) {
        // An old EPP image is replaced; the note names the old image, hub included.
        const values = { inferenceExtension: { image: { hub: `ghcr.io/x${t}evil: true${t}# `, name: 'llm-d-inference-scheduler', tag: 'v0.5.0' } } };
        fs.writeFileSync(path.join(dir, 'values.yaml'), JSON.stringify(values));
        const out: string[] = [];
        const err: string[] = [];
        const code = runCli(['migrate', 'inferencepool', '-f', 'values.yaml'], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) }, dir);
        expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
        const text = out.join('');
        expect(text).toContain('# - image ghcr.io/x');
        const expected = migrateInferencePoolValues(values).values;
        for (const doc of yamlReads(text, true)) expect(doc).toEqual(expected);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('istiod values: header lines cannot add a key', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 3 }), (header) => {
        // Values are YAML scalars (test/core/yaml-readback.test.ts); a lone surrogate in one is refused, not written.
        const env = { A: header.join('').replace(/[\ud800-\udfff]/g, '') };
        const text = istiodValuesYaml({ header, pilotEnv: env });
        const want = JSON.parse(JSON.stringify(istiodValues({ pilotEnv: env }))) as unknown;
        for (const doc of yamlReads(text)) expect(doc).toEqual(want);
      }),
      { numRuns: 300, seed: 29 },
    );
  });
});
