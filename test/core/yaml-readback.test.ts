/**
 * Every scalar the YAML writer writes reads back as the same single value under the parsers of
 * other ecosystems: the `yaml` library as YAML 1.1 (go-yaml v2's and PyYAML's schema) and as 1.2,
 * js-yaml (an independent implementation), and, where it is installed, PyYAML. (Go's go-yaml is
 * not reachable from here without a cluster: `kubectl kustomize` re-encodes what it reads and its
 * own emitter alters NEL, tabs next to line separators and C1 controls, so it cannot serve as an
 * oracle.) YAML 1.1 parsers read U+0085, U+2028 and U+2029 as line
 * breaks and refuse or alter other characters, so none of those is ever written raw.
 */
import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import { CDK8S_YAML, DEFAULT_YAML, stringifyManifests, stringifyYaml, YamlDialect, YamlWriteError } from '../../src/core/manifest-yaml';
import { YAML } from '../../src/core/yaml';

const EPP_YAML: YamlDialect = { version: '1.2', indentSeq: false, lineWidth: 0, library: { indentSeq: false, lineWidth: 0 } };
const DIALECTS: Array<[string, YamlDialect]> = [
  ['cdk8s', CDK8S_YAML],
  ['default', DEFAULT_YAML],
  ['epp', EPP_YAML],
];

/** Characters no YAML output may hold raw: C0 controls but LF, DEL, C1, LS, PS, BOM, U+FFFE, U+FFFF. */
// eslint-disable-next-line no-control-regex
const RAW_FORBIDDEN = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

const PARSERS: Array<[string, (text: string) => unknown]> = [
  ['yaml 1.1', (t) => YAML.parse(t, { version: '1.1' })],
  ['yaml 1.2', (t) => YAML.parse(t, { version: '1.2' })],
  ['js-yaml', (t) => jsyaml.load(t)],
];

// Characters that matter to some parser, and words some schema reads as non-strings.
const SPECIAL_CHARS = ['\u0085', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\t', '\r', '\n', '\r\n', '\x00', '\x07', '\x1b', '\x7f', '\x80', '\x9f', '\u00a0', '\u200b', '\ufffd', '\u{1f600}', '\u{10ffff}', '\u{e0001}', ' ', ':', ': ', ' #', '#', '-', '- ', '?', '"', "'", '\\', '|', '>', '&', '*', '!', '%', '@', '`', '[', ']', '{', '}', ',', '---', '...'];
const WORDS = ['', 'a', 'yes', 'No', 'on', 'y', 'n', 'true', 'null', '~', '<<', '=', '0', '007', '0o17', '0x1F', '0b101', '1_000', '1e3', '1.5', '.5', '.', '+.', '.inf', '-.NaN', '1:20', '2001-12-14', '2001-12-14 21:59:43.10 -5', 'text'];

/** Any code point of any plane but a surrogate (lone surrogates are refused; a test below). */
const anyCodePoint = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }),
  fc.integer({ min: 0x80, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
).map((c) => String.fromCodePoint(c));
const piece = fc.oneof(fc.constantFrom(...SPECIAL_CHARS), fc.constantFrom(...WORDS), anyCodePoint);
const anyString = fc.oneof(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), fc.array(anyCodePoint, { maxLength: 16 }).map((p) => p.join('')), fc.constantFrom(...WORDS));
const anyKey = anyString.filter((k) => k !== '__proto__');
const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e21, -1e21, 5e-7, 1.5e300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2)).map((n) => (Object.is(n, -0) ? 0 : n));
const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, anyString, anyString, anyNumber, fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(anyKey, tie('value'), { maxKeys: 4, noNullPrototype: true })),
}));
const anyDocument = fc.dictionary(anyKey, jsonValue, { minKeys: 1, maxKeys: 6, noNullPrototype: true });

function expectReadsBack(text: string, doc: unknown): void {
  const outside = text.replace(/\n/g, '');
  const raw = RAW_FORBIDDEN.exec(outside);
  if (raw) throw new Error(`raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} in:\n${text}`);
  for (const [name, parse] of PARSERS) {
    let back: unknown;
    try {
      back = parse(text);
    } catch (e) {
      throw new Error(`${name} cannot read:\n${text}\n${(e as Error).message}`);
    }
    try {
      expect(back).toEqual(doc);
    } catch (e) {
      throw new Error(`${name} reads another value from:\n${JSON.stringify(text)}\n${(e as Error).message}`);
    }
  }
}

describe('every scalar reads back as the same value under YAML 1.1, YAML 1.2 and js-yaml', () => {
  test.each(DIALECTS)('%s: arbitrary Unicode keys and values, written directly', (_name, dialect) => {
    fc.assert(
      fc.property(anyDocument, (d) => expectReadsBack(stringifyYaml(d, dialect), d)),
      { numRuns: 400, seed: 29 },
    );
  });

  test.each(DIALECTS)('%s: arbitrary Unicode keys and values, written by the library (a shared object makes anchors)', (_name, dialect) => {
    fc.assert(
      fc.property(anyDocument, anyDocument, (d, shared) => {
        const doc = { ...d, one: shared, two: shared };
        expectReadsBack(stringifyYaml(doc, dialect), JSON.parse(JSON.stringify(doc)));
      }),
      { numRuns: 150, seed: 29 },
    );
  });

  test('each special character alone and between words, as key, value and list item, in every dialect', () => {
    for (const c of SPECIAL_CHARS) {
      for (const s of [c, `a${c}b`, `${c}a`, `a${c}`, `${c}\n${c}`, `line\n${c}\nline\n`]) {
        for (const [, dialect] of DIALECTS) {
          for (const d of [{ v: s }, { [s]: 'v' }, { l: [s, { [s]: [s] }] }]) expectReadsBack(stringifyYaml(d, dialect), d);
        }
      }
    }
  });

  test('a line separator in a container argument stays one argument (was two under YAML 1.1)', () => {
    const pod = { spec: { containers: [{ name: 'c', args: ['--served-model-name', 'a\u2028--evil', 'x\u0085y', 'tab\there'] }] } };
    const text = stringifyManifests(pod);
    expect(text).toContain('"a\\u2028--evil"');
    expect(text).toContain('"x\\x85y"');
    expect(text).toContain('"tab\\there"');
    expectReadsBack(text, pod);
  });

  test('numbers in exponent form carry a fraction (YAML 1.1 floats need one)', () => {
    expect(stringifyManifests({ a: 1e21, b: 5e-7, c: 1.5e300, d: 10 })).toBe('a: 1.0e+21\nb: 5.0e-7\nc: 1.5e+300\nd: 10\n');
  });

  test('the merge key and 1.2-only numbers are quoted in every dialect', () => {
    for (const [, dialect] of DIALECTS) {
      expect(stringifyYaml({ '<<': '0o17', a: '=' }, dialect)).toBe('"<<": "0o17"\na: "="\n');
    }
  });
});

describe('a lone surrogate is refused with the field named', () => {
  const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', 'a\ud800b', '\udc00\ud800', '😀\ud83d');
  test.each(DIALECTS)('%s: as a value or a key, directly or through the library', (_name, dialect) => {
    fc.assert(
      fc.property(anyDocument, lone, fc.boolean(), fc.boolean(), (d, bad, asKey, shared) => {
        const inner = asKey ? { [bad]: 'x' } : { arg: ['ok', bad] };
        const doc: Record<string, unknown> = { ...d, spec: { containers: [inner] } };
        if (shared) doc.again = doc.spec;
        let error: unknown;
        try {
          stringifyYaml(doc, dialect);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(YamlWriteError);
        expect((error as YamlWriteError).field).toBe(asKey ? `spec.containers[0].${bad} (the key)` : 'spec.containers[0].arg[1]');
        expect((error as Error).message).toContain('lone surrogate');
      }),
      { numRuns: 200, seed: 29 },
    );
  });
});

/** Documents the optional checks below send to another ecosystem's parser, with what each must read. */
function sampleDocuments(n: number): Array<Record<string, unknown>> {
  return fc.sample(anyDocument, { numRuns: n, seed: 29 });
}

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

(hasPyYaml ? test : test.skip)('PyYAML (YAML 1.1) reads back every value', () => {
  const docs = sampleDocuments(400);
  const texts = docs.map((d) => stringifyManifests(d));
  const script = 'import json,sys,yaml\nfor t in json.load(sys.stdin):\n  print(json.dumps(yaml.safe_load(t)))';
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.stderr).toBe('');
  const back = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  back.forEach((b, i) => expect({ text: texts[i], value: b }).toEqual({ text: texts[i], value: JSON.parse(JSON.stringify(docs[i])) }));
});
