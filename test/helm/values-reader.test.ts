import { mergeValues } from '../../src/cli/values';
import { LlmdValidationError } from '../../src/core/errors';
import { expectRefusal } from '../support';
import {
  coalesceValues,
  dropUndefined,
  isValuesMap,
  keyPath,
  nearestKey,
  nonEmptyList,
  nonEmptyMap,
  throwValuesProblems,
  unknownKeyProblem,
  ValuesReader,
} from '../../src/helm/values-reader';

describe('coalesceValues (user values over chart defaults)', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ['null deletes a default', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['null deletes a nested default', { m: { x: 1, y: 2 } }, { m: { x: null } }, { m: { y: 2 } }],
    ['null deletes a whole map', { m: { x: 1 }, k: 1 }, { m: null }, { k: 1 }],
    ['maps merge key by key', { m: { x: 1, y: 2 } }, { m: { y: 3, z: 4 } }, { m: { x: 1, y: 3, z: 4 } }],
    ['lists replace', { l: [1, 2, 3] }, { l: [9] }, { l: [9] }],
    ['a scalar replaces a map', { m: { x: 1 } }, { m: 'flat' }, { m: 'flat' }],
    ['a map replaces a scalar', { m: 'flat' }, { m: { x: 1 } }, { m: { x: 1 } }],
    ['new keys are added', {}, { n: { x: 1 } }, { n: { x: 1 } }],
  ])('%s', (_name, base, override, expected) => {
    expect(coalesceValues(base, override)).toEqual(expected);
  });

  test('does not modify its inputs', () => {
    const base = { m: { x: 1, y: 2 } };
    const override = { m: { x: null } };
    coalesceValues(base, override);
    expect(base).toEqual({ m: { x: 1, y: 2 } });
    expect(override).toEqual({ m: { x: null } });
  });

  test('differs from mergeValues (-f files): there a null is kept for the chart defaults to see', () => {
    expect(mergeValues({ a: 1 }, { a: null })).toEqual({ a: null });
    expect(coalesceValues({ a: 1 }, { a: null })).toEqual({});
  });
});

describe('small helpers', () => {
  test.each<[unknown, boolean]>([
    [{}, true],
    [{ a: 1 }, true],
    [null, false],
    [[], false],
    ['x', false],
    [undefined, false],
  ])('isValuesMap(%j) = %s', (v, expected) => {
    expect(isValuesMap(v)).toBe(expected);
  });

  test.each([
    ['', 'a', 'a'],
    ['x', 'a', 'x.a'],
    ['x.y[0]', 'a', 'x.y[0].a'],
  ])('keyPath(%j, %j) = %j', (path, key, expected) => {
    expect(keyPath(path, key)).toBe(expected);
  });

  test('nonEmptyList, nonEmptyMap, dropUndefined', () => {
    expect(nonEmptyList([])).toBeUndefined();
    expect(nonEmptyList(undefined)).toBeUndefined();
    expect(nonEmptyList([1])).toEqual([1]);
    expect(nonEmptyMap({})).toBeUndefined();
    expect(nonEmptyMap({ a: 1 })).toEqual({ a: 1 });
    expect(dropUndefined({ a: 1, b: undefined, c: null, d: '' })).toEqual({ a: 1, c: null, d: '' });
    expect(Object.keys(dropUndefined({ a: undefined }))).toEqual([]);
  });

  test('unknownKeyProblem names the keys the chart has', () => {
    expect(unknownKeyProblem('a.b', 1, ['x', 'y'])).toEqual({ field: 'a.b', value: 1, allowed: "one of the chart's keys here: x, y", why: 'unknown key' });
  });

  test.each([
    ['replcas', 'replicas'],
    ['Replicas', 'replicas'],
    ['gateways', 'gateway'],
    ['parallelsim', 'parallelism'],
    ['b', undefined],
    ['zzzzzz', undefined],
  ])('the near key of %s is %s', (key, near) => {
    expect(nearestKey(key, ['replicas', 'gateway', 'parallelism', 'a'])).toBe(near);
    expect(unknownKeyProblem(`d.${key}`, 1, ['replicas', 'gateway', 'parallelism', 'a']).why).toBe(near ? `unknown key; did you mean "${near}"?` : 'unknown key');
  });

  test('throwValuesProblems lists every problem under the source', () => {
    expect(() => throwValuesProblems([], 'values (x)')).not.toThrow();
    let error: unknown;
    try {
      throwValuesProblems([{ field: 'a', value: 1, allowed: 'a string' }, { field: 'b', value: 'x', allowed: 'y', why: 'z' }], 'values (x)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LlmdValidationError);
    expect((error as LlmdValidationError).problems).toEqual([
      { path: 'values (x)', field: 'a', value: 1, allowed: 'a string', message: 'a: value 1 is not allowed; allowed: a string' },
      { path: 'values (x)', field: 'b', value: 'x', allowed: 'y', why: 'z', message: 'b: value "x" is not allowed (z); allowed: y' },
    ]);
  });
});

function fieldsOf(r: ValuesReader): string[] {
  return r.problems.map((p) => `${p.field}: ${p.allowed}${p.why ? ` (${p.why})` : ''}`);
}

describe('ValuesReader', () => {
  test.each<[string, (r: ValuesReader, o: Record<string, unknown>) => unknown, unknown, unknown, string]>([
    ['map', (r, o) => r.map(o, 'k', 'p'), { a: 1 }, 'x', 'p.k: a map'],
    ['str', (r, o) => r.str(o, 'k', 'p'), 'x', 1, 'p.k: a string'],
    ['bool', (r, o) => r.bool(o, 'k', 'p'), true, 'true', 'p.k: true or false'],
    ['int', (r, o) => r.int(o, 'k', 'p'), 3, 1.5, 'p.k: an integer'],
    ['list', (r, o) => r.list(o, 'k', 'p'), [1], {}, 'p.k: a list'],
  ])('%s reads a good value, refuses a wrong one naming the key path', (_name, read, good, bad, message) => {
    const r = new ValuesReader();
    expect(read(r, { k: good })).toEqual(good);
    expect(read(r, {})).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(read(r, { k: bad })).toBeUndefined();
    expect(fieldsOf(r)).toEqual([message]);
  });

  test('null is a wrong value by default, absent with nullIsAbsent', () => {
    const strict = new ValuesReader();
    expect(strict.str({ k: null }, 'k', '')).toBeUndefined();
    expect(strict.int({ k: null }, 'k', '')).toBeUndefined();
    expect(fieldsOf(strict)).toEqual(['k: a string', 'k: an integer']);
    const lenient = new ValuesReader({ nullIsAbsent: true });
    const o = { k: null };
    expect([lenient.map(o, 'k', ''), lenient.str(o, 'k', ''), lenient.bool(o, 'k', ''), lenient.int(o, 'k', ''), lenient.list(o, 'k', '')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(lenient.problems).toEqual([]);
  });

  test('optStr treats "" as absent', () => {
    const r = new ValuesReader();
    expect(r.optStr({ k: '' }, 'k', '')).toBeUndefined();
    expect(r.optStr({ k: 'x' }, 'k', '')).toBe('x');
  });

  test('templates in strings are refused only with refuseTemplates', () => {
    const values = { s: '{{ .Release.Name }}', m: { a: 'ok', b: '{{ x }}' } };
    const plain = new ValuesReader();
    expect(plain.str(values, 's', 'p')).toBe('{{ .Release.Name }}');
    plain.strMap(values, 'm', 'p');
    expect(plain.problems).toEqual([]);
    const strict = new ValuesReader({ refuseTemplates: true });
    expect(strict.str(values, 's', 'p')).toBe('{{ .Release.Name }}');
    strict.strMap(values, 'm', 'p');
    const why = 'Helm template expressions in values are not evaluated; write the value itself';
    expect(fieldsOf(strict)).toEqual([`p.s: a literal value (${why})`, `p.m.b: a literal value (${why})`]);
  });

  test('noTemplates walks lists and maps', () => {
    const r = new ValuesReader();
    r.noTemplates({ a: ['x', '{{ y }}'], b: { c: '{{ z }}' }, d: 1 }, 'root');
    expect(r.problems.map((p) => p.field)).toEqual(['root.a[1]', 'root.b.c']);
  });

  test('keys refuses unknown keys and names the reason of refused ones', () => {
    const r = new ValuesReader();
    r.keys({ a: 1, b: 2, c: 3 }, 'p', ['a'], { c: 'not supported here' });
    r.keys({ z: 1 }, '', ['a']);
    expect(fieldsOf(r)).toEqual([
      "p.b: one of the chart's keys here: a (unknown key)",
      'p.c: leave it unset (not supported here)',
      "z: one of the chart's keys here: a (unknown key)",
    ]);
  });

  test('strList, strMap, maps and namedMaps refuse and leave out bad items', () => {
    const r = new ValuesReader();
    expect(r.strList({ l: ['a', 1] }, 'l', 'p')).toEqual(['a']);
    expect(r.strMap({ m: { a: 'x', b: true } }, 'm', 'p')).toEqual({ a: 'x', b: true });
    expect(r.maps({ l: [{ a: 1 }, 'x'] }, 'l', 'p')).toEqual([{ a: 1 }]);
    expect(r.namedMaps({ l: [{ name: 'n' }, { name: 2 }, 3] }, 'l', 'p')).toEqual([{ name: 'n' }]);
    expect(fieldsOf(r)).toEqual([
      'p.l[1]: a string (quote numbers and booleans)',
      'p.m.b: a string (quote "true" and numbers)',
      'p.l[1]: a map',
      'p.l[1].name: a string',
      'p.l[2]: a map',
    ]);
  });

  test('throwIfProblems throws only when something was found', () => {
    const r = new ValuesReader();
    expect(() => r.throwIfProblems('values (x)')).not.toThrow();
    r.int({ k: 'x' }, 'k', 'a');
    expectRefusal(() => r.throwIfProblems('values (x)'), [{ path: 'values (x)', field: 'a.k', value: 'x', allowed: 'an integer' }]);
  });
});
