import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { CDK8S_YAML, DEFAULT_YAML, safeLibraryOptions, stringifyManifests, stringifyYaml, writeYamlDirectly, YamlDialect } from '../../src/core/manifest-yaml';
import { YAML } from '../../src/core/yaml';
import { RngdServingStack } from '../../src';
import { renderApp } from '../../src/synth/validate';

const EPP_YAML: YamlDialect = { version: '1.2', indentSeq: false, lineWidth: 0, library: { indentSeq: false, lineWidth: 0 } };
const DIALECTS: Array<[string, YamlDialect]> = [
  ['cdk8s', CDK8S_YAML],
  ['default', DEFAULT_YAML],
  ['epp', EPP_YAML],
];

// Strings that exercise the library's quoting rules: YAML 1.1 / 1.2 booleans, nulls, numbers,
// sexagesimals, timestamps, indicators, document markers, comments, multi-line text with leading,
// trailing and inner blank lines, quotes of both kinds, control characters, long lines.
const TRICKY = [
  '', ' ', 'a', 'y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'true', 'False', 'null', 'NULL', '~', '-', '?', ':', '- a', '? a', 'a: b', 'a:b', 'a #b', 'a#b', '#a',
  '0', '1', '-1', '+1', '007', '0o7', '0x1F', '0b101', '1_000', '1.5', '.5', '5.', '1e3', 'e5', 'E10', '1e+3', '.inf', '-.Inf', '.nan', '1:20', '190:20:30', '1:20.5',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2002-12-14 21:59:43.10 -5', '<<', '=', '%x', '---', '--- a', '...', '... a', 'a\n---\nb', '@a', '`a', '!a', '&a', '*a', '|', '>',
  "it's", 'say "hi"', `both ' and "`, 'back\\slash', 'tab\there', 'ends with space ', ' starts with space', 'trailing colon:', 'a,b', '[a]', '{a}', 'a]', 'ümlaut', 'emoji 😀', 'ctrl\x01', 'del\x7f', 'nbsp\u00a0x', 'line\u2028sep',
  'line\nnext', 'line\n', 'line\n\n', 'line\n\n\n', '\nlead', '\n\nlead', '  indented\nnext', 'a\n\nb\n', 'a\n \nb', 'a \nb', 'a\n b', 'a\n', 'trailing\n  ', '\n', '\n\n', 'a\r\nb', 'x'.repeat(90), `${'word '.repeat(30)}end`, 'k'.repeat(1030),
  'apiVersion: v1\nkind: ConfigMap\n', 'plugins:\n- type: x\n  parameters:\n    a: 1\n', '#!/bin/sh\nset -e\necho "$HF_TOKEN" | wc -c\n',
];

const key = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 }), fc.constantFrom('name', 'metadata', 'app.kubernetes.io/name', 'spec'));
const scalar = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '\n', ':', '#', '-', "'", '"', '\t', '1', '.'), maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 5 })),
}));
const doc = fc.dictionary(key, jsonValue, { minKeys: 0, maxKeys: 6 });

/**
 * The library as the writer uses it: its own options, with the writer's string and number rules as
 * custom tags (special characters escaped, plain scalars quoted that either YAML version reads as
 * non-strings, exponents with a fraction; test/core/yaml-readback.test.ts checks those rules).
 */
const library = (d: unknown, dialect: YamlDialect): string => YAML.stringify(d, safeLibraryOptions(dialect));

describe('stringifyYaml is the yaml library, byte for byte', () => {
  test.each(DIALECTS)('%s: random documents', (_name, dialect) => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(stringifyYaml(d, dialect)).toBe(library(d, dialect));
      }),
      { numRuns: 600 },
    );
  });

  test.each(DIALECTS)('%s: random JSON documents, written without the library', (_name, dialect) => {
    // What the writer covers: single-line keys; multi-line values only without line folding; no
    // document markers.
    const covered = (s: string) => !/[\ud800-\udfff]/.test(s) && !/\n[\t ]*$|\n\n$/.test(s) && !/^(---|\.\.\.)/m.test(s) && (dialect.lineWidth === 0 || (!s.includes('\n') && s.length < 20));
    const chars = (unit: string[]) => fc.string({ unit: fc.constantFrom(...unit), maxLength: 10 });
    const line = ['a', 'b', ' ', ':', '#', '-', "'", '"', '1', '.', '/', 'e', '?', '|'];
    const keyArb = fc.oneof(fc.constantFrom(...TRICKY.filter((s) => covered(s) && !s.includes('\n') && s.length < 1000)), chars(line));
    const valueArb = fc.oneof(fc.constantFrom(...TRICKY.filter(covered)), chars(line), chars([...line, '\n']).filter(covered));
    const { value: json } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, valueArb, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(keyArb, tie('value'), { maxKeys: 5, noNullPrototype: true })),
    }));
    let direct = 0;
    fc.assert(
      fc.property(fc.dictionary(keyArb, json, { minKeys: 1, maxKeys: 6, noNullPrototype: true }), (d) => {
        const ours = writeYamlDirectly(d, dialect);
        if (ours !== undefined) direct++;
        expect(ours ?? library(d, dialect)).toBe(library(d, dialect));
      }),
      { numRuns: 600 },
    );
    // Nearly every document must take the fast path, or this test would prove little.
    expect(direct).toBeGreaterThan(550);
  });

  test.each(DIALECTS)('%s: every tricky string as key, value and list item, at three depths', (_name, dialect) => {
    for (const s of TRICKY) {
      for (const d of [{ [s]: s }, { a: [s, { [s]: [s] }] }, { a: { b: { c: s, d: [[s]] } } }]) {
        expect(stringifyYaml(d, dialect)).toBe(library(d, dialect));
      }
    }
  });

  test('shared and circular references, class instances and empty documents go through the library', () => {
    const shared = { a: 1 };
    const circular: Record<string, unknown> = { x: 1 };
    circular.self = circular;
    for (const d of [{ p: shared, q: shared }, circular, { d: new Date(0) }, {}, [], 'text', 5, null, { m: new Map([['a', 1]]) }, { s: new Set([1]) }, { u: undefined }, { big: BigInt(5) }]) {
      expect(stringifyYaml(d, CDK8S_YAML)).toBe(library(d, CDK8S_YAML));
    }
  });

  test.each(DIALECTS)('%s: the writer departs from the plain library only for strings it escapes or quotes and numbers in exponent form', (_name, dialect) => {
    // eslint-disable-next-line no-control-regex
    const departs = (s: string) => /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/.test(s) || YAML.stringify(s, { version: dialect.version === '1.1' ? '1.2' : '1.1' }) !== YAML.stringify(s, dialect.library) || s === '<<' || s === '=';
    const plain = (v: unknown): boolean => (typeof v === 'string' ? !departs(v) : typeof v === 'number' ? !/e/.test(String(v)) : Array.isArray(v) ? v.every(plain) : typeof v === 'object' && v !== null ? Object.entries(v).every(([k, x]) => !departs(k) && plain(x)) : true);
    let compared = 0;
    fc.assert(
      fc.property(doc, (d) => {
        if (!plain(d)) return;
        compared++;
        expect(stringifyYaml(d, dialect)).toBe(YAML.stringify(d, dialect.library));
      }),
      { numRuns: 600 },
    );
    expect(compared).toBeGreaterThan(120);
  });

  test('stringifyManifests is cdk8s Yaml.stringify, undefined documents included', () => {
    const docs = [{ apiVersion: 'v1', kind: 'ConfigMap', data: { 'a.yaml': 'x: 1\n', flag: 'true' } }, undefined, { kind: 'List', items: [] }];
    expect(stringifyManifests(...docs)).toBe(Yaml.stringify(...docs));
  });

  test('a synthesized stack renders as cdk8s renders it', () => {
    const app = new App();
    const stack = new RngdServingStack(app, 'llm-d', {
      networkPolicies: { monitoringNamespaces: ['monitoring'] },
      models: [{ model: 'furiosa-ai/Llama-3.1-8B-Instruct' }, { model: 'furiosa-ai/Other', key: 'other', storage: { uri: 'hf://furiosa-ai/Other' } }],
    });
    const [[, ours]] = renderApp(app);
    const objects = stack.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(ours).toBe(Yaml.stringify(...objects.map((o) => o.toJson())));
    for (const o of objects) expect(writeYamlDirectly(o.toJson(), CDK8S_YAML)).toBeDefined();
    expect(Chart.of(stack)).toBe(stack);
  });
});
