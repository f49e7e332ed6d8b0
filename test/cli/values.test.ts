import { applySet, mergeValues, parseSetPath, SetSyntaxError } from '../../src/cli/values';
import { parseArgs, UsageError } from '../../src/cli/args';
import { toTypeScriptLiteral } from '../../src/cli/codegen';

describe('mergeValues (helm coalescing)', () => {
  test('maps merge, lists are replaced, later wins, null deletes', () => {
    const base = { a: { b: 1, c: [1, 2], d: 'x' }, e: true };
    const over = { a: { c: [3], d: null, f: 2 }, e: false };
    expect(mergeValues(base, over)).toEqual({ a: { b: 1, c: [3], f: 2 }, e: false });
    expect(base).toEqual({ a: { b: 1, c: [1, 2], d: 'x' }, e: true });
  });
});

describe('applySet (helm --set)', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a.b=c', { a: { b: 'c' } }],
    ['a=1', { a: 1 }],
    ['a=true,b=false', { a: true, b: false }],
    ['a=null', {}],
    ['a=1.5', { a: '1.5' }],
    ['a=007', { a: '007' }],
    ['l={x,2}', { l: ['x', 2] }],
    ['l[1]=b', { l: [null, 'b'] }],
    ['l[0].name=c', { l: [{ name: 'c' }] }],
    ['a\\.b=c', { 'a.b': 'c' }],
    ['modelArtifacts.uri=pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m', { modelArtifacts: { uri: 'pvc+hf://pvc-name/path/to/hf_hub_cache/facebook/opt-125m' } }],
    ['a=x\\,y', { a: 'x,y' }],
  ];
  test.each(cases)('%s', (expr, expected) => {
    const v: Record<string, unknown> = {};
    applySet(v, expr);
    expect(v).toEqual(expected);
  });

  test('--set-string keeps strings', () => {
    const v: Record<string, unknown> = {};
    applySet(v, 'a=1,b=true', true);
    expect(v).toEqual({ a: '1', b: 'true' });
  });

  test('overrides merge into existing values', () => {
    const v: Record<string, unknown> = { decode: { replicas: 1, parallelism: { tensor: 8 } }, l: [{ name: 'a', x: 1 }] };
    applySet(v, 'decode.replicas=3');
    applySet(v, 'l[0].x=2');
    expect(v).toEqual({ decode: { replicas: 3, parallelism: { tensor: 8 } }, l: [{ name: 'a', x: 2 }] });
  });

  test.each(['novalue', '=x', 'a..b=1', 'a[x]=1', 'a[0=1'])('bad expression %s is refused', (expr) => {
    expect(() => applySet({}, expr)).toThrow(SetSyntaxError);
  });

  test('path parsing', () => {
    expect(parseSetPath('a.b[2].c')).toEqual([{ key: 'a' }, { key: 'b' }, { index: 2 }, { key: 'c' }]);
  });
});

describe('parseArgs', () => {
  test('render with all flags', () => {
    const a = parseArgs(['render', 'inferencepool', '--release', 'gaie', '-n', 'llm-d', '-f', 'a.yaml', '--values=b.yaml', '--set', 'x=1', '--set-string', 'y=2', '-o', 'out']);
    expect(a).toEqual({ command: 'render', chart: 'inferencepool', release: 'gaie', namespace: 'llm-d', valueFiles: ['a.yaml', 'b.yaml'], sets: [{ expr: 'x=1', forceString: false }, { expr: 'y=2', forceString: true }], outputDir: 'out', help: false });
  });
  test('release may be positional like helm', () => {
    expect(parseArgs(['convert', 'llm-d-infra', 'infra']).release).toBe('infra');
  });
  test.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['render'], 'render needs a chart name'],
    [['render', 'x', '--bogus'], 'unknown flag "--bogus"'],
    [['render', 'x', '-f'], '-f needs a value'],
    [['convert', 'x', '-o', 'd'], '-o is only accepted by render'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('toTypeScriptLiteral', () => {
  test('prints nested data with quoting and identifiers', () => {
    expect(toTypeScriptLiteral({ a: 1, 'llm-d.ai/role': "it's", l: [true, null], e: {}, n: [] , u: undefined })).toBe(
      "{\n  a: 1,\n  \"llm-d.ai/role\": 'it\\'s',\n  l: [\n    true,\n    null,\n  ],\n  e: {},\n  n: [],\n}",
    );
  });
  test('round-trips through eval', () => {
    const data = { s: 'a\nb\\c', deep: { x: [{ y: 'z' }] }, num: -1.5 };
    expect(new Function(`return ${toTypeScriptLiteral(data)};`)()).toEqual(data);
  });
});
