/**
 * src/testing/semdiff.ts, the parity comparator, on small hand-made inputs: each test pins a
 * behaviour that the reference-case tests (test/core/semdiff.test.ts) leave open, written to kill
 * the mutants StrykerJS left alive (docs/mutation.md lists them, and the equivalent ones).
 */
import { compareManifests, ManifestComparison, parseManifests } from '../../src/testing/semdiff';

type Obj = Record<string, unknown>;

/** One object `A/a` with `fields`. */
const obj = (fields: Obj): Obj => ({ kind: 'A', metadata: { name: 'a' }, ...fields });

/** Golden `A/a` with `golden` compared with `A/a` with `ours`. */
const cmp = (golden: Obj, ours: Obj): ManifestComparison => compareManifests([obj(golden)], [obj(ours)]);

describe('parseManifests reads YAML 1.1, as PyYAML does', () => {
  test('yes/no are booleans and 010 is octal', () => {
    const [doc] = parseManifests('kind: A\nmetadata: {name: a}\nup: yes\ndown: no\nmode: 010\ndot: .\n');
    expect(doc).toEqual({ kind: 'A', metadata: { name: 'a' }, up: true, down: false, mode: 8, dot: '.' });
  });

  test('documents without a kind, and empty ones, are dropped', () => {
    expect(parseManifests('---\nmetadata: {name: a}\n---\n---\nkind: B\n').map((d) => d.kind)).toEqual(['B']);
  });
});

describe('strings that hold YAML', () => {
  test('a document behind leading blanks is compared parsed', () => {
    expect(cmp({ x: ' {"a": 1, "b": 2}' }, { x: '{b: 2, a: 1}' }).contained).toBe(true);
  });

  test('a multi-line string that is one scalar in YAML is compared as the text it is', () => {
    // "a\nb" would load as the scalar "a b": it is text, and "a b" is a different text.
    const r = cmp({ x: 'a\nb' }, { x: 'a b' });
    expect(r.contained).toBe(false);
    expect(r.differences).toEqual(['A/a.x: expected "a\\nb", got "a b"']);
  });

  test('a multi-line string that loads as nothing (comments only) is text, not null', () => {
    expect(cmp({ x: '# one\n# two' }, { x: null }).contained).toBe(false);
    expect(cmp({ x: '# one\n# two' }, { x: '# one\n# two' }).contained).toBe(true);
  });
});

describe('named lists', () => {
  test('ports match by containerPort and mounts by mountPath, in any order', () => {
    const ports = [{ containerPort: 8000, protocol: 'TCP' }, { containerPort: 9000, protocol: 'UDP' }];
    expect(cmp({ ports }, { ports: [...ports].reverse() }).contained).toBe(true);
    const mounts = [{ mountPath: '/a', readOnly: true }, { mountPath: '/b', readOnly: false }];
    expect(cmp({ mounts }, { mounts: [...mounts].reverse() }).contained).toBe(true);
    const r = cmp({ ports }, { ports: [{ containerPort: 8000, protocol: 'UDP' }, { containerPort: 9000, protocol: 'UDP' }] });
    expect(r.differences).toEqual(['A/a.ports[8000].protocol: expected "TCP", got "UDP"']);
  });

  test('a list where only some items are named matches by position', () => {
    const r = cmp({ items: [{ name: 'n', v: 1 }, { v: 2 }] }, { items: [{ v: 2 }, { name: 'n', v: 1 }] });
    expect(r.contained).toBe(false);
  });
});

describe('leaf counts', () => {
  test('a missing list counts each of its leaves', () => {
    expect(cmp({ args: ['a', 'b', 'c'] }, {}).summary).toBe('semdiff: objects=1/1 leaves=2/5 missing_objects=0 extra_objects=0');
    expect(cmp({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, {}).summary).toBe('semdiff: objects=1/1 leaves=2/6 missing_objects=0 extra_objects=0');
  });

  test('golden fields with an empty value need not be in ours', () => {
    for (const empty of [null, '', [], {}]) {
      const r = cmp({ x: empty, y: 1 }, { y: 1 });
      expect([r.contained, r.differences, r.summary]).toEqual([true, [], 'semdiff: objects=1/1 leaves=3/3 missing_objects=0 extra_objects=0']);
    }
    // Objects passed as objects may hold undefined.
    expect(cmp({ x: undefined, y: 1 }, { y: 1 }).contained).toBe(true);
    // A non-empty value is missed.
    expect(cmp({ x: 0, y: 1 }, { y: 1 }).contained).toBe(false);
    expect(cmp({ x: ' ', y: 1 }, { y: 1 }).contained).toBe(false);
  });

  test('an empty golden list or mapping is one leaf', () => {
    expect(cmp({ x: [] }, { x: [] }).summary).toBe('semdiff: objects=1/1 leaves=3/3 missing_objects=0 extra_objects=0');
    expect(cmp({ x: {} }, { x: { a: 1 } }).summary).toBe('semdiff: objects=1/1 leaves=3/3 missing_objects=0 extra_objects=0');
  });
});

describe('differences, as printed', () => {
  test('an empty golden mapping where ours has something else', () => {
    const r = cmp({ x: {} }, { x: undefined });
    expect([r.contained, r.differences]).toEqual([false, ['A/a.x: expected {}, got undefined']]);
    expect(cmp({ x: {} }, { x: 'text' }).differences).toEqual(['A/a.x: expected {}, got "text"']);
  });

  test('an empty golden list where ours has items', () => {
    const r = cmp({ x: [] }, { x: ['a'] });
    expect([r.contained, r.differences, r.summary]).toEqual([false, ['A/a.x: expected [], got ["a"]'], 'semdiff: objects=1/1 leaves=2/3 missing_objects=0 extra_objects=0']);
  });

  test('a golden list where ours has no list', () => {
    const r = cmp({ x: ['a', 'b'] }, { x: 'a' });
    expect([r.contained, r.differences, r.summary]).toEqual([false, ['A/a.x: expected list ["a","b"], got "a"'], 'semdiff: objects=1/1 leaves=2/4 missing_objects=0 extra_objects=0']);
  });

  test('values longer than 119 characters of JSON are cut to 117 and ...', () => {
    const at119 = 'x'.repeat(117); // "xxx…": 119 characters of JSON
    const at120 = 'x'.repeat(118);
    expect(cmp({ v: at119 }, { v: 'y' }).differences).toEqual([`A/a.v: expected "${at119}", got "y"`]);
    expect(cmp({ v: at120 }, { v: 'y' }).differences).toEqual([`A/a.v: expected "${at120.slice(0, 116)}..., got "y"`]);
  });

  test('items of a golden list of objects that ours lacks are counted, not compared', () => {
    const r = cmp({ tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] }, { tolerations: [{ key: 'a', operator: 'Exists' }] });
    expect(r.contained).toBe(false);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatch(/^A\/a\.tolerations: list length 1 != expected 2/);
    expect(r.summary).toBe('semdiff: objects=1/1 leaves=4/6 missing_objects=0 extra_objects=0');
  });
});

describe('lists of scalars keep their length; other lists are not lists of scalars', () => {
  test('a list of scalars grown by an object counts no extra leaf', () => {
    expect(cmp({ x: ['a'] }, { x: ['a', { b: 1 }] }).summary).toBe('semdiff: objects=1/1 leaves=3/3 missing_objects=0 extra_objects=0');
  });

  test('a mixed golden list is not a list of scalars either', () => {
    expect(cmp({ x: ['a', { b: 1 }] }, { x: ['a', 'c', 'd'] }).summary).toBe('semdiff: objects=1/1 leaves=3/4 missing_objects=0 extra_objects=0');
  });
});

describe('Helm bookkeeping and null annotations', () => {
  test('a null golden annotation matches whatever ours has', () => {
    const golden = { metadata: { name: 'a', annotations: { note: null, kept: 'k' } } };
    expect(cmp(golden, { metadata: { name: 'a', annotations: { note: 'set', kept: 'k' } } }).contained).toBe(true);
    expect(cmp({ metadata: { name: 'a', annotations: { note: undefined } } }, { metadata: { name: 'a', annotations: { note: 'set' } } }).contained).toBe(true);
    // Elsewhere a null is a value.
    expect(cmp({ spec: { note: null } }, { spec: { note: 'set' } }).contained).toBe(false);
  });
});

describe('compareManifests on objects', () => {
  test('entries that are not objects with a kind are not objects', () => {
    const golden = [obj({ x: 1 }), { metadata: { name: 'b' } }, null, 'text'] as unknown as Obj[];
    const ours = [obj({ x: 1 }), { metadata: { name: 'c' } }, null, 7] as unknown as Obj[];
    const r = compareManifests(golden, ours);
    expect([r.objectsTotal, r.objectsFound, r.contained, r.summary]).toEqual([1, 1, true, 'semdiff: objects=1/1 leaves=3/3 missing_objects=0 extra_objects=0']);
  });

  test('ours as text, golden as objects', () => {
    const r = compareManifests([obj({ x: 1 })], 'kind: A\nmetadata: {name: a}\nx: 2\n---\nkind: B\nmetadata: {name: b}\n');
    expect([r.contained, r.missingObjects, r.summary]).toEqual([false, [], 'semdiff: objects=1/1 leaves=2/3 missing_objects=0 extra_objects=1']);
  });
});
